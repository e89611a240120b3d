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
  for (let b = 0; b < buckets; b++) {
    // Integer bucket edges: every sample belongs to exactly one bucket, and none is empty (n > buckets).
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    let loValue = Infinity;
    let hiValue = -Infinity;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      // NaN fails both comparisons; ±Infinity is not drawn either (the first finite value wins over it).
      if (v < loValue && v !== -Infinity) {
        loValue = v;
        lo = i;
      }
      if (v > hiValue && v !== Infinity) {
        hiValue = v;
        hi = i;
      }
    }
    if (lo < 0) {
      outTimes[k] = times[from]!;
      outValues[k++] = NaN;
      continue;
    }
    const first = lo <= hi ? lo : hi;
    const last = lo <= hi ? hi : lo;
    outTimes[k] = times[first]!;
    outValues[k++] = values[first]!;
    if (last !== first) {
      outTimes[k] = times[last]!;
      outValues[k++] = values[last]!;
    }
  }
  return { times: outTimes.slice(0, k), values: outValues.slice(0, k) };
}
