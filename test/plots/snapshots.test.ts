// Snapshots of every figure, drawn from fixed input (the simulator with a fixed seed, fixed times), so that any
// change to what a figure draws shows as a diff of test/plots/__snapshots__/ in review. After an intended change:
//   UPDATE_SNAPSHOTS=1 node --import tsx --test test/plots/snapshots.test.ts
// then look at the figures and the diff before committing. The normalising is in test/helpers/snapshot.ts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import { analysePulse, type PulseAnalysis } from "../../src/beam/analysis";
import { pulseFromSamples, type Pulse } from "../../src/beam/decode";
import { BeamSimulator } from "../../src/beam/simulator";
import { liveFrame } from "../../src/plots/live-frame";
import { lossBarChart } from "../../src/plots/loss-chart";
import { interactivePulsePlot } from "../../src/plots/plotly";
import { pulsePlot } from "../../src/plots/pulse-plot";
import { waterfall } from "../../src/plots/waterfall";
import { describePng, matchSnapshot, normaliseFigure, updateCommand } from "../helpers/snapshot";

const SNAPSHOTS = path.join(__dirname, "__snapshots__");
const snapshot = (name: string, text: string) => matchSnapshot(path.join(SNAPSHOTS, name), text, { testFile: __filename });

/** Fixed input: the first 30 pulses of the nominal machine with seed 1, arriving 20 ms apart from a fixed time. */
const T0 = Date.UTC(2026, 0, 12, 14, 3, 7, 512);
const simulator = new BeamSimulator({ seed: 1 });
const pulses: Pulse[] = Array.from({ length: 30 }, () => pulseFromSamples(simulator.nextPulse()));
const analyses: PulseAnalysis[] = pulses.map((p) => analysePulse(p));
const history = analyses.map((analysis, i) => ({ seq: i + 1, receivedAt: T0 + i * 20, analysis }));
const newest = pulses.at(-1)!;
const newestAnalysis = analyses.at(-1)!;
/** Fewer decimation buckets than the default (300) keep the files small; the decimation is tested in plots.test.ts. */
const BUCKETS = 40;

describe("figures against their snapshots", () => {
  test("pulsePlot: 39 monitors by superperiod, the dead ones grey, the negated intensity, the legend", () => {
    snapshot("pulse-plot.svg", pulsePlot(newest, { buckets: BUCKETS, analysis: newestAnalysis }));
  });

  test("lossBarChart: the loss integral per monitor, the hottest red and labelled, dead channels marked", () => {
    snapshot("loss-bar-chart.svg", lossBarChart(newestAnalysis));
  });

  test("waterfall of pulses: R1BLM3 against time, one row per pulse", () => {
    snapshot("waterfall-pulses.svg", waterfall(pulses));
  });

  test("waterfall of a history: the loss of each monitor, one row per pulse", () => {
    snapshot("waterfall-history.svg", waterfall(history));
  });

  test("the live view's frame: status lines, the newest pulse, the history of the hottest monitors", () => {
    const status = [
      `Live view · pulse #30 · hottest ${newestAnalysis.hottestBlm} ${newestAnalysis.hottestBlmIntegralVms.toFixed(3)} V·ms`,
      "received 30 (50.0/s now) · analysed 30 · drawn 6 (at most 5/s) · skipped 24 · rejected 0 · latency 3 ms (median 2 ms)",
      "running for 0.6 s of 10 s",
    ];
    snapshot("live-frame.svg", liveFrame({ pulse: newest, analysis: newestAnalysis, seq: 30, history, status, buckets: BUCKETS }));
  });

  test("the interactive figure's HTML: the static picture until plotly.js draws, and the data it draws", () => {
    snapshot("interactive-pulse-plot.html", interactivePulsePlot(newest, { buckets: 10, analysis: newestAnalysis }).html());
  });
});

describe("the snapshot helper", () => {
  test("makes generated ids, embedded images and long decimals stable, and puts each tag on a line", () => {
    const png = (pixel: number) => {
      // A 1 × 1 grey PNG: signature, IHDR, IDAT (filter byte 0, then the pixel), IEND; CRCs are not read.
      const chunk = (type: string, data: Buffer) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        return Buffer.concat([length, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
      };
      const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
      return Buffer.concat([
        Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
        chunk("IHDR", ihdr),
        chunk("IDAT", deflateSync(Buffer.from([0, pixel]))),
        chunk("IEND", Buffer.alloc(0)),
      ]);
    };
    const figure = (id: string, image: Buffer, x: number) =>
      `<div id="${id}"><img src="data:image/png;base64,${image.toString("base64")}"/><svg x="${x}"/></div><script>var id = "${id}";</script>`;
    const a = normaliseFigure(figure("lm-plotly-1f2e3d", png(128), 12.345678));
    assert.equal(a, normaliseFigure(figure("lm-plotly-9a8b7c", png(128), 12.34571)), "other ids and digits beyond the 4th do not matter");
    assert.match(a, /^<div id="id-1">\n<img src="data:image\/png;base64,\[PNG 1×1, pixels [0-9a-f]{12}\]"\/>\n<svg x="12\.35"\/>/);
    assert.match(a, /var id = "id-1";/);
    assert.notEqual(a, normaliseFigure(figure("lm-plotly-1f2e3d", png(129), 12.345678)), "another pixel does matter");
    assert.equal(describePng(png(7)), describePng(Buffer.concat([png(7)])));
  });

  test("a missing snapshot fails with the command that creates it, and writes nothing; UPDATE_SNAPSHOTS=1 writes it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "snapshots-"));
    try {
      const file = path.join(dir, "new.svg");
      const options = { testFile: __filename, outDir: dir, env: {} };
      assert.throws(
        () => matchSnapshot(file, "<svg/>", options),
        (e: Error) => e.message.includes("no snapshot") && e.message.includes(updateCommand(__filename)),
      );
      assert.throws(() => matchSnapshot(file, "<svg/>", options), /no snapshot/, "still none: a failing run does not write one");
      matchSnapshot(file, "<svg/>", { ...options, env: { UPDATE_SNAPSHOTS: "1" } });
      matchSnapshot(file, "<svg/>", options);
      const changed = path.join(dir, "changed");
      assert.throws(
        () => matchSnapshot(file, `<svg><circle r="2"/></svg>`, { ...options, outDir: changed }),
        (e: Error) => /differs from the figure drawn now, from line 1/.test(e.message) && e.message.includes(updateCommand(__filename)),
      );
      assert.equal(readFileSync(file, "utf8"), "<svg/>\n", "the snapshot is left as it was");
      assert.equal(readFileSync(path.join(changed, "new.svg"), "utf8"), '<svg>\n<circle r="2"/>\n</svg>\n', "the new figure, for a diff");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
