// The live view on a classroom's 50 Hz envelope topic: the 7 kB envelopes are drawn as pulses, one frame updated
// in place, with the same monitors as a raw pulse would show.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { startFeed, type Feed } from "../../src/feed/feed";
import { liveView } from "../../src/live/live-view";
import type { DisplayLike } from "../../src/kernel/display";

let broker: EmbeddedBroker;
let feed: Feed;
before(async () => {
  broker = await startBroker();
  feed = await startFeed({ url: broker.url, rate: 50, pulseEvery: 50, envelope: true, seed: 8 });
});
after(async () => {
  await feed.stop();
  await broker.close();
});

test("liveView on ac_phys/workxp/envelope draws the envelopes as pulses", { timeout: 30_000 }, async () => {
  const frames: string[] = [];
  const display: DisplayLike = {
    html: (value: string) => void frames.push(value),
    png: () => {
      throw new Error("the live view draws HTML");
    },
  };
  const stats = await liveView({ url: broker.url, topic: "ac_phys/workxp/envelope", seconds: 2.5, display, name: "envelope-view" });
  assert.ok(stats.analysed >= 50, `${stats.analysed} envelopes analysed in 2.5 s at 50 Hz`);
  assert.equal(stats.rejected, 0);
  const last = frames.at(-1)!;
  assert.match(last, /class="live-pulse"/, "the last frame shows a pulse");
  assert.match(last, /R1BLM3/, "and names its hottest monitor");
});
