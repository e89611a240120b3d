import type { BrokerName } from "./brokers";

/** What every measurement is given by bench/run.ts. */
export interface Context {
  quick: boolean;
  /** Repeats of each paired (TypeScript, Python) run, alternating which goes first. */
  runs: number;
  /** Repeats of each latency run (each is latencySeconds long). */
  latencyRuns: number;
  /** Where results, pulse files and profiles go (out/bench). */
  outDir: string;
  /** One simulated pulse, 704,000 bytes, for the decode and plotting benchmarks. */
  pulseFile: string;
  /** When set, TypeScript children write V8 CPU profiles here (node --cpu-prof). */
  profileDir?: string;
  latencySeconds: number;
  memoryMinutes: number;
  /** Pulses per ingest run. */
  ingestCount: number;
  /** Seconds per rate step in the classroom. */
  classSeconds: number;
  /** The brokers to measure through (both by default). */
  brokers: readonly BrokerName[];
  log(message: string): void;
}

/** TypeScript first in even runs, Python first in odd ones: neither always gets the quieter moment. */
export function order<T>(run: number, ts: T, py: T): [T, T] {
  return run % 2 === 0 ? [ts, py] : [py, ts];
}
