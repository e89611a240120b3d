/**
 * npm run bench — the TypeScript lessons' stack against the Python original (paho-mqtt + numpy + matplotlib):
 * decode, ingest (flooded and paced at 50 Hz), latency at 50 Hz, one notebook-like process (the built-in feed and
 * its subscriber, and the live view), plotting, memory, and a classroom of 30 subscribers. Starts its own
 * brokers on 127.0.0.1 (the embedded aedes one and a Mosquitto on a free port), runs TypeScript and Python
 * alternately in the same run, prints a table and writes out/bench/latest.json.
 *
 *   npm run bench                         full: 5 paired runs (latency: 2 of 30 s at 50 Hz), 10 min of memory
 *   npm run bench -- --quick              about two minutes
 *   npm run bench -- --only decode,ingest (decode, ingest, paced, latency, notebook, plots, memory, classroom)
 *   npm run bench -- --memory-minutes 10 --latency-seconds 30 --runs 5 --latency-runs 2 --profile
 *   --profile: V8 CPU profiles of the TypeScript children (node --cpu-prof), summarised at the end
 *   --source:  run src/ through tsx instead of compiling it first (slower; for working on the benchmark)
 */
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { numberFrom } from "../src/cli/run";
import { BROKERS, type BrokerName } from "./lib/brokers";
import type { Context } from "./lib/context";
import { summariseProfiles } from "./lib/profile";
import { build } from "./lib/build";
import { BUILD_ENV, cpuSnapshot, killAllNow, PYTHON, ROOT, stopAll, type CpuSnapshot } from "./lib/procs";
import { makePulses } from "./lib/pulses";
import { fmt, markdownTable, type Row } from "./lib/report";
import { measureClassroom } from "./measure/classroom";
import { measureDecode } from "./measure/decode";
import { measureIngest } from "./measure/ingest";
import { measureLatency } from "./measure/latency";
import { measureMemory } from "./measure/memory";
import { measureNotebook } from "./measure/notebook";
import { measurePaced } from "./measure/paced";
import { measurePlots } from "./measure/plotting";

const USAGE =
  "npm run bench -- [--quick] [--only decode,ingest,paced,latency,notebook,plots,memory,classroom] [--runs N] [--latency-runs N] [--memory-minutes M] " +
  "[--latency-seconds S] [--ingest-count N] [--class-seconds S] [--brokers aedes,mosquitto] [--profile] [--source] [--out FILE]";
const MEASUREMENTS = ["decode", "ingest", "paced", "latency", "notebook", "plots", "memory", "classroom"] as const;
type Measurement = (typeof MEASUREMENTS)[number];
const RUNNERS: Record<Measurement, (ctx: Context) => Promise<Row[]>> = {
  decode: measureDecode,
  ingest: measureIngest,
  paced: measurePaced,
  latency: measureLatency,
  notebook: measureNotebook,
  plots: measurePlots,
  memory: measureMemory,
  classroom: measureClassroom,
};

function flags() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      runs: { type: "string" },
      "latency-runs": { type: "string" },
      "memory-minutes": { type: "string" },
      "latency-seconds": { type: "string" },
      "ingest-count": { type: "string" },
      "class-seconds": { type: "string" },
      brokers: { type: "string" },
      profile: { type: "boolean" },
      source: { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = numberFrom; // throws a RangeError: main() reports it with the usage, after its clean-up
  const only = values.only?.split(",").map((s) => s.trim()) ?? [...MEASUREMENTS];
  for (const m of only)
    if (!MEASUREMENTS.includes(m as Measurement)) throw new RangeError(`invalid --only: ${m} (expected ${MEASUREMENTS.join(", ")})`);
  const quick = values.quick ?? false;
  const brokers = values.brokers?.split(",").map((s) => s.trim()) ?? [...BROKERS];
  for (const b of brokers)
    if (!BROKERS.includes(b as BrokerName)) throw new RangeError(`invalid --brokers: ${b} (expected ${BROKERS.join(", ")})`);
  return {
    quick,
    only: only as Measurement[],
    runs: number("runs", values.runs, quick ? 2 : 5, (n) => Number.isInteger(n) && n >= 1 && n <= 20),
    latencyRuns: number("latency-runs", values["latency-runs"], quick ? 1 : 2, (n) => Number.isInteger(n) && n >= 1 && n <= 10),
    memoryMinutes: number("memory-minutes", values["memory-minutes"], quick ? 1 / 3 : 10, (n) => n > 0 && n <= 120),
    latencySeconds: number("latency-seconds", values["latency-seconds"], quick ? 4 : 30, (n) => n > 0 && n <= 600),
    ingestCount: number("ingest-count", values["ingest-count"], quick ? 200 : 1000, (n) => Number.isInteger(n) && n >= 10 && n <= 5000),
    classSeconds: number("class-seconds", values["class-seconds"], quick ? 2 : 8, (n) => n > 0 && n <= 60),
    brokers: brokers as BrokerName[],
    profile: values.profile ?? false,
    source: values.source ?? false,
    out: values.out ?? join(ROOT, "out", "bench", "latest.json"),
  };
}

function sh(command: string): string {
  try {
    return execSync(command, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

function machine() {
  return {
    nproc: sh("nproc"),
    cpu: cpus()[0]?.model.trim() ?? "?",
    memoryGb: Math.round(Number(sh("awk '/MemTotal/ {print $2}' /proc/meminfo")) / 1048576),
    kernel: sh("uname -r"),
    node: process.version,
    python: sh(
      `${PYTHON} -c "import sys, numpy, matplotlib, paho.mqtt as p; print(sys.version.split()[0], 'numpy', numpy.__version__, 'matplotlib', matplotlib.__version__, 'paho-mqtt', p.__version__)"`,
    ),
    mosquitto: sh("/usr/sbin/mosquitto -h | head -1"),
    mqttjs: JSON.parse(readFileSync(join(ROOT, "node_modules/mqtt/package.json"), "utf8")).version as string,
    aedes: JSON.parse(readFileSync(join(ROOT, "node_modules/aedes/package.json"), "utf8")).version as string,
  };
}

/**
 * What else used the CPU between two snapshots: other processes (by name only — arguments can hold secrets)
 * with their share of one core, leaving out this run and its children.
 */
function othersBetween(before: CpuSnapshot, after: CpuSnapshot, seconds: number): string {
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of after) if (mine.has(p.ppid) && !mine.has(pid)) grew = mine.add(pid) !== undefined;
  }
  const used = [...after]
    .filter(([pid]) => !mine.has(pid))
    .map(([pid, p]) => ({ name: p.comm, percent: ((p.cpu - (before.get(pid)?.cpu ?? 0)) / seconds) * 100 }))
    .filter((u) => u.percent >= 3)
    .sort((a, b) => b.percent - a.percent);
  const machineBusy = (((after.busySeconds ?? 0) - (before.busySeconds ?? 0)) / seconds) * 100;
  const named = used.length
    ? used
        .slice(0, 4)
        .map((u) => `${u.name} ${u.percent.toFixed(0)} %`)
        .join(", ")
    : "none above 3 %";
  return `machine ${machineBusy.toFixed(0)} % busy in all; others: ${named}`;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

/** The run as Markdown, ready for docs/performance.md. */
function report(r: {
  command: string;
  started: string;
  seconds: number;
  machine: ReturnType<typeof machine>;
  loadAverage: Record<string, string>;
  otherProcesses: Record<string, string>;
  table: string;
  failures: string[];
  profiles?: string;
}): string {
  const m = r.machine;
  return [
    `Command: \`${r.command}\` — started ${r.started}, took ${Math.round(r.seconds / 60)} min.`,
    "",
    `Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGb} GB, Linux ${m.kernel}; Node ${m.node}; Python ${m.python}; ` +
      `${m.mosquitto}; mqtt.js ${m.mqttjs}, aedes ${m.aedes}.`,
    "",
    `Load average (1, 5, 15 min): ${Object.entries(r.loadAverage)
      .map(([k, v]) => `${k} ${v}`)
      .join("; ")}.`,
    "",
    `CPU during each measurement (from /proc; 100 % = one core, ${m.nproc} cores; "others" are processes not started by this run that lived through it): ${Object.entries(
      r.otherProcesses,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ")}.`,
    "",
    r.table,
    "",
    ...(r.failures.length ? [`Failed: ${r.failures.join("; ")}`, ""] : []),
    ...(r.profiles ? ["CPU profiles (self time):", "", "```", r.profiles, "```", ""] : []),
  ].join("\n");
}

async function main() {
  const options = flags();
  const outDir = join(ROOT, "out", "bench");
  const t0 = Date.now();
  const ctx0log = (message: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}`);
  const profileDir = options.profile ? join(outDir, "profiles", new Date().toISOString().replace(/[:.]/g, "-")) : undefined;
  mkdirSync(profileDir ?? outDir, { recursive: true });
  if (options.source) delete process.env[BUILD_ENV];
  else {
    ctx0log("compiling src/ and bench/ into out/bench/build (tsc)");
    process.env[BUILD_ENV] = build(outDir, ctx0log);
  }
  const pulseFile = join(outDir, "pulse.f64");
  writeFileSync(pulseFile, makePulses(1)[0]!);
  const started = new Date(t0);
  const ctx: Context = {
    quick: options.quick,
    runs: options.runs,
    latencyRuns: options.latencyRuns,
    outDir,
    pulseFile,
    profileDir,
    latencySeconds: options.latencySeconds,
    memoryMinutes: options.memoryMinutes,
    ingestCount: options.ingestCount,
    classSeconds: options.classSeconds,
    brokers: options.brokers,
    log: ctx0log,
  };
  const info = machine();
  ctx.log(`machine: ${info.nproc} cores, ${info.cpu}; Node ${info.node}; Python ${info.python}; load ${load()}`);
  const rows: Row[] = [];
  const failures: string[] = [];
  const loads: Record<string, string> = { start: load() };
  const others: Record<string, string> = {};
  let snapshot = cpuSnapshot();
  let snapshotAt = Date.now();
  for (const m of options.only) {
    try {
      rows.push(...(await RUNNERS[m](ctx)));
    } catch (error) {
      const message = `${m}: ${error instanceof Error ? error.message : String(error)}`;
      failures.push(message);
      ctx.log(`FAILED ${message}`);
      await stopAll();
    }
    loads[`after ${m}`] = load();
    const now = cpuSnapshot();
    others[m] = othersBetween(snapshot, now, (Date.now() - snapshotAt) / 1000);
    snapshot = now;
    snapshotAt = Date.now();
  }
  await stopAll();

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const table = markdownTable(rows);
  const goals = rows.filter((r) => r.met !== undefined);
  console.log(`\n${table}\n`);
  console.log(
    `goals met: ${goals.filter((r) => r.met).length} of ${goals.length}; load average ${Object.entries(loads)
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ")}`,
  );
  if (failures.length) console.log(`failed: ${failures.join("; ")}`);
  const profiles = profileDir ? summariseProfiles(profileDir) : undefined;
  if (profiles) console.log(`\nCPU profiles (${profileDir}):\n${profiles}`);
  const result = {
    command,
    started: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    machine: info,
    loadAverage: loads,
    otherProcesses: others,
    settings: { ...options, out: undefined },
    rows,
    failures,
    table,
    profiles,
  };
  mkdirSync(join(options.out, ".."), { recursive: true });
  writeFileSync(options.out, JSON.stringify(result, null, 1));
  const markdown = options.out.replace(/\.json$/, "") + ".md";
  writeFileSync(markdown, report(result));
  console.log(`\nwritten: ${options.out} and ${markdown} (${fmt(result.seconds)} s)`);
  process.exitCode = failures.length ? 1 : 0;
}

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping the brokers and children`);
    void stopAll().finally(() => process.exit(130));
  });
}
main().catch(async (error: unknown) => {
  console.error(
    `bench: ${error instanceof Error ? (error instanceof RangeError ? `${error.message}\nusage: ${USAGE}` : error.stack) : String(error)}`,
  );
  await stopAll();
  process.exit(1);
});
