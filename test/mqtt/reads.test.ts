import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { decodePulse } from "../../src/beam/decode";
import { PULSE_BYTES } from "../../src/beam/layout";
import { MQTTClient, type Message } from "../../src/mqtt/client";
import { PayloadPool } from "../../src/mqtt/payload-pool";
import { readSettings } from "../../src/mqtt/settings";
import { waitFor } from "../helpers/wait";
import { remainingLength } from "../helpers/mqtt-bytes";

// How an MQTTClient reads (src/mqtt/mqtt-patches.ts, src/mqtt/size-guard.ts): an mqtt:// socket reads into one
// buffer shared by every connection, or straight into the buffer of the large packet it is filling; each packet
// reaches mqtt.js whole, in a buffer of its own. Here a
// hand-written broker on loopback controls exactly which bytes arrive, in which pieces, and how fast.

const TOPIC = "reads/pulses";
const settings = readSettings({});

function publishPacket(topic: string, payload: Uint8Array): Buffer {
  const t = Buffer.from(topic);
  return Buffer.concat([Buffer.from([0x30, ...remainingLength(2 + t.length + payload.length), t.length >> 8, t.length & 255]), t, payload]);
}

/** A pulse-sized payload whose every byte says which pulse it is and where it is. */
function numberedPayload(k: number): Buffer {
  const payload = Buffer.alloc(PULSE_BYTES);
  for (let i = 0; i < PULSE_BYTES; i += 4) payload.writeUInt32LE((k * 7919 + i) >>> 0, i);
  return payload;
}

/**
 * Just enough of a broker: CONNACK, SUBACK, PINGRESP; `onSubscribed` gets the socket to write publishes into.
 */
async function fakeBroker(onSubscribed: (socket: Socket) => void): Promise<{ server: Server; url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let held = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      held = Buffer.concat([held, chunk]);
      for (;;) {
        if (held.length < 2) return;
        let length = 0;
        let k = 1;
        for (let shift = 1; ; k++, shift *= 128) {
          if (k >= held.length) return;
          length += (held[k]! & 0x7f) * shift;
          if ((held[k]! & 0x80) === 0) break;
        }
        const end = k + 1 + length;
        if (held.length < end) return;
        const type = held[0]! >> 4;
        const body = held.subarray(k + 1, end);
        held = held.subarray(end);
        if (type === 1)
          socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNECT → CONNACK
        else if (type === 8) {
          socket.write(Buffer.from([0x90, 0x03, body[0]!, body[1]!, 0x00])); // SUBSCRIBE → SUBACK, QoS 0
          onSubscribed(socket);
        } else if (type === 12)
          socket.write(Buffer.from([0xd0, 0x00])); // PINGREQ → PINGRESP
        else if (type === 14) socket.end(); // DISCONNECT
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `mqtt://127.0.0.1:${port}`, sockets };
}

async function closeBroker(broker: { server: Server; sockets: Set<Socket> }): Promise<void> {
  for (const socket of broker.sockets) socket.destroy();
  await new Promise<void>((resolve) => broker.server.close(() => resolve()));
}

describe("reading pulses from the socket", () => {
  const COUNT = 12;
  const payloads = Array.from({ length: COUNT }, (_, k) => numberedPayload(k));
  let broker: Awaited<ReturnType<typeof fakeBroker>>;

  before(async () => {
    broker = await fakeBroker((socket) => {
      // Every pulse, with a PINGRESP between two of them, cut into pieces that straddle packet boundaries:
      // 1 byte, odd sizes, several packets in one write.
      const stream = Buffer.concat(payloads.flatMap((p, k) => [publishPacket(TOPIC, p), ...(k === 3 ? [Buffer.from([0xd0, 0x00])] : [])]));
      const cuts = [1, 2, 3, 33, 34, 65_536, 700_001, 704_036, 704_037, 1_500_000, 3_000_123, stream.length];
      let from = 0;
      for (const cut of cuts) {
        if (cut > from) socket.write(stream.subarray(from, cut));
        from = cut;
      }
    });
  });
  after(() => closeBroker(broker));

  test("every pulse arrives whole and in order, byte for byte, its payload 8-aligned (decodePulse does not copy)", async () => {
    const got: Message[] = [];
    const client = new MQTTClient(TOPIC, { url: broker.url, settings });
    client.onMessage = (m) => got.push(m);
    await client.connect();
    await waitFor("all pulses", () => got.length === COUNT);
    await client.disconnect();
    got.forEach((m, k) => {
      assert.equal(m.topic, TOPIC);
      assert.ok(m.payload.equals(payloads[k]!), `pulse ${k} differs`);
      assert.equal(m.payload.byteOffset % 8, 0, `pulse ${k} starts at byte ${m.payload.byteOffset} of its buffer`);
      assert.equal(decodePulse(m.payload).copied, false);
    });
    assert.notEqual(got[0]!.payload.buffer, got[1]!.payload.buffer, "each payload has a buffer of its own: keeping one keeps no other");
    assert.equal(client.stats.rejected, 0);
  });
});

describe("a client that is busy stops reading", () => {
  const COUNT = 60; // 42 MB
  const payload = numberedPayload(1);
  let sender: Socket | undefined;
  let broker: Awaited<ReturnType<typeof fakeBroker>>;

  before(async () => {
    broker = await fakeBroker((socket) => {
      sender = socket;
      const packet = publishPacket(TOPIC, payload);
      for (let k = 0; k < COUNT; k++) socket.write(packet);
    });
  });
  after(() => closeBroker(broker));

  test("it reads a few pulses ahead at most, and lets the rest wait in the network (TCP flow control); all arrive", async () => {
    let received = 0;
    let mostAhead = 0;
    const client = new MQTTClient(TOPIC, { url: broker.url, settings });
    const packetBytes = publishPacket(TOPIC, payload).length;
    client.onMessage = () => {
      received++;
      // Bytes taken from the socket but not yet handed over as messages: what the client holds for later.
      const socket = (client as unknown as { client: { stream: Socket } }).client.stream;
      mostAhead = Math.max(mostAhead, socket.bytesRead - received * packetBytes);
      const until = performance.now() + 20; // a slow cell: 20 ms per pulse
      while (performance.now() < until);
    };
    await client.connect();
    await waitFor("all pulses", () => received === COUNT, 30_000);
    await client.disconnect();
    assert.ok(sender, "the broker sent");
    // 4 MB of whole packets for mqtt.js (size-guard.ts), one read, and the packet being parsed: under 8 MB of 42.
    assert.ok(mostAhead < 8e6, `the client read ${mostAhead} bytes ahead of what it had handled`);
  });
});

describe("recycled payloads (recyclePayloads, as npm run listen reads)", () => {
  const COUNT = 12;
  const payloads = Array.from({ length: COUNT }, (_, k) => numberedPayload(k));
  let broker: Awaited<ReturnType<typeof fakeBroker>>;

  before(async () => {
    // Every pulse in one go, so that mqtt.js holds several while the first is handled.
    broker = await fakeBroker((socket) => socket.write(Buffer.concat(payloads.map((p) => publishPacket(TOPIC, p)))));
  });
  after(() => closeBroker(broker));

  test("each payload is right while onMessage runs, and the memory of handled ones holds later pulses", async () => {
    const wrong: number[] = [];
    const memories = new Set<ArrayBufferLike>();
    let received = 0;
    const client = new MQTTClient(TOPIC, { url: broker.url, settings, recyclePayloads: true });
    client.onMessage = (m) => {
      if (!m.payload.equals(payloads[received]!) || decodePulse(m.payload).copied) wrong.push(received);
      memories.add(m.payload.buffer);
      received++;
    };
    await client.connect();
    await waitFor("all pulses", () => received === COUNT);
    await client.disconnect();
    assert.deepEqual(wrong, [], "pulses that differed (or were not 8-aligned) while their onMessage ran");
    assert.ok(memories.size <= 6, `${memories.size} buffers for ${COUNT} pulses: the memory was not used again`);
  });

  test("an onMessage that returns a Promise keeps its payload", async () => {
    const got: Message[] = [];
    const client = new MQTTClient(TOPIC, { url: broker.url, settings, recyclePayloads: true });
    client.onMessage = async (m) => void got.push(m);
    await client.connect();
    await waitFor("all pulses", () => got.length === COUNT);
    await client.disconnect();
    got.forEach((m, k) => assert.ok(m.payload.equals(payloads[k]!), `pulse ${k} was overwritten`));
  });

  test("the pool takes back only memory it gave out, and keeps a few buffers at most", () => {
    const pool = new PayloadPool();
    pool.release(Buffer.alloc(16)); // Node's shared pool, or anybody's buffer: never used again
    pool.release(Buffer.allocUnsafeSlow(PULSE_BYTES));
    assert.equal(pool.size, 0);
    const given = Array.from({ length: 6 }, () => pool.alloc(PULSE_BYTES));
    given.forEach((memory) => pool.release(new Uint8Array(memory, 8, 100)));
    pool.release(new Uint8Array(given[0]!));
    assert.equal(pool.size, 4);
    assert.equal(pool.alloc(PULSE_BYTES + 1).byteLength, PULSE_BYTES + 1, "too small buffers are not handed out");
    assert.ok(given.includes(pool.alloc(100)), "a kept buffer is handed out again");
  });
});
