// The tools of lessons 10–15: packet printers, practice topics, asking the feed for a scenario, mqtt.js's connection.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, describe, test } from "node:test";
import { startBuiltInFeed, stopBuiltInFeed } from "../../src/feed/built-in";
import { STUDENTS_TREE, practiceTopic } from "../../src/feed/topics";
import { brokerForMqttJs } from "../../src/lessons/mqtt-js";
import { packetsLine, packetsSince, packetTotal } from "../../src/lessons/packets";
import { requestScenario } from "../../src/lessons/scenario";
import { startBroker } from "../../src/mqtt/broker";
import { startFeed } from "../../src/feed/feed";
import { closeAllClients } from "../../src/kernel/session";

after(() => closeAllClients()); // a failed test must not leave clients reconnecting for ever

describe("packet printers", () => {
  test("what grew between two readings, in MQTT's names, with a total", () => {
    const before = { sent: { connect: 1, subscribe: 1 }, received: { connack: 1, suback: 1 } };
    const after = { sent: { connect: 1, subscribe: 1, publish: 1, pubrel: 1 }, received: { connack: 1, suback: 1, pubrec: 1, pubcomp: 1 } };
    const grown = packetsSince(before, after);
    assert.deepEqual(grown, { sent: { publish: 1, pubrel: 1 }, received: { pubrec: 1, pubcomp: 1 } });
    assert.equal(packetTotal(grown), 4);
    assert.equal(packetsLine(grown), "sent PUBLISH, PUBREL · received PUBREC, PUBCOMP (4 packets)");
    assert.equal(packetsLine({ sent: { pingreq: 3 }, received: {} }), "sent PINGREQ ×3 · received nothing (3 packets)");
  });
});

describe("practice topics", () => {
  test("one branch per process under the practice root, the same in every call; wildcards allowed, bad filters refused", () => {
    const a = practiceTopic("qos");
    assert.match(a, new RegExp(`^${STUDENTS_TREE}/[A-Za-z0-9]{8}/qos$`));
    assert.equal(practiceTopic("alarm/#").replace("alarm/#", "qos"), a);
    assert.equal(practiceTopic("x", "me"), `${STUDENTS_TREE}/me/x`);
    assert.throws(() => practiceTopic("a/#/b"), /practice topic "a\/#\/b" has # that is not the whole last level/);
  });

  test("in a classroom (MQTT_USERNAME set) the branch is the student's own, the only one its broker lets them write", () => {
    const before = process.env.MQTT_USERNAME;
    process.env.MQTT_USERNAME = "student07";
    try {
      assert.equal(practiceTopic("alarm/state"), `${STUDENTS_TREE}/student07/alarm/state`);
    } finally {
      if (before === undefined) delete process.env.MQTT_USERNAME;
      else process.env.MQTT_USERNAME = before;
    }
  });
});

describe("the feed, asked from a cell", () => {
  after(() => stopBuiltInFeed());

  test(
    "the built-in feed switches and its status confirms it; a feed that is not allowed to says why not",
    { timeout: 30_000 },
    async () => {
      await startBuiltInFeed({ rate: 5 });
      assert.equal(String(await requestScenario("bad-night")), "the feed now simulates bad-night (its status says so)");
      assert.equal(String(await requestScenario("nominal")), "the feed now simulates nominal (its status says so)");
      await stopBuiltInFeed();

      const broker = await startBroker();
      const feed = await startFeed({ url: broker.url, rate: 5 }); // control: false, like a feed into a shared broker
      const saved = process.env.MQTT_URL;
      process.env.MQTT_URL = broker.url;
      try {
        assert.match(
          String(await requestScenario("bad-night")),
          /^the feed did not switch to bad-night within 5 s \(its status still says nominal\)/,
        );
      } finally {
        if (saved === undefined) delete process.env.MQTT_URL;
        else process.env.MQTT_URL = saved;
        await feed.stop();
        await broker.close();
      }
    },
  );
});

describe("brokerForMqttJs", () => {
  test("gives MQTT_URL and the credentials, and never prints the password", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { MQTT_URL: "mqtt://broker.example.org:1883", MQTT_USERNAME: "student", MQTT_PASSWORD: "s3cret!" });
    try {
      const connection = await brokerForMqttJs();
      assert.equal(connection.url, "mqtt://broker.example.org:1883");
      assert.equal(connection.options.password, "s3cret!");
      assert.equal(connection.options.protocolVersion, 4);
      for (const shown of [
        inspect(connection),
        inspect(connection.options),
        JSON.stringify(connection),
        JSON.stringify(connection.options),
      ]) {
        assert.doesNotMatch(shown, /s3cret/);
        assert.match(shown, /hidden/);
      }
      assert.equal({ ...connection.options }.password, "s3cret!", "mqtt.js's copy still has it");
    } finally {
      for (const key of ["MQTT_URL", "MQTT_USERNAME", "MQTT_PASSWORD"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
