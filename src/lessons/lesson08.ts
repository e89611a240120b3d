/**
 * The exercises of lesson 8 (plotting): read the figures, then name a monitor. Each check compares the
 * answer with the analysis of the same pulse the student plotted, and says correct / not quite (and why) /
 * not tried yet, like the checks of lessons 1–7.
 */
import { analysePulse, type PulseAnalysis } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { exercise, Verdict } from "./exercise";
import { BLM_COUNT, CHANNELS, INTENSITY_ROW } from "../beam/layout";
import { show } from "./feedback";

/** What the student wrote, as a channel name; or the reason it is not one. */
function asName(answer: unknown): { name: string; note?: string } | { why: string } {
  if (typeof answer === "number" && Number.isInteger(answer) && answer >= 0 && answer < CHANNELS.length) {
    return { why: `${answer} is a row number. Write the monitor's name in quotes instead: row ${answer} is "${CHANNELS[answer]}".` };
  }
  if (typeof answer !== "string") return { why: `write the monitor's name in quotes, like "R3BLM2" (you gave ${show(answer)}).` };
  const name = answer.trim().toUpperCase();
  if (!CHANNELS.includes(name)) {
    const hint = /^R0BLM2$/.test(name) ? " Superperiod R0 has no BLM2." : "";
    return {
      why: `there is no monitor called ${show(answer)}. Names look like "R1BLM3": R and the superperiod (0–9), BLM and its number (1–4).${hint}`,
    };
  }
  return name === answer ? { name } : { name, note: ` (names are written in capitals: "${name}")` };
}

/** Monitors that were alive, hottest first. */
function ranking(analysis: PulseAnalysis): string[] {
  return CHANNELS.slice(0, BLM_COUNT)
    .map((name, row) => ({ name, loss: analysis.lossIntegralVms[row]! }))
    .filter((m) => Number.isFinite(m.loss))
    .sort((a, b) => b.loss - a.loss)
    .map((m) => m.name);
}

export const lesson08 = {
  hottestMonitor: exercise<[unknown, Pulse]>({
    task: 'Which beam-loss monitor lost the most beam in this pulse? Write its name in quotes, e.g. "R3BLM2", and check it with check(name, pulse).',
    check: (answer, pulse) => {
      const given = asName(answer);
      if ("why" in given) return given.why;
      const analysis = analysePulse(pulse);
      const { name } = given;
      const loss = (n: string) => analysis.lossIntegralVms[CHANNELS.indexOf(n)]!;
      if (name === analysis.hottestBlm) {
        return new Verdict(
          "correct",
          `${name} lost ${loss(name).toFixed(3)} V·ms, more than any other monitor${given.note ?? ""}: the tallest bar, and the highest line in the top panel.`,
        );
      }
      if (CHANNELS.indexOf(name) === INTENSITY_ROW)
        return "R5IM is the intensity monitor: it counts the protons still in the ring. Which beam-loss monitor (a BLM) saw the most loss?";
      if (analysis.deadChannels.includes(name))
        return `${name} is the dead channel (the grey dashed line): it reads the same voltage all the time, so it measures nothing at all.`;
      const order = ranking(analysis);
      const place = order.indexOf(name) + 1;
      const hottest = analysis.hottestBlm;
      if (place === 2) return `close: ${name} is the second hottest (${loss(name).toFixed(3)} V·ms). One bar is taller still.`;
      if (name.slice(0, 2) === hottest.slice(0, 2))
        return `right superperiod (${name.slice(0, 2)}), wrong monitor: ${name} lost ${loss(name).toFixed(3)} V·ms. Look for the tallest bar.`;
      return `${name} lost only ${loss(name).toFixed(3)} V·ms (number ${place} of ${order.length}). Look for the tallest bar in the loss chart, or the highest line in the top panel.`;
    },
    hints: [
      "The loss bar chart has one bar per monitor: the taller the bar, the more beam was lost near that monitor.",
      "The hottest bar is drawn in red, with its name written above it. In the interactive plot, hover over the highest line to see its name.",
      'Write the name as text, in quotes: for example const hottest = "R4BLM2";',
    ],
    solution:
      'const hottest = analysePulse(pulse).hottestBlm; // usually "R1BLM3": superperiod 1 has the collimators that catch lost protons',
  }),

  deadMonitor: exercise<[unknown, Pulse]>({
    task: "One monitor is broken: it reads the same voltage all the time. Which one? Check it with check(name, pulse).",
    check: (answer, pulse) => {
      const given = asName(answer);
      if ("why" in given) return given.why;
      const analysis = analysePulse(pulse);
      const { name } = given;
      if (analysis.deadChannels.length === 0)
        return new Verdict("correct", "this pulse has no dead channel at all, so any answer is as good as another!");
      if (analysis.deadChannels.includes(name)) {
        return new Verdict(
          "correct",
          `${name} reads ${pulse.channel(name)[0]!.toFixed(4)} V in every sample: a broken channel${given.note ?? ""}. Real machines have faulty instruments too.`,
        );
      }
      if (CHANNELS.indexOf(name) === INTENSITY_ROW)
        return "R5IM is alive: it is the intensity, in the bottom panel. Look for the grey dashed line in the top one.";
      const row = pulse.channel(name);
      return `${name} is alive: its readings change (from ${Math.min(...row).toFixed(3)} V to ${Math.max(...row).toFixed(3)} V). Look for the grey dashed line, or the grey bar marked "dead".`;
    },
    hints: [
      "The pulse plot draws a dead channel as a grey dashed line, and names it in the legend.",
      'The bar chart marks it with a grey bar and the word "dead".',
    ],
    solution: 'const broken = analysePulse(pulse).deadChannels[0]; // "R0BLM1": stuck at −4.9994 V, as on the real machine',
  }),
};
