/** The exercises of lesson 07 (decoding pulses): `lesson07.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import type { Pulse } from "../beam/decode";
import { CHANNELS, PULSE_BYTES, SAMPLES, sampleAt, timeAxisMs } from "../beam/layout";
import { exercise, Verdict } from "./exercise";
import { near, notANumber, show } from "./feedback";

export const lesson07 = {
  rowOfR4BLM3: exercise<[unknown]>({
    task: "Which row holds the monitor R4BLM3? (Use the table of rows, or count.)",
    check: (answer) => {
      if (ArrayBuffer.isView(answer)) return `that is the monitor's samples (${show(answer)}): the question asks for its row NUMBER.`;
      const why = notANumber(answer, "the row");
      if (why) return why;
      const row = answer as number;
      const target = CHANNELS.indexOf("R4BLM3");
      if (row === target) return true;
      const name = Number.isInteger(row) ? CHANNELS[row] : undefined;
      if (name === undefined) return `there is no row ${show(row)}: rows go from 0 to 39.`;
      const off = Math.abs(row - target) === 1 ? " Rows count from 0, and R0 has only three monitors." : "";
      return `row ${row} is ${name}, not R4BLM3.${off}`;
    },
    praise: "row 17: R0 takes rows 0–2, R1 3–6, R2 7–10, R3 11–14, and R4BLM3 is the third of R4 (15, 16, 17).",
    hints: [
      'CHANNELS.indexOf("R4BLM3") asks the list directly.',
      "Or count: R0 has 3 monitors, R1–R3 have 4 each, so R4 starts at row 15.",
    ],
    solution: 'const rowOfR4BLM3 = CHANNELS.indexOf("R4BLM3"); // 17',
  }),

  intensityOffset: exercise<[unknown]>({
    task: "How many bytes into a message does row 39 (the intensity monitor) start?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      const expected = 39 * SAMPLES * 8;
      if (n === expected) return true;
      if (n === 39 * SAMPLES) return "that counts the NUMBERS before row 39. Each number takes 8 bytes.";
      if (n === PULSE_BYTES) return "that is the size of the whole message. Row 39 is the last row: it starts one row before the end.";
      if (n === 40 * SAMPLES) return "rows count from 0: before row 39 there are 39 rows, not 40. And each number is 8 bytes.";
      if (n === 39 * 8 || n === 39) return "row 39 comes after 39 whole rows of 2200 numbers each.";
      return `${show(n)} is not right: work out how many numbers come before row 39, then the bytes.`;
    },
    praise: "686,400 bytes: 39 rows × 2200 numbers × 8 bytes.",
    hints: ["Rows 0 … 38 come before row 39: that is 39 rows.", "39 × 2200 numbers, and 8 bytes per number."],
    solution: "const intensityOffset = 39 * 2200 * 8; // 686400",
  }),

  r1blm3At2ms: exercise<[unknown, Pulse]>({
    task: "What did R1BLM3 read at t = 2 ms in this pulse? Check it with check(value, pulse).",
    check: (answer, pulse) => {
      if (ArrayBuffer.isView(answer)) {
        return `that is a whole row (${show(answer)}): pick the one sample at 2 ms by putting [sampleAt(2)] after it.`;
      }
      const why = notANumber(answer, "the value");
      if (why) return why;
      const value = answer as number;
      const row = pulse.channel("R1BLM3");
      const best = sampleAt(2);
      if (value === row[best]) return true;
      for (const i of [best - 2, best - 1, best + 1, best + 2]) {
        if (value === row[i]) {
          const t = timeAxisMs()[i]!;
          return new Verdict(
            "correct",
            `that is sample ${i} (t = ${t.toFixed(4)} ms), right next to 2 ms; sampleAt(2) gives the nearest one, sample ${best}.`,
          );
        }
      }
      if (near(value, 2, 1e-6) || near(value, timeAxisMs()[best]!, 1e-9))
        return "that is the time, not the monitor's reading. Use the time to find the sample number.";
      if (value === row[2])
        return `that is sample number 2 (t = ${timeAxisMs()[2]!.toFixed(3)} ms). Sample numbers are not milliseconds: use sampleAt(2).`;
      if (value === row[best]! * -1) return "right number, wrong sign: only the intensity row is negated, not the monitors.";
      const other = CHANNELS.findIndex((_, r) => pulse.row(r)[best] === value);
      if (other >= 0) return `that is ${CHANNELS[other]} at 2 ms (row ${other}). R1BLM3 is row ${CHANNELS.indexOf("R1BLM3")}.`;
      return `R1BLM3 did not read ${show(value)} at 2 ms. Take pulse.channel("R1BLM3") and the sample nearest to 2 ms.`;
    },
    praise: "that is the reading at 2 ms — near the top of R1BLM3's loss peak.",
    hints: [
      'pulse.channel("R1BLM3") gives the 2200 samples of that monitor.',
      "sampleAt(2) gives the number of the sample nearest to 2 ms; use it in square brackets.",
    ],
    solution: 'const valueAt2ms = pulse.channel("R1BLM3")[sampleAt(2)];',
  }),
};
