/**
 * `npm run classroom -- --mosquitto-config DIR`: the files for one Mosquitto classroom, or — with rooms — for a
 * central broker that the feed publishes into and one broker per room that bridges to it. Passwords are generated
 * once and kept (0600) beside the configs, so running the command again keeps them; none is ever printed.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { classPasswords, newPassword, readSecretFile, writeSecret } from "./passwords";
import { checkUserName, FEED_USER } from "./rules";
import { roomUser, writeMosquittoConfig } from "./mosquitto";

export interface ClassroomMosquittoOptions {
  readonly dir: string;
  /** Where the room brokers listen. */
  readonly host: string;
  readonly port: number;
  readonly students: readonly string[];
  /** Several rooms: their names, and the central broker's address as the rooms reach it (HOST:PORT). */
  readonly rooms?: readonly string[];
  readonly central?: string;
  /** Also send each room's students' publishes to the central broker, under rooms/<room>/workxp/students/… */
  readonly shareStudents?: boolean;
}

/** The classroom's topics from `npm run feed`: the machine at 50 Hz, raw pulses at 1 Hz, the summary and envelope at 50 Hz. */
const FEED_FLAGS = "--rate 50 --raw-every 50 --envelope";

/** The feed's password, kept in `dir`/feed-password (made on first use). */
function feedPassword(dir: string): string {
  const file = path.join(dir, "feed-password");
  if (existsSync(file)) return readSecretFile(file, "the feed's password");
  const password = newPassword();
  writeSecret(file, `${password}\n`);
  return password;
}

/** Splits "host:port" (a bare host means port 1883). */
function hostPort(text: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(text.trim());
  const port = Number(m?.[2] ?? 1883);
  if (!m || !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new RangeError(`invalid --central: ${text} (expected HOST:PORT, e.g. 10.0.0.5:1883)`);
  return { host: m[1]!, port };
}

/**
 * Writes the files and returns what to tell the instructor, one line each.
 * @example writeClassroomMosquitto({ dir: "lab", host: "0.0.0.0", port: 1883, students: studentNames("30") })
 */
export function writeClassroomMosquitto(options: ClassroomMosquittoOptions): string[] {
  const dir = path.resolve(options.dir);
  const rooms = options.rooms ?? [];
  const feedCommand = (dirOfFeed: string, url: string) =>
    `then the feed: MQTT_USERNAME=${FEED_USER} MQTT_PASSWORD="$(cat ${path.join(dirOfFeed, "feed-password")})" npm run feed -- --url ${url} ${FEED_FLAGS}`;
  const studentsLine = (port: number) =>
    `students set MQTT_URL=mqtt://<this machine's address>:${port} MQTT_USERNAME=<their user name> MQTT_PASSWORD=<their password>`;
  const caveat = "on Mosquitto each student has one connection at a time, and a refused publish is dropped without a word";

  if (rooms.length === 0) {
    const passwords = classPasswords(path.join(dir, "passwords.txt"), options.students);
    passwords.set(FEED_USER, feedPassword(dir));
    const files = writeMosquittoConfig({ dir, host: options.host, port: options.port, passwords });
    return [
      `wrote ${files.conf}, ${files.passwordFile} (hashed by mosquitto_passwd) and ${files.aclFile}`,
      `students' passwords in ${path.join(dir, "passwords.txt")} (mode 0600): give each student their line`,
      `start the broker: ${files.command}`,
      feedCommand(dir, `mqtt://127.0.0.1:${options.port}`),
      studentsLine(options.port),
      caveat,
    ];
  }

  if (options.central === undefined)
    throw new RangeError("--rooms needs --central HOST:PORT: where the rooms' brokers reach the central one");
  for (const room of rooms) checkUserName(room);
  const central = hostPort(options.central);
  const centralDir = path.join(dir, "central");
  const bridges = classPasswords(path.join(centralDir, "bridge-passwords.txt"), rooms.map(roomUser));
  const centralUsers = new Map([...bridges, [FEED_USER, feedPassword(centralDir)]]);
  const centralFiles = writeMosquittoConfig({ dir: centralDir, host: central.host, port: central.port, passwords: centralUsers, rooms });
  const lines = [
    `central broker: ${centralFiles.command} (on the machine at ${options.central})`,
    feedCommand(centralDir, `mqtt://127.0.0.1:${central.port}`),
  ];
  for (const room of rooms) {
    const roomDir = path.join(dir, room);
    const passwords = classPasswords(path.join(roomDir, "passwords.txt"), options.students);
    const bridge = {
      central: `${central.host}:${central.port}`,
      room,
      password: bridges.get(roomUser(room))!,
      shareStudents: options.shareStudents,
    };
    const files = writeMosquittoConfig({ dir: roomDir, host: options.host, port: options.port, passwords, bridge });
    lines.push(`room ${room}: ${files.command}; students' passwords in ${path.join(roomDir, "passwords.txt")} (mode 0600)`);
  }
  lines.push(studentsLine(options.port), caveat);
  return lines;
}
