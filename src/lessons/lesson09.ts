/** The exercises of lesson 09 (a live view): `lesson09.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { exercise } from "./exercise";
import { near, notANumber, show } from "./feedback";

export const lesson09 = {
  redrawGap: exercise<[unknown]>({
    task: "A live view redraws at most 5 times a second. How many milliseconds apart are two redraws, at the least?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const ms = answer as number;
      if (near(ms, 200)) return true;
      if (near(ms, 0.2)) return "0.2 is right in seconds; the question asks for milliseconds (1 s = 1000 ms).";
      if (near(ms, 5)) return "5 is how many redraws there are in a second, not the time between them.";
      if (near(ms, 20)) return "20 ms is the time between two PULSES at 50 a second. The view redraws less often.";
      return `${show(ms)} ms apart would be ${show(Number((1000 / ms).toPrecision(3)))} redraws a second, not 5.`;
    },
    praise: "200 ms: ten pulses arrive between two redraws at the machine's rate.",
    hints: ["Share one second, 1000 ms, between 5 redraws.", "1000 / 5"],
    solution: "const redrawGap = 1000 / 5; // 200 ms",
  }),

  skippedIn10s: exercise<[unknown]>({
    task: "At 50 pulses a second, a view that draws 5 pulses a second runs for 10 s. How many pulses are analysed but never drawn?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (n === 450) return true;
      if (n === 500) return "500 pulses ARRIVE in 10 s. Some of them are drawn: take those away.";
      if (n === 50) return "50 is how many are drawn in 10 s. How many are not?";
      if (n === 45) return "45 are skipped every second. The view runs for 10 seconds.";
      if (n === 550) return "drawn pulses are not extra: they are some of the 500 that arrived. Take them away.";
      return `${show(n)} is not right: work out how many arrive in 10 s, and how many of those are drawn.`;
    },
    praise: "450 of 500: nine pulses in ten are analysed and skipped, and the picture still keeps up.",
    hints: ["In 10 s, 50 × 10 pulses arrive and 5 × 10 are drawn.", "500 − 50"],
    solution: "const skipped = 50 * 10 - 5 * 10; // 450",
  }),

  drawnShare: exercise<[unknown, { analysed: number; skipped: number }]>({
    task: "What fraction of the pulses it analysed did the fast view draw? Work it out from fast.analysed and fast.skipped, and check it with check(share, fast).",
    check: (answer, stats) => {
      const why = notANumber(answer, "the share");
      if (why) return why;
      const share = answer as number;
      if (!(stats.analysed > 0)) return "the view analysed no pulses: run the fast view's cell again, and wait for it to finish.";
      const drawn = stats.analysed - stats.skipped;
      const right = drawn / stats.analysed;
      if (near(share, right, 0.01)) return true;
      if (near(share, stats.skipped / stats.analysed, 0.01)) return "that is the share that was SKIPPED. Which share was drawn?";
      if (near(share, right * 100, 0.01)) return `that is a percentage (${show(share)} %). As a fraction, divide it by 100.`;
      if (near(share, drawn, 0.01))
        return `${show(drawn)} is how many were drawn. As a share of all the analysed pulses, divide by fast.analysed.`;
      if (near(share, stats.analysed / drawn, 0.01)) return "upside down: divide the drawn pulses by the analysed ones.";
      return `${show(share)} is not (fast.analysed − fast.skipped) ÷ fast.analysed.`;
    },
    praise: "about one pulse in ten was drawn: the rest were analysed and counted, never queued.",
    hints: ["The drawn pulses are the analysed ones that were not skipped: fast.analysed - fast.skipped.", "Divide that by fast.analysed."],
    solution: "const share = (fast.analysed - fast.skipped) / fast.analysed; // about 0.1",
  }),
};
