/**
 * Who may do what in a classroom, in one place for the embedded broker (as BrokerRules) and for Mosquitto (its
 * acl_file is written from the same table, mosquitto.ts):
 * - the feed's user alone publishes under ac_phys/workxp/#;
 * - a student reads ac_phys/workxp/# and workxp/students/#, and publishes only under workxp/students/<user>/#;
 * - a client id starts with its user name ("student01-…"), so nobody can take over another's connection;
 * - nobody connects without a user name and password.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { BrokerRules, ConnectRefusal } from "../mqtt/broker-rules";
import { STUDENTS_TREE, TOPICS } from "../feed/topics";

/** The user the classroom's feed connects as. */
export const FEED_USER = "isis-feed";
/** The feed's tree, ac_phys/workxp: only the feed publishes here; everyone reads it. */
export const FEED_TREE = TOPICS.all.replace(/\/#$/, "");

/** Whether a topic or filter lies inside a tree (the tree's own name included), with no wildcard above it. */
export function inside(tree: string, topicOrFilter: string): boolean {
  return topicOrFilter === tree || topicOrFilter === `${tree}/#` || topicOrFilter.startsWith(`${tree}/`);
}

/** A user name a classroom accepts: letters, digits, "-" and "_", up to 32 (it goes into topics and file lines). */
export function checkUserName(user: string): void {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(user)) {
    throw new RangeError(`invalid user name "${user}" (expected letters, digits, - or _, at most 32, e.g. student01)`);
  }
  if (user === FEED_USER) throw new RangeError(`"${FEED_USER}" is the feed's own user name: pick another for a student`);
}

/** Why a student may not publish on a topic, naming the rule; undefined when they may. */
export function studentPublishRule(user: string, topic: string): string | undefined {
  return inside(`${STUDENTS_TREE}/${user}`, topic)
    ? undefined
    : `the classroom broker lets ${user} publish only under ${STUDENTS_TREE}/${user}/ (refused: ${topic})`;
}

/** Why a student may not subscribe to a filter, naming the rule; undefined when they may. */
export function studentSubscribeRule(user: string, filter: string): string | undefined {
  return inside(FEED_TREE, filter) || inside(STUDENTS_TREE, filter)
    ? undefined
    : `the classroom broker lets ${user} subscribe only to ${FEED_TREE}/# and ${STUDENTS_TREE}/# (refused: ${filter})`;
}

/** Whether a client id belongs to its user: the user name itself, or starting with "<user>-". */
export function ownsClientId(user: string, clientId: string): boolean {
  return clientId === user || clientId.startsWith(`${user}-`);
}

/** A secret as kept for comparing: its SHA-256, so that sameSecret() compares equal lengths in constant time. */
export const secretDigest = (text: string | Buffer) => createHash("sha256").update(text).digest();

/** Whether `given` is the secret with this digest; how long it takes says nothing about the secret. */
export const sameSecret = (expected: Buffer, given: string | Buffer) => timingSafeEqual(expected, secretDigest(given));

/**
 * The classroom's rules for the embedded broker, for these users and passwords (the feed's among them).
 * @example startBroker({ rules: classroomRules(new Map([["student01", "otter-lamp-cliff-42"], [FEED_USER, feedPassword]])) })
 */
export function classroomRules(passwords: ReadonlyMap<string, string>): BrokerRules {
  // Compared as hashes in constant time: how long a refusal takes says nothing about the password.
  const hashes = new Map([...passwords].map(([user, password]) => [user, secretDigest(password)]));
  return {
    connect(clientId, username, password): ConnectRefusal | undefined {
      if (username === undefined) return { code: 5, reason: "the classroom broker wants a user name and password" };
      const expected = hashes.get(username);
      if (!expected || !sameSecret(expected, password ?? "")) return { code: 4, reason: `wrong user name or password for "${username}"` };
      if (!ownsClientId(username, clientId)) {
        return {
          code: 2,
          reason: `the classroom broker wants ${username}'s client ids to start with "${username}-" (refused: ${clientId})`,
        };
      }
      return undefined;
    },
    publish(username, topic) {
      if (username === FEED_USER) return inside(FEED_TREE, topic) ? undefined : `the classroom's feed publishes only under ${FEED_TREE}/`;
      return studentPublishRule(username, topic);
    },
    subscribe(username, filter) {
      if (username === FEED_USER) return inside(FEED_TREE, filter) ? undefined : `the classroom's feed reads only ${FEED_TREE}/#`;
      return studentSubscribeRule(username, filter);
    },
  };
}
