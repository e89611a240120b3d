import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { pulseFromSamples } from "../../src/beam/decode";
import { TODO } from "../../src/lessons/exercise";
import { CHANNELS, ROWS, SAMPLES, sampleAt } from "../../src/beam/layout";
import { lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson09 } from "../../src/lessons/index";

const kind = (v: { kind: string }) => v.kind;
const says = (v: { message: string }) => v.message;

describe("lesson01", () => {
  test("protons per second: 1.5e15; one pulse, dividing and a wrong power of ten are explained", () => {
    assert.equal(kind(lesson01.protonsPerSecond.check(50 * 3e13)), "correct");
    assert.match(says(lesson01.protonsPerSecond.check(3e13)), /ONE pulse/);
    assert.match(says(lesson01.protonsPerSecond.check(3e13 / 50)), /divided/);
    assert.match(says(lesson01.protonsPerSecond.check(1.5e14)), /power of ten is off by 1/);
    assert.match(says(lesson01.protonsPerSecond.check("1.5e15")), /without quotes/);
    assert.match(
      says(lesson01.protonsPerSecond.check((50 * 3 * 10) ^ 13)),
      /50 \* 3 \* 10 \^ 13 is 1,489 in TypeScript.*50 \* 3 \* 10 \*\* 13/,
    );
    assert.match(says(lesson01.protonsPerSecond.check(NaN)), /NaN/);
    assert.equal(kind(lesson01.protonsPerSecond.check(TODO)), "blank");
  });
  test("ms between pulses: 20; seconds and the acceleration time are explained", () => {
    assert.equal(kind(lesson01.msBetweenPulses.check(1000 / 50)), "correct");
    assert.match(says(lesson01.msBetweenPulses.check(0.02)), /milliseconds/);
    assert.match(says(lesson01.msBetweenPulses.check(10)), /acceleration/);
  });
  test("BLM count: 39; forgetting the missing R0BLM2 is explained", () => {
    assert.equal(kind(lesson01.blmCount.check(39)), "correct");
    assert.match(says(lesson01.blmCount.check(40)), /no BLM2/);
    assert.match(says(lesson01.blmCount.check(36)), /R0 counts too/);
  });
});

describe("lesson02", () => {
  test("byte values: 2 ** 8; ^, × and the largest value are explained", () => {
    assert.equal(kind(lesson02.byteValues.check(2 ** 8)), "correct");
    assert.match(says(lesson02.byteValues.check(2 ^ 8)), /^2 \^ 8 is 10 in TypeScript: \^ is not "to the power".*2 \*\* 8\.$/);
    assert.match(says(lesson02.byteValues.check(16)), /adds up eight 2s/);
    assert.match(says(lesson02.byteValues.check(64)), /other way round/);
    assert.match(says(lesson02.byteValues.check(255)), /Counting 0/);
  });
  test("warm readings: [24, 27, 23] from a loop; all, none, a cold one and a missing one are explained", () => {
    assert.equal(kind(lesson02.warmReadings.check([24, 27, 23])), "correct");
    assert.equal(kind(lesson02.warmReadings.check([])), "blank");
    assert.match(says(lesson02.warmReadings.check([18, 21, 24, 27, 23])), /every reading went in/);
    assert.match(says(lesson02.warmReadings.check([21, 24, 27])), /21 °C is not above 22/);
    assert.match(says(lesson02.warmReadings.check([24, 27])), /23 °C is above 22 °C and should be in warm/);
    assert.match(says(lesson02.warmReadings.check(24)), /should be a list/);
  });
  test("fanLabel: the ternary; a boolean, capitals and >= are explained", () => {
    assert.equal(kind(lesson02.fanLabel.check((t: number) => (t > 25 ? "ON" : "off"))), "correct");
    assert.match(says(lesson02.fanLabel.check((t: number) => t > 25)), /gave true: that is the test/);
    assert.match(says(lesson02.fanLabel.check((t: number) => (t > 25 ? "on" : "off"))), /capitals matter/);
    assert.match(says(lesson02.fanLabel.check((t: number) => (t >= 25 ? "ON" : "off"))), /not ABOVE 25/);
    assert.equal(kind(lesson02.fanLabel.check(() => TODO)), "blank");
  });
  test("Thermometer: extends Sensor and overrides describe with super; forgetting the unit or the space is explained", () => {
    class Sensor {
      constructor(readonly name: string) {}
      describe(value: number): string {
        return `${this.name}: ${value}`;
      }
    }
    class Thermometer extends Sensor {
      override describe(value: number): string {
        return super.describe(value) + " °C";
      }
    }
    class Unchanged extends Sensor {}
    class Squashed extends Sensor {
      override describe(value: number): string {
        return super.describe(value) + "°C";
      }
    }
    assert.equal(kind(lesson02.thermometer.check(new Thermometer("kitchen"))), "correct");
    assert.match(says(lesson02.thermometer.check(new Sensor("kitchen"))), /plain Sensor/);
    assert.match(says(lesson02.thermometer.check(new Unchanged("kitchen"))), /add " °C" to super.describe/);
    assert.match(says(lesson02.thermometer.check(new Squashed("kitchen"))), /one space before °C/);
    assert.match(says(lesson02.thermometer.check(Thermometer)), /check a thermometer/);
  });
});

describe("lesson03", () => {
  test("threshold: from 23 up to 24 is right; others say which readings go wrong", () => {
    for (const t of [23, 23.5, 23.99]) assert.equal(kind(lesson03.threshold.check(t)), "correct", String(t));
    assert.match(says(lesson03.threshold.check(20)), /also come on at 21 and 23 °C/);
    assert.match(says(lesson03.threshold.check(24)), /stay off at 24 °C \(24 is not ABOVE 24\)/);
    assert.match(says(lesson03.threshold.check(30)), /stay off at 24 and 27 °C/);
  });
  test("fanShouldRun: the right rule passes; ignoring the topic or >= is caught; a blank body is not tried", () => {
    assert.equal(kind(lesson03.fanShouldRun.check((topic: string, v: number) => topic === "temperature" && v > 25)), "correct");
    assert.match(says(lesson03.fanShouldRun.check((_: string, v: number) => v > 25)), /humidity/);
    assert.match(says(lesson03.fanShouldRun.check((t: string, v: number) => t === "temperature" && v >= 25)), /not ABOVE/);
    assert.match(says(lesson03.fanShouldRun.check(() => "yes")), /true or false/);
    assert.match(
      says(lesson03.fanShouldRun.check(true)),
      /no brackets after its name \(you gave true: what one call of fanShouldRun gave\)/,
    );
    assert.equal(kind(lesson03.fanShouldRun.check(() => TODO)), "blank");
  });
});

describe("lesson04", () => {
  const installed = JSON.parse(readFileSync("node_modules/mqtt/package.json", "utf8")).version as string;
  const asked = JSON.parse(readFileSync("package.json", "utf8")).dependencies.mqtt as string;
  test("which package runs TypeScript in Jupyter: tslab", () => {
    assert.equal(kind(lesson04.whichPackage.check(" TSLab ")), "correct");
    assert.match(says(lesson04.whichPackage.check("mqtt")), /talks to the broker/);
  });
  test("mqtt version: the installed one; the range from package.json is explained", () => {
    assert.equal(kind(lesson04.mqttVersion.check(installed)), "correct");
    assert.equal(kind(lesson04.mqttVersion.check(`v${installed}`)), "correct");
    if (asked !== installed) assert.match(says(lesson04.mqttVersion.check(asked)), /ASKS for/);
    assert.match(says(lesson04.mqttVersion.check(5)), /as text in quotes/);
  });
});

describe("lesson05", () => {
  test("sizes: all 704,000 is right; empty is not tried; seq numbers are recognised", () => {
    assert.equal(kind(lesson05.sizes.check([704000, 704000])), "correct");
    assert.equal(kind(lesson05.sizes.check([])), "blank");
    assert.match(says(lesson05.sizes.check([1, 2, 3])), /seq numbers/);
    assert.match(says(lesson05.sizes.check([704000, 12])), /one size is 12/);
  });
  test("same id: b", () => {
    assert.equal(kind(lesson05.sameId.check("B")), "correct");
    assert.equal(kind(lesson05.sameId.check("a")), "incorrect");
  });
  test("id count: 62 ** 12; 62 × 12, 12 ** 62 and ^ for 'to the power' are explained", () => {
    assert.equal(kind(lesson05.idCount.check(62 ** 12)), "correct");
    assert.equal(62 ^ 12, 50);
    assert.match(
      says(lesson05.idCount.check(62 ^ 12)),
      /^62 \^ 12 is 50 in TypeScript: \^ is not "to the power".*Write \*\* instead: 62 \*\* 12\.$/,
    );
    assert.match(says(lesson05.idCount.check(744)), /counts the characters/);
    assert.match(says(lesson05.idCount.check(12 ** 62)), /other way round/);
  });
});

describe("lesson06", () => {
  const data = { received: 6, seconds: 3 };
  test("per second: a function of received and seconds; the total, the inverse and a number read off the output are explained", () => {
    const verdict = lesson06.perSecond.check((received: number, seconds: number) => received / seconds, data);
    assert.equal(kind(verdict), "correct");
    assert.match(says(verdict), /Your data: 6 in 3 s, 2 a second/);
    assert.match(
      says(lesson06.perSecond.check((received: number) => received, data)),
      /^messagesPerSecond\(10, 5\) gave 10: that is all the messages/,
    );
    assert.match(says(lesson06.perSecond.check((r: number, s: number) => s / r, data)), /upside down/);
    // The built-in feed sends one a second: typing 1 is not the calculation.
    assert.match(
      says(lesson06.perSecond.check(() => 1, { received: 5, seconds: 5 })),
      /gave 1, but 10 messages in 5 seconds is 2 a second: use received and seconds, not a number you read off/,
    );
    assert.match(says(lesson06.perSecond.check(2, data)), /pass the function itself/);
    assert.equal(kind(lesson06.perSecond.check(() => TODO, data)), "blank");
    assert.equal(
      kind(lesson06.perSecond.check((r: number, s: number) => r / s, { received: 0, seconds: 3 })),
      "correct",
      "no messages is 0 a second",
    );
  });
  test("bytes per second at 50 Hz: 35,200,000; a lost ,000 is explained", () => {
    assert.equal(kind(lesson06.bytesPerSecond.check(50 * 704000)), "correct");
    assert.match(says(lesson06.bytesPerSecond.check(704000)), /ONE message/);
    assert.match(says(lesson06.bytesPerSecond.check(50 * 704)), /the ,000 got lost/);
  });
});

describe("lesson07", () => {
  test("row of R4BLM3: 17; a neighbour row is named", () => {
    assert.equal(kind(lesson07.rowOfR4BLM3.check(CHANNELS.indexOf("R4BLM3"))), "correct");
    assert.match(says(lesson07.rowOfR4BLM3.check(18)), /row 18 is R4BLM4.*count from 0/);
    assert.match(says(lesson07.rowOfR4BLM3.check(40)), /no row 40/);
  });
  test("a row where a number is asked: named in one line, never its 2,200 numbers", () => {
    const pulse = pulseFromSamples(new Float64Array(ROWS * SAMPLES).map((_, i) => Math.sin(i) / 100));
    const row = pulse.channel("R4BLM3");
    for (const verdict of [lesson07.rowOfR4BLM3.check(row), lesson07.r1blm3At2ms.check(row, pulse), lesson07.intensityOffset.check(row)]) {
      assert.equal(kind(verdict), "incorrect");
      assert.match(says(verdict), /Float64Array of 2,200 numbers, starting -?0\.\d{4}, -?0\.\d{4}, -?0\.\d{4} …/);
      assert.ok(String(verdict).length < 200, `${String(verdict).length} characters: ${String(verdict)}`);
    }
    assert.match(says(lesson07.r1blm3At2ms.check(row, pulse)), /\[sampleAt\(2\)\]/);
    assert.match(says(lesson07.intensityOffset.check(row)), /asks for ONE number/);
  });
  test("byte offset of row 39: 686,400; counting numbers instead of bytes is explained", () => {
    assert.equal(kind(lesson07.intensityOffset.check(39 * 2200 * 8)), "correct");
    assert.match(says(lesson07.intensityOffset.check(39 * 2200)), /8 bytes/);
    assert.match(says(lesson07.intensityOffset.check(704000)), /whole message/);
  });
  test("R1BLM3 at 2 ms: the sample nearest 2 ms; sample 2, another row and the time are explained", () => {
    const data = new Float64Array(ROWS * SAMPLES).map((_, i) => i / 1e6); // every sample different
    const pulse = pulseFromSamples(data);
    const r1blm3 = pulse.channel("R1BLM3");
    assert.equal(kind(lesson07.r1blm3At2ms.check(r1blm3[sampleAt(2)], pulse)), "correct");
    assert.match(says(lesson07.r1blm3At2ms.check(r1blm3[sampleAt(2) - 1], pulse)), /right next to 2 ms/);
    assert.match(says(lesson07.r1blm3At2ms.check(r1blm3[2], pulse)), /sample number 2/);
    assert.match(says(lesson07.r1blm3At2ms.check(pulse.channel("R4BLM3")[sampleAt(2)], pulse)), /R4BLM3 at 2 ms/);
    assert.match(says(lesson07.r1blm3At2ms.check(2, pulse)), /the time/);
  });
});

describe("lesson09", () => {
  test("redraw gap: 200 ms; seconds, the rate and the pulse gap are explained", () => {
    assert.equal(kind(lesson09.redrawGap.check(1000 / 5)), "correct");
    assert.match(says(lesson09.redrawGap.check(0.2)), /in seconds/);
    assert.match(says(lesson09.redrawGap.check(5)), /how many redraws/);
    assert.match(says(lesson09.redrawGap.check(20)), /two PULSES/);
  });
  test("skipped in 10 s: 450; arrived, drawn and per second are explained", () => {
    assert.equal(kind(lesson09.skippedIn10s.check(50 * 10 - 5 * 10)), "correct");
    assert.match(says(lesson09.skippedIn10s.check(500)), /ARRIVE/);
    assert.match(says(lesson09.skippedIn10s.check(45)), /every second/);
  });
  test("drawn share: from the view's own stats; the skipped share, a percentage and a count are explained", () => {
    const fast = { analysed: 500, skipped: 449 };
    assert.equal(kind(lesson09.drawnShare.check((fast.analysed - fast.skipped) / fast.analysed, fast)), "correct");
    assert.match(says(lesson09.drawnShare.check(449 / 500, fast)), /SKIPPED/);
    assert.match(says(lesson09.drawnShare.check(10.2, fast)), /percentage/);
    assert.match(says(lesson09.drawnShare.check(51, fast)), /how many were drawn/);
    assert.match(says(lesson09.drawnShare.check(0.1, { analysed: 0, skipped: 0 })), /analysed no pulses/);
  });
});
