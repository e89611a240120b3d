"""Running a notebook's code cells in order and judging each: the first failure, with a readable message."""

import re

from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .kernel import Interrupted, interrupt

ERROR_LINE = re.compile(r"^\s*(Uncaught\s+)?([A-Za-z_$][\w$]*(Error|Exception)|Error)\b\s*(\[[^\]]*\])?:")
INTERNAL_FRAME = re.compile(r"^\s+at .*(\(node:|node_modules[\\/]tslab[\\/]|\bnode:)")


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


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


class Verdict:
    """What running a notebook came to: cells run, and the first failure (None when all passed)."""

    def __init__(self, nb):
        self.nb = nb
        self.cells = 0
        self.failure = None
        self.detail = ""

    @property
    def ok(self) -> bool:
        return self.failure is None

    def fail(self, index, message, detail="", note=False):
        cell = self.nb.cells[index]
        self.failure = f"cell {index + 1} (id {cell.get('id', '?')}): {message}"
        self.detail = detail
        if note:  # leave the reason in the executed copy (and its HTML) too
            import nbformat

            cell.setdefault("outputs", []).append(nbformat.v4.new_output("stream", name="stderr", text=f"[npm run notebooks] {message}\n"))


async def execute_cells(session, verdict: Verdict, timeout: float) -> None:
    """Run the code cells in order; stop at the first that fails, times out or kills the kernel."""
    client, nb = session.client, verdict.nb
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        try:
            await client.async_execute_cell(cell, index, execution_count=verdict.cells + 1)
        except CellTimeoutError:
            verdict.cells += 1
            verdict.fail(index, f"timeout: still running after the {timeout:g} s time limit per cell "
                                "(--timeout / NOTEBOOK_CELL_TIMEOUT to change)", note=True)
            # Interrupting rejects a pending await / breaks a loop, so the shutdown is quick.
            await interrupt(client)
            return
        except DeadKernelError:
            if session.interrupted:  # nbclient reports a cancelled wait as a dead kernel
                raise Interrupted()
            verdict.cells += 1
            verdict.fail(index, "the kernel died while running this cell", note=True)
            return
        verdict.cells += 1
        if session.interrupted:
            raise Interrupted()
        content = (session.replies.get(index) or {}).get("content", {})
        status = content.get("status", "ok")
        if status != "ok":
            text = error_text(cell, content) if status == "error" else f"execute_reply status {status!r}"
            verdict.fail(index, headline(text), trim_stack(text))
            return
