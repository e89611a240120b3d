// What a newcomer does without PyPI: `npm start -- --classic` (also what npm start falls back to), open a lesson
// in the classic Notebook in a browser, run every cell.
// Debian's chromium, driven by playwright-core, runs lesson 3 through Jupyter's own page (its kernel, its
// websocket, its file server for ../assets) and checks that every cell ran, none wrote to stderr, and the
// diagram from assets/ loaded. A screenshot is kept in out/screenshots/.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openClassicNotebook, skipWithoutChromium } from "../helpers/classic-notebook";

test(
  "npm start -- --classic serves the lessons, and lesson 3 runs top to bottom in the classic Notebook",
  { skip: skipWithoutChromium, timeout: 180_000 },
  async () => {
    const notebook = await openClassicNotebook("notebooks/03-what-is-mqtt.ipynb");
    try {
      await notebook.runAll();
      const cells = await notebook.codeOutputs();
      assert.ok(cells.length >= 10, `${cells.length} code cells ran`);
      assert.deepEqual(
        cells.flatMap((c) => c.stderr),
        [],
        "no cell wrote an error",
      );
      assert.match(cells.map((c) => c.stdout).join(""), /fan/i, "the thermometer-and-fan demo printed what the fan did");
      const diagram = notebook.page.locator('img[src*="mqtt-publish-subscribe.svg"]').first();
      await diagram.scrollIntoViewIfNeeded();
      const loaded = await diagram.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0);
      assert.ok(loaded, "the diagram from assets/ loaded");
      await notebook.screenshot("02-notebook-ui.png");
    } finally {
      await notebook.close();
    }
  },
);
