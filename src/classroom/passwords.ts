/**
 * The class list and its passwords: readable random passwords ("otter-lamp-cliff-42") made with node:crypto, kept
 * in a file of `user:password` lines that only its owner may read (mode 0600). The passwords are never printed.
 */
import { randomInt } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { SettingsError } from "../errors";
import { checkUserName } from "./rules";

// 256 short words that are easy to say and to type: three of them and two digits make 256³ × 100 ≈ 1.7 × 10⁹
// passwords (31 bits), plenty for a broker that lives for a lesson and answers a wrong guess over the network.
const WORDS = (
  "acorn amber anchor apple arrow aspen atlas badge bagel bamboo banjo barley basil beach beacon berry birch " +
  "bison blaze bloom bolt bonus border bottle brass breeze brick bridge brook bubble bucket cabin cactus camel " +
  "candle canoe canyon carbon cargo carrot castle cedar cello chalk cherry chess chili cider cinema citrus cliff " +
  "clover cobalt cocoa comet copper coral cotton crane crater crayon cricket crystal cubic cumin dahlia daisy delta " +
  "denim desert diesel dingo dolphin donut dragon drum dune eagle ember emerald engine falcon fennel fern ferry fig " +
  "flame flint forest fossil fox frost galaxy garden garlic gecko geyser ginger glacier globe goose granite grape " +
  "gravel guitar gull hammer harbor hazel heron hickory honey horizon husky igloo indigo iris island ivory jacket " +
  "jade jaguar jasmine jelly jigsaw jungle kayak kernel kettle kiwi koala ladder lagoon lantern laser lava lemon " +
  "lentil lilac lime linen lizard llama lobster locket lotus lunar magnet mango maple marble meadow melon meteor " +
  "mint mirror mocha moose mosaic moss nectar needle nickel noodle nova nutmeg oak oasis ocean olive onion opal " +
  "orbit orca otter owl oyster paddle panda papaya parrot pasta peach pebble pepper piano pigeon pine pixel planet " +
  "plum polar pony poppy prism puffin pumpkin quartz quill rabbit radar radish raven reef rhubarb ribbon river " +
  "robin rocket rose ruby saffron salmon sandal saturn scarf shell sierra silver sketch sloth solar spark sparrow " +
  "spruce squid stone sugar summit sunset swan tango teapot thistle thunder tiger timber toffee topaz tulip tundra " +
  "turtle velvet violet volcano waffle walnut walrus willow window winter yacht yak yarrow zebra zinc"
).split(" ");

/**
 * A new readable random password: three words and two digits.
 * @example newPassword() // "otter-lamp-cliff-42"
 */
export function newPassword(): string {
  const word = () => WORDS[randomInt(WORDS.length)]!;
  return `${word()}-${word()}-${word()}-${String(randomInt(100)).padStart(2, "0")}`;
}

/**
 * The students' user names from a --students value: a list ("ana,ben,chloe") or a count ("30": student01 … student30).
 * @throws RangeError for a bad name, a repeated one, or a count that is not 1–500.
 * @example studentNames("3") // ["student01", "student02", "student03"]
 */
export function studentNames(value: string): string[] {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (!(n >= 1 && n <= 500)) throw new RangeError(`invalid --students: ${value} (expected 1 to 500, or a list of names)`);
    const width = Math.max(2, String(n).length);
    return Array.from({ length: n }, (_, i) => `student${String(i + 1).padStart(width, "0")}`);
  }
  const names = text.split(",").map((s) => s.trim());
  for (const name of names) checkUserName(name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new RangeError(`invalid --students: "${repeated}" is listed twice`);
  return names;
}

/**
 * Reads a passwords file of `user:password` lines.
 * @throws SettingsError when it can be read by other users (it must be mode 0600) or a line is not `user:password`.
 */
export function readPasswordsFile(path: string): Map<string, string> {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SettingsError(`${path} can be read by other users (mode ${mode.toString(8)}): run chmod 600 ${path}`);
  }
  const passwords = new Map<string, string>();
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "" || line.startsWith("#")) return;
      const cut = line.indexOf(":");
      if (cut <= 0 || cut === line.length - 1) throw new SettingsError(`${path}, line ${i + 1}: expected user:password`);
      passwords.set(line.slice(0, cut), line.slice(cut + 1));
    });
  return passwords;
}

/**
 * The passwords for these users: those already in the file (so that a restarted class keeps them), new ones for the
 * rest; the file is (re)written with mode 0600, one `user:password` line per user, in the order given.
 * @example const passwords = classPasswords("classroom-passwords.txt", studentNames("30"));
 */
export function classPasswords(path: string, users: readonly string[]): Map<string, string> {
  const known = existsSync(path) ? readPasswordsFile(path) : new Map<string, string>();
  const passwords = new Map(users.map((user) => [user, known.get(user) ?? newPassword()]));
  writeSecret(path, [...passwords].map(([user, password]) => `${user}:${password}\n`).join(""));
  return passwords;
}

/** Writes a file that only its owner may read (0600), also when it existed with a looser mode. */
export function writeSecret(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) chmodSync(path, 0o600); // first: writeFileSync's mode applies only to a new file
  writeFileSync(path, text, { mode: 0o600 });
}

/**
 * A secret kept in a file of its own (e.g. the instructor's dashboard password): its first line.
 * @throws SettingsError when other users can read the file (it must be mode 0600) or it is empty.
 */
export function readSecretFile(path: string, what: string): string {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new SettingsError(`${what}: ${path} can be read by other users (mode ${mode.toString(8)}): run chmod 600 ${path}`);
  const secret = readFileSync(path, "utf8").split("\n")[0]!.trim();
  if (!secret) throw new SettingsError(`${what}: ${path} is empty`);
  return secret;
}
