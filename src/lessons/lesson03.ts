/** The exercises of lesson 03 (what is MQTT): `lesson03.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { exercise, Verdict } from "./exercise";
import { notANumber, show } from "./feedback";

const ROOM_TEMPERATURES = [18, 21, 24, 27, 23] as const;
const FAN_THRESHOLD = 25;

export const lesson03 = {
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
    hints: [
      "Which readings must turn the fan on? Which is the warmest reading that must NOT?",
      "The threshold must be at least 23 (so 23 °C is not above it) and below 24.",
    ],
    solution: "const myThreshold = 23.5; // anything from 23 up to (not including) 24 works",
  }),

  fanShouldRun: exercise<[unknown]>({
    task: `Write fanShouldRun(topic, value): true only for a temperature above ${FAN_THRESHOLD} °C. Anything on another topic must not switch the fan on.`,
    check: (fn) => {
      if (typeof fn !== "function") {
        const what = typeof fn === "boolean" ? `${fn}: what one call of fanShouldRun gave` : show(fn);
        return `pass the function itself, check(fanShouldRun), with no brackets after its name (you gave ${what}).`;
      }
      const cases: [string, number, boolean, string][] = [
        ["temperature", 27, true, "27 °C is above 25 °C, so the fan should run."],
        ["temperature", 18, false, "18 °C is cool: the fan should stay off."],
        ["temperature", 25, false, "25 °C is not ABOVE 25 °C."],
        ["humidity", 65, false, "65 is a humidity (in %), not a temperature: the fan must ignore other topics."],
        ["humidity", 20, false, "the fan must ignore the humidity topic."],
      ];
      for (const [topic, value, expected, why] of cases) {
        const got: unknown = fn(topic, value);
        if (got === Symbol.for("learning-mqtt.blank"))
          return new Verdict("blank", "fanShouldRun still returns TODO: replace it with your rule.");
        if (typeof got !== "boolean") return `fanShouldRun("${topic}", ${value}) gave ${show(got)}: it should give true or false.`;
        if (got !== expected) return `fanShouldRun("${topic}", ${value}) gave ${got}, but ${why}`;
      }
      return true;
    },
    praise: "the fan runs only when the topic is temperature and the value is above 25.",
    hints: [
      'Two things must both be true: the topic is "temperature", and the value is above 25.',
      'In TypeScript, "both" is &&: topic === "temperature" && value > 25.',
    ],
    solution: 'function fanShouldRun(topic: string, value: number): boolean {\n  return topic === "temperature" && value > 25;\n}',
  }),
};
