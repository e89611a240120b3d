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

/** A client id for this project: a readable prefix, so a broker's log shows who is who, and a short random id. */
export function newClientId(prefix = "learning-mqtt"): string {
  return `${prefix}-${shortId()}`;
}
