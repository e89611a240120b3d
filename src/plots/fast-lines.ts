/**
 * Many long lines in an Observable Plot panel, drawn by a mark of our own: Plot's line mark groups, maps and
 * formats every point through several general layers (channels, groupIndex, d3-shape, d3-path, then 16-digit
 * coordinates that figure-dom.ts had to shorten again). Here each trace becomes one `<path>` whose coordinates
 * go straight from Plot's scales to one decimal. Measured on pulsePlot (39 BLMs + the intensity, up to 600 points
 * each; CPU time, compiled, on a loaded machine): 28 ms with Plot.line, 13.5 ms with this mark, 9.7 ms once the
 * scales are applied as offset and factor. The output has the same shape as Plot.line's: a `<g aria-label="line">`
 * with one `<path>` (and its `<title>`) per trace.
 */
import type { Mark } from "./observable-plot";

/** One line: its points in data units, its name (shown on hover) and colour. */
export interface LineTrace {
  readonly name: string;
  readonly times: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /** The path's own colour; omit it to use the group's `stroke`. */
  readonly color?: string;
}

export interface LinesStyle {
  readonly strokeWidth: number;
  /** A colour for all lines (set on the group). */
  readonly stroke?: string;
  readonly strokeDasharray?: string;
  /** Values outside this range are drawn at its edge (e.g. a dead channel at −5 V). */
  readonly clamp?: readonly [number, number];
  /** The group's aria-description, e.g. "beam-loss monitors". */
  readonly ariaDescription: string;
}

const SVG_NS = "http://www.w3.org/2000/svg";

interface Element {
  setAttribute(name: string, value: string): void;
  appendChild(child: unknown): unknown;
  textContent: string | null;
}
interface Context {
  document: { createElementNS(ns: string, name: string): Element };
}
type Scale = (value: number) => number;

/**
 * A Plot mark drawing `traces` as lines: pass it in `marks` like Plot.line(…). Non-finite values leave a gap.
 * @example Plot.plot({ x: { domain: [0, 1] }, y: { domain: [0, 1] }, marks: [lines([{ name: "a", times, values }], { strokeWidth: 1, ariaDescription: "a" })] })
 */
export function lines(traces: readonly LineTrace[], style: LinesStyle): Mark {
  const render = (_index: unknown, scales: { x: Scale; y: Scale }, _values: unknown, _dimensions: unknown, context: Context) => {
    const doc = context.document;
    const g = doc.createElementNS(SVG_NS, "g");
    g.setAttribute("aria-label", "line");
    g.setAttribute("aria-description", style.ariaDescription);
    g.setAttribute("fill", "none");
    if (style.stroke) g.setAttribute("stroke", style.stroke);
    g.setAttribute("stroke-width", String(style.strokeWidth));
    if (style.strokeDasharray) g.setAttribute("stroke-dasharray", style.strokeDasharray);
    g.setAttribute("stroke-linejoin", "round");
    g.setAttribute("stroke-linecap", "round");
    g.setAttribute("stroke-miterlimit", "1");
    const [lo, hi] = style.clamp ?? [-Infinity, Infinity];
    for (const trace of traces) {
      const path = doc.createElementNS(SVG_NS, "path");
      path.setAttribute("d", pathData(trace, scales.x, scales.y, lo, hi));
      if (trace.color) path.setAttribute("stroke", trace.color);
      const title = doc.createElementNS(SVG_NS, "title");
      title.textContent = trace.name;
      path.appendChild(title);
      g.appendChild(path);
    }
    return g;
  };
  return render as unknown as Mark;
}

/** "M x,y L x,y …" in pixels to a tenth, a new "M" after each gap. */
function pathData(trace: LineTrace, x: Scale, y: Scale, lo: number, hi: number): string {
  const fx = affine(x);
  const fy = affine(y);
  let d = "";
  let pen = "M";
  for (let i = 0; i < trace.values.length; i++) {
    let v = trace.values[i]!;
    if (!Number.isFinite(v)) {
      pen = "M";
      continue;
    }
    if (v < lo) v = lo;
    else if (v > hi) v = hi;
    const t = trace.times[i]!;
    // Tenths of a pixel, as integers: cheaper to turn into text than fractions.
    const px = Math.round((fx ? fx[0] + fx[1] * t : x(t)) * 10);
    const py = Math.round((fy ? fy[0] + fy[1] * v : y(v)) * 10);
    d += pen + tenths(px) + "," + tenths(py);
    pen = "L";
  }
  return d;
}

/** A linear scale as offset and factor (calling it point by point costs more than the drawing), else undefined. */
function affine(scale: Scale): [number, number] | undefined {
  const s = scale as Scale & { domain?: () => number[]; range?: () => number[]; interpolate?: unknown; clamp?: () => boolean };
  const domain = s.domain?.();
  const range = s.range?.();
  if (!domain || !range || domain.length !== 2 || range.length !== 2 || s.clamp?.() || typeof domain[0] !== "number") return undefined;
  const [d0, d1] = domain as [number, number];
  const [r0, r1] = range as [number, number];
  const factor = (r1 - r0) / (d1 - d0);
  const offset = r0 - d0 * factor;
  // Only if it really is that line (a log or pow scale is not): check it at two points.
  const t = d0 + (d1 - d0) * 0.37;
  return Math.abs(scale(t) - (offset + factor * t)) < 1e-9 * Math.max(1, Math.abs(r1 - r0)) && Math.abs(scale(d1) - r1) < 1e-6
    ? [offset, factor]
    : undefined;
}

/** An integer number of tenths as a decimal: 1234 → "123.4", −5 → "-0.5", 70 → "7". */
function tenths(n: number): string {
  const whole = Math.trunc(n / 10);
  const tenth = Math.abs(n % 10);
  if (tenth === 0) return String(whole);
  return (n < 0 && whole === 0 ? "-0." : whole + ".") + tenth;
}
