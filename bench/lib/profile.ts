/**
 * Summaries of V8 CPU profiles (node --cpu-prof): the top frames by self time.
 * Standalone: node --import tsx bench/lib/profile.ts FILE_OR_DIR [TOP]
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || "(anonymous)";
  if (!url) return name;
  const file = url.replace(/^file:\/\//, "");
  const short = file.includes("node_modules/")
    ? file.slice(file.lastIndexOf("node_modules/") + 13)
    : relative(process.cwd(), file) || basename(file);
  return `${name} ${short}:${lineNumber + 1}`;
}

/** Self time per frame, top `top`, as lines "  12.3 %  34.5 ms  name file:line"; also the busy total. */
export function summariseProfile(file: string, top = 12): string {
  return summarise(file, top)?.text ?? `${basename(file)}: no samples`;
}

function summarise(file: string, top: number): { text: string; busyUs: number } | undefined {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  }
  const idle = self.get("(idle)") ?? 0;
  const busy = total - idle;
  const lines = [...self.entries()]
    .filter(([name]) => name !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  if (total === 0) return undefined;
  const text = `${relative(process.cwd(), file)}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)} %); self time of the top frames, % of busy:\n${lines.join("\n")}`;
  return { text, busyUs: busy };
}

/** Summaries of every profile under a directory that was busy for at least `minBusyS` seconds. */
export function summariseProfiles(dir: string, top = 12, minBusyS = 0.5): string {
  if (!existsSync(dir)) return "";
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".cpuprofile")).sort();
  return files
    .map((f) => summarise(join(dir, f), top))
    .filter((s) => s && s.busyUs >= minBusyS * 1e6)
    .map((s) => s!.text)
    .join("\n\n");
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: node --import tsx bench/lib/profile.ts FILE_OR_DIR [TOP]");
    process.exit(2);
  }
  const top = Number(process.argv[3] ?? 12);
  console.log(statSync(target).isDirectory() ? summariseProfiles(target, top) : summariseProfile(target, top));
}
