#!/usr/bin/env node
/** npm run feed — an embedded broker with simulated ISIS pulses, or the simulator publishing into another broker. */
import { startBroker } from "../mqtt/broker";
import { startFeed } from "../feed/feed";
import { KEEPALIVE_S } from "../mqtt/options";
import { checkTopic, checkUrl, readSettings, redactUrl } from "../mqtt/settings";
import { SCENARIOS, type Scenario } from "../beam/simulator";
import { fail, numberFlag, parseFlags, runMain } from "./run";

const USAGE =
  "npm run feed -- [--port N] [--host H] [--rate HZ] [--scenario nominal|bad-night] [--seed S] [--url URL] [--topic T] [--control] [--keepalive S] [--raw-every N] [--envelope]";

runMain("feed", async () => {
  const flags = parseFlags("feed", USAGE, {
    port: { type: "string" },
    host: { type: "string" },
    rate: { type: "string" },
    scenario: { type: "string" },
    seed: { type: "string" },
    url: { type: "string" },
    topic: { type: "string" },
    control: { type: "boolean" },
    keepalive: { type: "string" },
    "raw-every": { type: "string" },
    envelope: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const settings = readSettings();
  const rate = numberFlag("feed", "rate", flags.rate, 1, (n) => n > 0 && n <= 1000);
  const seed = flags.seed === undefined ? undefined : numberFlag("feed", "seed", flags.seed, 0, Number.isInteger);
  const port = numberFlag("feed", "port", flags.port, 0, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const scenario = (flags.scenario ?? "nominal") as Scenario;
  if (!SCENARIOS.includes(scenario)) fail("feed", `invalid --scenario: ${flags.scenario} (expected ${SCENARIOS.join(" or ")})`, 2);
  const topic = flags.topic ?? settings.topic;
  checkTopic(topic, "--topic");
  if (/[+#]/.test(topic)) fail("feed", `--topic must be a plain topic to publish on, not a filter: ${topic}`, 2);
  if (flags.url !== undefined) checkUrl(flags.url, "--url");
  const keepaliveS = numberFlag("feed", "keepalive", flags.keepalive, KEEPALIVE_S, (n) => Number.isInteger(n) && n >= 1 && n <= 3600);
  // The feed's own broker is private to it: it obeys requests there. Into a shared broker, only when asked to.
  const control = flags.control ?? flags.url === undefined;
  // A classroom on Mosquitto: the machine at --rate 50, the raw pulses on every 50th, the envelope of each.
  const pulseEvery = numberFlag("feed", "raw-every", flags["raw-every"], 1, (n) => Number.isInteger(n) && n >= 1);
  const envelope = flags.envelope ?? false;

  const broker = flags.url === undefined ? await startBroker({ host: flags.host, port }) : undefined;
  const url = flags.url ?? broker!.url;
  const onError = (m: string) => console.error(`feed: ${m}`);
  const feed = await startFeed({ url, topic, rate, scenario, seed, settings, control, keepaliveS, onError, pulseEvery, envelope });
  console.log(broker ? `broker ready: ${broker.url}` : `publishing into ${redactUrl(url)}`);
  const { summary, status: statusTopic, control: controlTopic } = feed.topics;
  const raw = pulseEvery === 1 ? `${rate} Hz` : `${rate / pulseEvery} Hz (every ${pulseEvery}th of ${rate})`;
  const extra = envelope ? `, its envelope on ${feed.topics.envelope}` : "";
  console.log(
    `feed: ${scenario} pulses at ${raw} on ${topic}, a summary of each on ${summary}${extra}, status on ${statusTopic} (retained)`,
  );
  console.log(
    control
      ? `feed: obeys requests on ${controlTopic}, e.g. {"scenario":"bad-night"}`
      : `feed: ignores ${controlTopic} (--control to obey it)`,
  );
  console.log("feed: Ctrl-C to stop");

  const status = setInterval(() => console.log(`feed: published ${feed.published}, skipped ${feed.skipped}, ${feed.scenario}`), 10_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(status);
    await feed.stop();
    await broker?.close();
    console.log(`feed: stopped after ${feed.published} pulses (${feed.skipped} skipped)`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
});
