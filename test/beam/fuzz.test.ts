// Property-based tests (fast-check): whatever bytes arrive, decoding either gives a pulse or a PayloadError
// with a reason; every pulse round-trips bit for bit; the size guard in front of mqtt.js passes exactly the
// packets it should, however the bytes are cut into chunks.
import assert from "node:assert/strict";
import { Readable, Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { analysePulse } from "../../src/beam/analysis";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { MQTTClient, type Message } from "../../src/mqtt/client";
import { countNonFinite, decodePulse, encodePulse, pulseFromSamples } from "../../src/beam/decode";
import { PayloadError } from "../../src/errors";
import { PULSE_BYTES, ROWS, SAMPLES } from "../../src/beam/layout";
import { readSettings } from "../../src/mqtt/settings";
import { SizeGuard, type OversizedMessage } from "../../src/mqtt/size-guard";
import { Mosquitto } from "../helpers/mosquitto";
import { waitFor } from "../helpers/wait";
import { remainingLength } from "../helpers/mqtt-bytes";

const settings = readSettings({});

/** Fills bytes from a seed, fast (xorshift32): random bytes of any length without fast-check drawing each one. */
function fillRandom(bytes: Uint8Array, seed: number): Uint8Array {
  let x = seed | 0 || 1;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** `length` random bytes starting `offset` bytes into their buffer (any alignment). */
function randomBytesAt(length: number, offset: number, seed: number): Uint8Array {
  return fillRandom(new Uint8Array(offset + length), seed).subarray(offset);
}

const lengths = fc.oneof(
  fc.integer({ min: 0, max: 800_000 }),
  fc.integer({ min: PULSE_BYTES - 24, max: PULSE_BYTES + 24 }),
  fc.integer({ min: 0, max: 64 }),
  fc.constantFrom(0, 1, 7, 8, PULSE_BYTES - 8, PULSE_BYTES - 1, PULSE_BYTES, PULSE_BYTES + 1, PULSE_BYTES + 8, 800_000),
);

/** Doubles that break careless code: NaN, ±Infinity, −0, subnormals, the extremes, and anything else. */
const awkward = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2.2250738585072014e-308 / 2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.EPSILON,
  ),
  fc.double(),
);

/** A random pulse: random 64-bit patterns (NaNs with any payload among them) plus awkward values at random places. */
const pulses = fc
  .record({
    seed: fc.integer(),
    offset: fc.integer({ min: 0, max: 15 }),
    specials: fc.array(fc.tuple(fc.integer({ min: 0, max: ROWS * SAMPLES - 1 }), awkward), { maxLength: 200 }),
  })
  .map(({ seed, offset, specials }) => {
    const bytes = randomBytesAt(PULSE_BYTES, offset, seed);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const [index, value] of specials) view.setFloat64(index * 8, value, true);
    return bytes;
  });

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe("decodePulse on random bytes", () => {
  test("either decodes exactly 704,000 bytes or throws a PayloadError that says what arrived", () => {
    fc.assert(
      fc.property(lengths, fc.integer({ min: 0, max: 15 }), fc.integer(), (length, offset, seed) => {
        const bytes = randomBytesAt(length, offset, seed);
        let pulse;
        try {
          pulse = decodePulse(bytes);
        } catch (error) {
          assert.ok(error instanceof PayloadError, `not a PayloadError: ${error}`);
          assert.notEqual(length, PULSE_BYTES);
          assert.equal(error.bytes, length);
          assert.match(error.message, new RegExp(`^(empty message|message too (short|long)): ${length} bytes.*expected 704000 bytes`));
          assert.doesNotMatch(error.message, /\n/, "one line");
          return;
        }
        assert.equal(length, PULSE_BYTES);
        assert.equal(pulse.copied, bytes.byteOffset % 8 !== 0, "copies only when unaligned");
        assert.ok(sameBytes(encodePulse(pulse), bytes), "the samples are the bytes that arrived");
      }),
      { numRuns: 150 },
    );
  });

  test("says a short text message looks like text", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
        (text) => {
          assert.throws(
            () => decodePulse(Buffer.from(text)),
            (e: unknown) => e instanceof PayloadError && e.message.includes("it looks like text: "),
          );
        },
      ),
    );
  });
});

describe("encodePulse and decodePulse", () => {
  test("round-trip any pulse bit for bit, NaN payloads, ±Infinity, −0 and subnormals included, at any alignment", () => {
    fc.assert(
      fc.property(pulses, (bytes) => {
        const pulse = decodePulse(bytes);
        assert.ok(sameBytes(encodePulse(pulse), bytes));
        const again = decodePulse(encodePulse(pulseFromSamples(new Float64Array(pulse.data))));
        assert.ok(sameBytes(encodePulse(again), bytes), "through a fresh array too");
      }),
      { numRuns: 60 },
    );
  });

  test("analysePulse never throws on such a pulse, and counts exactly its non-finite samples", () => {
    fc.assert(
      fc.property(pulses, (bytes) => {
        const pulse = decodePulse(bytes);
        const analysis = analysePulse(pulse);
        assert.equal(analysis.nonFiniteSamples, countNonFinite(pulse.data));
        assert.equal(analysis.lossIntegralVms.length, 39);
        assert.ok(Number.isNaN(analysis.intensityPeakV) || Number.isFinite(analysis.intensityPeakV), "the peak is a real sample or NaN");
      }),
      { numRuns: 25 },
    );
  });
});

for (const [name, start] of [
  ["the embedded broker", () => startBroker()],
  ["a real Mosquitto", () => Mosquitto.start()],
] as const) {
  describe(`random pulses through ${name}`, () => {
    let broker: EmbeddedBroker | Mosquitto;
    before(async () => {
      broker = await start();
    });
    after(() => broker.close());

    test("arrive bit for bit as they were sent", async () => {
      const samples = fc.sample(pulses, { numRuns: 6, seed: 42 });
      const received: Message[] = [];
      const subscriber = new MQTTClient("fuzz/pulses", { url: broker.url, settings });
      subscriber.onMessage = (message) => received.push(message);
      await subscriber.connect();
      await new Promise((r) => setTimeout(r, 100)); // let the SUBACK land
      const publisher = await new MQTTClient("fuzz/pulses", { url: broker.url, settings }).connect();
      for (const bytes of samples) await publisher.publish("fuzz/pulses", bytes);
      await waitFor(`${samples.length} pulses`, () => received.length >= samples.length);
      await publisher.disconnect();
      await subscriber.disconnect();
      received.forEach((message, i) => {
        assert.ok(sameBytes(encodePulse(decodePulse(message.payload)), samples[i]!), `pulse ${i + 1} changed on the way`);
      });
    });
  });
}

// The size guard: a model of MQTT packets, cut into random chunks.
type Packet = { bytes: Buffer; publish?: { topic: string; payload: number } };

function publishPacket(topic: string, payload: number, qos: number): Packet {
  const t = Buffer.from(topic);
  const body = Buffer.concat([
    Buffer.from([t.length >> 8, t.length & 0xff]),
    t,
    qos ? Buffer.from([0, 7]) : Buffer.alloc(0),
    Buffer.alloc(payload, 0xab),
  ]);
  return { bytes: Buffer.concat([Buffer.from([0x30 | (qos << 1), ...remainingLength(body.length)]), body]), publish: { topic, payload } };
}

const publishes: fc.Arbitrary<Packet> = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 900, max: 1100 }), fc.integer({ min: 16_000, max: 20_000 })),
    fc.integer({ min: 0, max: 1 }),
  )
  .map(([topic, payload, qos]) => publishPacket(topic, payload, qos));
const others: fc.Arbitrary<Packet> = fc.oneof(
  fc.constant({ bytes: Buffer.from([0xd0, 0x00]) }), // PINGRESP
  fc.constant({ bytes: Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00]) }), // SUBACK
  fc.integer({ min: 0, max: 200 }).map((n) => ({ bytes: Buffer.concat([Buffer.from([0x40, ...remainingLength(n)]), Buffer.alloc(n, 1)]) })), // PUBACK-like, any length
);
const packets = fc.array(fc.oneof(publishes, others), { maxLength: 12 });

async function throughGuard(input: Buffer, cuts: number[], max: number): Promise<{ output: Buffer; oversized: OversizedMessage[] }> {
  const oversized: OversizedMessage[] = [];
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, input.length]) {
    if (p > from) chunks.push(input.subarray(from, p));
    from = Math.max(from, p);
  }
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks)
      .pipe(new SizeGuard(max, (m) => oversized.push(m)))
      .on("error", reject)
      .pipe(new Writable({ write: (chunk: Buffer, _e, done) => (out.push(chunk), done()) }))
      .on("finish", resolve);
  });
  return { output: Buffer.concat(out), oversized };
}

describe("the size guard in front of mqtt.js", () => {
  test("passes every packet unchanged except PUBLISH packets over the limit, which it reports with topic and size", async () => {
    await fc.assert(
      fc.asyncProperty(packets, fc.array(fc.nat(), { maxLength: 30 }), async (list, cuts) => {
        const max = 1000;
        const { output, oversized } = await throughGuard(Buffer.concat(list.map((p) => p.bytes)), cuts, max);
        const kept = list.filter((p) => !(p.publish && p.publish.payload > max));
        assert.ok(output.equals(Buffer.concat(kept.map((p) => p.bytes))), "the packets that pass are byte-identical");
        const dropped = list
          .filter((p) => p.publish && p.publish.payload > max)
          .map((p) => ({ topic: p.publish!.topic.slice(0, 200), bytes: p.publish!.payload }));
        assert.deepEqual(oversized, dropped);
      }),
      { numRuns: 300 },
    );
  });
});
