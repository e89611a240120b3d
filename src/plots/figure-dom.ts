/**
 * The DOM that Observable Plot draws into when there is no browser: linkedom's document. Plot builds
 * real SVG elements in it; the helpers here turn them into standalone SVG text and put several plots
 * (and a legend) together into one SVG figure.
 */
import { parseHTML } from "./observable-plot";

/** The font used in every figure: what browsers pick, then DejaVu (Debian's default) for PNG export. */
export const FONT_FAMILY = "system-ui, 'DejaVu Sans', sans-serif";

let doc: unknown;

/** A reusable linkedom document for Plot's `document` option (opaque: this project compiles without lib.dom). */
export function plotDocument(): unknown {
  doc ??= parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document;
  return doc;
}

/** A DOM element as Plot returns it (an SVG element, or a figure when Plot adds a legend or title). */
export interface PlotElement {
  outerHTML: string;
  tagName: string;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void }>;
}

/** One part of a composed figure: SVG text and where it goes. */
export interface FigurePart {
  /** Standalone SVG text, or any SVG fragment (e.g. a `<g>`). */
  readonly svg: string;
  readonly x?: number;
  readonly y?: number;
}

/**
 * Serialises a plot's `<svg>` for nesting inside a figure: drops Plot's `<style>` (its `height: auto`
 * would stretch a nested svg) and places it at x, y.
 */
export function nestedSvg(element: PlotElement, x: number, y: number): string {
  if (element.tagName.toLowerCase() !== "svg")
    throw new TypeError(`expected Plot to return an <svg>, got <${element.tagName.toLowerCase()}>`);
  const styles = element.querySelectorAll("style");
  for (let i = 0; i < styles.length; i++) styles[i]!.remove();
  element.setAttribute("x", String(x));
  element.setAttribute("y", String(y));
  element.setAttribute("overflow", "visible");
  return shortenPaths(element.outerHTML);
}

/**
 * Composes parts into one standalone SVG document with a white background, an accessible title and
 * the `xmlns` that browsers, resvg and Jupyter need.
 */
export function composeSvg(options: {
  width: number;
  height: number;
  title?: string;
  parts: readonly (FigurePart | string)[];
  className?: string;
}): string {
  const { width, height } = options;
  const title = options.title ? `<title>${escapeXml(options.title)}</title>` : "";
  const body = options.parts
    .map((part) => {
      if (typeof part === "string") return part;
      const { svg, x = 0, y = 0 } = part;
      return x === 0 && y === 0 ? svg : `<g transform="translate(${x},${y})">${svg}</g>`;
    })
    .join("");
  const cls = options.className ? ` class="${escapeXml(options.className)}"` : "";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${cls} width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}" font-size="11" ` +
    `style="max-width:100%;height:auto;background:white">` +
    `${title}<rect width="${width}" height="${height}" fill="white"/>${body}</svg>`
  );
}

/**
 * Cuts path coordinates to one decimal (a tenth of a pixel): Plot writes up to 16 digits, which more than
 * doubles the size of a figure with thousands of points.
 */
export function shortenPaths(svg: string): string {
  return svg.replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${d.replace(/(\.\d)\d+/g, "$1")}"`);
}

/** Text made safe for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A number for SVG attributes: at most 2 decimals, no trailing zeros. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}
