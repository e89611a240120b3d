/**
 * A small, fast, seeded random number generator: xoshiro128** (period 2^128 − 1) seeded through
 * splitmix32, with normal numbers from Marsaglia and Tsang's ziggurat. The same seed always gives
 * the same sequence, on every machine. Hand-written rather than d3-random because every pulse draws ≈ 90,000
 * normal numbers: d3-random's randomNormal over its randomLcg took 314 ns a number, this 77 ns (2,000,000
 * draws after warm-up, node --import tsx): 28 ms against 7 ms per pulse.
 */
export class Random {
  // xoshiro128** state: four 32-bit words (plain fields: faster than a typed array)
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /**
   * @param seed any finite number; integers up to 2^53 all give different sequences.
   * @throws RangeError when the seed is NaN or infinite.
   * @example
   * const random = new Random(42);
   * random.next();     // 0 ≤ x < 1
   * random.gaussian(); // mean 0, standard deviation 1
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`invalid seed: ${seed} (expected a finite number)`);
    // fold the high bits in too, so that large seeds such as Date.now() do not collide
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    let state = (low ^ Math.imul(high, 0x9e3779b1)) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      state = (state + 0x9e3779b9) | 0;
      words.push(splitmix32(state));
    }
    this.#s0 = words[0]!;
    this.#s1 = words[1]!;
    this.#s2 = words[2]!;
    this.#s3 = words[3]! || 1; // the all-zero state would stay zero for ever
  }

  /** A uniform random number in [0, 1), with 32 random bits. */
  next(): number {
    return (this.#int32() >>> 0) / 4294967296;
  }

  /**
   * A standard normal random number: mean 0, standard deviation 1.
   * The ziggurat method is exact and, unlike Box–Muller or the polar method, needs no logarithm
   * 99 % of the time: about five times faster, which matters for 88,000 noise samples a pulse.
   */
  gaussian(): number {
    for (;;) {
      const bits = this.#int32();
      const layer = bits & 127;
      const x = (bits >> 7) * ZIG_W[layer]!; // 25 signed bits for the value, 7 others pick the layer
      if (Math.abs(bits >> 7) < ZIG_K[layer]!) return x; // inside the layer's rectangle: done
      if (layer === 0) return this.#tail(bits < 0);
      const y = ZIG_F[layer]! + this.next() * (ZIG_F[layer - 1]! - ZIG_F[layer]!);
      if (y < Math.exp(-0.5 * x * x)) return x; // in the wedge under the curve
    }
  }

  /** A normal number beyond ±ZIG_R (Marsaglia's tail method). */
  #tail(negative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = -Math.log(1 - this.next()) / ZIG_R;
      y = -Math.log(1 - this.next());
    } while (y + y < x * x);
    return negative ? -ZIG_R - x : ZIG_R + x;
  }

  /** The next 32 random bits, as a signed integer. */
  #int32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result | 0;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One step of splitmix32: spreads a seed's bits evenly over a 32-bit word. */
function splitmix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

// The ziggurat: 128 layers of equal area under the normal curve (Marsaglia & Tsang 2000).
// K: the part of each layer that lies wholly under the curve, in units of 2^-24; W: 2^-24 × its width;
// F: the curve's height at each layer's edge.
const ZIG_R = 3.442619855899; // where the tail starts
const ZIG_AREA = 9.91256303526217e-3;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
{
  const scale = 2 ** 24;
  let d = ZIG_R;
  let previous = d;
  const q = ZIG_AREA / Math.exp(-0.5 * d * d);
  ZIG_K[0] = (d / q) * scale;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / scale;
  ZIG_W[127] = d / scale;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(ZIG_AREA / d + Math.exp(-0.5 * d * d)));
    ZIG_K[i + 1] = (d / previous) * scale;
    previous = d;
    ZIG_F[i] = Math.exp(-0.5 * d * d);
    ZIG_W[i] = d / scale;
  }
}
