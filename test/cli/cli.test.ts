import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { MQTTClient } from "../../src/mqtt/client";
import { readSettings } from "../../src/mqtt/settings";
import { freePort, Mosquitto } from "../helpers/mosquitto";

// The commands as instructors run them (npm run feed / npm run listen run the same files, built).
const env = { ...process.env, MQTT_URL: "", MQTT_TOPIC: "" };

function start(
  command: "feed" | "listen",
  args: string[],
): ChildProcess & { output: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", `src/cli/${command}.ts`, ...args], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return Object.assign(child, { output });
}

/** Waits until the process prints a line matching `pattern`, and returns the match. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${seen}`)), timeoutMs);
    child.stdout!.on("data", (d) => {
      seen += d;
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

const run = (command: "feed" | "listen", args: string[]) => start(command, args).output;

function records(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("npm run feed and npm run listen", () => {
  test("the feed starts a broker, prints its URL, and listen --json prints one analysed pulse per line", async () => {
    const feed = start("feed", ["--rate", "20", "--seed", "3"]);
    const [, url] = await waitForLine(feed, /broker ready: (mqtt:\/\/127\.0\.0\.1:\d+)/);
    const listen = await run("listen", ["--url", url!, "--seconds", "1.5", "--json"]);
    feed.kill("SIGTERM");
    const stopped = await feed.output;

    assert.equal(listen.code, 0, listen.stderr);
    const lines = records(listen.stdout);
    const summary = lines.pop()!;
    assert.ok(lines.length >= 15 && lines.length <= 35, `${lines.length} pulses in 1.5 s at 20 Hz`);
    lines.forEach((line, i) => {
      assert.equal(line.seq, i + 1);
      assert.equal(line.bytes, 704000);
      assert.equal(line.hottestBlm, "R1BLM3");
      assert.ok((line.intensityPeakV as number) < -3 && (line.survival as number) > 0.9);
      assert.ok((line.hottestBlmIntegralVms as number) > 0);
    });
    assert.deepEqual(summary, { summary: true, received: lines.length, rejected: 0, connects: 1 });
    assert.equal(stopped.code, 0);
    assert.match(stopped.stdout, /feed: stopped after \d+ pulses/);
  });

  test("listen --topic takes wildcards, several times: the whole tree, with summaries and the retained status readable", async () => {
    const feed = start("feed", ["--rate", "10", "--seed", "4"]);
    const [, url] = await waitForLine(feed, /broker ready: (mqtt:\/\/127\.0\.0\.1:\d+)/);
    const json = await run("listen", ["--url", url!, "--topic", "ac_phys/workxp/#", "--seconds", "1.2", "--json"]);
    const text = await run("listen", [
      "--url",
      url!,
      "--topic",
      "ac_phys/+/status",
      "--topic",
      "ac_phys/workxp/summary",
      "--seconds",
      "1.2",
    ]);
    feed.kill("SIGTERM");
    await feed.output;

    assert.equal(json.code, 0, json.stderr);
    const lines = records(json.stdout);
    const summary = lines.pop()!;
    assert.deepEqual(lines[0], {
      seq: 1,
      topic: "ac_phys/workxp/status",
      bytes: lines[0]!.bytes,
      retained: true,
      json: { online: true, rateHz: 10, scenario: "nominal", time: (lines[0]!.json as { time: string }).time, control: true },
    });
    const topics = new Set(lines.map((l) => l.topic));
    assert.deepEqual(topics, new Set(["ac_phys/workxp/status", "ac_phys/workxp/live_signals", "ac_phys/workxp/summary"]));
    for (const line of lines.filter((l) => l.topic === "ac_phys/workxp/summary")) {
      assert.equal((line.json as { hottestBlm: string }).hottestBlm, "R1BLM3");
      assert.ok((line.bytes as number) < 300);
    }
    assert.equal(summary.rejected, 0);

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^listening to ac_phys\/\+\/status, ac_phys\/workxp\/summary at mqtt:/m);
    assert.match(
      text.stdout,
      /^#1 ac_phys\/workxp\/status \d+ bytes \(retained\): feed online since \d\d:\d\d:\d\d\.\d{3}: nominal pulses at 10 Hz$/m,
    );
    assert.match(
      text.stdout,
      /^#2 ac_phys\/workxp\/summary \d+ bytes: pulse \d+ at [\d:.]+ \(nominal\): survival 9\d\.\d %, R5IM peak -3\.\d{3} V, hottest R1BLM3/m,
    );
    assert.doesNotMatch(text.stdout, /live_signals 704000/);
  });

  describe("against Mosquitto", () => {
    let broker: Mosquitto;
    before(async () => {
      broker = await Mosquitto.start();
    });
    after(() => broker.close());

    test("the feed publishes into it with --url, and listen reports a malformed message as rejected", async () => {
      const feed = start("feed", ["--url", broker.url, "--rate", "10", "--scenario", "bad-night"]);
      const listener = start("listen", ["--url", broker.url, "--seconds", "3", "--json"]);
      let listen: Awaited<typeof listener.output>;
      try {
        await waitForLine(feed, /publishing into mqtt:\/\/127\.0\.0\.1/);
        // Its first pulse means it has subscribed: only then can it see the malformed message.
        await waitForLine(listener, /^\{"seq":1,/m);
        const sender = await new MQTTClient(undefined, { url: broker.url, settings: readSettings({}) }).connect();
        await sender.publish("ac_phys/workxp/live_signals", new Uint8Array(16));
        await sender.disconnect();
        listen = await listener.output; // it stops by itself after 3 s
      } finally {
        listener.kill("SIGTERM"); // only still running if something above failed
        feed.kill("SIGINT");
      }
      assert.equal((await feed.output).code, 0);

      const lines = records(listen.stdout);
      const summary = lines.pop()!;
      const rejected = lines.filter((l) => l.error !== undefined);
      assert.equal(rejected.length, 1);
      assert.equal(rejected[0]!.bytes, 16);
      assert.match(String(rejected[0]!.error), /too short: 16 bytes, expected 704000 bytes/);
      const pulses = lines.filter((l) => l.error === undefined);
      assert.ok(pulses.length >= 8, `${pulses.length} pulses`);
      for (const p of pulses) assert.ok((p.survival as number) < 0.2, "a bad night loses most of the beam");
      assert.equal(summary.rejected, 1);
      assert.equal(summary.received, lines.length);
    });
  });

  test("listen with no URL uses the built-in feed at 1 Hz and ends by itself", async () => {
    const listen = await run("listen", ["--seconds", "2.5"]);
    assert.equal(listen.code, 0, listen.stderr);
    assert.match(listen.stdout, /^listening to ac_phys\/workxp\/live_signals at mqtt:\/\/127\.0\.0\.1:\d+ for 2\.5 s$/m);
    assert.match(listen.stdout, /^#1 ac_phys\/workxp\/live_signals 704000 bytes: R5IM peak -3\.\d+ V, survival 9\d\.\d %, hottest R1BLM3/m);
    assert.match(listen.stdout, /^received [23], rejected 0$/m);
  });

  test("wrong input gets one clear line and a non-zero exit, never a stack trace", async () => {
    const port = await freePort();
    const cases: Array<["feed" | "listen", string[], RegExp]> = [
      ["listen", ["--url", "localhost:1883"], /^listen: --url has an unsupported scheme "localhost:"/],
      ["listen", ["--url", `mqtt://127.0.0.1:${port}`, "--seconds", "1"], /^listen: nothing is listening at mqtt:\/\/127\.0\.0\.1:\d+/],
      ["listen", ["--seconds", "soon"], /^listen: invalid --seconds: soon/],
      ["listen", ["--frobnicate"], /^listen: Unknown option '--frobnicate'[\s\S]*usage: npm run listen/],
      ["feed", ["--scenario", "sunny"], /^feed: invalid --scenario: sunny \(expected nominal or bad-night\)/],
      ["feed", ["--rate", "0"], /^feed: invalid --rate: 0/],
      ["feed", ["--topic", "a/#"], /^feed: --topic must be a plain topic/],
      ["feed", ["--keepalive", "0.5"], /^feed: invalid --keepalive: 0\.5/],
      ["listen", ["--topic", "a/#/b"], /^listen: --topic "a\/#\/b" has # that is not the whole last level/],
    ];
    for (const [command, args, message] of cases) {
      const result = await run(command, args);
      assert.notEqual(result.code, 0, `${command} ${args.join(" ")}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    }
  });
});
