/**
 * Observable Plot and linkedom, loaded with require(). Both are ES modules; Node ≥ 20.19 can require() them,
 * but the TypeScript that tslab installs as `tsc` (5.0) rejects importing an ES module from this CommonJS
 * build (TS1479). So they are required here and typed with the few functions the figures use.
 */

/** A mark: opaque to us, Plot knows what to do with it. */
export type Mark = { readonly __mark?: never } | object;
/** Plot's options objects, passed through unchanged. */
export type Options = Record<string, unknown>;

/** The functions of @observablehq/plot 0.6 used by the figures (see https://observablehq.com/plot/). */
export interface PlotApi {
  plot(options: Options): unknown;
  line(data: unknown, options?: Options): Mark;
  barY(data: unknown, options?: Options): Mark;
  ruleY(data: unknown, options?: Options): Mark;
  text(data: unknown, options?: Options): Mark;
  frame(options?: Options): Mark;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const Plot = require("@observablehq/plot") as PlotApi;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const linkedom = require("linkedom") as { parseHTML(html: string): { document: unknown } };

/** A DOM without a browser (linkedom), for Plot's `document` option. */
export function parseHTML(html: string): { document: unknown } {
  return linkedom.parseHTML(html);
}
