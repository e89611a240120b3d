// A student's mistakes in the classic Notebook that `npm start` opens (Debian's chromium, playwright-core): pressing
// ■ while a cell listens ends it quietly (one line, no stack trace) and the next cell can still use what it
// declared; a bug in an onMessage callback shows its error line under the cell, as it happens. The notebook is
// written into out/ (never into the lessons), and a screenshot is kept in out/screenshots/.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { openClassicNotebook, REPO, skipWithoutChromium } from "../helpers/classic-notebook";

const CELLS = [
  'import { MQTTClient, sleep, type Message } from "learning-mqtt";',
  "const listener = new MQTTClient();\nawait listener.connect();\nawait sleep(60_000);\nawait listener.disconnect();",
  "console.log(`still here: ${listener.stats.received} messages, connected: ${listener.connected}`);",
  "class Buggy extends MQTTClient {\n" +
    "  sizes: number[] = [];\n" +
    "  override onMessage(message: Message) {\n" +
    "    const previous = this.sizes[this.sizes.length]; // the bug\n" +
    "    this.sizes.push(message.payload.length);\n" +
    "    console.log(`the size before this one: ${previous.toFixed(0)} bytes`);\n" +
    "  }\n" +
    "}",
  "const buggy = new Buggy();\nawait buggy.connect();\nawait sleep(2500);\nawait buggy.disconnect();",
];

function writeNotebook(): string {
  const dir = path.join(REPO, "out", "ui");
  mkdirSync(dir, { recursive: true });
  const nb = {
    cells: CELLS.map((source, i) => ({ cell_type: "code", execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { name: "learning-mqtt", display_name: "TypeScript (learning-mqtt)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(path.join(dir, "mistakes.ipynb"), JSON.stringify(nb));
  return "out/ui/mistakes.ipynb";
}

/** What a stack trace looks like: "    at fn (file:line:col)". */
const STACK_FRAME = /^\s+at .+[:(]/m;

test(
  "in the classic Notebook, ■ ends a listening cell quietly and a buggy onMessage shows its error line",
  { skip: skipWithoutChromium, timeout: 240_000 },
  async () => {
    const notebook = await openClassicNotebook(writeNotebook());
    try {
      assert.deepEqual((await notebook.run(0)).stderr, []);

      await notebook.start(1);
      // Interrupt once the cell is waiting and a pulse or two has arrived (the built-in feed sends one a second).
      await notebook.page.waitForTimeout(3000);
      await notebook.interrupt();
      await notebook.finished(1, 10_000);
      await notebook.page.waitForTimeout(500);
      const stopped = await notebook.outputs(1);
      assert.deepEqual(stopped.stderr, [], "no error and no stack trace");
      assert.match(stopped.stdout, /^Stopped \(■\) after \d+ messages?: the cell goes on with what arrived\.\n$/);

      const next = await notebook.run(2);
      assert.deepEqual(next.stderr, [], "the next cell can use what the interrupted cell declared");
      assert.match(next.stdout, /^still here: \d+ messages, connected: false\n$/);

      assert.deepEqual((await notebook.run(3)).stderr, []);
      const buggy = await notebook.run(4);
      const shown = buggy.stderr.join("");
      assert.match(
        shown,
        /^Buggy\.onMessage threw TypeError: Cannot read properties of undefined \(reading 'toFixed'\), at cell \[\d+\], line 6: console\.log\(`the size before this one: \$\{previous\.toFixed\(0\)\} bytes`\);\n$/,
      );
      assert.doesNotMatch(shown, STACK_FRAME);
      await notebook.page.locator(".cell").nth(4).scrollIntoViewIfNeeded();
      await notebook.screenshot("mistakes-ui.png");
    } finally {
      await notebook.close();
    }
  },
);
