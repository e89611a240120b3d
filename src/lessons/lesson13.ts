/** The exercises of lesson 13 (sessions and keep-alive): `lesson13.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { KEEPALIVE_S } from "../mqtt/options";
import { exercise } from "./exercise";
import { choose, near, notANumber, show } from "./feedback";

export const lesson13 = {
  noticedAfter: exercise<[unknown]>({
    task: `Our clients send a ping after ${KEEPALIVE_S} s of quiet. A broker gives up on a client that has been silent for 1.5 × its keep-alive. After how many seconds of silence does it give up?`,
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (near(n, 1.5 * KEEPALIVE_S)) return true;
      if (n === KEEPALIVE_S) return `that is one keep-alive. The broker waits half as long again: 1.5 × ${KEEPALIVE_S}.`;
      if (near(n, KEEPALIVE_S / 1.5)) return "you divided: the broker waits LONGER than one keep-alive.";
      return `${show(n)} is not 1.5 × ${KEEPALIVE_S}.`;
    },
    praise: "22.5 s: a silent network (Wi-Fi gone, no goodbye) is noticed within half a minute, for a 2-byte ping every 15 s.",
    hints: [`1.5 × ${KEEPALIVE_S}`],
    solution: `const givesUpAfter = 1.5 * ${KEEPALIVE_S}; // 22.5 s`,
  }),

  whileAway: exercise<[unknown]>({
    task: 'The away client came back. What did it get? "a": both messages; "b": only the QoS 1 message; "c": only the QoS 0 message; "d": nothing.',
    check: (answer) =>
      choose(answer, "b", {
        a: "look at the output again: was the QoS 0 message among them? The broker keeps only messages that are to be acknowledged.",
        c: "the other way round: QoS 0 is never kept for anyone.",
        d: "the client connected with clean: false, so the broker kept its session: look at the output again.",
      }),
    praise: "a kept session holds the subscriptions and the QoS 1 and 2 messages. QoS 0 is 'at most once': it is not kept for anyone.",
    hints: ["Which QoS is kept until it has been acknowledged?"],
    solution: 'const whatCame = "b";',
  }),

  sameId: exercise<[unknown]>({
    task: 'Why must a client with clean: false use the same client id every time? "a": the broker finds the kept session by the client id; "b": random ids are not allowed with clean: false; "c": it is faster.',
    check: (answer) =>
      choose(answer, "a", {
        b: "random ids are allowed, but think about what a new random id means to the broker: someone it has never seen.",
        c: "speed has nothing to do with it: what does the broker look the session up by?",
      }),
    praise: "the broker keys sessions by client id: a new id is a stranger, with an empty session.",
    hints: ["When the client comes back, how does the broker know it is the same one?"],
    solution: 'const why = "a";',
  }),
};
