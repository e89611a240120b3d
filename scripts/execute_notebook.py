"""`npm run notebooks` runs this: the headless runner of the lessons (the package notebook_runner beside it)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from notebook_runner.cli import main
except ImportError as error:  # run-notebooks.mjs checks this first; this is for direct use
    print(f"execute_notebook.py needs nbclient and nbformat ({error}): "
          "run `sudo apt-get install python3-nbclient` or `npm start` once (it makes the .venv)", file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
