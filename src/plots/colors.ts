/**
 * Colours shared by every figure, so that the static and interactive plots look alike.
 * One colour per superperiod R0…R9 (Observable's ten-colour scheme with its grey swapped for plum:
 * grey means "dead channel" here).
 */
export const SUPERPERIOD_COLORS: readonly string[] = Object.freeze([
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#7a1f5c",
]);

/** The intensity trace. */
export const INTENSITY_COLOR = "#222222";
/** Dead channels: grey and dashed. */
export const DEAD_COLOR = "#9a9a9a";
export const DEAD_DASH = "5,3";
/** Bars of the loss chart, and the one that stands out. */
export const BAR_COLOR = "#4269d0";
export const HOT_COLOR = "#d62728";

/** The colour of superperiod 0–9. */
export function superperiodColor(superperiod: number): string {
  return SUPERPERIOD_COLORS[superperiod] ?? DEAD_COLOR;
}
