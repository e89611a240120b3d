/** The exercises of lesson 15 (the capstone, a beam-loss alarm): `lesson15.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { analysePulse } from "../beam/analysis";
import { pulseFromSamples } from "../beam/decode";
import { BeamSimulator, type Scenario } from "../beam/simulator";
import { summaryLine } from "../feed/lines";
import { summarise, type PulseSummary } from "../feed/topics";
import { messageOf } from "../errors";
import { exercise, isBlank, Verdict } from "./exercise";
import { choose, show } from "./feedback";

/** Pulses of each scenario the alarm is graded on (made once, on the first check: ≈ 0.15 s). */
const GRADED_PULSES = 20;
/** A summary, and whether a good alarm raises one for it. */
type Case = { summary: PulseSummary; alarm: boolean; note?: string };
let graded: Case[] | undefined;

/**
 * Summaries of simulated pulses, as the feed would publish them: 20 nominal, 20 from a bad night, one nominal whose
 * intensity monitor gave no reading, and one where a monitor saw heavy loss although most of the beam survived.
 */
function gradedCases(): Case[] {
  if (graded) return graded;
  const make = (scenario: Scenario, seed: number) => {
    const simulator = new BeamSimulator({ scenario, seed });
    return Array.from({ length: GRADED_PULSES }, (_, i) =>
      summarise(analysePulse(pulseFromSamples(simulator.nextPulse())), { seq: i + 1, time: new Date(), scenario }),
    );
  };
  const nominal = make("nominal", 15);
  const blind: PulseSummary = { ...nominal[0]!, seq: 21, intensityPeakV: null, survival: null };
  const burst: PulseSummary = { ...nominal[1]!, seq: 22, hottestBlmIntegralVms: 1.8 };
  graded = [
    ...nominal.map((summary) => ({ summary, alarm: false })),
    { summary: blind, alarm: false, note: "its survival is unknown (null): no reading is no reason to wake the control room" },
    {
      summary: burst,
      alarm: true,
      note: "most of the beam survived, but R1BLM3 saw 1.8 V·ms: loss that high damages the machine all the same",
    },
    ...make("bad-night", 15).map((summary) => ({ summary, alarm: true })),
  ];
  return graded;
}

export const lesson15 = {
  alarm: exercise<[unknown]>({
    task: "Write alarmReason(summary): a reason (text) when the beam is in trouble — survival too low OR loss too high — and undefined when all is well.",
    check: (fn) => {
      if (typeof fn !== "function") return `pass the function itself: check(alarmReason), without brackets (you gave ${show(fn)}).`;
      for (const { summary, alarm, note } of gradedCases()) {
        let reason: unknown;
        try {
          reason = (fn as (s: PulseSummary) => unknown)(summary);
        } catch (error) {
          return `your function threw on ${summaryLine(summary)}: ${messageOf(error)}. Remember that survival can be null.`;
        }
        if (isBlank(reason)) return new Verdict("blank", "replace TODO in alarmReason with your test, then run the cell again.");
        if (reason !== undefined && typeof reason !== "string") return `return a text (the reason) or undefined, not ${show(reason)}.`;
        if (alarm && !reason) return `no alarm for ${summaryLine(summary)}${note ? `: ${note}` : ": that beam is in trouble"}.`;
        if (!alarm && reason)
          return `a false alarm ("${reason}") for ${summaryLine(summary)}${note ? `: ${note}` : ": a good pulse. Your limit is too tight"}.`;
      }
      return true;
    },
    praise: `quiet on ${GRADED_PULSES} good pulses and on one without a reading; loud on a burst of loss and on all ${GRADED_PULSES} pulses of a bad night.`,
    hints: [
      "A good pulse keeps about 93 % of its beam (survival 0.93) and its hottest monitor sees about 0.3 V·ms; a bad night keeps about 11 % and sees 1.5–2 V·ms.",
      "Pick limits between the two: e.g. survival below 0.8, or hottestBlmIntegralVms above 1. Check survival !== null before comparing it.",
    ],
    solution: `function alarmReason(summary: PulseSummary): string | undefined {
  if (summary.survival !== null && summary.survival < 0.8) return \`survival \${(summary.survival * 100).toFixed(0)} %\`;
  if (summary.hottestBlmIntegralVms !== null && summary.hottestBlmIntegralVms > 1) return \`loss \${summary.hottestBlmIntegralVms.toFixed(2)} V·ms on \${summary.hottestBlm}\`;
  return undefined;
}`,
  }),

  lateControlRoom: exercise<[unknown]>({
    task: 'A second control room starts an hour later. How does it learn the alarm state at once? "a": the state is a retained message; "b": the alarm client sends it again every second; "c": QoS 2.',
    check: (answer) =>
      choose(answer, "a", {
        b: "our alarm client publishes only when the state changes: look at its onMessage.",
        c: "QoS decides how a message travels, not who gets it later.",
      }),
    praise: "the broker keeps the last retained state and hands it to every new subscriber straight away.",
    hints: ["Lesson 12: which messages reach a subscriber that arrives late?"],
    solution: 'const howItKnows = "a";',
  }),

  whyQos1: exercise<[unknown]>({
    task: 'Why are alarms sent at QoS 1 while pulses go at QoS 0? "a": an alarm must arrive even across a blip, and a second copy does no harm; "b": QoS 1 is faster; "c": QoS 1 messages are smaller.',
    check: (answer) =>
      choose(answer, "a", {
        b: "QoS 1 is slower: it waits for a PUBACK.",
        c: "the bytes are the same; QoS 1 adds a PUBACK packet.",
      }),
    praise: "a lost pulse is replaced 20 ms later; a lost alarm is a missed warning. At least once is right for alarms.",
    hints: ["Lesson 11: what happens to a QoS 0 message sent during a cut?"],
    solution: 'const whyQos1 = "a";',
  }),
};
