// Who may do what in a classroom, checked for real: the same matrix through the embedded broker with the classroom's
// rules and through a Mosquitto started from the files `--mosquitto-config` writes. Loopback only. A message that must
// not arrive is checked with a sentinel sent after it on the same path, never by waiting and hoping.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, mock, test } from "node:test";
import { startBroker } from "../../src/mqtt/broker";
import { sleep } from "../../src/mqtt/client";
import { ConnectionError } from "../../src/errors";
import { classroomRules, FEED_USER, inside, studentPublishRule, studentSubscribeRule, ownsClientId } from "../../src/classroom/rules";
import { writeMosquittoConfig } from "../../src/classroom/mosquitto";
import { practiceTopic } from "../../src/feed/topics";
import { classUsers, publishRetained, recorder, type Recorder } from "../helpers/classroom";
import { freePort, MOSQUITTO, Mosquitto } from "../helpers/mosquitto";
import { waitFor } from "../helpers/wait";

const FEED = "ac_phys/workxp/live_signals";
const STATUS = "ac_phys/workxp/status";

describe("the classroom's rules as words", () => {
  test("a student publishes only in their own branch, and the refusal names the rule", () => {
    assert.equal(studentPublishRule("student01", "workxp/students/student01/alarms"), undefined);
    assert.equal(studentPublishRule("student01", "workxp/students/student01"), undefined);
    assert.equal(
      studentPublishRule("student01", FEED),
      "the classroom broker lets student01 publish only under workxp/students/student01/ (refused: ac_phys/workxp/live_signals)",
    );
    assert.ok(studentPublishRule("student01", "workxp/students/student012/x")); // a longer name is another branch
    assert.ok(studentPublishRule("student01", "workxp/students/student02/alarms"));
    // The lessons' practice topics, with the student's user name as their owner, are inside the rule.
    assert.equal(studentPublishRule("student01", practiceTopic("monitor/status", "student01")), undefined);
  });

  test("a student reads the feed's tree and the students' tree, with wildcards only inside them", () => {
    for (const ok of ["ac_phys/workxp/#", FEED, "ac_phys/workxp/+", "workxp/students/#", "workxp/students/+/alarms"]) {
      assert.equal(studentSubscribeRule("student01", ok), undefined, ok);
    }
    for (const no of ["#", "+/workxp/#", "ac_phys/#", "ac_phys/+/live_signals", "workxp/#", "$SYS/#"]) {
      assert.match(studentSubscribeRule("student01", no) ?? "", /subscribe only to ac_phys\/workxp\/# and workxp\/students\/#/, no);
    }
  });

  test("a client id belongs to the user whose name it starts with", () => {
    assert.ok(ownsClientId("student01", "student01-abc"));
    assert.ok(ownsClientId("student01", "student01"));
    assert.ok(!ownsClientId("student01", "student012-abc"));
    assert.ok(!ownsClientId("student01", "learning-mqtt-abc"));
  });
});

interface Room {
  url: string;
  /** Whether the broker tells a refused client why (the embedded one does; Mosquitto cannot). */
  notices: boolean;
  /** Whether a take-over attempt is refused (embedded) or renamed to the user's own id (Mosquitto's use_username_as_clientid). */
  takeover: "refused" | "renamed";
  close(): Promise<void>;
}

function matrix(name: string, open: (users: Map<string, string>) => Promise<Room>) {
  describe(`a classroom on ${name}`, () => {
    const users = classUsers(["student01", "student02", "student03", "student04"]); // on Mosquitto: one connection each
    let room: Room;
    let feed: Recorder;
    let s1: Recorder;
    let s2: Recorder;
    const warnings: string[] = [];
    before(async () => {
      mock.method(console, "warn", (line: string) => warnings.push(line));
      room = await open(users);
      feed = await recorder(room.url, users, FEED_USER).connect();
      s1 = await recorder(room.url, users, "student01").connect();
      s2 = await recorder(room.url, users, "student02").connect();
      await s2.subscribe("ac_phys/workxp/#");
      await s2.subscribe("workxp/students/#");
    });
    after(async () => {
      mock.restoreAll();
      for (const client of [feed, s1, s2]) await client?.disconnect();
      await room?.close();
    });

    test("anonymous clients are refused with the one line our client gives", async () => {
      await assert.rejects(recorder(room.url, users, undefined).connect(), (error: Error) => {
        assert.ok(error instanceof ConnectionError);
        assert.match(error.message, /wants a user name and password: set MQTT_USERNAME and MQTT_PASSWORD$/);
        return true;
      });
    });

    test("a wrong password is refused, and the password is in no message", async () => {
      const wrong = "not-the-right-one-99";
      await assert.rejects(recorder(room.url, users, "student01", { password: wrong }).connect(), (error: Error) => {
        assert.match(error.message, /refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD$/);
        assert.ok(!error.message.includes(wrong) && !error.message.includes(users.get("student01")!));
        return true;
      });
    });

    test("students receive the feed; the feed's publishes reach everyone", async () => {
      await s1.subscribe("ac_phys/workxp/#");
      await feed.publish(FEED, "pulse 1");
      await s1.waitFor(FEED, "pulse 1");
      await s2.waitFor(FEED, "pulse 1");
    });

    test("a student's fake pulse reaches nobody, and (embedded) the student is told which rule stopped it", async () => {
      const before = s1.stats.refused;
      await s1.publish(FEED, "fake pulse");
      await s1.publish("workxp/students/student01/sentinel", "after the fake");
      await s2.waitFor("workxp/students/student01/sentinel", "after the fake");
      assert.deepEqual(
        s2.on(FEED).filter((t) => t === "fake pulse"),
        [],
      );
      if (room.notices) {
        await waitFor("the refusal notice", () => s1.stats.refused > before);
        const line =
          "the classroom broker lets student01 publish only under workxp/students/student01/ (refused: ac_phys/workxp/live_signals)";
        assert.ok(s1.errors.includes(line), s1.errors.join("\n"));
        assert.ok(warnings.includes(line), "printed, not only kept");
      }
    });

    test("a student publishes under their own branch, and others read it", async () => {
      await s1.publish("workxp/students/student01/alarms", "R1BLM3 is hot");
      await s2.waitFor("workxp/students/student01/alarms", "R1BLM3 is hot");
    });

    test("a student cannot write in another student's branch", async () => {
      await s1.publish("workxp/students/student02/alarms", "pretending to be student02");
      await s1.publish("workxp/students/student01/sentinel", "after the impostor");
      await s2.waitFor("workxp/students/student01/sentinel", "after the impostor");
      assert.deepEqual(s2.on("workxp/students/student02/alarms"), []);
      if (room.notices) await waitFor("the notice", () => s1.errors.some((e) => e.includes("refused: workxp/students/student02/alarms")));
    });

    test("a student's fake retained status is not kept for later subscribers", async () => {
      // Through connections of their own (our client publishes without retain); on Mosquitto a user has one
      // connection at a time, so the feed and student01 step aside meanwhile.
      await feed.disconnect();
      await s1.disconnect();
      await publishRetained(room.url, users, FEED_USER, STATUS, "real status");
      await publishRetained(room.url, users, "student01", STATUS, "fake status");
      feed = await recorder(room.url, users, FEED_USER).connect();
      s1 = await recorder(room.url, users, "student01").connect();
      await s1.subscribe("ac_phys/workxp/#");
      await s1.publish("workxp/students/student01/sentinel", "after the retained fake");
      await s2.waitFor("workxp/students/student01/sentinel", "after the retained fake");
      const late = await recorder(room.url, users, "student03").connect();
      try {
        await late.subscribe(STATUS);
        await late.waitFor(STATUS, "real status");
        await sleep(200);
        assert.deepEqual(late.on(STATUS), ["real status"]);
      } finally {
        await late.disconnect();
      }
    });

    test("a subscription wider than the two trees gets nothing outside them (embedded: refused, and says so)", async () => {
      const nosy = await recorder(room.url, users, "student04").connect();
      try {
        await nosy.subscribe("#");
        await nosy.subscribe("workxp/students/student01/sentinel");
        await feed.publish("ac_phys/workxp/other", "not for #");
        await s2.waitFor("ac_phys/workxp/other", "not for #");
        await s1.publish("workxp/students/student01/sentinel", "after #");
        await nosy.waitFor("workxp/students/student01/sentinel", "after #");
        // The embedded broker refuses the whole filter; Mosquitto takes it but delivers only what the user may read.
        const got = nosy.messages.map((m) => m.topic);
        if (room.notices) assert.deepEqual(got, ["workxp/students/student01/sentinel"]);
        else
          assert.ok(
            got.every((t) => inside("ac_phys/workxp", t) || inside("workxp/students", t)),
            got.join(", "),
          );
        if (room.notices) {
          await waitFor("the notice", () =>
            nosy.errors.some((e) => e.includes("subscribe only to ac_phys/workxp/# and workxp/students/# (refused: #)")),
          );
        }
      } finally {
        await nosy.disconnect();
      }
    });

    test("nobody can take over another student's connection: the victim stays connected and keeps receiving", async () => {
      const attempt = recorder(room.url, users, "student02", { clientId: s1.clientId });
      if (room.takeover === "refused") {
        await assert.rejects(attempt.connect(), /refused the client id: a classroom broker wants ids that start with your user name/);
      } else {
        await attempt.connect(); // Mosquitto renames it to "student02": it is a connection of student02's own
        await attempt.disconnect();
      }
      await sleep(300);
      assert.ok(s1.connected, "the victim is still connected");
      assert.equal(s1.stats.disconnects, 0);
      await feed.publish(FEED, "after the take-over");
      await s1.waitFor(FEED, "after the take-over");
    });
  });
}

matrix("the embedded broker", async (users) => {
  const broker = await startBroker({ rules: classroomRules(users) });
  return { url: broker.url, notices: true, takeover: "refused", close: () => broker.close() };
});

if (MOSQUITTO) {
  matrix("Mosquitto, from the files --mosquitto-config writes", async (users) => {
    const dir = mkdtempSync(path.join(tmpdir(), "classroom-mosquitto-"));
    const port = await freePort();
    const files = writeMosquittoConfig({ dir, host: "127.0.0.1", port, passwords: users });
    assert.equal(statSync(files.passwordFile).mode & 0o777, 0o600, "the password file is 0600");
    const broker = await Mosquitto.fromConfigFile(files.conf, port);
    return {
      url: broker.url,
      notices: false,
      takeover: "renamed",
      close: async () => {
        await broker.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
} else {
  test("a classroom on Mosquitto", { skip: "mosquitto is not installed (apt-get install mosquitto)" }, () => {});
}
