/** Pulses for the benchmark publishers: simulated ISIS pulses, byte-identical in layout to the real feed. */
import { lm } from "./module";

const { BeamSimulator, encodePulse, PULSE_BYTES } = lm;

/**
 * `count` different pulses from the simulator, each in its own 8-aligned buffer (a pulse is 704,000
 * bytes; pre-made so that making them does not count in any timing).
 */
export function makePulses(count: number, seed = 1): Buffer[] {
  const simulator = new BeamSimulator({ seed });
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const buffer = Buffer.alloc(PULSE_BYTES); // its own ArrayBuffer, offset 0
    buffer.set(encodePulse(simulator.nextPulse()));
    out.push(buffer);
  }
  return out;
}

/**
 * Where the fingerprint of a pulse is read: 8 bytes from each of three channels mid-pulse (R1BLM3,
 * R5BLM2 and R5IM at ≈ 5 ms). Noise makes it different for every simulated pulse; subscribers report it
 * so that the orchestrator can tell which published pulse each analysed one was, even if some were lost.
 */
export const FINGERPRINT_OFFSETS = [(5 * 2200 + 1000) * 8, (20 * 2200 + 1000) * 8, (39 * 2200 + 1000) * 8] as const;

export function fingerprint(payload: Uint8Array): string {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return FINGERPRINT_OFFSETS.map((o) => b.toString("hex", o, o + 8)).join("");
}
