/** The exercises of lesson 11 (quality of service): `lesson11.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { exercise } from "./exercise";
import { notANumber, show } from "./feedback";

/** Reads an answer that should be a list of QoS levels. */
function levels(answer: unknown): number[] | string {
  if (!Array.isArray(answer) || !answer.every((a) => a === 0 || a === 1 || a === 2)) {
    return `answer with a list of QoS levels, e.g. [0, 2] (you gave ${show(answer)}).`;
  }
  return [...new Set(answer as number[])].sort();
}

export const lesson11 = {
  qos2Packets: exercise<[unknown]>({
    task: "Count the packets of one QoS 2 message, both ways together: how many are there?",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (n === 4) return true;
      if (n === 2) return "that is QoS 1 (PUBLISH, PUBACK). QoS 2 has two more: look at the line printed for QoS 2.";
      if (n === 3) return "nearly: PUBLISH, PUBREC, PUBREL … and one more to finish.";
      return `${show(n)} is not it: count the names in the line printed for QoS 2.`;
    },
    praise: "PUBLISH → PUBREC (received) → PUBREL (release) → PUBCOMP (complete): four packets, twice as many as QoS 1.",
    hints: ["Look at the line for QoS 2 above: it lists what was sent and what was received.", "PUBLISH, PUBREC, PUBREL, PUBCOMP."],
    solution: "const qos2Packets = 4;",
  }),

  survivors: exercise<[unknown]>({
    task: "In the cut, the sender published one message at each QoS. Which levels reached the receiver in the end? Answer with a list, e.g. [0, 2].",
    check: (answer) => {
      const got = levels(answer);
      if (typeof got === "string") return got;
      if (got.includes(0)) return "look at what arrived again: did the QoS 0 message ever come? Nobody kept a copy of it.";
      if (!got.includes(1) || !got.includes(2))
        return "the sender kept a copy of every message that was not acknowledged, and sent it again. Which ones are those?";
      return true;
    },
    praise: "QoS 0 was lost in the cut: it was sent once and forgotten. QoS 1 and 2 were kept until acknowledged, so they were sent again.",
    hints: ["Only a message that waits for an answer can be sent again.", "QoS 1 waits for PUBACK, QoS 2 for PUBREC and PUBCOMP."],
    solution: "const arrived = [1, 2];",
  }),

  copies: exercise<[unknown]>({
    task: "When only the answers were lost, how many copies of each message arrived? Answer { qos1: N, qos2: M }.",
    check: (answer) => {
      const a = answer as { qos1?: unknown; qos2?: unknown } | null;
      if (a === null || typeof a !== "object" || typeof a.qos1 !== "number" || typeof a.qos2 !== "number") {
        return `answer with an object like { qos1: 3, qos2: 3 } (you gave ${show(answer)}).`;
      }
      if (a.qos1 === 2 && a.qos2 === 1) return true;
      if (a.qos1 !== 2) return "count the lines for the QoS 1 message again: the first copy got through, but its PUBACK did not, so …";
      return "QoS 2's handshake lets the broker recognise the second try: count its lines again.";
    },
    praise:
      "QoS 1 is AT LEAST once: a lost PUBACK means a second copy. QoS 2 is EXACTLY once: the handshake lets the broker spot the repeat.",
    hints: ["Look at the output of the experiment: how many lines mention each message?", "The QoS 1 message arrived twice."],
    solution: "const copies = { qos1: 2, qos2: 1 };",
  }),
};
