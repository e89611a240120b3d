/** A trace thinned for drawing: sample times and values, in time order. */
export interface DecimatedTrace {
  readonly times: Float64Array;
  readonly values: Float64Array;
}

/**
 * Thins a long trace for drawing by keeping, in each of `buckets` equal slices of the samples, the
 * smallest and the largest value (in the order they occur). A narrow peak or spike always survives,
 * which plain "every n-th sample" thinning would drop. A slice with no finite value keeps one NaN point,
 * so that the line shows a gap there. Traces with at most 2 × buckets samples come back unchanged (copied).
 * @throws RangeError when times and values differ in length or buckets is not a whole number ≥ 1.
 * @example
 * const { times, values } = decimateMinMax(pulse.timeMs, pulse.channel("R1BLM3"), 300); // ≤ 600 points
 */
export function decimateMinMax(times: ArrayLike<number>, values: ArrayLike<number>, buckets: number): DecimatedTrace {
  if (times.length !== values.length) {
    throw new RangeError(`invalid trace: ${times.length} times but ${values.length} values`);
  }
  if (!(Number.isInteger(buckets) && buckets >= 1)) throw new RangeError(`invalid buckets: ${buckets} (expected a whole number ≥ 1)`);
  const n = values.length;
  if (n <= 2 * buckets) return { times: Float64Array.from(times), values: Float64Array.from(values) };

  const outTimes = new Float64Array(2 * buckets);
  const outValues = new Float64Array(2 * buckets);
  let k = 0;
  const keep = (i: number) => {
    outTimes[k] = times[i]!;
    outValues[k] = values[i]!;
    k++;
  };
  for (let b = 0; b < buckets; b++) {
    // Integer bucket edges: every sample belongs to exactly one bucket, and none is empty (n > buckets).
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (lo < 0) {
      outTimes[k] = times[from]!;
      outValues[k] = NaN;
      k++;
    } else if (lo === hi) keep(lo);
    else if (lo < hi) {
      keep(lo);
      keep(hi);
    } else {
      keep(hi);
      keep(lo);
    }
  }
  return { times: outTimes.slice(0, k), values: outValues.slice(0, k) };
}
