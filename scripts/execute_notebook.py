"""Execute notebooks headless through the project's tslab kernel and report the first failing cell.

Run by `npm run notebooks` (scripts/run-notebooks.mjs), which finds a Python that has nbclient and
sets JUPYTER_PATH so that the `learning-mqtt` kernelspec in jupyter/kernels/ is found.

Why not `jupyter nbconvert --execute`: tslab answers a failing cell with an execute_reply of status
"error" and puts the message on stderr only (no `error` output with ename/traceback), so nbclient's
CellExecutionError just says "<Error>:". This script runs the cells itself, judges each cell by its
execute_reply, and takes the message from the cell's stderr output.
"""

import argparse
import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path

try:
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbclient.util import ensure_async
except ImportError as error:  # run-notebooks.mjs checks this first; this is for direct use
    print(f"execute_notebook.py needs nbclient and nbformat ({error}): "
          "run `sudo apt-get install jupyter-notebook` or `pip install nbclient`", file=sys.stderr)
    sys.exit(2)

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv):
    env_timeout = os.environ.get("NOTEBOOK_CELL_TIMEOUT")
    parser = argparse.ArgumentParser(
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
            parser.error("--html needs nbconvert: run `sudo apt-get install python3-nbconvert` or `pip install nbconvert`")
    return args


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


ERROR_LINE = re.compile(r"^\s*(Uncaught\s+)?([A-Za-z_$][\w$]*(Error|Exception)|Error)\b\s*(\[[^\]]*\])?:")
INTERNAL_FRAME = re.compile(r"^\s+at .*(\(node:|node_modules[\\/]tslab[\\/]|\bnode:)")


def headline(text: str) -> str:
    """The line that says what went wrong: `Error: …` from a stack, else the first line (TS diagnostics)."""
    for line in text.splitlines():
        if ERROR_LINE.match(line):
            return line.strip()
    return first_line(text)


def trim_stack(text: str) -> str:
    """Drop stack frames inside Node and tslab: they say nothing about the notebook."""
    return "\n".join(line for line in text.splitlines() if not INTERNAL_FRAME.match(line)).strip()


def error_text(cell, reply_content) -> str:
    """The failure message: tslab writes it to stderr; other kernels send an `error` output."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}")
    text = "".join(parts).strip()
    if not text and reply_content:
        ename, evalue = reply_content.get("ename"), reply_content.get("evalue")
        text = f"{ename}: {evalue}" if ename or evalue else ""
    return text or "(the kernel reported an error but wrote no message)"


class Interrupted(Exception):
    pass


class Runner:
    def __init__(self, args):
        self.args = args
        self.interrupted = False

    async def run_notebook(self, path: Path) -> dict:
        args = self.args
        name = display_path(path)
        started = time.monotonic()
        result = {"name": name, "ok": False, "cells": 0, "failure": None, "detail": ""}
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception as error:  # invalid JSON or not a notebook
            result["failure"] = f"cannot read notebook: {first_line(str(error))}"
            result["seconds"] = time.monotonic() - started
            return result

        cwd = (args.cwd or path.parent).resolve()
        client = NotebookClient(
            nb,
            kernel_name=args.kernel,
            timeout=args.timeout,
            startup_timeout=args.startup_timeout,
            allow_errors=True,  # we judge the execute_reply ourselves
            interrupt_on_timeout=False,  # a timeout raises CellTimeoutError
            record_timing=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        replies = {}

        def on_cell_executed(cell, cell_index, execute_reply):
            replies[cell_index] = execute_reply

        client.on_cell_executed = on_cell_executed

        def fail(index, message, detail="", note=False):
            cell = nb.cells[index]
            cell_id = cell.get("id", "?")
            result["failure"] = f"cell {index + 1} (id {cell_id}): {message}"
            result["detail"] = detail
            if note:  # leave the reason in the executed copy (and its HTML) too
                cell.setdefault("outputs", []).append(nbformat.v4.new_output(
                    "stream", name="stderr", text=f"[npm run notebooks] {message}\n"))

        kernel_started = False
        self._watch_signals()
        try:
            # The kernel's life is handled here rather than by client.async_setup_kernel(), whose own
            # Ctrl-C handler would stop the kernel but let the run carry on with the next notebook.
            client.km = client.create_kernel_manager()
            try:
                await client.async_start_new_kernel()
                await client.async_start_new_kernel_client()
                kernel_started = True
                result["startup"] = time.monotonic() - started
                # language_info (typescript) lets the HTML export highlight the code
                info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
                if info and "language_info" in info.get("content", {}):
                    nb.metadata["language_info"] = info["content"]["language_info"]
                await self._execute_cells(client, nb, replies, result, fail)
            finally:
                if self.interrupted:
                    await self._interrupt(client)
                if client.km is not None:
                    await client._async_cleanup_kernel()  # shutdown_request, then terminate if need be
        except (Interrupted, asyncio.CancelledError):
            raise Interrupted()
        except NoSuchKernel:
            result["failure"] = (f"no kernelspec named {args.kernel!r}: JUPYTER_PATH must include "
                                 f"{REPO / 'jupyter'} (npm run notebooks sets it)")
        except Exception as error:
            if self.interrupted:
                raise Interrupted()
            what = "error while running" if kernel_started else "the kernel did not start"
            result["failure"] = f"{what}: {type(error).__name__}: {first_line(str(error))}"
            result["ok"] = False

        result["seconds"] = time.monotonic() - started
        self._write_outputs(path, nb, result)
        return result

    async def _execute_cells(self, client, nb, replies, result, fail):
        """Run the code cells in order; stop at the first that fails, times out or kills the kernel."""
        timeout = self.args.timeout
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            try:
                await client.async_execute_cell(cell, index, execution_count=count + 1)
            except CellTimeoutError:
                result["cells"] = count + 1
                fail(index, f"timeout: still running after the {timeout:g} s time limit per cell "
                            "(--timeout / NOTEBOOK_CELL_TIMEOUT to change)", note=True)
                # Interrupting rejects a pending await / breaks a loop, so the shutdown is quick.
                await self._interrupt(client)
                return
            except DeadKernelError:
                if self.interrupted:  # nbclient reports a cancelled wait as a dead kernel
                    raise Interrupted()
                result["cells"] = count + 1
                fail(index, "the kernel died while running this cell", note=True)
                return
            count += 1
            result["cells"] = count
            if self.interrupted:
                raise Interrupted()
            content = (replies.get(index) or {}).get("content", {})
            status = content.get("status", "ok")
            if status != "ok":
                text = error_text(cell, content) if status == "error" else f"execute_reply status {status!r}"
                fail(index, headline(text), trim_stack(text))
                return
        result["ok"] = True

    @staticmethod
    async def _interrupt(client):
        try:
            if client.km is not None and client.km.has_kernel:
                await ensure_async(client.km.interrupt_kernel())
        except Exception:
            pass

    def _watch_signals(self):
        """Ctrl-C / SIGTERM: stop the current cell and the run, shut the kernel down, exit 130."""
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()

        def on_signal():
            if self.interrupted:
                return
            self.interrupted = True
            task.cancel()

        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, on_signal)
            except (RuntimeError, NotImplementedError):
                pass

    def _write_outputs(self, path: Path, nb, result):
        out_dir = self.args.out.resolve() / "notebooks"
        target = out_dir / path.name
        if target == path.resolve():
            result["written"] = "(not written: the output path is the source notebook)"
            return
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))
        result["written"] = display_path(target)
        if self.args.html:
            from nbconvert import HTMLExporter

            html_dir = self.args.out.resolve() / "html"
            html_dir.mkdir(parents=True, exist_ok=True)
            # Images that markdown links by relative path (../assets/…) are embedded, so the page
            # stands alone wherever out/html/ is opened.
            exporter = HTMLExporter(embed_images=True)
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(path.parent.resolve())}})
            html_target = html_dir / (path.stem + ".html")
            html_target.write_text(body, encoding="utf-8")
            result["html"] = display_path(html_target)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    notebooks = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"), key=lambda p: p.name)
    if not notebooks:
        print(f"no notebooks found in {display_path(REPO / 'notebooks')}")
        print("notebooks: 0 passed, 0 failed")
        return 0
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        print(f"not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    runner = Runner(args)
    passed, failed = 0, []
    for path in notebooks:
        try:
            result = asyncio.run(runner.run_notebook(path))
        except (Interrupted, KeyboardInterrupt):
            print(f"interrupted while running {display_path(path)}", flush=True)
            print(f"notebooks: {passed} passed, {len(failed) + 1} failed (interrupted)", flush=True)
            return 130
        where = f" -> {result['written']}" if result.get("written") else ""
        if result.get("html"):
            where += f", {result['html']}"
        cells = result["cells"]
        timing = f"{cells} cell{'' if cells == 1 else 's'} executed in {result['seconds']:.1f} s"
        if "startup" in result:
            timing += f" (kernel start {result['startup']:.1f} s)"
        if result["ok"]:
            passed += 1
            print(f"ok    {result['name']}: {timing}{where}", flush=True)
        else:
            failed.append(result)
            print(f"FAIL  {result['name']}: {timing}{where}", flush=True)
            print(f"FAIL  {result['name']}: {result['failure']}", flush=True)
            detail = result["detail"].strip()
            if detail and "\n" in detail:
                lines = detail.splitlines()
                shown = lines[:25] + ([f"... ({len(lines) - 25} more lines)"] if len(lines) > 25 else [])
                print("\n".join("      | " + line for line in shown), flush=True)

    if failed:
        print("failed:", flush=True)
        for result in failed:
            print(f"  {result['name']}: {result['failure']}", flush=True)
    print(f"notebooks: {passed} passed, {len(failed)} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
