/** The exercises of lesson 06 (receiving live data): `lesson06.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { PULSE_BYTES } from "../beam/layout";
import { exercise, isBlank, Verdict } from "./exercise";
import { near, notANumber, show } from "./feedback";

export const lesson06 = {
  perSecond: exercise<[unknown, { received: number; seconds: number }]>({
    task: "Write messagesPerSecond(received, seconds): how many messages arrived per second. Check it with check(messagesPerSecond, data).",
    check: (fn, data) => {
      if (typeof fn !== "function") {
        return `pass the function itself, check(messagesPerSecond, data), with no brackets after its name (you gave ${show(fn)}).`;
      }
      // Made-up counts first, so that a number read off the output (the feed sends one a second) does not pass.
      const cases: Array<[number, number]> = [
        [10, 5],
        [3, 4],
        [data.received, data.seconds],
      ];
      for (const [received, seconds] of cases) {
        const got: unknown = fn(received, seconds);
        if (isBlank(got)) return new Verdict("blank", "messagesPerSecond still returns TODO: replace it with your calculation.");
        const why = notANumber(got, `messagesPerSecond(${received}, ${seconds})`);
        if (why) return why;
        const n = got as number;
        const rate = received / seconds;
        if (near(n, rate, 1e-9)) continue;
        const call = `messagesPerSecond(${show(received)}, ${show(seconds)}) gave ${show(n)}`;
        if (near(n, seconds / received, 1e-9))
          return `${call}: upside down, that is seconds per message. Divide the messages by the seconds.`;
        if (near(n, received, 1e-9)) return `${call}: that is all the messages. Divide by the number of seconds.`;
        if (cases.some(([r, s]) => r !== received && near(n, r / s, 1e-9)) || Number.isInteger(n)) {
          return `${call}, but ${show(received)} messages in ${show(seconds)} seconds is ${show(rate)} a second: use received and seconds, not a number you read off the output.`;
        }
        return `${call}, but ${show(received)} messages in ${show(seconds)} seconds is ${show(rate)} a second.`;
      }
      const yours = data.received / data.seconds;
      return new Verdict(
        "correct",
        `messages per second = messages ÷ seconds. Your data: ${show(data.received)} in ${show(data.seconds)} s, ${show(yours)} a second.`,
      );
    },
    hints: [
      "Rate = how many ÷ how long.",
      "Inside the function, received and seconds are the two numbers you were given: return received / seconds;",
    ],
    solution: "function messagesPerSecond(received: number, seconds: number): number {\n  return received / seconds;\n}",
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
      if (n === 50 * 704) return "that is 50 × 704: the ,000 got lost. In TypeScript a number has no commas: write 704000 (or 704_000).";
      return `${show(n)} is not 50 × 704,000.`;
    },
    praise: "35,200,000 bytes — about 35 MB every second, which is why we print summaries, not every number.",
    hints: ["Bytes per second = messages per second × bytes per message.", "50 * 704000"],
    solution: "const bytesPerSecond = 50 * 704000; // 35,200,000",
  }),
};
