#!/usr/bin/env node
/** npm run listen — subscribe and print one line per message: what an instructor checks a broker with. */
import { analysePulse } from "../analysis";
import { MQTTClient, sleep, type Message } from "../client";
import { decodePulse } from "../decode";
import { messageOf } from "../errors";
import { stopBuiltInFeed } from "../resolve-broker";
import { checkUrl, readSettings, redactUrl } from "../settings";
import { numberFlag, parseFlags, runMain } from "./run";

const USAGE = "npm run listen -- [--url URL] [--topic T] [--seconds S] [--json]";

runMain("listen", async () => {
  const flags = parseFlags("listen", USAGE, {
    url: { type: "string" },
    topic: { type: "string" },
    seconds: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  if (flags.url !== undefined) checkUrl(flags.url, "--url");
  const seconds = numberFlag("listen", "seconds", flags.seconds, 10, (n) => n > 0);
  const json = flags.json ?? false;
  const client = new MQTTClient(flags.topic, { url: flags.url });
  client.onMessage = (message) => print(describe(message), json);
  try {
    await client.connect();
    if (!json) console.log(`listening to ${client.topic} at ${redactUrl(client.url!)} for ${seconds} s`);
    await sleep(seconds * 1000);
  } finally {
    await client.disconnect();
    await stopBuiltInFeed();
  }
  const { received, connects } = client.stats;
  const rejected = received - accepted;
  if (json) print({ summary: true, received, rejected, connects }, true);
  else console.log(`received ${received}, rejected ${rejected}`);
});

let accepted = 0;

/** One message as a record: its size and either its analysis or why it is not a pulse. */
function describe(message: Message): Record<string, unknown> {
  const base = { seq: message.seq, topic: message.topic, bytes: message.payload.byteLength };
  try {
    const a = analysePulse(decodePulse(message.payload));
    accepted++;
    return {
      ...base,
      intensityPeakV: round(a.intensityPeakV, 4),
      survival: round(a.survival, 4),
      hottestBlm: a.hottestBlm,
      hottestBlmIntegralVms: round(a.hottestBlmIntegralVms, 5),
      ...(a.nonFiniteSamples ? { nonFiniteSamples: a.nonFiniteSamples } : {}),
    };
  } catch (error) {
    return { ...base, error: messageOf(error) };
  }
}

function print(record: Record<string, unknown>, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(record));
    return;
  }
  const head = `#${record.seq} ${record.topic} ${record.bytes} bytes`;
  if (record.error !== undefined) console.log(`${head}: rejected, ${record.error}`);
  else {
    const survival = ((record.survival as number) * 100).toFixed(1);
    console.log(
      `${head}: R5IM peak ${(record.intensityPeakV as number).toFixed(3)} V, survival ${survival} %, ` +
        `hottest ${record.hottestBlm} (${(record.hottestBlmIntegralVms as number).toFixed(4)} V·ms)`,
    );
  }
}

function round(value: number, digits: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}
