// npm run classroom as an instructor runs it: one command, what it prints (never a password), a student who
// connects with their line of the passwords file, Ctrl-C stopping everything; and --mosquitto-config's files.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { readPasswordsFile } from "../../src/classroom/passwords";
import { recorder } from "../helpers/classroom";
import { freePort, Mosquitto } from "../helpers/mosquitto";
import { waitFor } from "../helpers/wait";

const env = { ...process.env, MQTT_URL: "", MQTT_USERNAME: "", MQTT_PASSWORD: "", CLASSROOM_DASHBOARD_PASSWORD: "" };

function classroom(args: string[], extraEnv: Record<string, string> = {}) {
  // Its own process group, so that the test can stop whatever it started, also on failure.
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/classroom.ts", ...args], {
    env: { ...env, ...extraEnv },
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => stdout + stderr,
    stdout: () => stdout,
    kill: () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

describe("npm run classroom", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "classroom-cli-"));
  const started: Array<{ kill(): void }> = [];
  after(() => {
    for (const c of started) c.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test("starts the broker, the feed and the dashboard, says what students set, and stops on Ctrl-C", { timeout: 60_000 }, async () => {
    const passwordsFile = path.join(dir, "passwords.txt");
    const run = classroom(["--students", "3", "--passwords-file", passwordsFile, "--seed", "1"], {
      CLASSROOM_DASHBOARD_PASSWORD: "dash-secret-1",
    });
    started.push(run);
    await waitFor("the ready lines", () => /classroom: feed:/.test(run.stdout()), 30_000);
    const out = run.stdout();
    const url = /broker ready: (mqtt:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    const dashboard = /dashboard (http:\/\/127\.0\.0\.1:\d+) \(this machine only\) \(asks for the instructor's password\)/.exec(out)?.[1];
    assert.ok(url && dashboard, out);
    assert.match(
      out,
      /each student sets MQTT_URL=mqtt:\/\/127\.0\.0\.1:\d+ MQTT_USERNAME=<their user name> MQTT_PASSWORD=<their password>/,
    );
    assert.match(out, /3 students \(student01 … student03\); passwords written to .*passwords\.txt \(mode 0600\)/);
    assert.equal(statSync(passwordsFile).mode & 0o777, 0o600);

    const passwords = readPasswordsFile(passwordsFile);
    const student = await recorder(url, passwords, "student02").connect();
    await student.subscribe("ac_phys/workxp/live_signals");
    await waitFor("a pulse", () => student.messages.length > 0, 10_000);
    await student.disconnect();
    const unauthorised = await fetch(`${dashboard}/snapshot.json`);
    assert.equal(unauthorised.status, 401);
    const snapshot = await fetch(`${dashboard}/snapshot.json`, { headers: { authorization: `Basic ${btoa("i:dash-secret-1")}` } });
    assert.equal(snapshot.status, 200);

    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
    assert.match(run.stdout(), /classroom: stopped/);
    for (const password of [...passwords.values(), "dash-secret-1"])
      assert.ok(!run.output().includes(password), "no password in the output");
  });

  test("a bad flag is one line and exit code 2", async () => {
    const run = classroom(["--rate", "3"]);
    started.push(run);
    assert.equal(await run.exited, 2);
    assert.equal(
      run.output().trim(),
      "classroom: invalid --rate: 3 (raw pulses per second must divide the machine's 50: 1, 2, 5, 10, 25 or 50)",
    );
  });

  test(
    "--mosquitto-config writes the files and the commands that run them: a student gets the compact topics at 50 Hz",
    { timeout: 60_000 },
    async () => {
      const conf = path.join(dir, "lab");
      const port = await freePort();
      const run = classroom(["--students", "2", "--mosquitto-config", conf, "--port", String(port)]);
      started.push(run);
      assert.equal(await run.exited, 0, run.output());
      assert.match(run.output(), /start the broker: \S*mosquitto -c .*lab\/mosquitto\.conf/);
      const feedLine =
        /then the feed: MQTT_USERNAME=isis-feed MQTT_PASSWORD="\$\(cat (\S+)\)" npm run feed -- (--url mqtt:\/\/127\.0\.0\.1:\d+ .*)$/m.exec(
          run.output(),
        );
      assert.ok(feedLine, run.output());
      assert.ok(readFileSync(path.join(conf, "mosquitto.conf"), "utf8").includes(`\nlistener ${port} 127.0.0.1\n`));

      // Run them as printed: Mosquitto from the files, the feed with its flags and the feed's password file. (Started as
      // root, Mosquitto reads the files as the "mosquitto" user, which must be let into the temporary folder.)
      chmodSync(dir, 0o755);
      const broker = await Mosquitto.fromConfigFile(path.join(conf, "mosquitto.conf"), port);
      const feed = spawn(process.execPath, ["--import", "tsx", "src/cli/feed.ts", ...feedLine[2]!.split(" ")], {
        env: { ...env, MQTT_USERNAME: "isis-feed", MQTT_PASSWORD: readFileSync(feedLine[1]!, "utf8").trim() },
        detached: true,
      });
      started.push({
        kill: () => {
          try {
            process.kill(-feed.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        },
      });
      const student = await recorder(broker.url, readPasswordsFile(path.join(conf, "passwords.txt")), "student01").connect();
      try {
        await student.subscribe("ac_phys/workxp/#");
        const raw = () => student.messages.filter((m) => m.topic === "ac_phys/workxp/live_signals").length;
        await waitFor("two raw pulses", () => raw() >= 2, 20_000);
        const envelopes = student.messages.filter((m) => m.topic === "ac_phys/workxp/envelope").length;
        const summaries = student.messages.filter((m) => m.topic === "ac_phys/workxp/summary").length;
        assert.ok(envelopes >= 20 && summaries >= 20, `${envelopes} envelopes and ${summaries} summaries by the second raw pulse`);
      } finally {
        await student.disconnect();
        feed.kill("SIGTERM");
        await new Promise((resolve) => feed.once("exit", resolve));
        await broker.close();
      }
      const secrets = [
        ...readPasswordsFile(path.join(conf, "passwords.txt")).values(),
        readFileSync(path.join(conf, "feed-password"), "utf8").trim(),
      ];
      for (const secret of secrets) {
        assert.ok(!run.output().includes(secret));
        assert.ok(!readFileSync(path.join(conf, "passwd"), "utf8").includes(secret), "the broker's file holds only hashes");
      }
    },
  );
});
