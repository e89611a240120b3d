/** The exercises of lesson 06 (receiving live data): `lesson06.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { PULSE_BYTES } from "../beam/layout";
import { exercise, Verdict } from "./exercise";
import { near, notANumber, show } from "./feedback";

export const lesson06 = {
  perSecond: exercise<[unknown, { received: number; seconds: number }]>({
    task: "From data.received and data.seconds, work out how many messages arrived per second.",
    check: (answer, data) => {
      const why = notANumber(answer);
      if (why) return why;
      if (data.received === 0)
        return new Verdict("incorrect", "no messages arrived, so there is nothing to divide: run the getLiveData cell again.");
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
