/**
 * npm run bench:feed — what the feed's topic tree costs it per pulse: making a pulse (simulate + encode, the
 * baseline, as before the tree) against making it and its summary (analysePulse + summarise + JSON), in the same
 * run, alternating rounds, CPU time of this process. Prints the medians and their ratio.
 *   npm run bench:feed -- --pulses 200 --rounds 7
 */
import { parseArgs } from "node:util";
import { analysePulse } from "../src/beam/analysis";
import { encodePulse, pulseFromSamples } from "../src/beam/decode";
import { BeamSimulator } from "../src/beam/simulator";
import { numberFrom } from "../src/cli/run";
import { summarise } from "../src/feed/topics";
import { median } from "./lib/stats";

const { values } = parseArgs({ options: { pulses: { type: "string" }, rounds: { type: "string" } } });
const pulses = numberFrom("pulses", values.pulses, 200, (n) => Number.isInteger(n) && n > 0);
const rounds = numberFrom("rounds", values.rounds, 7, (n) => Number.isInteger(n) && n > 0);

/** CPU milliseconds per pulse of `work`, over `pulses` pulses. */
function perPulse(work: (simulator: BeamSimulator, seq: number) => unknown): number {
  const simulator = new BeamSimulator({ seed: 1 });
  const start = process.cpuUsage();
  let sink = 0;
  for (let i = 1; i <= pulses; i++) sink += Number(Boolean(work(simulator, i)));
  const used = process.cpuUsage(start);
  if (sink !== pulses) throw new Error("the work was optimised away");
  return (used.user + used.system) / 1000 / pulses;
}

const pulseOnly = (simulator: BeamSimulator) => encodePulse(simulator.nextPulse());
const withSummary = (simulator: BeamSimulator, seq: number) => {
  const samples = simulator.nextPulse();
  const bytes = encodePulse(samples);
  const summary = summarise(analysePulse(pulseFromSamples(samples)), { seq, time: new Date(), scenario: "nominal" });
  return bytes.byteLength + JSON.stringify(summary).length;
};

perPulse(pulseOnly); // warm up both paths before measuring
perPulse(withSummary);
const base: number[] = [];
const tree: number[] = [];
for (let r = 0; r < rounds; r++) {
  base.push(perPulse(pulseOnly));
  tree.push(perPulse(withSummary));
}
const b = median(base);
const t = median(tree);
console.log(`pulse only (baseline):     ${b.toFixed(2)} ms CPU per pulse (median of ${rounds} rounds of ${pulses})`);
console.log(`pulse + summary (the tree): ${t.toFixed(2)} ms CPU per pulse`);
console.log(`ratio: ${(t / b).toFixed(2)} × the baseline; at 50 Hz the summary adds ${(((t - b) * 50) / 10).toFixed(1)} % of one core`);
