#!/usr/bin/env node
/**
 * npm run listen — subscribe and print one line per message: what an instructor checks a broker with. Pulses are
 * analysed, the feed's summaries and status read (topicKind), other text shown as it is.
 */
import { analysePulse } from "../beam/analysis";
import { MQTTClient, sleep, type Message } from "../mqtt/client";
import { decodePulse } from "../beam/decode";
import { messageOf } from "../errors";
import { describeOutage } from "../mqtt/outages";
import { stopBuiltInFeed } from "../feed/built-in";
import { statusLine, summaryLine, topicKind } from "../feed/lines";
import { parseStatus, parseSummary } from "../feed/topics";
import { checkTopic, checkUrl, readSettings, redactUrl } from "../mqtt/settings";
import type { FeedStatus, PulseSummary } from "../feed/topics";
import { numberFlag, parseFlags, runMain } from "./run";

const USAGE = "npm run listen -- [--url URL] [--topic FILTER]... [--seconds S] [--json]   (e.g. --topic 'ac_phys/workxp/#')";

runMain("listen", async () => {
  const flags = parseFlags("listen", USAGE, {
    url: { type: "string" },
    topic: { type: "string", multiple: true },
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
  const filters = flags.topic ?? [];
  filters.forEach((t) => checkTopic(t, "--topic"));
  // Each message is described and printed, and nothing of it kept: its memory can take a later one.
  const client = new MQTTClient(filters[0], { url: flags.url, recyclePayloads: true });
  const topics = filters.length ? filters : [client.topic];
  let listening = false;
  let rejected = 0;
  const report = (record: Record<string, unknown>) => {
    if (record.error !== undefined) rejected++;
    print(record, json);
  };
  // On the pulse topic, or a topic named without wildcards, text is a bad pulse; elsewhere in a tree it is a note.
  const pulseTopics = new Set([readSettings().topic, ...topics]);
  client.onMessage = (message) => report(describe(message, pulseTopics.has(message.topic)));
  // Only messages too large to read get here (describe() catches everything else): they get a line too.
  client.onReject = ({ seq, topic, bytes, reason }) => report({ seq, topic, bytes, error: reason });
  client.onDisconnect = () => {
    const outage = client.outages.at(-1);
    if (listening && !json && outage && outage.reconnectedAt === undefined) console.log(`connection lost: ${outage.reason}; reconnecting`);
  };
  client.onConnect = () => {
    for (const t of topics) void client.subscribe(t);
    const outage = client.outages.at(-1);
    if (listening && !json && outage?.reconnectedAt !== undefined && client.stats.connects > 1) {
      console.log(`connected again after ${(outage.downMs / 1000).toFixed(1)} s`);
    }
  };
  try {
    await client.connect();
    listening = true;
    if (!json) console.log(`listening to ${topics.join(", ")} at ${redactUrl(client.url!)} for ${seconds} s`);
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

/**
 * One message as a record: its size and then, by topic, the feed's summary or status (`json`), or any other text
 * (`text`), or a pulse's analysis — or why it is none of those (`error`).
 */
function describe(message: Message, expectPulse: boolean): Record<string, unknown> {
  const base = { seq: message.seq, topic: message.topic, bytes: message.payload.byteLength, ...(message.retain ? { retained: true } : {}) };
  const kind = topicKind(message.topic);
  try {
    if (kind === "summary") return { ...base, json: parseSummary(message.payload) };
    if (kind === "status") return { ...base, json: parseStatus(message.payload) };
    const text = expectPulse ? undefined : textOf(message.payload);
    if (text !== undefined) return { ...base, text };
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
  const head = `#${record.seq} ${record.topic} ${record.bytes} bytes${record.retained ? " (retained)" : ""}`;
  const kind = topicKind(record.topic as string);
  if (record.error !== undefined) console.log(`${head}: rejected, ${record.error}`);
  else if (record.json !== undefined && kind === "summary") console.log(`${head}: ${summaryLine(record.json as PulseSummary)}`);
  else if (record.json !== undefined) console.log(`${head}: ${statusLine(record.json as FeedStatus)}`);
  else if (record.text !== undefined) console.log(`${head}: ${JSON.stringify(record.text)}`);
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

/**
 * A small message that is printable text (at most 1,000 bytes of UTF-8 without control characters), e.g. an
 * alarm or a chat line; undefined for anything else, which is then judged as a pulse.
 */
function textOf(payload: Buffer): string | undefined {
  if (payload.byteLength === 0 || payload.byteLength > 1000) return undefined;
  const text = payload.toString("utf8");
  return /^[^\u0000-\u0008\u000e-\u001f\ufffd]*$/.test(text) ? text : undefined;
}
