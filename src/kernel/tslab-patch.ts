/**
 * A patch on another library, kept in this one place: tslab has no shutdown hook. It shuts a kernel down by
 * closing its ZeroMQ sockets and then waits for Node's event loop to empty, which an open MQTT socket or the
 * built-in broker would prevent for ever (Jupyter then kills the kernel after 5 s). So we wrap the close() of
 * its ZeroMQ Router sockets. Checked against tslab 1.0.22 with zeromq 6.8.0; inert anywhere else (no zeromq, or
 * a zeromq without a Router class). Re-check on a tslab or zeromq upgrade (test/kernel/kernel-interrupt.test.ts).
 */
import { createRequire } from "node:module";

/** Runs `action` once, when the kernel first closes one of its ZeroMQ Router sockets (its shutdown). */
export function onTslabShutdown(action: () => void): void {
  try {
    const kernelRequire = createRequire(require.main?.filename ?? __filename);
    const router = (kernelRequire("zeromq") as { Router?: { prototype: { close?: () => void } } }).Router?.prototype;
    const close = router?.close;
    if (!router || typeof close !== "function") return;
    let stopping = false;
    // The native close() is read-only on the base class; the JS subclass can still get its own.
    Object.defineProperty(router, "close", {
      configurable: true,
      writable: true,
      value: function (this: unknown) {
        close.call(this);
        if (!stopping) {
          stopping = true;
          action();
        }
      },
    });
  } catch {
    // Not tslab's ZeroMQ: nothing to hook; the kernel then exits when Jupyter kills it.
  }
}
