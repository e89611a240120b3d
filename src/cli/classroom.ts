#!/usr/bin/env node
/**
 * npm run classroom — the embedded broker with the classroom's rules, the feed and the instructor's dashboard in one
 * command (Ctrl-C stops them); or, with --mosquitto-config DIR, the same rules as files for Mosquitto (and, with
 * --rooms, a central broker and one bridged broker per room). Passwords go to a 0600 file and are never printed.
 */
import { existsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { SCENARIOS, type Scenario } from "../beam/simulator";
import { startClassroom } from "../classroom/classroom";
import { writeClassroomMosquitto } from "../classroom/mosquitto-rooms";
import { readSecretFile, studentNames } from "../classroom/passwords";
import { parseLink } from "../classroom/room";
import { SettingsError } from "../errors";
import { fail, numberFlag, parseFlags, runMain } from "./run";

const USAGE =
  "npm run classroom -- [--host H] [--port P] [--rate HZ] [--scenario nominal|bad-night] [--students 30|student01,student02,…] " +
  "[--passwords-file FILE] [--dashboard-port D] [--dashboard-host H] [--dashboard-password-file FILE] [--link 100mbit] " +
  "[--mosquitto-config DIR [--rooms lab1,lab2 --central HOST:PORT [--share-students]]]";

runMain("classroom", async () => {
  const flags = parseFlags("classroom", USAGE, {
    host: { type: "string" },
    port: { type: "string" },
    rate: { type: "string" },
    scenario: { type: "string" },
    seed: { type: "string" },
    students: { type: "string" },
    "passwords-file": { type: "string" },
    "dashboard-port": { type: "string" },
    "dashboard-host": { type: "string" },
    "dashboard-password-file": { type: "string" },
    link: { type: "string" },
    "mosquitto-config": { type: "string" },
    rooms: { type: "string" },
    central: { type: "string" },
    "share-students": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) return console.log(USAGE);
  const port = (name: string, value: string | undefined, fallback: number) =>
    numberFlag("classroom", name, value, fallback, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const students = studentNames(flags.students ?? "30");
  const host = flags.host ?? "127.0.0.1";
  const brokerPort = port("port", flags.port, flags["mosquitto-config"] === undefined ? 0 : 1883);
  const hint = () => {
    if (isLoopback(host)) console.log("classroom: the broker listens on this machine only: for a room of laptops use --host 0.0.0.0");
  };

  if (flags["mosquitto-config"] !== undefined) {
    const written = writeClassroomMosquitto({
      dir: flags["mosquitto-config"],
      host,
      port: brokerPort,
      students,
      rooms: flags.rooms?.split(",").map((r) => r.trim()),
      central: flags.central,
      shareStudents: flags["share-students"],
    });
    for (const line of written) console.log(`classroom: ${line}`);
    return hint();
  }

  const rate = numberFlag("classroom", "rate", flags.rate, 1, (n) => n > 0);
  if (!Number.isInteger(50 / rate))
    fail("classroom", `invalid --rate: ${rate} (raw pulses per second must divide the machine's 50: 1, 2, 5, 10, 25 or 50)`, 2);
  const scenario = (flags.scenario ?? "nominal") as Scenario;
  if (!SCENARIOS.includes(scenario)) fail("classroom", `invalid --scenario: ${flags.scenario} (expected ${SCENARIOS.join(" or ")})`, 2);
  const seed = flags.seed === undefined ? undefined : numberFlag("classroom", "seed", flags.seed, 0, Number.isInteger);
  const linkBytesPerS = parseLink(flags.link ?? "100mbit");
  const passwordsFile = path.resolve(flags["passwords-file"] ?? "classroom-passwords.txt");
  const dashboardPassword = instructorPassword(flags["dashboard-password-file"]);
  const dashboardHost = flags["dashboard-host"] ?? "127.0.0.1";
  const hadFile = existsSync(passwordsFile);

  const classroom = await startClassroom({
    students,
    passwordsFile,
    host,
    port: brokerPort,
    rate,
    scenario,
    seed,
    linkBytesPerS,
    dashboard: { host: dashboardHost, port: port("dashboard-port", flags["dashboard-port"], 0), password: dashboardPassword },
    onError: (line) => console.error(`classroom: feed: ${line}`),
  });
  const studentUrls = reachableUrls(host, classroom.broker.port);
  console.log(
    `classroom: broker ready: ${classroom.broker.url}${isEveryInterface(host) ? ` (students use ${studentUrls.join(" or ")})` : ""}`,
  );
  console.log(
    `classroom: ${students.length} students (${students[0]} … ${students.at(-1)}); passwords ${hadFile ? "kept in" : "written to"} ${passwordsFile} (mode 0600): give each student their line`,
  );
  console.log(`classroom: each student sets MQTT_URL=${studentUrls[0]} MQTT_USERNAME=<their user name> MQTT_PASSWORD=<their password>`);
  const local = isLoopback(dashboardHost);
  console.log(
    `classroom: dashboard ${classroom.dashboard!.url}${local ? " (this machine only)" : ""}${dashboardPassword ? " (asks for the instructor's password)" : ""}`,
  );
  console.log(
    `classroom: feed: ${scenario}; raw pulses at ${rate} Hz on ac_phys/workxp/live_signals, the summary and the envelope at 50 Hz (Ctrl-C to stop)`,
  );

  hint();

  const status = setInterval(() => {
    const room = classroom.room.snapshot();
    console.log(
      `classroom: ${room.students.length} connected, ${((room.bytesOutPerS * 8) / 1e6).toFixed(1)} Mbit/s out (${room.linkState})`,
    );
  }, 30_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(status);
    await classroom.close();
    console.log("classroom: stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
});

/** The instructor's dashboard password: CLASSROOM_DASHBOARD_PASSWORD, or the first line of a 0600 file; none by default. */
function instructorPassword(file: string | undefined): string | undefined {
  if (file !== undefined) return readSecretFile(file, "--dashboard-password-file");
  const fromEnv = process.env.CLASSROOM_DASHBOARD_PASSWORD;
  if (fromEnv !== undefined && fromEnv.trim() === "") throw new SettingsError("CLASSROOM_DASHBOARD_PASSWORD is set but empty");
  return fromEnv;
}

/** An address only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1";
}
/** An address that listens on every network interface. */
function isEveryInterface(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

/** The URLs students can use: for 0.0.0.0, this machine's network addresses; otherwise the address itself. */
function reachableUrls(host: string, port: number): string[] {
  if (!isEveryInterface(host)) return [`mqtt://${host.includes(":") ? `[${host}]` : host}:${port}`];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => `mqtt://${a!.address}:${port}`);
  return addresses.length ? addresses : [`mqtt://<this machine's address>:${port}`];
}
