/**
 * The benchmark's publisher: the same for the TypeScript and the Python subscriber.
 *   --mode flood --count N        N pulses as fast as TCP flow allows (at most --window pulses waiting in the socket)
 *   --mode timed --rate R --seconds S   R pulses/s on the feed's drift-free schedule (late or busy slots are
 *                                  skipped, never sent in a burst), logging the publish time of every pulse
 * Prints {"event":"ready", fingerprints} once connected, starts on {"cmd":"go"}, prints {"event":"done", …}.
 * Pulses are pre-made by the simulator and sent in turn; QoS 0, one connection, so order is kept.
 */
import { parseArgs } from "node:util";
import { connect } from "mqtt";
import { emit, nowNs, onCommands } from "../lib/child-io";
import { lm } from "../lib/module";
import { fingerprint, makePulses } from "../lib/pulses";

const { PULSE_BYTES } = lm;

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    topic: { type: "string", default: "bench/pulses" },
    mode: { type: "string", default: "flood" },
    count: { type: "string", default: "200" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    pulses: { type: "string", default: "64" },
    window: { type: "string", default: "2" },
    "max-seconds": { type: "string", default: "600" },
  },
});

async function main() {
  const pulses = makePulses(Number(values.pulses));
  const client = connect(values.url!, { protocolVersion: 4, clean: true, reconnectPeriod: 0, queueQoSZero: false, connectTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  const topic = values.topic!;
  let started = false;

  const flood = async () => {
    const count = Number(values.count);
    const window = Number(values.window);
    let sent = 0;
    let written = 0;
    const t0 = nowNs();
    await new Promise<void>((resolve) => {
      const sendNext = () => {
        if (sent >= count) return;
        const payload = pulses[sent % pulses.length]!;
        sent++;
        client.publish(topic, payload, { qos: 0 }, () => {
          written++;
          if (written === count) resolve();
          else sendNext();
        });
      };
      for (let i = 0; i < window; i++) sendNext();
    });
    emit("done", { sent, t0Ns: t0, tEndNs: nowNs() });
  };

  const timed = async () => {
    const rate = Number(values.rate);
    const periodNs = 1e9 / rate;
    const slots = Math.round(Number(values.seconds) * rate);
    const times: number[] = []; // publish time of each pulse sent, in order
    const indices: number[] = []; // which pre-made pulse it was
    let skipped = 0;
    let slot = 0; // the next slot to publish
    const start = nowNs();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = nowNs();
        if (now < start + slot * periodNs) {
          // Timers may fire up to a millisecond early (libuv's loop time is cached): wait on, publish nothing.
          setTimeout(tick, (start + slot * periodNs - now) / 1e6);
          return;
        }
        const due = Math.floor((now - start) / periodNs);
        if (due > slot) skipped += Math.min(due, slots) - slot; // woke too late: skip, never burst
        slot = due + 1;
        if (due < slots) {
          const busy = (client.stream?.writableLength ?? 0) > 2 * PULSE_BYTES;
          if (!busy) {
            const k = times.length % pulses.length;
            times.push(nowNs());
            indices.push(k);
            client.publish(topic, pulses[k]!, { qos: 0 });
          } else skipped++;
        }
        if (slot >= slots) resolve();
        else setTimeout(tick, Math.max(0, (start + slot * periodNs - nowNs()) / 1e6));
      };
      tick();
    });
    emit("done", { sent: times.length, skipped, times, indices, startNs: start });
  };

  onCommands(
    async (command) => {
      if (command.cmd !== "go" || started) return;
      started = true;
      if (values.mode === "timed") await timed();
      else await flood();
    },
    Number(values["max-seconds"]),
    () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
  );
  emit("ready", { fingerprints: pulses.map(fingerprint), pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`publisher: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
