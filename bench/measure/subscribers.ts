/** Starting the two subscribers (TypeScript and the Python baseline) and the shared publisher. */
import type { Context } from "../lib/context";
import { join } from "node:path";
import { nodeChild, pythonChild, ROOT, type Child, type Event } from "../lib/procs";

export type Side = "ts" | "py";
export const SIDE_NAME: Record<Side, string> = { ts: "TypeScript", py: "Python" };

export interface SubscriberResult extends Event {
  received: number;
  analysed: number;
  rejected: number;
  copied: number;
  checksum: number;
  firstNs: number;
  lastNs: number;
  memory: Record<string, number>;
  times?: number[];
  prints?: string[];
}

export async function startSubscriber(ctx: Context, side: Side, url: string, args: string[], topic = "bench/pulses"): Promise<Child> {
  const all = ["--url", url, "--topic", topic, ...args];
  // For experiments on the TypeScript subscriber alone, e.g. BENCH_SUBSCRIBER_NODE_ARGS=--trace-gc: node flags for
  // that process only; what it prints besides the protocol goes to out/bench/subscriber-stdout.log.
  const nodeArgs = process.env.BENCH_SUBSCRIBER_NODE_ARGS?.split(/\s+/).filter(Boolean);
  const child =
    side === "ts"
      ? nodeChild("subscriber-ts", "children/subscriber.ts", all, {
          cpuProfDir: ctx.profileDir,
          nodeArgs,
          stdoutLog: nodeArgs?.length ? join(ROOT, "out", "bench", "subscriber-stdout.log") : undefined,
        })
      : pythonChild("subscriber-py", "subscriber.py", all);
  try {
    await child.next("ready", 30_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}

/** The result of a subscriber: asks it to stop if it has not finished by itself within `waitMs`. */
export async function subscriberResult(child: Child, waitMs: number): Promise<SubscriberResult> {
  try {
    return await child.next<SubscriberResult>("result", waitMs);
  } catch {
    child.send({ cmd: "stop" });
    return await child.next<SubscriberResult>("result", 15_000);
  }
}

export async function endChild(child: Child): Promise<void> {
  child.send({ cmd: "exit" });
  await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000))]);
  await child.stop();
}

export async function startPublisher(ctx: Context, url: string, args: string[]): Promise<{ child: Child; fingerprints: string[] }> {
  const child = nodeChild("publisher", "children/publisher.ts", ["--url", url, ...args], { cpuProfDir: ctx.profileDir });
  try {
    const ready = await child.next("ready", 60_000);
    return { child, fingerprints: ready.fingerprints as string[] };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
