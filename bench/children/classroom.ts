/**
 * Part of a classroom: --clients N MQTTClients in one process, each decoding every pulse it gets (zero-copy;
 * the analysis would run on each student's own laptop, so it is left out here to keep the broker's machine
 * for the broker); other messages (a classroom's summary or envelope) are only counted. With --passwords FILE
 * --first K, client i logs in as the (K+i)-th user of that file (`user:password` lines), as in a classroom.
 * Commands: {"cmd":"reset"} zeroes the counts; {"cmd":"counts"} prints them with this process's CPU seconds.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { MQTTClient } from "../../src/mqtt/client";
import { cpuSecondsSelf, emit, nowNs, onCommands } from "../lib/child-io";
import { lm } from "../lib/module";

const { MQTTClient: Client, decodePulse, readSettings, PULSE_BYTES } = lm;

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    topic: { type: "string", default: "ac_phys/workxp/live_signals" },
    clients: { type: "string", default: "15" },
    passwords: { type: "string" },
    first: { type: "string", default: "0" },
    "max-seconds": { type: "string", default: "900" },
  },
});

async function main() {
  const n = Number(values.clients);
  const users = values.passwords
    ? readFileSync(values.passwords, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)] as const)
    : [];
  const counts = new Array<number>(n).fill(0);
  let bad = 0;
  const clients: MQTTClient[] = [];
  const subscriptions: Promise<void>[] = [];
  onCommands(
    (command) => {
      if (command.cmd === "reset") {
        counts.fill(0);
        emit("reset", { tNs: nowNs() });
      } else if (command.cmd === "counts") {
        emit("counts", { tNs: nowNs(), counts, bad, connected: clients.filter((c) => c.connected).length, cpuSeconds: cpuSecondsSelf() });
      }
    },
    Number(values["max-seconds"]),
    async () => {
      await Promise.all(clients.map((c) => c.disconnect()));
    },
  );
  for (let i = 0; i < n; i++) {
    const login = users[Number(values.first) + i];
    const env = login ? { MQTT_USERNAME: login[0], MQTT_PASSWORD: login[1] } : {};
    const client = new Client(values.topic, { url: values.url, settings: readSettings(env), mqtt: { reconnectPeriod: 0 } });
    client.onMessage = (message) => {
      if (message.payload.length === PULSE_BYTES) {
        const pulse = decodePulse(message.payload);
        if (pulse.copied || !(pulse.data.length === 88000)) bad++;
      }
      counts[i]!++;
    };
    let subscribed!: Promise<void>;
    client.onConnect = () => {
      subscribed = client.subscribe(client.topic);
    };
    await client.connect();
    subscriptions.push(subscribed);
    clients.push(client);
  }
  await Promise.all(subscriptions);
  emit("ready", { pid: process.pid, clients: n });
}

main().catch((error: unknown) => {
  process.stderr.write(`classroom: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
