"""The command line of `npm run notebooks` and its report: one line per notebook, the failures, the counts."""

import argparse
import asyncio
import os
import sys
import time
from importlib import metadata
from pathlib import Path

from jupyter_client.kernelspec import NoSuchKernel

from .files import REPO, default_notebooks, display_path, read_notebook, write_outputs
from .judge import Verdict, execute_cells, first_line
from .kernel import Interrupted, KernelSession


class OneLineParser(argparse.ArgumentParser):
    """A bad flag is one line (and exit 2), not the usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (try --help)\n")


def parse_args(argv):
    env_timeout = os.environ.get("NOTEBOOK_CELL_TIMEOUT")
    parser = OneLineParser(
        prog="npm run notebooks --",
        description="Execute notebooks through the learning-mqtt kernel; stop each at its first failing cell.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/*.ipynb in name order)")
    parser.add_argument("--timeout", type=int, default=env_timeout or 120,
                        help="time limit per cell in seconds (default 120, or $NOTEBOOK_CELL_TIMEOUT)")
    parser.add_argument("--cwd", type=Path, default=None,
                        help="kernel working directory (default: each notebook's own folder)")
    parser.add_argument("--out", type=Path, default=REPO / "out",
                        help="output root: executed copies go to OUT/notebooks, HTML to OUT/html (default out/)")
    parser.add_argument("--html", action="store_true", help="also export executed notebooks to OUT/html/*.html")
    parser.add_argument("--kernel", default="learning-mqtt", help="kernelspec name (default learning-mqtt)")
    parser.add_argument("--startup-timeout", type=int, default=60, help="seconds to wait for the kernel to start")
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be positive")
    if args.html:
        try:
            import nbconvert  # noqa: F401
        except ImportError:
            parser.error("--html needs nbconvert: run `sudo apt-get install jupyter-nbconvert` or `pip install nbconvert`")
    return args


async def run_notebook(args, path: Path) -> dict:
    """Runs one notebook in a kernel of its own; returns what the report needs."""
    started = time.monotonic()
    result = {"name": display_path(path), "ok": False, "cells": 0, "failure": None, "detail": ""}
    try:
        nb = read_notebook(path)
    except Exception as error:  # invalid JSON or not a notebook
        result["failure"] = f"cannot read notebook: {first_line(str(error))}"
        result["seconds"] = time.monotonic() - started
        return result

    verdict = Verdict(nb)
    session = KernelSession(nb, args.kernel, (args.cwd or path.parent).resolve(), args.timeout, args.startup_timeout)
    try:
        async with session:
            result["startup"] = time.monotonic() - started
            language_info = await session.language_info()
            if language_info:
                nb.metadata["language_info"] = language_info
            await execute_cells(session, verdict, args.timeout)
        result.update(ok=verdict.ok, cells=verdict.cells, failure=verdict.failure, detail=verdict.detail)
    except (Interrupted, asyncio.CancelledError):
        raise Interrupted()
    except NoSuchKernel:
        result["failure"] = (f"no kernelspec named {args.kernel!r}: JUPYTER_PATH must include "
                             f"{REPO / 'jupyter'} (npm run notebooks sets it)")
    except Exception as error:
        if session.interrupted:
            raise Interrupted()
        what = "error while running" if session.started else "the kernel did not start"
        result.update(cells=verdict.cells, failure=f"{what}: {type(error).__name__}: {first_line(str(error))}")

    result["seconds"] = time.monotonic() - started
    result.update(write_outputs(path, nb, args.out, args.html))
    return result


def versions() -> str:
    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return f"nbclient {version('nbclient')}, nbformat {version('nbformat')}, jupyter_client {version('jupyter_client')}"


def report(result) -> None:
    where = f" -> {result['written']}" if result.get("written") else ""
    if result.get("html"):
        where += f", {result['html']}"
    cells = result["cells"]
    timing = f"{cells} cell{'' if cells == 1 else 's'} executed in {result['seconds']:.1f} s"
    if "startup" in result:
        timing += f" (kernel start {result['startup']:.1f} s)"
    if result["ok"]:
        print(f"ok    {result['name']}: {timing}{where}", flush=True)
        return
    print(f"FAIL  {result['name']}: {timing}{where}", flush=True)
    print(f"FAIL  {result['name']}: {result['failure']}", flush=True)
    detail = result["detail"].strip()
    if detail and "\n" in detail:
        lines = detail.splitlines()
        shown = lines[:25] + ([f"... ({len(lines) - 25} more lines)"] if len(lines) > 25 else [])
        print("\n".join("      | " + line for line in shown), flush=True)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    notebooks = args.notebooks or default_notebooks()
    if not notebooks:
        print(f"no notebooks found in {display_path(REPO / 'notebooks')}")
        print("notebooks: 0 passed, 0 failed")
        return 0
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        print(f"not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    print(f"runner: {versions()} ({sys.executable})", flush=True)
    passed, failed = 0, []
    for path in notebooks:
        try:
            result = asyncio.run(run_notebook(args, path))
        except (Interrupted, KeyboardInterrupt):
            print(f"interrupted while running {display_path(path)}", flush=True)
            print(f"notebooks: {passed} passed, {len(failed) + 1} failed (interrupted)", flush=True)
            return 130
        report(result)
        if result["ok"]:
            passed += 1
        else:
            failed.append(result)

    if failed:
        print("failed:", flush=True)
        for result in failed:
            print(f"  {result['name']}: {result['failure']}", flush=True)
    print(f"notebooks: {passed} passed, {len(failed)} failed", flush=True)
    return 1 if failed else 0
