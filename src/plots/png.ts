import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Pulse } from "../beam/decode";
import { pulsePlot, type PulsePlotOptions } from "./pulse-plot";
import { encodePng } from "./raster";

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG unit (default 2: a 960 px wide figure becomes 1920 px, sharp on any screen and in print). */
  scale?: number;
  /** The PNG's width in px instead of a scale (the height follows). */
  width?: number;
  /** Font files to draw text with (default: Debian's DejaVu Sans, else the system's fonts). */
  fontFiles?: string[];
}

/** A rendered PNG and its size in pixels. */
export interface PngImage {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/** What {@link saveFigure} wrote. */
export interface SavedFigure {
  /** Absolute path of the file. */
  readonly path: string;
  readonly format: "png" | "svg";
  /** Size in px (for SVG, the figure's own size). */
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** Debian's default fonts (package fonts-dejavu-core). */
const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";
const DEJAVU = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => path.join(DEJAVU_DIR, f));

function fontOptions(fontFiles?: string[]): NonNullable<ResvgRenderOptions["font"]> {
  const files = fontFiles ?? DEJAVU.filter((f) => existsSync(f));
  // Without font files resvg draws no text at all: fall back to scanning the system's fonts (slower).
  return {
    fontFiles: files,
    loadSystemFonts: files.length === 0,
    defaultFontFamily: "DejaVu Sans",
    sansSerifFamily: "DejaVu Sans",
  };
}

/**
 * Renders SVG text (e.g. from pulsePlot) to a PNG with resvg: no browser, about 50–150 ms.
 * Text uses DejaVu Sans (Debian's fonts-dejavu-core), or the system's fonts where that is missing.
 * @example
 * const { png, width, height } = svgToPng(pulsePlot(pulse));
 */
export function svgToPng(svg: string, options: PngOptions = {}): PngImage {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 10)) throw new RangeError(`invalid scale: ${scale} (expected 0 < scale ≤ 10)`);
  if (options.width !== undefined && !(Number.isInteger(options.width) && options.width > 0 && options.width <= 10000)) {
    throw new RangeError(`invalid width: ${options.width} px (expected a whole number 1–10000)`);
  }
  const resvg = new Resvg(svg, {
    fitTo: options.width !== undefined ? { mode: "width", value: options.width } : { mode: "zoom", value: scale },
    font: fontOptions(options.fontFiles),
    background: "white",
  });
  const image = resvg.render();
  return { png: rgbaToPng(image.pixels, image.width, image.height), width: image.width, height: image.height };
}

/**
 * resvg's pixels as a PNG: the rows unfiltered, deflated at zlib's level 1. Measured on savePulsePlot's
 * 1920 × 1212 image: 38 ms (310 KB) with resvg's own asPng(), 13 ms (270 KB) this way.
 */
function rgbaToPng(pixels: Buffer, width: number, height: number): Buffer {
  const stride = 4 * width;
  const lines = Buffer.allocUnsafe(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    lines[y * (stride + 1)] = 0; // filter: none
    pixels.copy(lines, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return encodePng(width, height, lines, 4, 1);
}

/**
 * Saves a figure (SVG text) as .png (rendered with resvg) or .svg (as it is), by the file's extension.
 * Relative paths are relative to the working directory: in a notebook, the notebook's folder.
 * @throws RangeError for any other extension.
 * @example saveFigure(lossBarChart(analysis), "losses.png");
 */
export function saveFigure(svg: string, file: string, options: PngOptions = {}): SavedFigure {
  const full = path.resolve(file);
  const ext = path.extname(full).toLowerCase();
  if (ext === ".svg") {
    writeFileSync(full, svg);
    const [width, height] = svgSize(svg);
    return { path: full, format: "svg", width, height, bytes: Buffer.byteLength(svg) };
  }
  if (ext !== ".png") throw new RangeError(`cannot save ${file}: use a name ending in .png or .svg`);
  const { png, width, height } = svgToPng(svg, options);
  writeFileSync(full, png);
  return { path: full, format: "png", width, height, bytes: png.length };
}

/**
 * Draws a pulse with {@link pulsePlot} and saves it, like the original lesson's `plt.savefig("beamplot.png")`
 * but with the figure made before saving, and all 39 monitors in it.
 * @example savePulsePlot(pulse, "beamplot.png"); // 1920 × 1212 px
 */
export function savePulsePlot(pulse: Pulse, file = "beamplot.png", options: PulsePlotOptions & PngOptions = {}): SavedFigure {
  return saveFigure(pulsePlot(pulse, options), file, options);
}

function svgSize(svg: string): [number, number] {
  const head = svg.slice(0, svg.indexOf(">") + 1);
  const width = Number(/\swidth="([\d.]+)"/.exec(head)?.[1] ?? NaN);
  const height = Number(/\sheight="([\d.]+)"/.exec(head)?.[1] ?? NaN);
  return [width, height];
}
