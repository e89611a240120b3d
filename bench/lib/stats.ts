/** Small statistics for benchmark samples. */

/** The values sorted ascending (a copy). */
export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Median (mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile, p in 0–100 (p99 of 1500 samples is the 1485th smallest). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1]!;
}

export function min(values: readonly number[]): number {
  return values.length ? Math.min(...values) : NaN;
}

export function max(values: readonly number[]): number {
  return values.length ? Math.max(...values) : NaN;
}

/** Least-squares slope of y over x (units of y per unit of x); NaN for fewer than 2 points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/** Least-squares slope and its standard error (from the residuals); NaN error for fewer than 3 points. */
export function slopeWithError(xs: readonly number[], ys: readonly number[]): { slope: number; error: number } {
  const b = slope(xs, ys);
  const n = Math.min(xs.length, ys.length);
  if (n < 3 || !Number.isFinite(b)) return { slope: b, error: NaN };
  const mx = xs.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const my = ys.slice(0, n).reduce((s, y) => s + y, 0) / n;
  let residuals = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    residuals += (ys[i]! - (my + b * (xs[i]! - mx))) ** 2;
    sxx += (xs[i]! - mx) ** 2;
  }
  return { slope: b, error: Math.sqrt(residuals / (n - 2) / sxx) };
}

/** A figure over repeated runs: the median and the range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(runs: readonly number[]): Spread {
  const finite = runs.filter(Number.isFinite);
  return { median: median(finite), min: min(finite), max: max(finite), runs: [...runs] };
}
