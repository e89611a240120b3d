#!/usr/bin/env node
/** npm run listen — subscribe and print one line per message: what an instructor checks a broker with. */
import { analysePulse } from "../beam/analysis";
import { MQTTClient, sleep, type Message } from "../mqtt/client";
import { decodePulse } from "../beam/decode";
import { messageOf } from "../errors";
import { describeOutage } from "../mqtt/outages";
import { stopBuiltInFeed } from "../feed/built-in";
import { checkUrl, redactUrl } from "../mqtt/settings";
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
  let listening = false;
  let rejected = 0;
  const report = (record: Record<string, unknown>) => {
    if (record.error !== undefined) rejected++;
    print(record, json);
  };
  client.onMessage = (message) => report(describe(message));
  // Only messages too large to read get here (describe() catches everything else): they get a line too.
  client.onReject = ({ seq, topic, bytes, reason }) => report({ seq, topic, bytes, error: reason });
  client.onDisconnect = () => {
    const outage = client.outages.at(-1);
    if (listening && !json && outage && outage.reconnectedAt === undefined) console.log(`connection lost: ${outage.reason}; reconnecting`);
  };
  client.onConnect = () => {
    void client.subscribe(client.topic);
    const outage = client.outages.at(-1);
    if (listening && !json && outage?.reconnectedAt !== undefined && client.stats.connects > 1) {
      console.log(`connected again after ${(outage.downMs / 1000).toFixed(1)} s`);
    }
  };
  try {
    await client.connect();
    listening = true;
    if (!json) console.log(`listening to ${client.topic} at ${redactUrl(client.url!)} for ${seconds} s`);
    await sleep(seconds * 1000);
  } finally {
    listening = false;
    await client.disconnect();
    await stopBuiltInFeed();
  }
  const { received, connects, missed } = client.stats;
  const outages = client.outages;
  if (json) {
    for (const outage of outages) print({ outage: true, ...outage }, true);
    print({ summary: true, received, rejected, connects, ...(outages.length ? { outages: outages.length, missed } : {}) }, true);
  } else {
    console.log(`received ${received}, rejected ${rejected}`);
    for (const outage of outages) console.log(describeOutage(outage));
  }
});

/** One message as a record: its size and either its analysis or why it is not a pulse. */
function describe(message: Message): Record<string, unknown> {
  const base = { seq: message.seq, topic: message.topic, bytes: message.payload.byteLength };
  try {
    const a = analysePulse(decodePulse(message.payload));
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
    const survival = fixed((record.survival as number | null) === null ? null : (record.survival as number) * 100, 1);
    const flagged = record.nonFiniteSamples ? `, ${record.nonFiniteSamples} non-finite samples skipped` : "";
    console.log(
      `${head}: R5IM peak ${fixed(record.intensityPeakV as number | null, 3)} V, survival ${survival} %, ` +
        `hottest ${record.hottestBlm} (${fixed(record.hottestBlmIntegralVms as number | null, 4)} V·ms)${flagged}`,
    );
  }
}

/** A number with fixed digits; "n/a" where the analysis had no finite value (round() gave null). */
function fixed(value: number | null, digits: number): string {
  return value === null ? "n/a" : value.toFixed(digits);
}

function round(value: number, digits: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}
