/** The exercises of lesson 14 (mqtt.js directly): `lesson14.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { INTENSITY_ROW, ROWS, SAMPLES } from "../beam/layout";
import { exercise } from "./exercise";
import { near, notANumber, show } from "./feedback";

/** The most negative finite sample of the intensity row: R5IM's peak. */
function intensityPeak(samples: Float64Array): number {
  let peak = Infinity;
  for (let i = INTENSITY_ROW * SAMPLES; i < (INTENSITY_ROW + 1) * SAMPLES; i++) {
    if (Number.isFinite(samples[i]!) && samples[i]! < peak) peak = samples[i]!;
  }
  return peak;
}

export const lesson14 = {
  intensityStart: exercise<[unknown]>({
    task: `The samples are row after row, ${SAMPLES} per row, and R5IM is row ${INTENSITY_ROW} (counting from 0). At which index does its first sample sit?`,
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (n === INTENSITY_ROW * SAMPLES) return true;
      if (n === ROWS * SAMPLES) return "that is the end of the whole pulse. Rows 0 to 38 come before row 39.";
      if (n === (INTENSITY_ROW - 1) * SAMPLES) return "that is where row 38 starts: rows 0 to 38 come first, that is 39 rows.";
      if (n === INTENSITY_ROW) return "that is the row number; each row before it holds 2200 samples.";
      return `${show(n)} is not right: how many samples do the 39 rows before it hold?`;
    },
    praise: "39 × 2200 = 85,800: rows 0–38 take the first 85,800 places.",
    hints: ["Row 0 starts at 0, row 1 at 2200, row 2 at 4400 …", "39 * 2200"],
    solution: "const intensityStart = 39 * 2200;",
  }),

  peakByHand: exercise<[unknown, unknown]>({
    task: "Find R5IM's peak by hand: the most negative of its 2200 samples (samples[85800] … samples[87999]).",
    check: (answer, samples) => {
      if (!(samples instanceof Float64Array) || samples.length !== ROWS * SAMPLES) {
        return "pass the pulse's samples as the second value: check(peak, samples).";
      }
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      const peak = intensityPeak(samples);
      if (near(n, peak, 1e-9)) return true;
      if (near(n, -peak, 1e-9)) return "right size, wrong sign: R5IM's signal goes negative. Look for the smallest value, not the largest.";
      if (n > peak) return `${show(n)} is not the most negative sample: there is one at ${show(peak)}. Did the loop cover the whole row?`;
      return `${show(n)} is more negative than any sample of row 39: did the loop read other rows too?`;
    },
    praise:
      "that is the number analysePulse calls intensityPeakV: you decoded and analysed a pulse with nothing but a Float64Array and a loop.",
    hints: [
      "Start with let peak = Infinity, then loop i from 85800 to 87999 and keep the smaller of peak and samples[i].",
      "Math.min(...samples.subarray(85800, 88000))",
    ],
    solution: "const peak = Math.min(...samples.subarray(39 * 2200, 40 * 2200));",
  }),

  everyReconnect: exercise<[unknown]>({
    task: 'Which mqtt.js event fires every time the client has (re)connected, so that it is the place to subscribe? Answer with its name, e.g. "message".',
    check: (answer) => {
      if (typeof answer !== "string") return `answer with the event's name in quotes (you gave ${show(answer)}).`;
      const name = answer.trim().toLowerCase();
      if (name === "connect") return true;
      if (name === "reconnect")
        return '"reconnect" fires when it STARTS trying again, before the broker has answered. Which fires once it has?';
      if (name === "close") return '"close" fires when the connection ends. Which fires when it begins?';
      return `mqtt.js has no "${name}" for that: look at the client.on(…) lines above.`;
    },
    praise:
      'client.on("connect", …) runs after every CONNACK: subscribe there, and a reconnect subscribes again. It is what our onConnect is built on.',
    hints: ["It is the event our onConnect callback is built on."],
    solution: 'const eventName = "connect";',
  }),
};
