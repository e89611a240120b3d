import { DT_MS, INTENSITY_ROW, ROWS, SAMPLES } from "./layout";
import { compiled, PAD, type CompiledModel } from "./pulse-shape";
import { Random } from "./random";
import {
  CHANNEL_SIGMA,
  LOSS_CORRELATION,
  LOSS_INDEPENDENCE,
  LOSS_SIGMA,
  MAX_SIGMAS,
  SCENARIOS,
  TIMING_SIGMA_MS,
  type Scenario,
} from "./scenarios";

/**
 * A seeded simulator of the ISIS live-signals feed, one synchrotron pulse at a time, shaped like the
 * pulses recorded from the real feed in May 2023 and the numbers ISIS staff quote for them.
 *
 * How a pulse is made: each channel has a fixed part (offset, pick-up, injection blip, extraction spikes)
 * computed once per scenario; each pulse adds the loss bumps, scaled and shifted a little, the intensity
 * with its own small variations, and correlated noise, then rounds every sample to the 14-bit ADC step.
 */

export { SCENARIOS, type Scenario };

/** Options for {@link BeamSimulator}. */
export interface SimulatorOptions {
  /** Seed of the random numbers; the same seed and scenario give the same pulses. Default 20230526. */
  seed?: number;
  /** Which machine conditions to simulate. Default "nominal". */
  scenario?: Scenario;
}

const DEFAULT_SEED = 20230526; // the day the nominal pulse was recorded
/** The ADC step: ±5 V in 14 bits. */
const STEP_V = 10 / 2 ** 14;
const CODES_PER_VOLT = 2 ** 14 / 10;

/**
 * Simulates the ISIS live-signals feed, one pulse per call.
 * @example
 * const sim = new BeamSimulator({ seed: 1, scenario: "nominal" });
 * const pulse = pulseFromSamples(sim.nextPulse());
 * analysePulse(pulse).hottestBlm; // "R1BLM3"
 * client.publish("ac_phys/workxp/live_signals", Buffer.from(encodePulse(pulse)));
 */
export class BeamSimulator {
  /** The scenario being simulated. */
  readonly scenario: Scenario;
  /** The seed in use (the default one when none was given). */
  readonly seed: number;
  readonly #model: CompiledModel;
  readonly #random: Random;
  #count = 0;

  /** @throws RangeError for an unknown scenario or a seed that is not a finite number. */
  constructor(options: SimulatorOptions = {}) {
    const scenario = options.scenario ?? "nominal";
    if (!SCENARIOS.includes(scenario)) {
      throw new RangeError(`unknown scenario: ${JSON.stringify(scenario)} (expected one of: ${SCENARIOS.join(", ")})`);
    }
    const seed = options.seed ?? DEFAULT_SEED;
    this.#random = new Random(seed); // checks the seed
    this.#model = compiled(scenario);
    this.scenario = scenario;
    this.seed = seed;
  }

  /** Pulses produced so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * The next pulse: 88,000 samples in volts, row-major (row r = samples r*2200 … r*2200+2199),
   * ready for `pulseFromSamples` or `encodePulse`. A new array each call. Every sample is a multiple
   * of the ADC step 10/2^14 V, except the stuck R0BLM1, which reads −4.9994 V as in the real feed.
   */
  nextPulse(): Float64Array {
    // local copies: imported bindings can cost a getter call on every read in the loops below
    const samples = SAMPLES;
    const rows = ROWS;
    const m = this.#model;
    const random = this.#random;
    const draw = (): number => Math.max(-MAX_SIGMAS, Math.min(MAX_SIGMAS, random.gaussian()));
    const out = new Float64Array(rows * samples);
    out.set(m.fixed);

    // This pulse's losses are a little bigger or smaller, and earlier or later, than usual;
    // the beam lost (seen by R5IM) goes with the losses (seen by the BLMs).
    const lossDraw = draw();
    const lossScale = 1 + LOSS_SIGMA * lossDraw;
    const shift = (TIMING_SIGMA_MS * draw()) / DT_MS; // in samples
    const whole = Math.floor(shift);
    const frac = shift - whole;
    const height = m.height * (1 + m.peakSigma * draw());
    const lossFactor = 1 + m.lossFactorSigma * (LOSS_CORRELATION * lossDraw + LOSS_INDEPENDENCE * draw());

    for (let row = 1; row < rows; row++) {
      const base = row * samples;
      const template = m.losses[row];
      if (template) {
        const k = lossScale * (1 + CHANNEL_SIGMA * draw());
        // template[j] is the loss at sample j − PAD; shifted by `shift` samples, sample i reads it at
        // i − shift, between template[j] and template[j + 1] with j = i + PAD − whole − 1
        let j = PAD - whole - 1;
        for (let i = 0; i < samples; i++, j++) {
          out[base + i]! += k * (template[j + 1]! + frac * (template[j]! - template[j + 1]!));
        }
      }
      if (row === INTENSITY_ROW) {
        const a = m.intensityA;
        const b = m.intensityB;
        const hl = height * lossFactor;
        for (let i = 0; i < samples; i++) out[base + i]! += height * a[i]! + hl * b[i]!;
      }
      // AR(1) noise, started from its stationary spread so the first samples are like the rest
      const phi = m.noisePhi[row]!;
      const sigma = m.noiseSigma[row]!;
      const kick = sigma * Math.sqrt(1 - phi * phi);
      let noise = sigma * random.gaussian();
      for (let i = 0; i < samples; i++) {
        const v = out[base + i]! + noise;
        // round to the ADC step, within its ±5 V range
        const code = Math.round(v * CODES_PER_VOLT);
        out[base + i] = (code > 8191 ? 8191 : code < -8192 ? -8192 : code) * STEP_V;
        noise = phi * noise + kick * random.gaussian();
      }
    }
    this.#count++;
    return out;
  }
}
