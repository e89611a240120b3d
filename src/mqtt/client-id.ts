import { randomInt } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * A short random id, 12 letters and digits by default: 62^12 ≈ 3 × 10^21 possibilities, so two
 * students practically never get the same one. A broker lets only one client per id at a time.
 * @example shortId() // "q8ZtK2mVb0Xa"
 */
export function shortId(length = 12): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/**
 * A client id for this project: a readable prefix, so a broker's log shows who is who, and a short random id.
 * With a user name (default: MQTT_USERNAME; null for none) the id starts with it, because a classroom broker accepts
 * only ids that start with their user's name (so no student can take over another's connection): "student01-…",
 * "student01-twin-…".
 * @example newClientId() // "learning-mqtt-q8ZtK2mVb0Xa", or "student01-q8ZtK2mVb0Xa" with MQTT_USERNAME=student01
 * @example newClientId("twin", "student01") // "student01-twin-q8ZtK2mVb0Xa"
 */
export function newClientId(prefix?: string, username: string | null = process.env.MQTT_USERNAME?.trim() || null): string {
  const own = username !== null && prefix !== undefined && (prefix === username || prefix.startsWith(`${username}-`));
  const head = username === null || own ? (prefix ?? "learning-mqtt") : prefix === undefined ? username : `${username}-${prefix}`;
  return `${head}-${shortId()}`;
}
