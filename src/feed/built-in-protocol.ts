/**
 * What the notebook's thread (built-in.ts) and the built-in feed's own thread (built-in-worker.ts) say to each
 * other: the options the feed starts with, the commands the notebook sends, and the answers.
 */
import type { Scenario } from "../beam/simulator";

export interface BuiltInFeedOptions {
  /** Pulses per second: 1 (default, like the course feed) or 50 (the machine). */
  rate?: number;
  scenario?: Scenario;
  seed?: number;
  topic?: string;
}

/** What built-in.ts starts the thread with. */
export interface WorkerInput {
  options: BuiltInFeedOptions;
  state: SharedArrayBuffer;
}

/** What built-in.ts asks of the thread. */
export type WorkerCommand = { type: "stop" } | { type: "stopFeed" } | { type: "setScenario"; scenario: Scenario };

/** What the thread answers. */
export type WorkerMessage =
  | { type: "ready"; url: string; host: string; port: number }
  | { type: "failed"; message: string }
  | { type: "feedStopped" }
  | { type: "stopped" };
