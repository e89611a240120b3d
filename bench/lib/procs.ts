/**
 * Child processes of the benchmark: every one is registered, speaks JSON lines on stdout (events) and
 * stdin (commands), and is killed at the end — also on an error or Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

/** The repository root. */
export const ROOT = resolve(__dirname, "../..");
/** Debian's Python, which has numpy, paho-mqtt and matplotlib (a pyenv python3 on PATH may not). */
export const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";

export type Event = { event: string; [key: string]: unknown };

const live = new Set<Child>();
let profiled = 0;

/** One child process with a JSON-lines protocol. */
export class Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  private readonly events: Event[] = [];
  private readonly waiters = new Set<() => void>();
  private stderrTail = "";
  exitCode: number | null = null;
  /** Processes this child started that must end with it (e.g. Mosquitto under its sh wrapper). */
  readonly alsoKill: number[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    /** A file to append the child's other stdout lines to (e.g. node --trace-gc output). */
    stdoutLog?: string,
  ) {
    this.proc = spawn(command, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    if (this.proc.pid === undefined) throw new Error(`cannot start ${name}: ${command}`);
    this.pid = this.proc.pid;
    live.add(this);
    this.proc.stdin!.on("error", () => {}); // the child may be gone already
    createInterface({ input: this.proc.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) {
        if (stdoutLog) appendFileSync(stdoutLog, line + "\n");
        return;
      }
      try {
        this.events.push(JSON.parse(line) as Event);
      } catch {
        return;
      }
      for (const wake of [...this.waiters]) wake();
    });
    this.proc.stderr!.on("data", (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
    });
    this.exited = new Promise((resolveExit) =>
      this.proc.once("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        live.delete(this);
        for (const wake of [...this.waiters]) wake();
        resolveExit(this.exitCode);
      }),
    );
  }

  /** What the child wrote on stderr lately. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Sends one command line. */
  send(command: Record<string, unknown>): void {
    if (this.exitCode === null && this.proc.stdin!.writable) this.proc.stdin!.write(JSON.stringify(command) + "\n");
  }

  /** Waits for the next (not yet taken) event of that name; rejects on exit or after the time limit. */
  next<T extends Event = Event>(event: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolveNext, reject) => {
      const check = () => {
        const index = this.events.findIndex((e) => e.event === event);
        if (index >= 0) {
          finish();
          resolveNext(this.events.splice(index, 1)[0] as T);
        } else if (this.exitCode !== null || this.proc.exitCode !== null || this.proc.signalCode !== null) {
          finish();
          reject(new Error(`${this.name} exited (${this.exitCode}) before "${event}":\n${this.stderrTail.trim()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no "${event}" within ${timeoutMs} ms\n${this.stderrTail.trim()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** All events of that name received so far (taken out). */
  take(event: string): Event[] {
    const out = this.events.filter((e) => e.event === event);
    for (const e of out) this.events.splice(this.events.indexOf(e), 1);
    return out;
  }

  /** Stops the child: SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 3000): Promise<void> {
    for (const pid of this.alsoKill) kill(pid, "SIGTERM");
    if (this.exitCode !== null) return;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface NodeChildOptions {
  /** Write a V8 CPU profile (node --cpu-prof) into this directory. */
  cpuProfDir?: string;
  env?: NodeJS.ProcessEnv;
  stdoutLog?: string;
  /** Extra node flags, e.g. ["--trace-gc"]. */
  nodeArgs?: string[];
}

/**
 * Where bench/run.ts compiled src/ and bench/ (tsc), e.g. out/bench/build; unset: run the TypeScript
 * through tsx.
 */
export const BUILD_ENV = "BENCH_BUILD";

/**
 * The environment the project runs its own Node processes in: the kernel's (its kernelspec's `env`), which
 * `npm run feed`, `listen` and `classroom` set too (glibc keeps freed 704 KB payloads for the next ones instead of
 * handing them back to the system and faulting fresh pages in for every pulse). BENCH_PLAIN_ENV=1: without it,
 * to see the difference. Python runs as the original did, in the plain environment.
 */
export function projectEnv(): NodeJS.ProcessEnv {
  if (process.env.BENCH_PLAIN_ENV === "1") return {};
  const spec = JSON.parse(readFileSync(join(ROOT, "jupyter", "kernels", "learning-mqtt", "kernel.json"), "utf8")) as {
    env?: NodeJS.ProcessEnv;
  };
  return spec.env ?? {};
}

/** Runs a file of bench/ in its own Node process: compiled (plain node) when there is a build, else through tsx. */
export function nodeChild(name: string, file: string, args: string[], options: NodeChildOptions = {}): Child {
  // One directory per child (the tsx loader's worker thread writes a profile of its own next to the main one).
  const prof = options.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", join(options.cpuProfDir, `${name}-${++profiled}`)] : [];
  const build = process.env[BUILD_ENV];
  const script = build ? join(build, "bench", file.replace(/\.ts$/, ".js")) : join(ROOT, "bench", file);
  const loader = build ? [] : ["--import", "tsx"];
  return new Child(
    name,
    process.execPath,
    [...loader, ...(options.nodeArgs ?? []), ...prof, script, ...args],
    { ...projectEnv(), ...options.env },
    options.stdoutLog,
  );
}

/** Runs a script of bench/python/ with Debian's Python. */
export function pythonChild(name: string, file: string, args: string[]): Child {
  return new Child(name, PYTHON, ["-u", "-B", join(ROOT, "bench", "python", file), ...args]); // -B: no __pycache__ in the tree
}

/** Stops every child still running (the brokers too, as they are children). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop()));
}

/** Last resort when the orchestrator itself exits: kill what is left, synchronously. */
export function killAllNow(): void {
  for (const child of live) {
    for (const pid of child.alsoKill) kill(pid, "SIGKILL");
    child.proc.kill("SIGKILL");
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime (14) + stime (15)
}

export type CpuSnapshot = Map<number, { comm: string; ppid: number; cpu: number }> & { busySeconds?: number };

/** CPU seconds of every process on the machine, with its name and parent. */
export function cpuSnapshot(): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  // The whole machine: user + nice + system + irq + softirq + steal, over all cores.
  const total = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  out.busySeconds = [0, 1, 2, 5, 6, 7].reduce((s, i) => s + (total[i] ?? 0), 0) / TICKS_PER_SECOND;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(entry), { comm, ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Resident memory of a process in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
