/**
 * The classroom on Mosquitto, for big rooms and many rooms: a mosquitto.conf, a password file (hashed by Debian's
 * mosquitto_passwd) and an acl_file with the same rules as the embedded broker (rules.ts), and for several rooms a
 * central broker that each room's broker bridges to, so that the raw feed crosses the backbone once per room.
 *
 * What Mosquitto 2.0 cannot express, and what it does instead:
 * - "a client id starts with its user name": it has no such rule, and lets any client take over any id. Its own
 *   defence is `use_username_as_clientid true`: the id *is* the user name, so nobody can take another's connection,
 *   but each student has one connection at a time (a second one replaces the first).
 * - a refused publish or subscription is dropped silently (SUBACK says granted): the embedded broker's notice has no
 *   equivalent, so students see nothing arrive rather than a line naming the rule.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { FEED_TREE, FEED_USER } from "./rules";
import { STUDENTS_TREE } from "../feed/topics";
import { writeSecret } from "./passwords";

/** Where Debian puts the broker and its password tool. */
const MOSQUITTO_BIN = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].find(existsSync);
export const MOSQUITTO_PASSWD_BIN = ["/usr/bin/mosquitto_passwd", "/usr/sbin/mosquitto_passwd"].find(existsSync);

/** A room broker's link to the central one. */
export interface BridgeSettings {
  /** The central broker as the room's machine reaches it, e.g. "10.0.0.5:1883". */
  readonly central: string;
  /** The room's name: its bridge logs in to the central broker as "room-<name>". */
  readonly room: string;
  /** The bridge's password on the central broker. */
  readonly password: string;
  /** Also send the students' publishes to the central broker, under rooms/<room>/workxp/students/… (default: they stay in the room). */
  readonly shareStudents?: boolean;
}

export interface MosquittoSettings {
  /** The folder to write into (made if missing). */
  readonly dir: string;
  /** Interface and port to listen on, e.g. "0.0.0.0" and 1883. */
  readonly host: string;
  readonly port: number;
  /** Users and their passwords, the feed's (FEED_USER) among them. Room bridges log in as "room-<name>". */
  readonly passwords: ReadonlyMap<string, string>;
  /** For a room broker: its bridge to the central one. */
  readonly bridge?: BridgeSettings;
  /** For the central broker: the rooms whose bridges may log in (each user "room-<name>" must be in passwords). */
  readonly rooms?: readonly string[];
}

/** The files written, and the command that starts Mosquitto with them. */
export interface MosquittoFiles {
  readonly conf: string;
  readonly passwordFile: string;
  readonly aclFile: string;
  /** e.g. "mosquitto -c /path/mosquitto.conf" */
  readonly command: string;
}

/** The user a room's bridge logs in to the central broker as. */
export const roomUser = (room: string) => `room-${room}`;

/**
 * The acl_file: the classroom's rules in Mosquitto's words. `pattern` lines apply to every user (plain `topic` lines
 * before any `user` line would apply only to anonymous clients, whom the broker refuses anyway).
 */
function aclText(rooms: readonly string[] = []): string {
  const lines = [
    "# The classroom's rules (npm run classroom -- --mosquitto-config): the same as the embedded broker's.",
    "# Everyone reads the feed and the students' tree, and writes only their own branch.",
    `pattern read ${FEED_TREE}/#`,
    `pattern read ${STUDENTS_TREE}/#`,
    `pattern write ${STUDENTS_TREE}/%u/#`,
    "",
    "# Only the feed publishes the feed (it also reads its control topic).",
    `user ${FEED_USER}`,
    `topic readwrite ${FEED_TREE}/#`,
  ];
  for (const room of rooms) {
    lines.push("", `# The bridge of room ${room}: takes the feed, may bring its students' tree under rooms/${room}/.`);
    lines.push(`user ${roomUser(room)}`, `topic read ${FEED_TREE}/#`, `topic write rooms/${room}/#`);
  }
  return `${lines.join("\n")}\n`;
}

/** The bridge section of a room broker's mosquitto.conf. */
function bridgeText(bridge: BridgeSettings): string {
  const lines = [
    `# The bridge to the central broker: the feed comes in once for the whole room.`,
    `connection central`,
    `address ${bridge.central}`,
    `remote_username ${roomUser(bridge.room)}`,
    `remote_password ${bridge.password}`,
    `remote_clientid ${roomUser(bridge.room)}`,
    `cleansession true`,
    `notifications false`,
    `topic ${FEED_TREE}/# in 0`,
  ];
  if (bridge.shareStudents) {
    lines.push(`topic # out 0 ${STUDENTS_TREE}/ rooms/${bridge.room}/${STUDENTS_TREE}/`);
  } else {
    lines.push(
      `# Students' publishes stay in this room. To share them: topic # out 0 ${STUDENTS_TREE}/ rooms/${bridge.room}/${STUDENTS_TREE}/`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** mosquitto.conf for a classroom broker. */
function confText(settings: MosquittoSettings, passwordFile: string, aclFile: string): string {
  const lines = [
    "# A classroom broker, written by npm run classroom -- --mosquitto-config. Start it with: mosquitto -c <this file>",
    "per_listener_settings false",
    "persistence false",
    "allow_anonymous false",
    `password_file ${passwordFile}`,
    `acl_file ${aclFile}`,
    "# One pulse is 704,000 bytes: nothing a student sends needs more than a megabyte.",
    "max_packet_size 1048576",
    `listener ${settings.port} ${settings.host}`,
    "# Mosquitto has no rule 'a client id starts with its user name': this one stops take-overs (one connection per user).",
    "use_username_as_clientid true",
  ];
  return `${lines.join("\n")}\n${settings.bridge ? `\n${bridgeText(settings.bridge)}` : ""}`;
}

/**
 * Writes mosquitto.conf, the password file (hashed with mosquitto_passwd: passwords never appear on a command line)
 * and the acl_file into `settings.dir`. Secrets (the password file, and the conf when it holds a bridge password)
 * are 0600; run as root, they belong to the "mosquitto" user, which Mosquitto becomes before reading them.
 * @throws Error when mosquitto_passwd is not installed (Debian: apt-get install mosquitto).
 * @example writeMosquittoConfig({ dir: "room", host: "0.0.0.0", port: 1883, passwords }).command // "mosquitto -c room/mosquitto.conf"
 */
export function writeMosquittoConfig(settings: MosquittoSettings): MosquittoFiles {
  if (!MOSQUITTO_PASSWD_BIN) throw new Error("mosquitto_passwd is not installed: apt-get install mosquitto");
  const dir = path.resolve(settings.dir);
  mkdirSync(dir, { recursive: true });
  const passwordFile = path.join(dir, "passwd");
  const aclFile = path.join(dir, "acl");
  const conf = path.join(dir, "mosquitto.conf");
  writeSecret(passwordFile, [...settings.passwords].map(([user, password]) => `${user}:${password}\n`).join(""));
  execFileSync(MOSQUITTO_PASSWD_BIN, ["-U", passwordFile], { stdio: ["ignore", "ignore", "pipe"] }); // hashes in place
  writeFileSync(aclFile, aclText(settings.rooms), { mode: 0o644 });
  writeSecret(conf, confText(settings, passwordFile, aclFile));
  giveToBroker(dir, [passwordFile, aclFile, conf]);
  return { conf, passwordFile, aclFile, command: `${MOSQUITTO_BIN ?? "mosquitto"} -c ${conf}` };
}

/** Run as root, Mosquitto reads its files as the "mosquitto" user: give them to it (they stay 0600). */
function giveToBroker(dir: string, files: readonly string[]): void {
  if (userInfo().uid !== 0) return;
  const id = (flag: string) =>
    Number(execFileSync("id", [flag, "mosquitto"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  let owner: [number, number];
  try {
    owner = [id("-u"), id("-g")];
  } catch {
    return; // no such user: Mosquitto then stays root and reads them as they are
  }
  chmodSync(dir, 0o755); // the folder holds no secret itself; the broker must be able to enter it
  for (const file of files) chownSync(file, ...owner);
}
