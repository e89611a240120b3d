/**
 * The TypeScript subscriber: what a lesson does with every message — MQTTClient, decodePulse, analysePulse
 * (or, with --monitor, the PulseMonitor the notebooks use).
 *   --count N         finish after N pulses (else on {"cmd":"stop"} or --max-seconds)
 *   --log-times       report the time each pulse was analysed, and its fingerprint (latency)
 *   --mem-ms MS       print {"event":"mem"} every MS ms (memory)
 * Prints {"event":"ready"} once subscribed, {"event":"result", …} at the end. Counterpart: python/subscriber.py.
 */
import { parseArgs } from "node:util";
import type { MQTTClient, Message } from "../../src/mqtt/client";
import { emit, memoryMb, nowNs, onCommands } from "../lib/child-io";
import { lm } from "../lib/module";
import { fingerprint } from "../lib/pulses";

const { analysePulse, MQTTClient: Client, decodePulse, PulseMonitor, readSettings } = lm;

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    topic: { type: "string", default: "bench/pulses" },
    count: { type: "string" },
    "log-times": { type: "boolean" },
    monitor: { type: "boolean" },
    "mem-ms": { type: "string" },
    "max-seconds": { type: "string", default: "600" },
  },
});

async function main() {
  const count = values.count === undefined ? Infinity : Number(values.count);
  const logTimes = values["log-times"] ?? false;
  const times: number[] = [];
  const prints: string[] = [];
  let analysed = 0;
  let copied = 0;
  let checksum = 0;
  let firstNs = 0;
  let lastNs = 0;
  let finished = false;

  // As `npm run listen` does, payloads are used again once handled — not by a PulseMonitor, which keeps pulses.
  const options = { url: values.url, settings: readSettings({}), mqtt: { reconnectPeriod: 0 }, recyclePayloads: !values.monitor };
  let client: MQTTClient;
  let subscribed!: Promise<void>;
  const record = (payload: Uint8Array, pulseCopied: boolean, hottestIntegral: number) => {
    const t = nowNs();
    if (analysed === 0) firstNs = t;
    lastNs = t;
    analysed++;
    if (pulseCopied) copied++;
    if (Number.isFinite(hottestIntegral)) checksum += hottestIntegral;
    if (logTimes) {
      times.push(t);
      prints.push(fingerprint(payload));
    }
    if (analysed >= count) finish();
  };

  if (values.monitor) {
    const monitor = new PulseMonitor(values.topic, options);
    client = monitor.client;
    const accept = client.onMessage.bind(client);
    client.onMessage = (message: Message) => {
      accept(message); // decode + analyse, keeps the latest pulse and a bounded history
      const latest = monitor.latest!;
      record(message.payload, latest.pulse.copied, latest.analysis.hottestBlmIntegralVms);
      monitor.take();
    };
  } else {
    client = new Client(values.topic, options);
    client.onMessage = (message: Message) => {
      const pulse = decodePulse(message.payload);
      const analysis = analysePulse(pulse);
      record(message.payload, pulse.copied, analysis.hottestBlmIntegralVms);
    };
  }
  client.onConnect = () => {
    subscribed = client.subscribe(client.topic);
  };

  let memTimer: NodeJS.Timeout | undefined;
  function finish() {
    if (finished) return;
    finished = true;
    clearInterval(memTimer);
    emit("result", {
      received: client.stats.received,
      analysed,
      rejected: client.stats.rejected,
      errors: client.errors,
      copied,
      checksum,
      firstNs,
      lastNs,
      memory: memoryMb(),
      ...(logTimes ? { times, prints } : {}),
    });
  }

  onCommands(
    (command) => {
      if (command.cmd === "stop") finish();
      else if (command.cmd === "mem") emit("mem", { tNs: nowNs(), ...memoryMb() });
    },
    Number(values["max-seconds"]),
    async () => {
      finish();
      await client.disconnect();
    },
  );
  await client.connect();
  await subscribed;
  if (values["mem-ms"]) memTimer = setInterval(() => emit("mem", { tNs: nowNs(), ...memoryMb() }), Number(values["mem-ms"]));
  emit("ready", { pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`subscriber: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
