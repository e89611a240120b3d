/**
 * Printing messages and pulses readably in a notebook: one line per message, a few bytes in hex, a few
 * numbers with "…" for the rest (like numpy's print), a row table, and text sparklines — never 88,000 numbers.
 */
import { analysePulse } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { CHANNELS, INTENSITY_ROW, ROWS, superperiodOf } from "../beam/layout";
import { clockTime, withCommas } from "../text";

/** A size in bytes for people: "704,000 bytes". */
export function formatBytes(bytes: number): string {
  return `${withCommas(bytes)} byte${bytes === 1 ? "" : "s"}`;
}

/**
 * One line about one message: its number, time, topic and size.
 * @example messageLine(message) // "#3  14:02:03.512  ac_phys/workxp/live_signals  704,000 bytes"
 */
export function messageLine(message: { seq: number; topic: string; payload: Uint8Array; receivedAt: number }): string {
  return `#${message.seq}  ${clockTime(message.receivedAt)}  ${message.topic}  ${formatBytes(message.payload.byteLength)}`;
}

/**
 * One line about one pulse: the intensity peak, how much beam survived, and the monitor that saw most loss.
 * @example pulseLine(pulse) // "intensity peak 3.15 V at 0.05 ms · 93.3 % survived · most loss: R1BLM3 (0.112 V·ms)"
 */
export function pulseLine(pulse: Pulse): string {
  const a = analysePulse(pulse);
  const survived = Number.isFinite(a.survival) ? `${(a.survival * 100).toFixed(1)} % survived` : "survival unknown";
  return (
    `intensity peak ${(-a.intensityPeakV).toFixed(2)} V at ${a.intensityPeakMs.toFixed(2)} ms · ${survived} · ` +
    `most loss: ${a.hottestBlm} (${a.hottestBlmIntegralVms.toFixed(3)} V·ms)`
  );
}

export interface HexDumpOptions {
  /** How many bytes to show (default 32). */
  count?: number;
  /** Bytes per line (default 8: one float64 per line). */
  perLine?: number;
}

/**
 * The first bytes of a message in hexadecimal, 8 to a line (one float64 each), with their positions.
 * @example hexDump(message.payload, { count: 16 })
 * // "bytes  0–7 : 3b 8f 0e 9c 2d fe 13 c0\nbytes  8–15: …\n… 703,984 more bytes"
 */
export function hexDump(bytes: Uint8Array, { count = 32, perLine = 8 }: HexDumpOptions = {}): string {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`invalid count: ${count} (expected a whole number ≥ 0)`);
  if (!(Number.isInteger(perLine) && perLine > 0)) throw new RangeError(`invalid perLine: ${perLine} (expected a whole number > 0)`);
  const shown = Math.min(count, bytes.byteLength);
  const width = String(Math.max(0, shown - 1)).length;
  const lines: string[] = [];
  for (let start = 0; start < shown; start += perLine) {
    const end = Math.min(start + perLine, shown);
    const hex = Array.from(bytes.subarray(start, end), (b) => b.toString(16).padStart(2, "0")).join(" ");
    lines.push(`bytes ${String(start).padStart(width)}–${String(end - 1).padEnd(width)}: ${hex}`);
  }
  const rest = bytes.byteLength - shown;
  if (rest > 0) lines.push(`… ${formatBytes(rest).replace("byte", "more byte")}`);
  return lines.join("\n");
}

export interface PreviewOptions {
  /** Values shown from the start (default 3) and from the end (default 3). */
  head?: number;
  tail?: number;
  /** Digits after the decimal point (default 4). */
  digits?: number;
}

/**
 * A few values from the start and end of a long list, like numpy prints an array.
 * @example previewNumbers(pulse.channel("R1BLM3")) // "[0.0021, 0.0013, 0.0018, …, 0.0017, 0.0020, 0.0019]  (2,200 numbers)"
 */
export function previewNumbers(values: ArrayLike<number>, { head = 3, tail = 3, digits = 4 }: PreviewOptions = {}): string {
  const n = values.length;
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
  const all = Array.from(values as ArrayLike<number>);
  const parts = n <= head + tail ? all.map(fmt) : [...all.slice(0, head).map(fmt), "…", ...all.slice(n - tail).map(fmt)];
  return `[${parts.join(", ")}]  (${withCommas(n)} number${n === 1 ? "" : "s"})`;
}

export interface PulseTableOptions extends PreviewOptions {
  /** Which rows to show (default: the first 3, "…", the last 3). */
  rows?: readonly number[];
}

/**
 * A pulse as a short table: row number, channel name, a preview of its 2200 samples.
 * @example console.log(pulseTable(pulse, { rows: [5, 39] }))
 */
export function pulseTable(pulse: Pulse, options: PulseTableOptions = {}): string {
  const rows = options.rows ?? [0, 1, 2, -1, ROWS - 3, ROWS - 2, ROWS - 1];
  const preview: PreviewOptions = { head: options.head ?? 3, tail: options.tail ?? 3, digits: options.digits ?? 4 };
  const lines = [`${pulse.shape[0]} rows × ${withCommas(pulse.shape[1])} samples (volts)`];
  for (const row of rows) {
    if (row === -1) {
      lines.push(`   …  (${ROWS - 6} more rows)`);
      continue;
    }
    const values = previewNumbers(pulse.row(row), preview).replace(/\s+\(.*\)$/, "");
    lines.push(`row ${String(row).padStart(2)}  ${CHANNELS[row]!.padEnd(6)}  ${values}`);
  }
  return lines.join("\n");
}

/**
 * Where each monitor's row is, laid out by superperiod (R0 … R9), and the intensity row.
 * @example console.log(channelGrid())
 */
export function channelGrid(): string {
  const lines = ["superperiod  BLM1          BLM2          BLM3          BLM4"];
  for (let sp = 0; sp <= 9; sp++) {
    const cells = [1, 2, 3, 4].map((blm) => {
      const row = CHANNELS.indexOf(`R${sp}BLM${blm}`);
      return row < 0 ? "(none)".padEnd(13) : `${String(row).padStart(2)} R${sp}BLM${blm}`.padEnd(13);
    });
    lines.push(`R${sp}           ${cells.join(" ").trimEnd()}`);
  }
  lines.push(`intensity    ${INTENSITY_ROW} ${CHANNELS[INTENSITY_ROW]} (superperiod ${superperiodOf(INTENSITY_ROW)})`);
  return lines.join("\n");
}

const BARS = "▁▂▃▄▅▆▇█";

export interface SparklineOptions {
  /** Characters wide (default 60). Each is the mean of its share of the samples. */
  width?: number;
}

/**
 * A signal drawn as one line of bars, low to high, with its range: a quick look before real plots.
 * @example sparkline(pulse.intensity()) // "▁▁▇████████▇▇▇▇▇▇▇▇▁▁  from −0.03 to 3.15"
 */
export function sparkline(values: ArrayLike<number>, { width = 60 }: SparklineOptions = {}): string {
  if (!(Number.isInteger(width) && width > 0)) throw new RangeError(`invalid width: ${width} (expected a whole number > 0)`);
  const n = values.length;
  if (n === 0) return "(no values)";
  const columns = Math.min(width, n);
  const means: number[] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * n) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / columns));
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    means.push(count ? sum / count : NaN);
  }
  const finite = means.filter(Number.isFinite);
  if (finite.length === 0) return "(no finite values)";
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const bar = (v: number) => (Number.isFinite(v) ? BARS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1)) : 0]! : " ");
  const digits = Math.max(Math.abs(lo), Math.abs(hi)) < 0.1 ? 4 : 2;
  const fmt = (v: number) => v.toFixed(digits).replace(/^-(0\.0*)$/, "$1"); // no "-0.00"
  return `${means.map(bar).join("")}  from ${fmt(lo)} to ${fmt(hi)}`;
}
