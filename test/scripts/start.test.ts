// `npm start`'s choices, seen from outside: with no .venv and PyPI out of reach it says so in one line and serves
// Debian's classic Notebook; a bad flag is one line. (The front ends themselves: test/frontends/.)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { freePort } from "../helpers/mosquitto";
import { REPO, startJupyter } from "../helpers/jupyter-server";

test(
  "with no .venv and PyPI out of reach, npm start says so in one line and serves Debian's classic Notebook",
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "learning-mqtt-start-"));
    const closed = await freePort(); // nothing listens there: the index refuses at once
    const server = await startJupyter([], {
      LEARNING_MQTT_VENV: path.join(dir, "venv"),
      PIP_INDEX_URL: `http://127.0.0.1:${closed}/simple/`,
    });
    try {
      const lines = server.log().split("\n");
      const said = lines.filter((l) => /PyPI/.test(l));
      assert.deepEqual(said, [
        `npm start: PyPI cannot be reached (PIP_INDEX_URL=http://127.0.0.1:${closed}/simple/), so Notebook 7 cannot be installed: starting Debian's classic Notebook instead`,
      ]);
      assert.ok(
        lines.some((l) => /^npm start: the classic Notebook 6\.\d+\.\d+ \(\/usr\/bin\/python3\)$/.test(l)),
        server.log(),
      );
      const status = await server.api<{ started: string }>("/api/status");
      assert.ok(status.started, "the classic Notebook answers");
      assert.equal(existsSync(path.join(dir, "venv")), false, "no half-made .venv is left");
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("npm start: a bad flag is one line, before anything starts", async () => {
  const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ["scripts/start.mjs", "--lba"], { cwd: REPO });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
  assert.equal(result.code, 2);
  assert.equal(result.out.trim(), "npm start: unknown option --lba (try --help)");
});
