/** The exercises of lesson 05 (the client class): `lesson05.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { PULSE_BYTES } from "../beam/layout";
import { withCommas } from "../text";
import { exercise, Verdict } from "./exercise";
import { caretMistake, near, notANumber, show } from "./feedback";

export const lesson05 = {
  sizes: exercise<[unknown]>({
    task: "Complete onMessage so that it pushes each message's size in bytes (message.payload.length) onto this.sizes.",
    check: (sizes) => {
      if (!Array.isArray(sizes)) return `check the list of sizes (counter.sizes), not ${show(sizes)}.`;
      if (sizes.length === 0) {
        return new Verdict(
          "blank",
          "sizes is still empty: in onMessage, push message.payload.length onto this.sizes. " +
            "If you wrote that line already, run the class cell again (Shift + Enter on it) before this one.",
        );
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
    praise: `every message was ${withCommas(PULSE_BYTES)} bytes: one pulse of 40 × 2200 numbers, 8 bytes each.`,
    defines: "Counter",
    hints: [
      "Inside onMessage the message is in the variable message; its bytes are message.payload.",
      "this.sizes.push(message.payload.length);",
    ],
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
    praise:
      "a broker allows one connection per client id: the newcomer wins, the older one is disconnected. That is why every client gets its own random id.",
    hints: [
      "Count the 'disconnected' lines in the output above.",
      "Each time one twin connected, the other one was disconnected a moment later.",
    ],
    solution: 'const whatHappened = "b";',
  }),

  idCount: exercise<[unknown]>({
    task: "A short id has 12 characters, each one of 62 (a–z, A–Z, 0–9). How many different ids are possible?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (near(n, 62 ** 12, 1e-6)) return true;
      const caret = caretMistake(n, [
        ["62 ^ 12", 62 ^ 12],
        ["12 ^ 62", 12 ^ 62],
      ]);
      if (caret) return caret;
      if (n === 62 * 12)
        return "62 × 12 counts the characters, not the combinations. Each of the 12 places has 62 choices: multiply 62 by itself 12 times.";
      if (near(n, 12 ** 62, 1e-6)) return "that is 12 multiplied by itself 62 times: the other way round.";
      if (n === 62 + 12 || n === 62) return "each of the 12 places has 62 choices, and the choices multiply.";
      return `${show(n)} is not right: think of 62 choices for the 1st character, times 62 for the 2nd, …`;
    },
    praise: "62 ** 12 ≈ 3.2 × 10^21: more ids than grains of sand on Earth, so two students practically never clash.",
    hints: ["With 2 characters there are 62 × 62 ids.", "In TypeScript, 62 to the power 12 is written 62 ** 12."],
    solution: "const possibleIds = 62 ** 12; // ≈ 3.2e21",
  }),
};
