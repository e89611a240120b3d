/**
 * The one median of the project: of the finite values (NaN and ±Infinity are skipped), by selection rather than
 * a full sort. Hand-written because it is on the analysis's hot path (≈ 40 medians per pulse, 50 pulses a
 * second). Measured (node --import tsx, 40,000 calls on 25 values and 2,000 on 2,200, after warm-up): d3-array's
 * median 3.4 and 247 µs a call, a sort 1.9 and 197 µs, this selection 0.27 and 41 µs.
 */

let scratch = new Float64Array(4096);

/** The median of the finite values, or NaN when there is none. `values` is not changed. */
export function median(values: ArrayLike<number>): number {
  if (scratch.length < values.length) scratch = new Float64Array(values.length);
  const a = scratch;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) a[n++] = v;
  }
  if (n === 0) return NaN;
  const mid = n >> 1;
  const upper = select(a, n, mid);
  if (n % 2) return upper;
  // The lower middle is the largest of the values left of `mid` after selection.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** Hoare's quickselect on a[0 … n−1]: the k-th smallest, with a[i] ≤ a[k] for i < k afterwards. */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}
