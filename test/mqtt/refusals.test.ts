// What our client says when a broker refuses a subscription: the rule, when our broker names it; otherwise one
// generic line (here an aedes with a rule but no notices, as any broker that answers SUBACK 128).
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { mock, test } from "node:test";
import { MQTTClient } from "../../src/mqtt/client";
import { readSettings } from "../../src/mqtt/settings";
import { waitFor } from "../helpers/wait";

test("a subscription refused with SUBACK 128 and no notice gets one generic line, printed once", async () => {
  const { Aedes } = await import("aedes");
  const aedes = await Aedes.createBroker();
  aedes.authorizeSubscribe = (_client, sub, done) => done(null, sub.topic === "secret/#" ? null : sub);
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
  const printed: string[] = [];
  mock.method(console, "warn", (line: string) => printed.push(line));
  const client = new MQTTClient("open/topic", { url, settings: readSettings({}) });
  try {
    await client.connect();
    await client.subscribe("secret/#");
    await waitFor("the refusal line", () => client.stats.refused === 1, 3000);
    const line = `the broker at ${url} refused the subscription to secret/#: ask whoever runs it which topics you may read`;
    assert.deepEqual(printed, [line]);
    assert.ok(client.errors.includes(line));
    await client.subscribe("open/#"); // allowed: nothing more is said
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(client.stats.refused, 1);
  } finally {
    mock.restoreAll();
    await client.disconnect();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
