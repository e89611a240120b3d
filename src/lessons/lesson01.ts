/** The exercises of lesson 01 (ISIS and beam loss): `lesson01.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { exercise } from "./exercise";
import { caretMistake, near, notANumber, show } from "./feedback";

export const lesson01 = {
  protonsPerSecond: exercise<[unknown]>({
    task: "ISIS makes 50 pulses a second, each with about 3 × 10¹³ protons. How many protons does it accelerate per second?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (near(n, 1.5e15, 0.01)) return true;
      const caret = caretMistake(n, [
        ["50 * 3 * 10 ^ 13", (50 * 3 * 10) ^ 13],
        ["3 * 10 ^ 13 * 50", (3 * 10) ^ (13 * 50)],
        ["50 * (3 * 10 ^ 13)", 50 * ((3 * 10) ^ 13)],
        ["10 ^ 13 * 3 * 50", 10 ^ (13 * 3 * 50)],
      ]);
      if (caret) return caret;
      if (near(n, 3e13, 0.01)) return "3e13 is the protons in ONE pulse. How many pulses are there in a second?";
      if (near(n, 3e13 / 50, 0.01)) return "you divided by 50. In one second there are 50 pulses, so multiply.";
      if (near(n, 50, 0.01)) return "50 is the number of pulses per second; multiply it by the protons in each pulse.";
      const power = Math.log10(n / 1.5e15);
      if (Number.isInteger(Math.round(power)) && near(n / 10 ** Math.round(power), 1.5e15, 0.01)) {
        return `the digits are right but the power of ten is off by ${Math.abs(Math.round(power))}: check how you wrote 3 × 10¹³ (3e13).`;
      }
      return `${show(n)} is not 50 × 3 × 10¹³. Try multiplying the two numbers with *.`;
    },
    praise: "1.5 × 10¹⁵: one and a half thousand million million protons every second.",
    hints: [
      "In one second there are 50 pulses.",
      "Multiply the pulses per second by the protons per pulse. In TypeScript, 3 × 10¹³ is written 3e13 (or 3 * 10 ** 13).",
    ],
    solution: "const protonsPerSecond = 50 * 3e13; // 1.5e15",
  }),

  msBetweenPulses: exercise<[unknown]>({
    task: "ISIS pulses 50 times a second. How many milliseconds (ms) are there from one pulse to the next?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const ms = answer as number;
      if (near(ms, 20)) return true;
      if (near(ms, 0.02)) return "0.02 is right in seconds. The question asks for milliseconds: 1 s = 1000 ms.";
      if (near(ms, 50)) return "50 is how many pulses there are in a second, not the time between them.";
      if (near(ms, 10)) return "10 ms is how long the acceleration takes. The pulses come a little further apart than that.";
      return `${show(ms)} ms would mean ${show(Number((1000 / ms).toPrecision(3)))} pulses a second, not 50.`;
    },
    praise: "20 ms. The acceleration takes 10 ms, so the ring is busy half of the time.",
    hints: ["One second is 1000 ms.", "Share 1000 ms between 50 pulses: divide."],
    solution: "const msBetweenPulses = 1000 / 50; // 20",
  }),

  blmCount: exercise<[unknown]>({
    task: "ISIS has 10 superperiods (R0 … R9) with four beam-loss monitors each (BLM1 … BLM4), except that R0 has no BLM2. How many monitors?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (n === 39) return true;
      if (n === 40) return "close! Remember that superperiod R0 has no BLM2.";
      if (n === 36 || n === 35) return "R0 counts too: R0, R1 … R9 is ten superperiods.";
      if (n === 41 || n === 38) return "count again: 10 superperiods × 4 monitors, then take away the missing one.";
      return `${show(n)} is not right: work out 10 × 4 first.`;
    },
    praise: "39 beam-loss monitors: rows 0 to 38 of every message.",
    hints: ["Ten superperiods with four monitors each would be 10 × 4.", "One of those 40 is missing (R0BLM2)."],
    solution: "const blmCount = 10 * 4 - 1; // 39",
  }),
};
