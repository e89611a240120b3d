/** The exercises of lesson 10 (topics and wildcards): `lesson10.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { PULSE_BYTES } from "../beam/layout";
import { checkTopic, topicMatches } from "../mqtt/settings";
import { messageOf } from "../errors";
import { exercise } from "./exercise";
import { near, notANumber, show } from "./feedback";

/** Topics the filter exercise is judged on: which must match, which must not. */
const MUST = ["ac_phys/workxp/summary", "ac_phys/linac/summary", "ac_phys/tsr/summary"];
const MUST_NOT = ["ac_phys/workxp/live_signals", "ac_phys/workxp/status", "ac_phys/workxp/summary/old", "other/workxp/summary"];

/** The topics of the prediction exercise, lettered a–e, and the filter it asks about. */
export const PREDICT_FILTER = "ac_phys/+/status";
export const PREDICT_TOPICS = {
  a: "ac_phys/workxp/status",
  b: "ac_phys/workxp/live_signals",
  c: "ac_phys/status",
  d: "ac_phys/linac/status",
  e: "ac_phys/workxp/feed/status",
} as const;

export const lesson10 = {
  timesSmaller: exercise<[unknown, unknown]>({
    task: "A pulse is 704,000 bytes; the summary you received is summary.length bytes. How many times smaller is the summary?",
    check: (answer, summaryBytes) => {
      const why = notANumber(answer);
      if (why) return why;
      if (typeof summaryBytes !== "number" || !(summaryBytes > 0))
        return "pass the summary's size as the second value: check(timesSmaller, summaryBytes).";
      const n = answer as number;
      const ratio = PULSE_BYTES / summaryBytes;
      if (near(n, ratio, 0.01)) return true;
      if (near(n, summaryBytes / PULSE_BYTES, 0.01)) return "upside down: divide the big number (704,000) by the small one.";
      if (near(n, PULSE_BYTES - summaryBytes, 0.01)) return "that is how many bytes fewer. How many TIMES smaller: divide.";
      return `${show(n)} is not 704,000 ÷ ${show(summaryBytes)}.`;
    },
    praise: "a few thousand times smaller. At 50 pulses a second that is about 10 kB/s instead of 35 MB/s: a phone could follow it.",
    hints: ["How many times does the summary fit into the pulse?", "704000 / summaryBytes"],
    solution: "const timesSmaller = 704000 / summaryBytes;",
  }),

  filter: exercise<[unknown]>({
    task: `Write ONE filter that matches ${MUST.join(", ")}, but not ${MUST_NOT.join(", ")}.`,
    check: (answer) => {
      if (typeof answer !== "string") return `a filter is text, in quotes (you gave ${show(answer)}).`;
      try {
        checkTopic(answer, "your filter");
      } catch (error) {
        return messageOf(error).replace(/ \(example: .*\)$/, "");
      }
      const missed = MUST.find((t) => !topicMatches(answer, t));
      if (missed)
        return `it does not match ${missed}.${answer.includes("workxp") ? " The course name (workxp) must be allowed to change: that level needs a wildcard." : ""}`;
      const extra = MUST_NOT.find((t) => topicMatches(answer, t));
      if (extra) {
        if (answer.endsWith("#")) return `it also matches ${extra}: # takes every level after it. You want exactly one level: +.`;
        return `it also matches ${extra}.`;
      }
      return true;
    },
    praise: "+ stands for exactly one level, so ac_phys/+/summary gets every course's summary and nothing else.",
    hints: [
      "The first level is always ac_phys and the last always summary; only the middle one changes.",
      "One whole level, any name: that is what + means.",
    ],
    solution: 'const myFilter = "ac_phys/+/summary";',
  }),

  predict: exercise<[unknown]>({
    task: `Which of the topics a–e does the filter ${PREDICT_FILTER} match? Answer with their letters, e.g. ["a", "c"].`,
    check: (answer) => {
      if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string")) {
        return `answer with a list of letters in quotes, e.g. ["a", "c"] (you gave ${show(answer)}).`;
      }
      const letters = new Set(answer.map((a: string) => a.trim().toLowerCase()));
      const unknown = [...letters].filter((l) => !(l in PREDICT_TOPICS));
      if (unknown.length) return `there is no topic ${unknown.map((l) => `"${l}"`).join(", ")}: use the letters a–e.`;
      for (const [letter, topic] of Object.entries(PREDICT_TOPICS)) {
        const matches = topicMatches(PREDICT_FILTER, topic);
        if (matches && !letters.has(letter)) return `${letter}) ${topic} matches too: count its levels.`;
        if (!matches && letters.has(letter)) {
          const levels = topic.split("/").length;
          return `${letter}) ${topic} does not match: it has ${levels} levels, the filter has 3, and + is exactly one level${levels === 3 ? " — and the last must be status" : ""}.`;
        }
      }
      return true;
    },
    praise: "+ is exactly one level: not none (c), not two (e).",
    hints: [
      "Split each topic at the / and count the levels: the filter has three.",
      "The first level must be ac_phys, the last must be status.",
    ],
    solution: 'const matched = ["a", "d"];',
  }),
};
