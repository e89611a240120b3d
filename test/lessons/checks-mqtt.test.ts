// The exercises of lessons 10–15 (the rest of MQTT): the right answer, and each mistake we expect, with its reason.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BeamSimulator } from "../../src/beam/simulator";
import { practiceTopic } from "../../src/feed/topics";
import type { PulseSummary } from "../../src/feed/topics";
import { TODO } from "../../src/lessons/exercise";
import { lesson10, lesson11, lesson12, lesson13, lesson14, lesson15 } from "../../src/lessons/index";

const kind = (v: { kind: string }) => v.kind;
const says = (v: { message: string }) => v.message;

describe("lesson10", () => {
  test("times smaller: 704,000 ÷ the summary's size; upside down and subtracting are explained", () => {
    assert.equal(kind(lesson10.timesSmaller.check(704000 / 160, 160)), "correct");
    assert.match(says(lesson10.timesSmaller.check(160 / 704000, 160)), /upside down/);
    assert.match(says(lesson10.timesSmaller.check(704000 - 160, 160)), /TIMES smaller/);
    assert.match(says(lesson10.timesSmaller.check(4400, undefined)), /second value/);
    assert.equal(kind(lesson10.timesSmaller.check(TODO, 160)), "blank");
  });
  test("filter: ac_phys/+/summary; # and a fixed course name are explained, as is a filter MQTT refuses", () => {
    assert.equal(kind(lesson10.filter.check("ac_phys/+/summary")), "correct");
    assert.match(says(lesson10.filter.check("ac_phys/#")), /# takes every level after it/);
    assert.match(says(lesson10.filter.check("ac_phys/workxp/summary")), /does not match ac_phys\/linac\/summary.*needs a wildcard/);
    assert.match(says(lesson10.filter.check("+/+/summary")), /also matches other\/workxp\/summary/);
    assert.match(says(lesson10.filter.check("ac_phys/#/summary")), /has # that is not the whole last level$/);
    assert.match(says(lesson10.filter.check(42)), /in quotes/);
  });
  test("predict: a and d; one level too few or too many is explained", () => {
    assert.equal(kind(lesson10.predict.check(["a", "d"])), "correct");
    assert.equal(kind(lesson10.predict.check(["D", " a"])), "correct");
    assert.match(says(lesson10.predict.check(["a"])), /^d\) ac_phys\/linac\/status matches too/);
    assert.match(says(lesson10.predict.check(["a", "d", "e"])), /e\) .* has 4 levels, the filter has 3/);
    assert.match(says(lesson10.predict.check(["a", "c", "d"])), /c\) .* has 2 levels/);
    assert.match(says(lesson10.predict.check(["a", "z"])), /no topic "z"/);
    assert.match(says(lesson10.predict.check("a")), /list of letters/);
  });
});

describe("lesson11", () => {
  test("QoS 2 packets: 4; QoS 1's count and one short are explained", () => {
    assert.equal(kind(lesson11.qos2Packets.check(4)), "correct");
    assert.match(says(lesson11.qos2Packets.check(2)), /that is QoS 1/);
    assert.match(says(lesson11.qos2Packets.check(3)), /one more/);
  });
  test("survivors: [1, 2] in any order; QoS 0 or a missing level is explained", () => {
    assert.equal(kind(lesson11.survivors.check([2, 1])), "correct");
    assert.match(says(lesson11.survivors.check([0, 1, 2])), /QoS 0 message ever come/);
    assert.match(says(lesson11.survivors.check([1])), /kept a copy/);
    assert.match(says(lesson11.survivors.check(["1"])), /list of QoS levels/);
  });
  test("copies: QoS 1 twice, QoS 2 once", () => {
    assert.equal(kind(lesson11.copies.check({ qos1: 2, qos2: 1 })), "correct");
    assert.match(says(lesson11.copies.check({ qos1: 1, qos2: 1 })), /PUBACK did not/);
    assert.match(says(lesson11.copies.check({ qos1: 2, qos2: 2 })), /recognise the second try/);
    assert.match(says(lesson11.copies.check(3)), /an object like/);
    assert.equal(kind(lesson11.copies.check({ qos1: TODO, qos2: TODO })), "blank");
  });
});

describe("lesson12", () => {
  test('clearing a retained message: "" or no bytes; text and null are explained', () => {
    assert.equal(kind(lesson12.clearRetained.check("")), "correct");
    assert.equal(kind(lesson12.clearRetained.check(new Uint8Array(0))), "correct");
    assert.match(says(lesson12.clearRetained.check("clear")), /would become the new retained message/);
    assert.match(says(lesson12.clearRetained.check(null)), /no null/);
  });
  test("when the will goes out: b, with a reason for a and c", () => {
    assert.equal(kind(lesson12.whenWill.check("B")), "correct");
    assert.match(says(lesson12.whenWill.check("a")), /polite disconnect/);
    assert.match(says(lesson12.whenWill.check("d")), /answer "a", "b" or "c"/);
  });
  test("the monitor's will: each property that is wrong is named", () => {
    const right = { topic: practiceTopic("monitor/status"), payload: "offline", qos: 1, retain: true };
    assert.equal(kind(lesson12.monitorWill.check(right)), "correct");
    assert.match(says(lesson12.monitorWill.check({ ...right, topic: "monitor/status" })), /^topic: use practiceTopic/);
    assert.match(says(lesson12.monitorWill.check({ ...right, payload: "bye" })), /^payload/);
    assert.match(says(lesson12.monitorWill.check({ ...right, qos: 0 })), /^qos: 1/);
    assert.match(says(lesson12.monitorWill.check({ ...right, retain: false })), /^retain: true, or a control room that starts later/);
  });
});

describe("lesson13", () => {
  test("noticed after 22.5 s; one keep-alive and dividing are explained", () => {
    assert.equal(kind(lesson13.noticedAfter.check(22.5)), "correct");
    assert.match(says(lesson13.noticedAfter.check(15)), /half as long again/);
    assert.match(says(lesson13.noticedAfter.check(10)), /divided/);
  });
  test("while away: b; sessions: a", () => {
    assert.equal(kind(lesson13.whileAway.check("b")), "correct");
    assert.match(says(lesson13.whileAway.check("a")), /was the QoS 0 message among them/);
    assert.match(says(lesson13.whileAway.check("d")), /clean: false/);
    assert.equal(kind(lesson13.sameId.check("a")), "correct");
    assert.match(says(lesson13.sameId.check("b")), /stranger|never seen/);
  });
});

describe("lesson14", () => {
  const samples = new BeamSimulator({ seed: 2 }).nextPulse();
  const peak = Math.min(...samples.subarray(39 * 2200, 40 * 2200));
  test("row 39 starts at 85,800; the row number, the end and the next row are explained", () => {
    assert.equal(kind(lesson14.intensityStart.check(85800)), "correct");
    assert.match(says(lesson14.intensityStart.check(39)), /row number/);
    assert.match(says(lesson14.intensityStart.check(88000)), /end of the whole pulse/);
    assert.match(says(lesson14.intensityStart.check(38 * 2200)), /row 38 starts/);
  });
  test("the peak by hand: the most negative sample of row 39; a wrong sign, a short loop and other rows are explained", () => {
    assert.equal(kind(lesson14.peakByHand.check(peak, samples)), "correct");
    assert.match(says(lesson14.peakByHand.check(-peak, samples)), /wrong sign/);
    assert.match(says(lesson14.peakByHand.check(Math.min(...samples.subarray(39 * 2200, 39 * 2200 + 10)), samples)), /whole row/);
    assert.match(says(lesson14.peakByHand.check(-5, samples)), /other rows/);
    assert.match(says(lesson14.peakByHand.check(peak, undefined)), /second value/);
  });
  test('the event for every (re)connect: "connect"; "reconnect" and "close" are explained', () => {
    assert.equal(kind(lesson14.everyReconnect.check(" Connect")), "correct");
    assert.match(says(lesson14.everyReconnect.check("reconnect")), /STARTS trying again/);
    assert.match(says(lesson14.everyReconnect.check("close")), /ends/);
  });
});

describe("lesson15", () => {
  const good = (s: PulseSummary) => {
    if (s.survival !== null && s.survival < 0.8) return `survival ${s.survival}`;
    if (s.hottestBlmIntegralVms !== null && s.hottestBlmIntegralVms > 1) return "loss";
    return undefined;
  };
  test("the alarm rule: the solution passes; each kind of wrong rule hears which pulse it got wrong", () => {
    assert.equal(kind(lesson15.alarm.check(good)), "correct");
    assert.match(
      says(lesson15.alarm.check((s: PulseSummary) => (s.survival !== null && s.survival < 0.8 ? "low" : undefined))),
      /1\.8 V·ms/,
    );
    assert.match(says(lesson15.alarm.check((s: PulseSummary) => (s.survival! < 0.8 ? "low" : undefined))), /survival is unknown|no alarm/);
    assert.match(says(lesson15.alarm.check(() => "always")), /false alarm \("always"\) for pulse 1 .*too tight/);
    assert.match(says(lesson15.alarm.check(() => undefined)), /no alarm for pulse 22/);
    assert.match(says(lesson15.alarm.check((s: PulseSummary) => s.survival!.toFixed(2) && undefined)), /threw on .*survival can be null/);
    assert.match(says(lesson15.alarm.check(() => true)), /a text \(the reason\) or undefined/);
    assert.equal(kind(lesson15.alarm.check(() => TODO)), "blank");
    assert.match(says(lesson15.alarm.check("yes")), /the function itself/);
  });
  test("the late control room: a; why QoS 1: a", () => {
    assert.equal(kind(lesson15.lateControlRoom.check("a")), "correct");
    assert.match(says(lesson15.lateControlRoom.check("b")), /only when the state changes/);
    assert.equal(kind(lesson15.whyQos1.check("a")), "correct");
    assert.match(says(lesson15.whyQos1.check("b")), /slower/);
  });
});
