import { existsSync, readFileSync } from "node:fs";
import { inspect } from "node:util";
import { SettingsError } from "../errors";

/** The topic of the ISIS live-signals feed used by the course. */
export const DEFAULT_TOPIC = "ac_phys/workxp/live_signals";

/** Where to get the data, read from the environment. */
export interface Settings {
  /** The broker to use, e.g. mqtts://broker.example:8883; undefined means the built-in feed. */
  readonly url: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Path of a CA certificate file (PEM) to trust for TLS. */
  readonly caFile: string | undefined;
  readonly topic: string;
}

const PROTOCOLS = ["mqtt:", "mqtts:", "ws:", "wss:", "tcp:", "ssl:", "tls:"];

/**
 * Reads MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_CA and MQTT_TOPIC.
 * Unset (or empty) MQTT_URL means: use the built-in feed.
 * @throws SettingsError naming the variable and showing an example, for a value that cannot work.
 * @example readSettings({ MQTT_URL: "mqtts://broker.example:8883" }).url
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const url = value("MQTT_URL");
  if (url !== undefined) checkUrl(url);
  const caFile = value("MQTT_CA");
  if (caFile !== undefined && !existsSync(caFile)) {
    throw new SettingsError(`MQTT_CA: no such file: ${caFile} (example: MQTT_CA=/etc/ssl/certs/site-ca.pem)`);
  }
  const username = value("MQTT_USERNAME");
  const password = env.MQTT_PASSWORD || undefined; // a password may have spaces; keep it as given
  if (password !== undefined && username === undefined) {
    throw new SettingsError("MQTT_PASSWORD is set but MQTT_USERNAME is not (example: MQTT_USERNAME=student)");
  }
  const topic = value("MQTT_TOPIC") ?? DEFAULT_TOPIC;
  checkTopic(topic, "MQTT_TOPIC");
  return hidePassword({ url, username, password, caFile, topic });
}

/**
 * Settings that print without their password: a notebook cell that shows `readSettings()` (or JSON.stringify
 * of it) shows "(hidden)". The password itself stays readable as settings.password, and a spread copies it.
 */
function hidePassword(settings: Settings): Settings {
  const shown = (s: Settings) => ({ ...s, password: s.password === undefined ? undefined : "(hidden)" });
  return Object.defineProperties(settings, {
    [inspect.custom]: {
      value: function (this: Settings) {
        return shown(this);
      },
    },
    toJSON: {
      value: function (this: Settings) {
        return shown(this);
      },
    },
  });
}

/** Checks a broker URL, e.g. from MQTT_URL or a --url flag; `source` names where it came from. */
export function checkUrl(url: string, source = "MQTT_URL"): void {
  const example = `(example: ${source === "MQTT_URL" ? "MQTT_URL=" : ""}mqtt://localhost:1883 or mqtts://broker.example:8883)`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SettingsError(`${source} is not a URL: "${url}" ${example}`);
  }
  if (!PROTOCOLS.includes(parsed.protocol)) {
    throw new SettingsError(`${source} has an unsupported scheme "${parsed.protocol}" in "${url}" ${example}`);
  }
  if (!parsed.hostname) throw new SettingsError(`${source} has no host name: "${url}" ${example}`);
  if (parsed.port !== "" && !(Number(parsed.port) > 0)) {
    throw new SettingsError(`${source} has an invalid port in "${url}" ${example}`);
  }
  if (parsed.password) {
    throw new SettingsError(`${source} must not contain a password; set MQTT_USERNAME and MQTT_PASSWORD instead`);
  }
}

/** Checks a topic or topic filter (wildcards + and # allowed where MQTT allows them). */
export function checkTopic(topic: string, source = "topic"): void {
  const bad = (why: string) =>
    new SettingsError(`${source} "${topic}" ${why} (example: ${source === "MQTT_TOPIC" ? "MQTT_TOPIC=" : ""}${DEFAULT_TOPIC})`);
  if (topic.length === 0) throw bad("is empty");
  const levels = topic.split("/");
  levels.forEach((level, i) => {
    if (level.includes("#") && (level !== "#" || i !== levels.length - 1)) throw bad("has # that is not the whole last level");
    if (level.includes("+") && level !== "+") throw bad("has + that is not a whole level");
  });
}

/**
 * Whether a topic matches a subscription filter, the way a broker decides it: `+` is one whole level, `#` all
 * the rest (also none). Handy for routing messages from a wildcard subscription by `message.topic`.
 * @example topicMatches("ac_phys/workxp/#", "ac_phys/workxp/live_signals") // true
 * @example topicMatches("ac_phys/+/status", "ac_phys/workxp/live_signals") // false
 */
export function topicMatches(filter: string, topic: string): boolean {
  checkTopic(filter, "filter");
  const f = filter.split("/");
  const t = topic.split("/");
  // Topics starting with $ (e.g. $SYS/…) are not matched by a filter that starts with a wildcard.
  if (topic.startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** The CA certificate to trust, read from MQTT_CA's file, if one is set. */
export function readCa(caFile: string | undefined): Buffer | undefined {
  if (caFile === undefined) return undefined;
  try {
    return readFileSync(caFile);
  } catch (error) {
    throw new SettingsError(`MQTT_CA: cannot read ${caFile}: ${(error as Error).message}`);
  }
}

/** A URL fit to print: user names and passwords removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}
