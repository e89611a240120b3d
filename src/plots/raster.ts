/**
 * Heatmaps as small embedded images: a grid of values → colours → a PNG (node:zlib, no canvas), placed in
 * an SVG `<image>`. A 200 × 500 heatmap is one image of a few kB instead of 100,000 SVG rectangles.
 */
import { interpolateViridis } from "d3-scale-chromatic";
import { crc32, deflateSync } from "node:zlib";

/** Viridis (d3-scale-chromatic: matplotlib's table), 256 colours as [r, g, b]: dark blue = low, yellow = high. */
const VIRIDIS: readonly (readonly [number, number, number])[] = Array.from({ length: 256 }, (_, i) => {
  const hex = interpolateViridis(i / 255); // "#440154"
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)) as unknown as readonly [number, number, number];
});
/** The colour of a missing value (NaN), e.g. a dead channel. */
export const MISSING_RGB: readonly [number, number, number] = [200, 200, 200];

/** The viridis colour of t in 0…1 (clamped) as [r, g, b]; NaN gives {@link MISSING_RGB}. */
export function viridis(t: number): readonly [number, number, number] {
  if (!Number.isFinite(t)) return MISSING_RGB;
  return VIRIDIS[Math.round(Math.min(1, Math.max(0, t)) * 255)]!;
}

/** CSS hex of a viridis colour, for legends. */
export function viridisHex(t: number): string {
  return (
    "#" +
    viridis(t)
      .map((c) => c.toString(16).padStart(2, "0"))
      .join("")
  );
}

/**
 * Encodes a grid of values as an RGB PNG, coloured with viridis over [lo, hi]; each value becomes a block of
 * scaleX × scaleY pixels, so that the cells stay crisp however the image is scaled (renderers smooth images).
 * `value(column, row)` gives the value of a cell (row 0 is the top).
 */
export function heatmapPng(
  columns: number,
  rows: number,
  value: (column: number, row: number) => number,
  [lo, hi]: readonly [number, number],
  scaleX = 1,
  scaleY = 1,
): Uint8Array {
  const span = hi > lo ? hi - lo : 1;
  const width = columns * scaleX;
  const stride = 1 + 3 * width;
  const raw = Buffer.alloc(rows * scaleY * stride);
  for (let r = 0; r < rows; r++) {
    const start = r * scaleY * stride;
    let k = start;
    raw[k++] = 0; // filter: none
    for (let c = 0; c < columns; c++) {
      const [red, green, blue] = viridis((value(c, r) - lo) / span);
      for (let s = 0; s < scaleX; s++) {
        raw[k++] = red;
        raw[k++] = green;
        raw[k++] = blue;
      }
    }
    for (let s = 1; s < scaleY; s++) raw.copy(raw, start + s * stride, start, start + stride);
  }
  return encodePng(width, rows * scaleY, raw);
}

/**
 * A PNG file from filtered scanlines (8 bits per channel, each line led by its filter byte), RGB or RGBA.
 * `level`: zlib's compression level (default 6; 1 is about 3× faster and, for figures, barely larger).
 */
export function encodePng(width: number, height: number, scanlines: Buffer, channels: 3 | 4 = 3, level = 6): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 3 ? 2 : 6; // colour type: RGB or RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(scanlines, { level })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An SVG `<image>` showing a heatmap PNG stretched over a rectangle, with crisp (unblurred) cells. */
export function heatmapImage(png: Uint8Array, x: number, y: number, width: number, height: number): string {
  const href = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
  return (
    `<image x="${x}" y="${y}" width="${width}" height="${height}" preserveAspectRatio="none" image-rendering="optimizeSpeed" ` +
    `style="image-rendering:pixelated" href="${href}" xlink:href="${href}"/>`
  );
}

/** Whole-number block sizes that make a grid of cells fill about w × h pixels (at least 1 each). */
export function cellScale(columns: number, rows: number, w: number, h: number): [number, number] {
  return [Math.max(1, Math.min(64, Math.floor(w / columns))), Math.max(1, Math.min(64, Math.floor(h / rows)))];
}

/** A vertical colour bar for a heatmap (SVG rects), with its low/high values and a label. */
export function colorBar(options: {
  x: number;
  y: number;
  height: number;
  domain: readonly [number, number];
  label: string;
  format?: (v: number) => string;
}): string {
  const steps = 32;
  const w = 12;
  const h = options.height / steps;
  const format = options.format ?? ((v: number) => v.toPrecision(2));
  const rects: string[] = [];
  for (let i = 0; i < steps; i++) {
    // Top is high.
    rects.push(
      `<rect x="${options.x}" y="${(options.y + i * h).toFixed(2)}" width="${w}" height="${(h + 0.5).toFixed(2)}" fill="${viridisHex(1 - (i + 0.5) / steps)}"/>`,
    );
  }
  const [lo, hi] = options.domain;
  return (
    `<g class="color-bar">${rects.join("")}` +
    `<text x="${options.x + w + 4}" y="${options.y}" dy="0.7em" text-anchor="start">${format(hi)}</text>` +
    `<text x="${options.x + w + 4}" y="${options.y + options.height}" text-anchor="start">${format(lo)}</text>` +
    `<text transform="translate(${options.x + w + 8},${options.y + options.height / 2}) rotate(90)" text-anchor="middle" dy="-0.2em">${options.label}</text></g>`
  );
}
