/**
 * Patches on another library, kept in this one place. Checked against tslab 1.0.22 (its last release) with
 * zeromq 6.8.0; each is inert anywhere else (no tslab, or a tslab without the part it wraps). Re-check on a
 * tslab or zeromq upgrade (test/kernel/*.test.ts drive a real kernel).
 * - Shutdown: tslab has no shutdown hook. It shuts a kernel down by closing its ZeroMQ sockets and then waits
 *   for Node's event loop to empty, which an open MQTT socket or the built-in broker would prevent for ever
 *   (Jupyter then kills the kernel after 5 s). So we wrap the close() of its ZeroMQ Router sockets.
 * - Cells: tslab tells nobody when a cell starts or ends, and runs every cell's JavaScript under one name
 *   ("evalmachine.<anonymous>"). So we wrap its handler's handleExecuteImpl (the cell's code, its number, its
 *   output stream, whether it failed) and name each cell's script after its number, so that an error thrown by
 *   a student's callback can say which line of which cell threw it.
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

/** tslab's own require: the modules it loaded, not copies. */
function kernelRequire(): NodeJS.Require {
  return createRequire(require.main?.filename ?? __filename);
}

/** Runs `action` once, when the kernel first closes one of its ZeroMQ Router sockets (its shutdown). */
export function onTslabShutdown(action: () => void): void {
  try {
    const router = (kernelRequire()("zeromq") as { Router?: { prototype: { close?: () => void } } }).Router?.prototype;
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

/** What a cell watcher is told. */
export interface CellHooks {
  /** A cell starts: its number (as in "In [7]") and its TypeScript source. */
  started(count: number, code: string): void;
  /** The cell ended; `ok` is false when it failed to compile or threw. */
  ended(count: number, ok: boolean): void;
  /** Text the cell (or anything running after it) writes to "stdout" or "stderr"; returns the text to show. */
  output(stream: string, text: string): string;
  /** The JavaScript tslab made of the running cell; returns the name to run it under (it appears in stack traces). */
  script(code: string): string | undefined;
}

type WriteStream = (name: string, text: string) => void;
type Handler = { execCount: number; handleExecuteImpl(req: { code: string }, write: WriteStream, ...rest: unknown[]): Promise<unknown> };

/** Tells `hooks` about every cell the kernel runs from now on. Returns false when this is not tslab 1.0's kernel. */
export function watchCells(hooks: CellHooks): boolean {
  let handler: { prototype: Handler } | undefined;
  try {
    const main = require.main?.filename;
    if (!main) return false;
    // bin/tslab → dist/jupyter.js: the module instance tslab itself uses.
    const jupyter = kernelRequire()(path.join(path.dirname(main), "..", "dist", "jupyter.js")) as {
      JupyterHandlerImpl?: { prototype: Handler };
    };
    handler = jupyter.JupyterHandlerImpl;
  } catch {
    return false;
  }
  const original = handler?.prototype.handleExecuteImpl;
  if (!handler || typeof original !== "function") return false;
  handler.prototype.handleExecuteImpl = async function (this: Handler, req, write, ...rest) {
    const count = this.execCount + 1; // tslab counts the cell when it starts it
    hooks.started(count, req.code);
    let ok = false;
    try {
      const result = await original.call(this, req, (name, text) => write(name, hooks.output(name, text)), ...rest);
      ok = true;
      return result;
    } finally {
      hooks.ended(count, ok);
    }
  };
  const run = vm.runInThisContext;
  // tslab runs a cell's JavaScript with breakOnSigint; nothing else in the kernel does.
  vm.runInThisContext = function (code: string, options?: vm.RunningScriptOptions | string) {
    if (typeof options !== "object" || !options.breakOnSigint) return run.call(vm, code, options);
    const name = hooks.script(code);
    return run.call(vm, code, name ? { ...options, filename: name } : options);
  } as typeof vm.runInThisContext;
  return true;
}
