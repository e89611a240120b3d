import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SettingsError } from "../../src/errors";
import { DEFAULT_TOPIC, readSettings, redactUrl } from "../../src/mqtt/settings";

describe("readSettings", () => {
  test("means the built-in feed on the course topic when nothing is set", () => {
    const s = readSettings({});
    assert.equal(s.url, undefined);
    assert.equal(s.topic, DEFAULT_TOPIC);
    assert.equal(DEFAULT_TOPIC, "ac_phys/workxp/live_signals");
  });

  test("treats an empty MQTT_URL as unset", () => {
    assert.equal(readSettings({ MQTT_URL: "  " }).url, undefined);
  });

  test("reads the URL, credentials and topic", () => {
    const s = readSettings({
      MQTT_URL: "mqtts://broker.example:8883",
      MQTT_USERNAME: "student",
      MQTT_PASSWORD: "p w",
      MQTT_TOPIC: "a/+/c",
    });
    assert.deepEqual([s.url, s.username, s.password, s.topic], ["mqtts://broker.example:8883", "student", "p w", "a/+/c"]);
  });

  for (const url of ["mqtt://localhost:1883", "mqtts://h:8883", "ws://h:8080/mqtt", "wss://h/mqtt", "tcp://10.0.0.1:1883"]) {
    test(`accepts ${url}`, () => assert.equal(readSettings({ MQTT_URL: url }).url, url));
  }

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ MQTT_URL: "localhost:1883" }, /MQTT_URL has an unsupported scheme "localhost:".*example: MQTT_URL=mqtt:\/\/localhost:1883/],
    [{ MQTT_URL: "broker" }, /MQTT_URL is not a URL: "broker" \(example: MQTT_URL=mqtt:\/\//],
    [{ MQTT_URL: "http://h:1883" }, /unsupported scheme "http:"/],
    [{ MQTT_URL: "mqtt://user:secret@h:1883" }, /must not contain a password; set MQTT_USERNAME and MQTT_PASSWORD/],
    [{ MQTT_CA: "/no/such/ca.pem" }, /MQTT_CA: no such file: \/no\/such\/ca.pem \(example: MQTT_CA=/],
    [{ MQTT_PASSWORD: "x" }, /MQTT_PASSWORD is set but MQTT_USERNAME is not/],
    [{ MQTT_TOPIC: "a/#/b" }, /MQTT_TOPIC "a\/#\/b" has # that is not the whole last level/],
    [{ MQTT_TOPIC: "a/b+" }, /MQTT_TOPIC "a\/b\+" has \+ that is not a whole level/],
  ];
  for (const [env, message] of bad) {
    test(`rejects ${JSON.stringify(env)} naming the variable and an example`, () => {
      assert.throws(
        () => readSettings(env),
        (e: unknown) => e instanceof SettingsError && message.test(e.message),
      );
    });
  }

  test("never puts a password into an error message", () => {
    try {
      readSettings({ MQTT_URL: "mqtt://user:hunter2@h:1883" });
      assert.fail("should throw");
    } catch (error) {
      assert.doesNotMatch((error as Error).message, /hunter2/);
    }
  });
});

describe("redactUrl", () => {
  test("removes user names and passwords", () => {
    assert.equal(redactUrl("mqtt://u:p@h:1883"), "mqtt://h:1883");
  });
});
