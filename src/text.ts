/**
 * How numbers and times are printed, everywhere in the project (lessons, errors, the command line): thousands
 * separators as in "704,000", and times of day as the student's own clock shows them (local time, to the ms).
 */

const GROUPED = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 20, useGrouping: true });

/** A number with thousands separators: 704000 → "704,000", -1234567.5 → "-1,234,567.5". */
export function withCommas(n: number): string {
  return Number.isFinite(n) ? GROUPED.format(n) : String(n);
}

/** The time of day of a Date.now() value, local time, to the millisecond: "14:02:03.512". */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
