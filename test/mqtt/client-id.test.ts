import assert from "node:assert/strict";
import { test } from "node:test";
import { newClientId } from "../../src/mqtt/client-id";
import { MQTTClient } from "../../src/mqtt/client";
import { readSettings } from "../../src/mqtt/settings";

test("a client id starts with the user name when there is one, so that a classroom broker lets it in", () => {
  assert.match(newClientId(undefined, null), /^learning-mqtt-[A-Za-z0-9]{12}$/);
  assert.match(newClientId("twin", null), /^twin-[A-Za-z0-9]{12}$/);
  assert.match(newClientId(undefined, "student01"), /^student01-[A-Za-z0-9]{12}$/);
  assert.match(newClientId("twin", "student01"), /^student01-twin-[A-Za-z0-9]{12}$/);
  assert.match(newClientId("student01-printer", "student01"), /^student01-printer-[A-Za-z0-9]{12}$/, "not student01-student01-…");
  assert.match(newClientId("isis-feed", "isis-feed"), /^isis-feed-[A-Za-z0-9]{12}$/);
});

test("MQTTClient's default id starts with MQTT_USERNAME", () => {
  const settings = readSettings({ MQTT_URL: "mqtt://127.0.0.1:1", MQTT_USERNAME: "student07", MQTT_PASSWORD: "x" });
  assert.match(new MQTTClient("t", { settings }).clientId, /^student07-[A-Za-z0-9]{12}$/);
  assert.match(new MQTTClient("t", { settings: readSettings({}) }).clientId, /^learning-mqtt-/);
});
