"""Execute notebooks headless through the project's tslab kernel and report the first failing cell.

Run by `npm run notebooks` (scripts/run-notebooks.mjs, through scripts/execute_notebook.py), which finds a
Python that has nbclient (the project's .venv, else Debian's) and sets JUPYTER_PATH so that the
`learning-mqtt` kernelspec in jupyter/kernels/ is found.

Why not `jupyter nbconvert --execute`: tslab answers a failing cell with an execute_reply of status
"error" and puts the message on stderr only (no `error` output with ename/traceback), so nbclient's
CellExecutionError just says "<Error>:". This package runs the cells itself, judges each cell by its
execute_reply, and takes the message from the cell's stderr output.

- kernel.py: the kernel's life (start, interrupt, shut down, Ctrl-C);
- judge.py: running the cells in order and judging each one (what failed, and the message to show);
- files.py: reading notebooks and writing the executed copies (and HTML);
- cli.py: the command line and the report.
"""
