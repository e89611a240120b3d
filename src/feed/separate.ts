import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Scenario } from "../beam/simulator";
import { whenKernelShutsDown } from "../kernel/session";

/** The simulated machine running as a separate program (see {@link startSeparateFeed}). */
export interface SeparateFeed {
  /** Its broker, e.g. mqtt://127.0.0.1:40123: pass it to liveView({ url }). */
  readonly url: string;
  /** The program's process id. */
  readonly pid: number;
  /** Ends the program (safe to call twice). */
  stop(): Promise<void>;
}

/** Options of {@link startSeparateFeed}. */
export interface SeparateFeedOptions {
  /** Pulses per second (default 50, the machine's rate). */
  rate?: number;
  scenario?: Scenario;
  seed?: number;
  topic?: string;
}

let separate: SeparateFeed | undefined;

/**
 * Starts the built-in feed (its broker and the simulated ISIS) as a separate program, `npm run feed`, instead
 * of inside the notebook. Like the real machine, it keeps sending while a cell keeps the notebook busy: the
 * pulses wait in the network, and a live view shows how it deals with them afterwards. Starting another one
 * stops the previous one; so do stop() and shutting the kernel down.
 * @example
 * const machine = await startSeparateFeed({ rate: 50 });
 * const view = liveView({ url: machine.url, seconds: 10 });
 */
export async function startSeparateFeed(options: SeparateFeedOptions = {}): Promise<SeparateFeed> {
  await separate?.stop();
  const rate = options.rate ?? 50;
  // The compiled CLI next to this file (dist/cli/feed.js); from the sources (tests), through tsx.
  const compiled = path.join(__dirname, "..", "cli", "feed.js");
  const args = existsSync(compiled) ? [compiled] : ["--import", "tsx", path.join(__dirname, "..", "cli", "feed.ts")];
  args.push("--rate", String(rate), "--port", "0", "--host", "127.0.0.1");
  if (options.scenario) args.push("--scenario", options.scenario);
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  if (options.topic) args.push("--topic", options.topic);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MQTT_URL: "" } });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`the separate feed did not start: ${why}${stderr ? `: ${stderr.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail("no broker after 20 s"), 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /broker ready: (\S+)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    child.once("exit", (code) => fail(`it exited with code ${code}`));
    child.once("error", (error) => fail(error.message));
  }).catch(async (error: unknown) => {
    await exited;
    process.removeListener("exit", killOnExit);
    throw error;
  });
  child.stdout.resume(); // keep reading its status lines, so that it never blocks on a full pipe

  let stopping: Promise<void> | undefined;
  const feed: SeparateFeed = {
    url,
    pid: child.pid!,
    stop() {
      stopping ??= (async () => {
        if (separate === feed) separate = undefined;
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const force = setTimeout(() => child.kill("SIGKILL"), 3000);
          await exited;
          clearTimeout(force);
        }
        process.removeListener("exit", killOnExit);
        child.stdout.destroy();
        child.stderr.destroy();
      })();
      return stopping;
    },
  };
  separate = feed;
  whenKernelShutsDown(() => feed.stop());
  return feed;
}
