// startFeed's rule for a slot: publish when connected and the socket has room, else skip. The broker here is
// real bytes on loopback that stops reading after the CONNACK, so that the feed's socket fills up as it would
// behind a slow network; the schedule itself is tested on a mocked clock (schedule.test.ts).
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { test } from "node:test";
import { PULSE_BYTES } from "../../src/beam/layout";
import { startFeed } from "../../src/feed/feed";
import { waitFor } from "../helpers/wait";

/** Accepts one MQTT connection, answers CONNECT with a CONNACK, then reads nothing more until resumed. */
async function stalledBroker(): Promise<{ url: string; received: () => number; resume(): void; close(): Promise<void> }> {
  let socket: Socket | undefined;
  let received = 0;
  const server = createServer((s) => {
    socket = s;
    s.on("error", () => {});
    s.once("data", () => {
      s.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK: session not present, accepted
      s.pause();
      s.on("data", (d: Buffer) => (received += d.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    received: () => received,
    resume: () => socket?.resume(),
    close: () => {
      socket?.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test("a feed whose socket is full skips its slots rather than queue pulses, and publishes again once there is room", async () => {
  const broker = await stalledBroker();
  const feed = await startFeed({ url: broker.url, rate: 50 });
  try {
    // The system's socket buffers take a few MB; then the socket holds more than two pulses: it is busy. (Slots
    // skipped before that are late wake-ups of a busy machine, not a full socket.)
    await waitFor("the socket to fill", () => feed.backlogBytes > 2 * PULSE_BYTES, 20_000);
    const published = feed.published;
    const skipped = feed.skipped;
    let largest = 0;
    await waitFor(
      "25 more slots",
      () => {
        largest = Math.max(largest, feed.backlogBytes);
        return feed.skipped >= skipped + 25;
      },
      20_000,
    );
    assert.equal(feed.published, published, "no pulse handed over while the socket is full");
    assert.ok(feed.connected, "still connected: a full socket is not an outage");
    // Two pulses may wait before a slot is skipped; the pulse that went over the line is the third.
    assert.ok(largest <= 3 * PULSE_BYTES + 64, `backlog ${largest} bytes (${(largest / PULSE_BYTES).toFixed(2)} pulses)`);

    broker.resume();
    await waitFor("the feed publishing again", () => feed.published >= published + 5, 20_000);
    assert.ok(broker.received() > 0);
  } finally {
    await broker.close(); // first: a feed still connected to a socket that is full could not say goodbye
    await feed.stop();
  }
});
