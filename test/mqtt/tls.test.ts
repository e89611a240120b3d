// TLS and passwords against a real Mosquitto: a throwaway CA and server certificates made with openssl, a
// password file made with mosquitto_passwd. The right settings connect; every wrong one gives one line that
// says what to fix, at once (no retry); and the password never shows up anywhere.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { inspect } from "node:util";
import { analysePulse } from "../../src/beam/analysis";
import { MQTTClient } from "../../src/mqtt/client";
import { ConnectionError } from "../../src/errors";
import { startFeed } from "../../src/feed/feed";
import { getLiveData } from "../../src/live/live-data";
import { readSettings } from "../../src/mqtt/settings";
import { mockClock } from "../helpers/mock-clock";
import { makeCertificates, makePasswordFile, Mosquitto, tlsListener, type Certificates } from "../helpers/mosquitto";
import { settle, track, type Tracked } from "../helpers/wait";

const USER = "student";
const PASSWORD = "Tr0ub4dor&3 correct-horse"; // must never appear in any output
const WRONG = "wrong-Pa55word-xyzzy"; // nor this one

let certs: Certificates;
let secure: Mosquitto; // TLS, password file, no anonymous users
let localhostOnly: Mosquitto; // TLS with a certificate for "localhost" only
let plain: Mosquitto; // no TLS

before(async () => {
  certs = makeCertificates();
  const passwords = makePasswordFile(certs.dir, USER, PASSWORD);
  [secure, localhostOnly, plain] = await Promise.all([
    Mosquitto.start(tlsListener(certs.cert, certs.key, passwords)),
    Mosquitto.start(tlsListener(certs.localhostCert, certs.localhostKey)),
    Mosquitto.start(),
  ]);
});
after(async () => {
  await Promise.all([secure?.close(), localhostOnly?.close(), plain?.close()]);
  certs?.remove();
});

const env = (overrides: Record<string, string | undefined> = {}) =>
  Object.fromEntries(
    Object.entries({ MQTT_URL: secure.tlsUrl(), MQTT_CA: certs.ca, MQTT_USERNAME: USER, MQTT_PASSWORD: PASSWORD, ...overrides }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as Record<string, string>;

describe("a broker with TLS and a password", () => {
  test("mqtts://, MQTT_CA and the user name and password from the environment connect, and pulses arrive", async () => {
    const settings = readSettings(env());
    const feed = await startFeed({ url: settings.url!, rate: 20, settings });
    const data = await getLiveData(undefined, 1, { settings });
    await feed.stop();
    assert.equal(data.url, secure.tlsUrl());
    assert.ok(data.received >= 10, `received ${data.received}`);
    assert.equal(data.rejected, 0);
    assert.equal(analysePulse(data.pulses.at(-1)!).hottestBlm, "R1BLM3");
  });

  test("the host name localhost works too: the certificate lists both", async () => {
    const client = await new MQTTClient(undefined, { settings: readSettings(env({ MQTT_URL: secure.tlsUrl("localhost") })) }).connect();
    assert.equal(client.connected, true);
    await client.disconnect();
  });
});

describe("each wrong setting gives one line that says what to fix", () => {
  const cases: Array<[string, () => Record<string, string>, (port: () => number) => string]> = [
    [
      "a wrong password",
      () => env({ MQTT_PASSWORD: WRONG }),
      () => `the broker at ${secure.tlsUrl()} refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD`,
    ],
    [
      "an unknown user",
      () => env({ MQTT_USERNAME: "mallory" }),
      () => `the broker at ${secure.tlsUrl()} refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD`,
    ],
    [
      "no user name or password",
      () => env({ MQTT_USERNAME: undefined, MQTT_PASSWORD: undefined }),
      () => `the broker at ${secure.tlsUrl()} wants a user name and password: set MQTT_USERNAME and MQTT_PASSWORD`,
    ],
    [
      "no MQTT_CA: the certificate is not trusted",
      () => env({ MQTT_CA: undefined }),
      () =>
        `the TLS certificate of ${secure.tlsUrl()} is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): set MQTT_CA to the CA file that signed it`,
    ],
    [
      "an MQTT_CA that did not sign the certificate",
      () => env({ MQTT_CA: certs.otherCa }),
      () =>
        `the TLS certificate of ${secure.tlsUrl()} is not signed by the CA in MQTT_CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE): check that MQTT_CA is the CA file of this broker`,
    ],
    [
      "a host name the certificate is not for",
      () => env({ MQTT_URL: localhostOnly.tlsUrl("127.0.0.1") }),
      () =>
        `the TLS certificate of ${localhostOnly.tlsUrl()} is not for the host name "127.0.0.1" (it is for localhost): connect with a name the certificate lists`,
    ],
    [
      "plain mqtt:// to the TLS port",
      () => env({ MQTT_URL: secure.url }),
      () =>
        `${secure.url} closed the connection without answering MQTT: if it is a TLS port (usually 8883) use mqtts:// and MQTT_CA; otherwise check that it is an MQTT broker`,
    ],
    [
      "mqtts:// to a plain port",
      () => env({ MQTT_URL: plain.tlsUrl() }),
      () =>
        `${plain.tlsUrl()} does not answer in TLS: if it is a plain MQTT port use mqtt://, otherwise use the broker's TLS port (usually 8883)`,
    ],
    [
      "a host that does not exist",
      () => env({ MQTT_URL: "mqtts://no-such-broker.invalid:8883" }),
      () => `cannot find the host "no-such-broker.invalid" of mqtts://no-such-broker.invalid:8883: check the name in MQTT_URL`,
    ],
  ];
  for (const [what, settingsFor, expected] of cases) {
    test(`${what}`, async () => {
      const client = new MQTTClient(undefined, { settings: readSettings(settingsFor()) });
      // On a mocked clock that stands still: a final error ends connect() at once, with no timer (no retry,
      // no time limit) needed; an error that was retried would wait for the clock for ever.
      const clock = mockClock();
      let connecting: Tracked<MQTTClient>;
      try {
        connecting = track(client.connect());
        await settle("connect() to fail with the clock standing still", () => connecting.settled, 20_000);
      } finally {
        clock.restore();
      }
      const error = connecting.error;
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(
        error.message,
        expected(() => secure.port),
      );
      assert.equal(client.connected, false);
      const everything = [
        error.message,
        inspect(error),
        inspect(client, { depth: 10 }),
        JSON.stringify(client),
        client.errors.join("\n"),
        JSON.stringify(client.stats),
      ].join("\n");
      assert.doesNotMatch(everything, new RegExp(`${PASSWORD}|${WRONG}`), "no password anywhere");
    });
  }
});

describe("after a failed connect", () => {
  test("nothing keeps trying in the background (one connection per attempt in the broker's log)", async () => {
    const connections = () => (secure.log.match(/New connection from 127\.0\.0\.1/g) ?? []).length;
    const before = connections();
    for (const settings of [env({ MQTT_CA: undefined }), env({ MQTT_PASSWORD: WRONG }), env({ MQTT_CA: certs.otherCa })]) {
      await assert.rejects(new MQTTClient(undefined, { settings: readSettings(settings) }).connect(), ConnectionError);
    }
    await new Promise((r) => setTimeout(r, 1500)); // mqtt.js would retry after 1 s
    assert.equal(connections() - before, 3, secure.log);
  });
});

describe("the password is never printed", () => {
  /** Runs `npm run listen` (its source) with the given environment. */
  const listen = (environment: Record<string, string>, args: string[]) =>
    new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/listen.ts", ...args], {
        env: { ...process.env, MQTT_TOPIC: "", ...environment },
      });
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.stderr.on("data", (d) => (text += d));
      child.on("exit", (code) => resolve({ code, text }));
    });

  test("npm run listen with a wrong password fails in one line, and with the right one listens, neither showing it", async () => {
    const wrong = await listen(env({ MQTT_PASSWORD: WRONG }), ["--seconds", "1"]);
    assert.equal(wrong.code, 1);
    assert.equal(
      wrong.text,
      `listen: the broker at ${secure.tlsUrl()} refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD\n`,
    );
    const right = await listen(env(), ["--seconds", "1"]);
    assert.equal(right.code, 0, right.text);
    assert.match(right.text, /^listening to ac_phys\/workxp\/live_signals at mqtts:\/\/127\.0\.0\.1:\d+ for 1 s$/m);
    assert.doesNotMatch(wrong.text + right.text, new RegExp(`${PASSWORD}|${WRONG}`));
  });

  test("settings and a connected client print as (hidden)", async () => {
    const settings = readSettings(env());
    assert.equal(settings.password, PASSWORD, "kept for connecting");
    assert.match(inspect(settings), /password: '\(hidden\)'/);
    assert.match(JSON.stringify(settings), /"password":"\(hidden\)"/);
    const client = await new MQTTClient(undefined, { settings }).connect();
    const shown = inspect(client, { depth: 10 }) + JSON.stringify(client) + inspect({ client }, { depth: 10 });
    await client.disconnect();
    assert.doesNotMatch(shown, new RegExp(PASSWORD));
    assert.match(
      inspect(client),
      /^MQTTClient \{ topic: ac_phys\/workxp\/live_signals, url: mqtts:\/\/127\.0\.0\.1:\d+, not connected, stats: \{"connects":1/,
    );
  });
});
