/** The two brokers of the benchmark, each in its own process on 127.0.0.1 and a free port. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MOSQUITTO, freePort, waitForPort } from "../../test/helpers/mosquitto";
import { Child, nodeChild, ROOT } from "./procs";

export type BrokerName = "aedes" | "mosquitto";
export const BROKERS: readonly BrokerName[] = ["aedes", "mosquitto"];

export interface RunningBroker {
  readonly name: BrokerName;
  readonly url: string;
  /** The process whose CPU is the broker's (for aedes: the Node process it runs in). */
  readonly pid: number;
  /** The controlling child: for aedes, also runs the feed in-process on request (like `npm run feed`). */
  readonly child: Child;
  close(): Promise<void>;
}

/** Mosquitto as installed by Debian, with the config the tests use (anonymous, no persistence). */
export async function startMosquitto(): Promise<RunningBroker> {
  if (!MOSQUITTO) throw new Error("mosquitto is not installed: apt-get install mosquitto (.ci/run does this)");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "bench-mosquitto-"));
  const config = join(dir, "mosquitto.conf");
  writeFileSync(config, `per_listener_settings true\npersistence false\nlistener ${port} 127.0.0.1\nallow_anonymous true\n`);
  // A small sh wrapper that ends Mosquitto when its stdin closes: if this benchmark dies, so does the broker.
  const script = `"$0" -c "$1" & p=$!; trap 'kill $p 2>/dev/null; exit 0' INT TERM HUP; echo "{\\"event\\":\\"started\\",\\"pid\\":$p}"; read _ignored; kill $p 2>/dev/null; wait $p`;
  const child = new Child("mosquitto", "/bin/sh", ["-c", script, MOSQUITTO, config]);
  void child.exited.then(() => rmSync(dir, { recursive: true, force: true })); // also after Ctrl-C
  let pid = 0;
  try {
    pid = Number((await child.next("started", 5000)).pid);
    child.alsoKill.push(pid);
    await Promise.race([
      waitForPort(port, 5000),
      child.exited.then((code) => Promise.reject(new Error(`mosquitto exited with ${code}: ${child.stderr}`))),
    ]);
  } catch (error) {
    if (pid) process.kill(pid, "SIGKILL");
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: "mosquitto",
    url: `mqtt://127.0.0.1:${port}`,
    pid,
    child,
    async close() {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000))]);
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The embedded broker (aedes, startBroker()) in a Node process of its own: bench/children/feeder.ts. */
export async function startAedes(cpuProfDir?: string): Promise<RunningBroker> {
  // For experiments on the broker's process alone, e.g. BENCH_AEDES_NODE_ARGS="--trace-gc --max-semi-space-size=64":
  // node flags for that process only; what it prints besides the protocol goes to out/bench/aedes-stdout.log.
  const nodeArgs = process.env.BENCH_AEDES_NODE_ARGS?.split(/\s+/).filter(Boolean);
  const child = nodeChild("aedes", "children/feeder.ts", ["--broker"], {
    cpuProfDir,
    nodeArgs,
    stdoutLog: nodeArgs?.length ? join(ROOT, "out", "bench", "aedes-stdout.log") : undefined,
  });
  const ready = await child.next("ready", 20_000);
  return {
    name: "aedes",
    url: String(ready.url),
    pid: child.pid,
    child,
    async close() {
      child.send({ cmd: "exit" });
      await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000))]);
      await child.stop();
    },
  };
}

export function startBrokerByName(name: BrokerName, cpuProfDir?: string): Promise<RunningBroker> {
  return name === "aedes" ? startAedes(cpuProfDir) : startMosquitto();
}
