// Several rooms: the files `--mosquitto-config DIR --rooms … --central …` writes, run for real as three Mosquitto
// processes on loopback (a central broker with the feed, and two room brokers bridged to it). A student in a room
// receives the central feed; a student's publish stays in the room, unless the room was told to share it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sleep } from "../../src/mqtt/client";
import { writeClassroomMosquitto } from "../../src/classroom/mosquitto-rooms";
import { readPasswordsFile, readSecretFile } from "../../src/classroom/passwords";
import { FEED_USER } from "../../src/classroom/rules";
import { recorder, type Recorder } from "../helpers/classroom";
import { freePort, MOSQUITTO, MOSQUITTO_PASSWD, Mosquitto } from "../helpers/mosquitto";

const FEED = "ac_phys/workxp/live_signals";

describe("rooms bridged to a central Mosquitto", { skip: MOSQUITTO && MOSQUITTO_PASSWD ? false : "mosquitto is not installed" }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "classroom-rooms-"));
  const brokers: Mosquitto[] = [];
  const clients: Recorder[] = [];
  let feed: Recorder;
  let observer: Recorder;
  let lab1: Recorder[];
  let lab2: Recorder;

  before(async () => {
    const [centralPort, lab1Port, lab2Port] = [await freePort(), await freePort(), await freePort()];
    const central = `127.0.0.1:${centralPort}`;
    const students = ["student01", "student02"];
    writeClassroomMosquitto({ dir: path.join(dir, "a"), host: "127.0.0.1", port: lab1Port, students, rooms: ["lab1"], central });
    // The second room shares its students' publishes; it bridges to the same central broker (its own folder, own files).
    writeClassroomMosquitto({
      dir: path.join(dir, "b"),
      host: "127.0.0.1",
      port: lab2Port,
      students,
      rooms: ["lab2"],
      central,
      shareStudents: true,
    });
    // The central broker of "b" is not started: the rooms of both use the central broker of "a", which must know lab2's bridge.
    const centralDir = path.join(dir, "a", "central");
    const lab2Bridge = readPasswordsFile(path.join(dir, "b", "central", "bridge-passwords.txt")).get("room-lab2")!;
    // A test-only observer on the central broker that may read everything (to see what crosses the bridges).
    execFileSync(MOSQUITTO_PASSWD!, ["-b", path.join(centralDir, "passwd"), "room-lab2", lab2Bridge]);
    execFileSync(MOSQUITTO_PASSWD!, ["-b", path.join(centralDir, "passwd"), "observer", "observer-password"]);
    appendFileSync(
      path.join(centralDir, "acl"),
      "\nuser room-lab2\ntopic read ac_phys/workxp/#\ntopic write rooms/lab2/#\n\nuser observer\ntopic read #\n",
    );
    // Mosquitto started as root reads its files as the "mosquitto" user: let it into the temporary folder and read
    // the password file that mosquitto_passwd -b just rewrote (the command's own files are already given to it).
    chmodSync(dir, 0o755);
    chmodSync(path.join(centralDir, "passwd"), 0o644);
    brokers.push(await Mosquitto.fromConfigFile(path.join(centralDir, "mosquitto.conf"), centralPort));
    brokers.push(await Mosquitto.fromConfigFile(path.join(dir, "a", "lab1", "mosquitto.conf"), lab1Port));
    brokers.push(await Mosquitto.fromConfigFile(path.join(dir, "b", "lab2", "mosquitto.conf"), lab2Port));

    const centralUsers = new Map([
      [FEED_USER, readSecretFile(path.join(centralDir, "feed-password"), "feed")],
      ["observer", "observer-password"],
    ]);
    feed = await recorder(brokers[0]!.url, centralUsers, FEED_USER).connect();
    observer = await recorder(brokers[0]!.url, centralUsers, "observer").connect();
    await observer.subscribe("#");
    const lab1Users = readPasswordsFile(path.join(dir, "a", "lab1", "passwords.txt"));
    const lab2Users = readPasswordsFile(path.join(dir, "b", "lab2", "passwords.txt"));
    lab1 = [
      await recorder(brokers[1]!.url, lab1Users, "student01").connect(),
      await recorder(brokers[1]!.url, lab1Users, "student02").connect(),
    ];
    lab2 = await recorder(brokers[2]!.url, lab2Users, "student01").connect();
    clients.push(feed, observer, ...lab1, lab2);
    for (const c of [...lab1, lab2]) {
      await c.subscribe("ac_phys/workxp/#");
      await c.subscribe("workxp/students/#");
    }
  });
  after(async () => {
    for (const c of clients) await c.disconnect();
    for (const b of brokers) await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a student in each room receives the feed published into the central broker", async () => {
    // The bridges connect a moment after their brokers start: publish until both rooms have it (bounded).
    for (let i = 0; i < 50 && !(lab1[0]!.on(FEED).length && lab2.on(FEED).length); i++) {
      await feed.publish(FEED, `pulse ${i}`);
      await sleep(100);
    }
    assert.ok(lab1[0]!.on(FEED).length > 0, `lab1 got the feed; broker log:\n${brokers[1]!.log}`);
    assert.ok(lab2.on(FEED).length > 0, `lab2 got the feed; broker log:\n${brokers[2]!.log}`);
  });

  test("a student's publish reaches their room and stays there", async () => {
    await lab1[0]!.publish("workxp/students/student01/alarms", "lab1: R1BLM3 is hot");
    await lab1[1]!.waitFor("workxp/students/student01/alarms", "lab1: R1BLM3 is hot");
    await sleep(500); // what crosses a bridge on loopback does so within milliseconds
    assert.deepEqual(
      observer.messages.filter((m) => m.payload.toString().startsWith("lab1:")),
      [],
    );
    assert.deepEqual(lab2.on("workxp/students/student01/alarms"), [], "another room does not see it");
  });

  test("a room told to share sends its students' publishes to the central broker under rooms/<room>/", async () => {
    await lab2.publish("workxp/students/student01/alarms", "lab2: R4BLM1 is hot");
    await observer.waitFor("rooms/lab2/workxp/students/student01/alarms", "lab2: R4BLM1 is hot");
    assert.deepEqual(lab1[1]!.on("workxp/students/student01/alarms"), ["lab1: R1BLM3 is hot"], "it does not come back into lab1");
  });

  test("the bridge's password is only in the room's 0600 conf, hashed on the central broker", () => {
    const conf = path.join(dir, "a", "lab1", "mosquitto.conf");
    const password = readPasswordsFile(path.join(dir, "a", "central", "bridge-passwords.txt")).get("room-lab1")!;
    assert.ok(readFileSync(conf, "utf8").includes(`remote_password ${password}`));
    assert.ok(!readFileSync(path.join(dir, "a", "central", "passwd"), "utf8").includes(password));
  });
});
