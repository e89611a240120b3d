/**
 * The exercises of lessons 1–6, one object per lesson: `lesson06.rowOfR4BLM3.check(17)`.
 * Every check says correct / not quite (and the specific reason) / not tried yet; hint() and solution()
 * help. The checks are plain functions of the student's answer, so they are tested in test/lesson-checks.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Pulse } from "../beam/decode";
import { exercise, Verdict } from "./exercise";
import { CHANNELS, PULSE_BYTES, SAMPLES, sampleAt, timeAxisMs } from "../beam/layout";

const PROJECT = path.resolve(__dirname, "..", ".."); // src/lessons/ under tsx, dist/lessons/ when built: both two levels down

/** A number as people write it: 1,500,000 or 1.5e+15 for very large ones. */
function show(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return value.toLocaleString("en-GB");
    return String(Number(value.toPrecision(6)));
  }
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Whether two numbers agree to a relative tolerance. */
function near(a: number, b: number, relative = 1e-3): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
}

/** Says why an answer is not a number, or undefined if it is one. */
function notANumber(value: unknown, what = "your answer"): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return undefined;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return `${what} is the text ${show(value)}: write the number without quotes.`;
  }
  return `${what} should be a number, but it is ${show(value)}.`;
}

// ---------------------------------------------------------------- lesson 1: ISIS and beam loss

export const lesson01 = {
  protonsPerSecond: exercise<[unknown]>({
    task: "ISIS makes 50 pulses a second, each with about 3 × 10^13 protons. How many protons does it accelerate per second?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (near(n, 1.5e15, 0.01)) return true;
      if (near(n, 3e13, 0.01)) return "3e13 is the protons in ONE pulse. How many pulses are there in a second?";
      if (near(n, 3e13 / 50, 0.01)) return "you divided by 50. In one second there are 50 pulses, so multiply.";
      if (near(n, 50, 0.01)) return "50 is the number of pulses per second; multiply it by the protons in each pulse.";
      const power = Math.log10(n / 1.5e15);
      if (Number.isInteger(Math.round(power)) && near(n / 10 ** Math.round(power), 1.5e15, 0.01)) {
        return `the digits are right but the power of ten is off by ${Math.abs(Math.round(power))}: check how you wrote 3 × 10^13 (3e13).`;
      }
      return `${show(n)} is not 50 × 3 × 10^13. Try multiplying the two numbers with *.`;
    },
    praise: "1.5 × 10^15: one and a half thousand million million protons every second.",
    hints: ["In one second there are 50 pulses.", "Multiply the pulses per second by the protons per pulse. In TypeScript, 3 × 10^13 is written 3e13."],
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

// ---------------------------------------------------------------- lesson 2: what is MQTT

const ROOM_TEMPERATURES = [18, 21, 24, 27, 23] as const;
const FAN_THRESHOLD = 25;

export const lesson02 = {
  threshold: exercise<[unknown]>({
    task: `The thermometer sends ${ROOM_TEMPERATURES.join(", ")} °C. The fan is on when the temperature is ABOVE its threshold. Pick a threshold so that the fan is on for 24 and 27 °C only.`,
    check: (answer) => {
      const why = notANumber(answer, "the threshold");
      if (why) return why;
      const threshold = answer as number;
      const on = ROOM_TEMPERATURES.filter((t) => t > threshold);
      const wanted = [24, 27];
      if (on.length === wanted.length && on.every((t) => wanted.includes(t))) return true;
      const extra = on.filter((t) => !wanted.includes(t));
      const missing = wanted.filter((t) => !on.includes(t as (typeof ROOM_TEMPERATURES)[number]));
      if (extra.length > 0) return `with ${show(threshold)} the fan would also come on at ${extra.join(" and ")} °C.`;
      return `with ${show(threshold)} the fan would stay off at ${missing.join(" and ")} °C${missing.includes(threshold) ? ` (${show(threshold)} is not ABOVE ${show(threshold)})` : ""}.`;
    },
    praise: "the fan comes on at 24 and 27 °C, and stays off at 18, 21 and 23 °C.",
    hints: ["Which readings must turn the fan on? Which is the warmest reading that must NOT?", "The threshold must be at least 23 (so 23 °C is not above it) and below 24."],
    solution: "const myThreshold = 23.5; // anything from 23 up to (not including) 24 works",
  }),

  fanShouldRun: exercise<[unknown]>({
    task: `Write fanShouldRun(topic, value): true only for a temperature above ${FAN_THRESHOLD} °C. Anything on another topic must not switch the fan on.`,
    check: (fn) => {
      if (typeof fn !== "function") return `pass the function itself: check(fanShouldRun), without brackets after its name (you gave ${show(fn)}).`;
      const cases: [string, number, boolean, string][] = [
        ["temperature", 27, true, "27 °C is above 25 °C, so the fan should run."],
        ["temperature", 18, false, "18 °C is cool: the fan should stay off."],
        ["temperature", 25, false, "25 °C is not ABOVE 25 °C."],
        ["humidity", 65, false, "65 is a humidity (in %), not a temperature: the fan must ignore other topics."],
        ["humidity", 20, false, "the fan must ignore the humidity topic."],
      ];
      for (const [topic, value, expected, why] of cases) {
        const got: unknown = fn(topic, value);
        if (got === Symbol.for("learning-mqtt.blank")) return new Verdict("blank", "fanShouldRun still returns TODO: replace it with your rule.");
        if (typeof got !== "boolean") return `fanShouldRun("${topic}", ${value}) gave ${show(got)}: it should give true or false.`;
        if (got !== expected) return `fanShouldRun("${topic}", ${value}) gave ${got}, but ${why}`;
      }
      return true;
    },
    praise: "the fan runs only when the topic is temperature and the value is above 25.",
    hints: ["Two things must both be true: the topic is \"temperature\", and the value is above 25.", "In TypeScript, \"both\" is &&: topic === \"temperature\" && value > 25."],
    solution: "function fanShouldRun(topic: string, value: number): boolean {\n  return topic === \"temperature\" && value > 25;\n}",
  }),
};

// ---------------------------------------------------------------- lesson 3: setting up

/** The version of a package installed in this project's node_modules, or undefined. */
function installedVersion(name: string): string | undefined {
  const file = path.join(PROJECT, "node_modules", name, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The dependencies package.json asks for, name → range. */
function askedFor(): Record<string, string> {
  try {
    return (JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {};
  } catch {
    return {};
  }
}

export const lesson03 = {
  whichPackage: exercise<[unknown]>({
    task: "Which package lets Jupyter run TypeScript (it is the 'kernel' of these notebooks)?",
    check: (answer) => {
      if (typeof answer !== "string") return `write the package name as text in quotes, e.g. "mqtt" (you gave ${show(answer)}).`;
      const name = answer.trim().toLowerCase();
      if (name === "tslab") return true;
      if (name === "mqtt") return "mqtt is the package that talks to the broker. Which one runs your TypeScript cells?";
      if (name === "typescript") return "TypeScript is the language. Which package connects it to Jupyter?";
      if (name.includes("jupyter")) return "Jupyter is the notebook app itself. Which package gives it a TypeScript kernel?";
      if (name === "learning-mqtt") return "learning-mqtt is this project's own module, full of helpers. Look for the kernel in the table.";
      return `${show(answer)} is not one of the packages in the table above.`;
    },
    praise: "tslab is the TypeScript kernel: it runs every code cell you see.",
    hints: ["Look at the table: the package whose job is 'runs the code cells'.", "Its name starts with ts (for TypeScript)."],
    solution: 'const kernelPackage = "tslab";',
  }),

  mqttVersion: exercise<[unknown]>({
    task: "Which version of the mqtt package is installed? Write it as text, e.g. \"1.2.3\".",
    check: (answer) => {
      const installed = installedVersion("mqtt");
      if (installed === undefined) return new Verdict("incorrect", "mqtt is not installed here: run npm install in the project folder.");
      if (typeof answer !== "string") return `write the version as text in quotes, e.g. "1.2.3" (you gave ${show(answer)}).`;
      const given = answer.trim().replace(/^v/, "");
      if (given === installed) return true;
      const asked = askedFor()["mqtt"];
      if (asked !== undefined && given === asked.trim()) {
        return `${asked} is what package.json ASKS for (a range: "this version or a newer compatible one"). Which version did npm actually install?`;
      }
      const other = Object.keys(askedFor()).find((name) => name !== "mqtt" && installedVersion(name) === given);
      if (other) return `${given} is the installed version of ${other}, not of mqtt.`;
      return `the installed mqtt is not ${show(answer)}: look at the mqtt line of the table, column "installed".`;
    },
    praise: "that is the version in node_modules/mqtt — the code that actually runs.",
    hints: ["The table has a row for mqtt.", "Use the 'installed' column, not the 'asked for' one, and put the version in quotes."],
    solution: 'const mqttVersion = installedVersion("mqtt"); // or type it from the table, e.g. "5.16.0"',
  }),
};

// ---------------------------------------------------------------- lesson 4: the client class

export const lesson04 = {
  sizes: exercise<[unknown]>({
    task: "Complete onMessage so that it pushes each message's size in bytes (message.payload.length) onto this.sizes.",
    check: (sizes) => {
      if (!Array.isArray(sizes)) return `check the list of sizes (counter.sizes), not ${show(sizes)}.`;
      if (sizes.length === 0) {
        return new Verdict("blank", "sizes is still empty: in onMessage, push message.payload.length onto this.sizes, then run the cell again.");
      }
      const list: unknown[] = sizes;
      const bad = list.find((s) => s !== PULSE_BYTES);
      if (bad === undefined) return true;
      const first = list[0];
      if (typeof first === "number" && list.every((s, i) => s === first + i)) {
        return "those look like the messages' seq numbers (1, 2, 3 …). Push message.payload.length instead.";
      }
      return `one size is ${show(bad)}, but every ISIS message is ${show(PULSE_BYTES)} bytes. Push message.payload.length.`;
    },
    praise: `every message was ${PULSE_BYTES.toLocaleString("en-GB")} bytes: one pulse of 40 × 2200 numbers, 8 bytes each.`,
    hints: ["Inside onMessage the message is in the variable message; its bytes are message.payload.", "this.sizes.push(message.payload.length);"],
    solution:
      "class Counter extends MQTTClient {\n  sizes: number[] = [];\n  override onMessage(message: Message) {\n    this.sizes.push(message.payload.length);\n  }\n}",
  }),

  sameId: exercise<[unknown]>({
    task: 'Two clients used the same id. What did the broker do? "a": both stayed connected; "b": each new connection pushed the older one off; "c": it refused the second client.',
    check: (answer) => {
      if (typeof answer !== "string") return `answer with a letter in quotes: "a", "b" or "c" (you gave ${show(answer)}).`;
      const choice = answer.trim().toLowerCase();
      if (choice === "b") return true;
      if (choice === "a") return "look at the output again: did both twins stay connected the whole time?";
      if (choice === "c") return "the second twin did connect. What happened to the first one at that moment?";
      return `answer "a", "b" or "c" (you gave ${show(answer)}).`;
    },
    praise: "a broker allows one connection per client id: the newcomer wins, the older one is disconnected. That is why every client gets its own random id.",
    hints: ["Count the 'disconnected' lines in the output above.", "Each time one twin connected, the other one was disconnected a moment later."],
    solution: 'const whatHappened = "b";',
  }),

  idCount: exercise<[unknown]>({
    task: "A short id has 12 characters, each one of 62 (a–z, A–Z, 0–9). How many different ids are possible?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (near(n, 62 ** 12, 1e-6)) return true;
      if (n === 62 * 12) return "62 × 12 counts the characters, not the combinations. Each of the 12 places has 62 choices: multiply 62 by itself 12 times.";
      if (near(n, 12 ** 62, 1e-6)) return "that is 12 multiplied by itself 62 times: the other way round.";
      if (n === 62 + 12 || n === 62) return "each of the 12 places has 62 choices, and the choices multiply.";
      return `${show(n)} is not right: think of 62 choices for the 1st character, times 62 for the 2nd, …`;
    },
    praise: "62 ** 12 ≈ 3.2 × 10^21: more ids than grains of sand on Earth, so two students practically never clash.",
    hints: ["With 2 characters there are 62 × 62 ids.", "In TypeScript, 62 to the power 12 is written 62 ** 12."],
    solution: "const possibleIds = 62 ** 12; // ≈ 3.2e21",
  }),
};

// ---------------------------------------------------------------- lesson 5: receiving live data

export const lesson05 = {
  perSecond: exercise<[unknown, { received: number; seconds: number }]>({
    task: "From data.received and data.seconds, work out how many messages arrived per second.",
    check: (answer, data) => {
      const why = notANumber(answer);
      if (why) return why;
      if (data.received === 0) return new Verdict("incorrect", "no messages arrived, so there is nothing to divide: run the getLiveData cell again.");
      const rate = data.received / data.seconds;
      const n = answer as number;
      if (near(n, rate, 0.02)) return true;
      if (near(n, data.received)) return `${show(n)} is the total over ${show(data.seconds)} seconds. Divide by the number of seconds.`;
      if (near(n, data.seconds / data.received)) return "upside down: that is seconds per message. Divide messages by seconds.";
      return `${show(n)} is not ${show(data.received)} ÷ ${show(data.seconds)}.`;
    },
    praise: "messages per second = messages ÷ seconds.",
    hints: ["Rate = how many ÷ how long.", "data.received / data.seconds"],
    solution: "const perSecond = data.received / data.seconds;",
  }),

  bytesPerSecond: exercise<[unknown]>({
    task: "The real machine makes 50 pulses a second, and each message is 704,000 bytes. How many bytes per second would that be?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (n === 50 * PULSE_BYTES) return true;
      if (n === PULSE_BYTES) return "that is ONE message. There are 50 each second.";
      if (near(n, PULSE_BYTES / 50)) return "you divided: 50 messages a second means 50 times as many bytes.";
      if (near(n, 50 * PULSE_BYTES, 0.05)) return "nearly: use the exact size, 704000 bytes.";
      return `${show(n)} is not 50 × 704,000.`;
    },
    praise: "35,200,000 bytes — about 35 MB every second, which is why we print summaries, not every number.",
    hints: ["Bytes per second = messages per second × bytes per message.", "50 * 704000"],
    solution: "const bytesPerSecond = 50 * 704000; // 35,200,000",
  }),
};

// ---------------------------------------------------------------- lesson 6: decoding pulses

export const lesson06 = {
  rowOfR4BLM3: exercise<[unknown]>({
    task: "Which row holds the monitor R4BLM3? (Use the table of rows, or count.)",
    check: (answer) => {
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
    hints: ["CHANNELS.indexOf(\"R4BLM3\") asks the list directly.", "Or count: R0 has 3 monitors, R1–R3 have 4 each, so R4 starts at row 15."],
    solution: 'const rowOfR4BLM3 = CHANNELS.indexOf("R4BLM3"); // 17 (rowOf("R4BLM3") gives the same)',
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
      const why = notANumber(answer, "the value");
      if (why) return why;
      const value = answer as number;
      const row = pulse.channel("R1BLM3");
      const best = sampleAt(2);
      if (value === row[best]) return true;
      for (const i of [best - 2, best - 1, best + 1, best + 2]) {
        if (value === row[i]) {
          const t = timeAxisMs()[i]!;
          return new Verdict("correct", `that is sample ${i} (t = ${t.toFixed(4)} ms), right next to 2 ms; sampleAt(2) gives the nearest one, sample ${best}.`);
        }
      }
      if (near(value, 2, 1e-6) || near(value, timeAxisMs()[best]!, 1e-9)) return "that is the time, not the monitor's reading. Use the time to find the sample number.";
      if (value === row[2]) return `that is sample number 2 (t = ${timeAxisMs()[2]!.toFixed(3)} ms). Sample numbers are not milliseconds: use sampleAt(2).`;
      if (value === row[best]! * -1) return "right number, wrong sign: only the intensity row is negated, not the monitors.";
      const other = CHANNELS.findIndex((_, r) => pulse.row(r)[best] === value);
      if (other >= 0) return `that is ${CHANNELS[other]} at 2 ms (row ${other}). R1BLM3 is row ${CHANNELS.indexOf("R1BLM3")}.`;
      return `R1BLM3 did not read ${show(value)} at 2 ms. Take pulse.channel("R1BLM3") and the sample nearest to 2 ms.`;
    },
    praise: "that is the reading at 2 ms — near the top of R1BLM3's loss peak.",
    hints: ["pulse.channel(\"R1BLM3\") gives the 2200 samples of that monitor.", "sampleAt(2) gives the number of the sample nearest to 2 ms; use it in square brackets."],
    solution: 'const valueAt2ms = pulse.channel("R1BLM3")[sampleAt(2)];',
  }),
};
