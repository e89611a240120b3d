/**
 * The notebook's outputs: tslab's displays. tslab is loaded only when something is actually shown without a
 * display of your own, so everything else also runs in plain Node (tests, scripts), which pass `display`.
 */

/** The part of tslab's Display that figures use; tests pass a recorder. */
export interface DisplayLike {
  html(html: string): void;
  png(png: Uint8Array): void;
}

interface Tslab {
  display: DisplayLike;
  newDisplay(): DisplayLike;
}

function tslab(): Tslab {
  try {
    // Lazily: a plain Node process (a test, a script) never needs tslab.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("tslab") as Tslab;
  } catch (error) {
    throw new Error(`showing a figure needs the tslab kernel (pass { display } outside a notebook): ${(error as Error).message}`);
  }
}

/** tslab's display (a new output each call). */
export function notebookDisplay(): DisplayLike {
  return tslab().display;
}

/** A new tslab display that updates one output in place (every call after the first replaces it). */
export function newNotebookDisplay(): DisplayLike {
  return tslab().newDisplay();
}
