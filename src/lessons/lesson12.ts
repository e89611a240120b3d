/** The exercises of lesson 12 (retained messages and last will): `lesson12.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { STUDENTS_TREE } from "../feed/topics";
import { exercise } from "./exercise";
import { choose, show } from "./feedback";

export const lesson12 = {
  clearRetained: exercise<[unknown]>({
    task: "What payload do you publish (with retain: true) to clear a topic's retained message?",
    check: (answer) => {
      if (answer === "" || (answer instanceof Uint8Array && answer.byteLength === 0)) return true;
      if (answer === null || answer === undefined) return "MQTT has no null: a payload is bytes. How many bytes does an empty one have?";
      if (typeof answer === "string")
        return `${show(answer)} would become the new retained message. To clear it, send nothing at all: an empty payload.`;
      return `a payload is text or bytes (you gave ${show(answer)}).`;
    },
    praise: "an empty retained message tells the broker: forget what you kept for this topic.",
    hints: ["Any text you send with retain: true is kept as the new retained message.", 'The empty text: "".'],
    solution: 'const clearingPayload = "";',
  }),

  whenWill: exercise<[unknown]>({
    task: 'When does the broker publish a client\'s last will? "a": when it calls disconnect(); "b": when its connection ends without a goodbye (a crash, a dead battery, a lost network); "c": every time it connects.',
    check: (answer) =>
      choose(answer, "b", {
        a: "look at the watcher's output again: did the will arrive after the polite disconnect()?",
        c: "the client tells the broker its will when it connects, but the broker keeps it: when does it publish it?",
      }),
    praise: "the will is for the unexpected: a clean disconnect() says goodbye, and the broker throws the will away.",
    hints: ["Two monitors above: one said goodbye, the other was cut off. Which one's will arrived?"],
    solution: 'const willWhen = "b";',
  }),

  monitorWill: exercise<[unknown]>({
    task: 'Write the will of a beam monitor: on practiceTopic("monitor/status"), saying "offline", at QoS 1, retained so that latecomers learn it too.',
    check: (answer) => {
      const w = answer as { topic?: unknown; payload?: unknown; qos?: unknown; retain?: unknown } | null;
      if (w === null || typeof w !== "object") return `a will is an object { topic, payload, qos, retain } (you gave ${show(answer)}).`;
      if (typeof w.topic !== "string" || !w.topic.startsWith(`${STUDENTS_TREE}/`) || !w.topic.endsWith("/monitor/status")) {
        return 'topic: use practiceTopic("monitor/status"), so that your will goes to your own practice topic.';
      }
      if (typeof w.payload !== "string" || !/offline/i.test(w.payload))
        return 'payload: the text the broker should publish, e.g. "offline".';
      if (w.qos !== 1) return `qos: 1, so that the will is acknowledged (you gave ${show(w.qos)}).`;
      if (w.retain !== true) return "retain: true, or a control room that starts later never learns that the monitor is gone.";
      return true;
    },
    praise:
      "give it to a client as new MQTTClient(topic, { will: myWill }): the broker keeps it, and publishes it if the monitor vanishes.",
    hints: [
      "Four properties: topic, payload, qos, retain.",
      'topic: practiceTopic("monitor/status"), payload: "offline", qos: 1, retain: true',
    ],
    solution: 'const myWill = { topic: practiceTopic("monitor/status"), payload: "offline", qos: 1, retain: true };',
  }),
};
