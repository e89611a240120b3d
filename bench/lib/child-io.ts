/** The child side of the protocol: events out as JSON lines, commands in as JSON lines. */
import { createInterface } from "node:readline";

export function emit(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

/**
 * Calls the handler for every command line. The child ends by itself when its parent goes away (stdin
 * closes) or after `maxSeconds`, so that no benchmark process outlives the run.
 */
export function onCommands(
  handler: (command: { cmd: string; [key: string]: unknown }) => void | Promise<void>,
  maxSeconds: number,
  onEnd: () => Promise<void> | void,
): void {
  let ending = false;
  const end = async (why: string) => {
    if (ending) return;
    ending = true;
    if (why !== "exit") process.stderr.write(`${why}\n`);
    try {
      await Promise.race([onEnd(), new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      process.exit(0);
    }
  };
  createInterface({ input: process.stdin })
    .on("line", (line) => {
      if (!line.trim()) return;
      const command = JSON.parse(line) as { cmd: string };
      if (command.cmd === "exit") void end("exit");
      else Promise.resolve(handler(command)).catch((error: unknown) => emit("error", { message: String(error) }));
    })
    .on("close", () => void end("stdin closed: parent gone"));
  setTimeout(() => void end(`time limit of ${maxSeconds} s reached`), maxSeconds * 1000).unref();
  process.on("SIGTERM", () => void end("exit"));
}

/** Memory of this process in MB. */
export function memoryMb(): Record<string, number> {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 1048576) * 100) / 100;
  return {
    rss: mb(m.rss),
    heapUsed: mb(m.heapUsed),
    heapTotal: mb(m.heapTotal),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
  };
}

/** CPU seconds of this process so far. */
export function cpuSecondsSelf(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Monotonic clock in ns (CLOCK_MONOTONIC on Linux, the same clock as Python's time.monotonic_ns()). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}
