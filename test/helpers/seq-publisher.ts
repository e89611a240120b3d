// A publisher of numbered pulses for fault tests: pulse slot n (due at start + n / rate) carries n in its first
// sample and the time it was sent (Date.now()) in its second, so that a test can tell exactly which pulses a
// client missed and how old the one it shows is. Slots it cannot send (broker away) are skipped, never queued.
// Run it as a separate process when the test blocks its own event loop:
//   node --import tsx test/helpers/seq-publisher.ts <url> <topic> <rate>
import { connect } from "mqtt";
import { PULSE_BYTES, ROWS, SAMPLES } from "../../src/beam/layout";

export interface SeqPublisher {
  /** Slots published so far. */
  readonly published: number;
  stop(): Promise<void>;
}

/** The slot number and send time carried by a pulse from this publisher. */
export function slotOf(payload: Uint8Array): { slot: number; sentAt: number } {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return { slot: view.getFloat64(0, true), sentAt: view.getFloat64(8, true) };
}

export function startSeqPublisher(url: string, topic: string, rate: number): SeqPublisher {
  const client = connect(url, {
    protocolVersion: 4,
    reconnectPeriod: 200,
    queueQoSZero: false,
    clientId: `seq-publisher-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  });
  client.on("error", () => {}); // refused while the broker is away: keep trying
  const data = new Float64Array(ROWS * SAMPLES);
  const periodMs = 1000 / rate;
  const start = Date.now();
  let next = 0;
  let published = 0;
  const tick = () => {
    const slot = Math.floor((Date.now() - start) / periodMs);
    if (slot >= next) {
      next = slot + 1;
      if (client.connected) {
        data[0] = slot;
        data[1] = Date.now();
        client.publish(topic, Buffer.from(data.buffer, 0, PULSE_BYTES), { qos: 0 });
        published++;
      }
    }
  };
  const timer = setInterval(tick, Math.max(1, periodMs / 4));
  return {
    get published() {
      return published;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        client.end(true, {}, () => resolve());
      }),
  };
}

if (require.main === module) {
  const [url, topic, rate] = process.argv.slice(2);
  const publisher = startSeqPublisher(url!, topic!, Number(rate));
  process.on("SIGTERM", () => void publisher.stop().then(() => process.exit(0)));
  process.stdout.write("publishing\n");
}
