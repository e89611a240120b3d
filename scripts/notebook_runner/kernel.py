"""The kernel's life for one notebook: start it, let the cells run, interrupt it, shut it down — also on Ctrl-C."""

import asyncio
import signal

from nbclient import NotebookClient
from nbclient.util import ensure_async


class Interrupted(Exception):
    pass


async def interrupt(client) -> None:
    """Interrupts the kernel if it runs (a pending await rejects, a loop breaks); never raises."""
    try:
        if client.km is not None and client.km.has_kernel:
            await ensure_async(client.km.interrupt_kernel())
    except Exception:
        pass


class KernelSession:
    """One kernel for one notebook, through nbclient; `async with` starts it and always shuts it down.

    The kernel's life is handled here rather than by client.async_setup_kernel(), whose own Ctrl-C handler
    would stop the kernel but let the run carry on with the next notebook.
    """

    def __init__(self, nb, kernel_name, cwd, timeout, startup_timeout):
        self.client = NotebookClient(
            nb,
            kernel_name=kernel_name,
            timeout=timeout,
            startup_timeout=startup_timeout,
            allow_errors=True,  # the cells are judged by their execute_reply (judge.py)
            interrupt_on_timeout=False,  # a timeout raises CellTimeoutError
            record_timing=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        self.replies = {}
        self.client.on_cell_executed = self._on_cell_executed
        self.started = False
        self.interrupted = False

    def _on_cell_executed(self, cell, cell_index, execute_reply):
        self.replies[cell_index] = execute_reply

    async def __aenter__(self):
        self._watch_signals()
        self.client.km = self.client.create_kernel_manager()
        try:
            await self.client.async_start_new_kernel()
            await self.client.async_start_new_kernel_client()
        except BaseException:
            await self.__aexit__(None, None, None)  # a half-started kernel is stopped too
            raise
        self.started = True
        return self

    async def __aexit__(self, *exc):
        if self.interrupted:
            await interrupt(self.client)
        if self.client.km is not None:
            await self.client._async_cleanup_kernel()  # shutdown_request, then terminate if need be
        return False

    async def language_info(self):
        """The kernel's language_info (typescript), which lets the HTML export highlight the code."""
        info = await self.client.async_wait_for_reply(await ensure_async(self.client.kc.kernel_info()))
        return (info or {}).get("content", {}).get("language_info")

    def _watch_signals(self):
        """Ctrl-C / SIGTERM: stop the current cell and the run; __aexit__ shuts the kernel down."""
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
