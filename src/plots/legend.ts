import { escapeXml, num } from "./figure-dom";

/** One entry of a legend: a short line in a colour (dashed if `dash` is set) and its label. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
  /** Line width of the swatch (default 2.5). */
  readonly strokeWidth?: number;
}

/** A legend drawn as SVG, and the height it needs. */
export interface LegendSvg {
  readonly svg: string;
  readonly height: number;
}

const ROW_HEIGHT = 18;
const SWATCH = 18;

/**
 * Draws a legend as an SVG group: an optional title, then swatches in rows that wrap at `width`.
 * SVG (not Plot's HTML swatches) so that it is part of the figure: in the saved PNG, and in Jupyter's SVG output.
 */
export function legendSvg(items: readonly LegendItem[], options: { width: number; title?: string; x?: number; y?: number }): LegendSvg {
  const x0 = options.x ?? 0;
  let x = x0;
  let y = (options.y ?? 0) + ROW_HEIGHT / 2;
  const parts: string[] = [];
  // Widths are estimated (about 6.6 px per character at 11 px): no text measurement without a browser.
  const textWidth = (text: string) => text.length * 6.6;
  if (options.title) {
    parts.push(`<text x="${num(x)}" y="${num(y)}" dy="0.35em" font-weight="bold">${escapeXml(options.title)}</text>`);
    x += textWidth(options.title) + 10;
  }
  for (const item of items) {
    const w = SWATCH + 6 + textWidth(item.label) + 14;
    if (x + w > x0 + options.width && x > x0) {
      x = x0;
      y += ROW_HEIGHT;
    }
    const dash = item.dash ? ` stroke-dasharray="${item.dash}"` : "";
    parts.push(
      `<g class="legend-item" aria-label="${escapeXml(item.label)}">` +
        `<line x1="${num(x)}" x2="${num(x + SWATCH)}" y1="${num(y)}" y2="${num(y)}" stroke="${item.color}" stroke-width="${item.strokeWidth ?? 2.5}"${dash}/>` +
        `<text x="${num(x + SWATCH + 6)}" y="${num(y)}" dy="0.35em" text-anchor="start">${escapeXml(item.label)}</text></g>`,
    );
    x += w;
  }
  const rows = Math.round((y - (options.y ?? 0) + ROW_HEIGHT / 2) / ROW_HEIGHT);
  return { svg: `<g class="legend" text-anchor="start">${parts.join("")}</g>`, height: rows * ROW_HEIGHT };
}
