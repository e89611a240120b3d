/**
 * The feed's topic tree, in one place for the feed, `npm run listen`, the lessons and the classroom:
 *   ac_phys/workxp/live_signals   the raw pulses, 704,000 bytes each, byte-identical to the real feed (QoS 0)
 *   ac_phys/workxp/summary        one small JSON PulseSummary per pulse (QoS 0)
 *   ac_phys/workxp/envelope       a classroom's: each pulse's min/max envelope, 7,040 bytes (QoS 0)
 *   ac_phys/workxp/status         the feed's FeedStatus, retained (QoS 1); its last will says "online": false
 *   ac_phys/workxp/control        requests to the simulator ({"scenario": "bad-night"}), obeyed only when allowed
 * The summary, status and control topics are siblings of the pulse topic, so a feed moved to another pulse topic
 * (MQTT_TOPIC, --topic) takes its tree with it.
 */
import type { PulseAnalysis } from "../beam/analysis";
import { SCENARIOS, type Scenario } from "../beam/scenarios";
import { PayloadError } from "../errors";
import { shortId } from "../mqtt/client-id";
import { checkTopic, DEFAULT_TOPIC } from "../mqtt/settings";

/** The topics of one feed. */
export interface FeedTopics {
  /** The raw pulses, e.g. ac_phys/workxp/live_signals. */
  readonly pulses: string;
  /** One PulseSummary (JSON) per pulse, e.g. ac_phys/workxp/summary. */
  readonly summary: string;
  /** The pulse's envelope (7,040 bytes of float32, src/beam/envelope.ts) per pulse, from a classroom's feed. */
  readonly envelope: string;
  /** The retained FeedStatus (JSON), e.g. ac_phys/workxp/status. */
  readonly status: string;
  /** Where requests to the simulator go, e.g. ac_phys/workxp/control. */
  readonly control: string;
  /** A filter for the whole tree, e.g. ac_phys/workxp/#. */
  readonly all: string;
}

/**
 * The topic tree of a feed that publishes pulses on `pulseTopic`: its siblings.
 * @example feedTopics().summary // "ac_phys/workxp/summary"
 */
export function feedTopics(pulseTopic: string = DEFAULT_TOPIC): FeedTopics {
  const cut = pulseTopic.lastIndexOf("/");
  const parent = cut < 0 ? "" : pulseTopic.slice(0, cut + 1);
  return {
    pulses: pulseTopic,
    summary: `${parent}summary`,
    envelope: `${parent}envelope`,
    status: `${parent}status`,
    control: `${parent}control`,
    all: `${parent}#`,
  };
}

/** The course feed's tree: ac_phys/workxp/live_signals, …/summary, …/status, …/control. */
export const TOPICS: FeedTopics = feedTopics();

/** The students' tree: each student's own branch, workxp/students/<name>/, is where a classroom lets them publish. */
export const STUDENTS_TREE = "workxp/students";
/** This process's branch when no user name is set: the same in every cell of a notebook, another in the next one. */
const OWNER = shortId(8);

/**
 * A topic for a student's own experiment (alarms, chat, the capstone): their branch of the students' tree, so that
 * two students' experiments on one broker never meet. The owner is the student's user name (MQTT_USERNAME) when it
 * is set — in a classroom, the only branch its broker lets them write — and otherwise a name of this process's.
 * @example practiceTopic("qos")     // "workxp/students/k3X9aQ2m/qos" ("workxp/students/student01/qos" in a class)
 * @example practiceTopic("alarm/#") // a filter for all of one's alarm topics
 */
export function practiceTopic(name: string, owner: string = process.env.MQTT_USERNAME?.trim() || OWNER): string {
  checkTopic(name, "practice topic"); // wildcards are fine: a filter over one's own experiments
  return `${STUDENTS_TREE}/${owner}/${name}`;
}

/** What the feed says about one pulse, on the summary topic: a few hundred bytes instead of 704,000. */
export interface PulseSummary {
  /** The pulse's number: 1 for the feed's first, then 2, 3 … */
  readonly seq: number;
  /** When it was published, ISO 8601 (UTC), e.g. "2026-03-05T14:03:07.512Z". */
  readonly time: string;
  /** What the simulator was simulating. */
  readonly scenario: Scenario;
  /** R5IM's peak in volts (raw, negative-going: about −3.15 on a good pulse); null if it had no reading. */
  readonly intensityPeakV: number | null;
  /** Fraction of the peak still there before extraction: about 0.93 on a good pulse, 0.1 on a bad night. */
  readonly survival: number | null;
  /** The BLM that saw most loss, e.g. "R1BLM3". */
  readonly hottestBlm: string;
  /** Its loss integral in V·ms: about 0.3 on a good pulse, 1.5–2 on a bad night. */
  readonly hottestBlmIntegralVms: number | null;
}

/** What the feed says about itself, retained on the status topic. */
export interface FeedStatus {
  /** true while the feed publishes; false once it stopped (or died: then the broker published its last will). */
  readonly online: boolean;
  /** Pulses per second. */
  readonly rateHz: number;
  readonly scenario: Scenario;
  /** When this status was made, ISO 8601 (UTC). For the will: when the feed connected. */
  readonly time: string;
  /** Whether the feed obeys requests on the control topic. */
  readonly control: boolean;
  /** Only when offline: "stopped" (a clean stop) or "connection lost" (the last will, published by the broker). */
  readonly reason?: "stopped" | "connection lost";
}

/** A request to the simulated feed on its control topic (the real ISIS feed has none). */
export interface FeedRequest {
  readonly scenario: Scenario;
}

/** A number fit for JSON: rounded to `digits` decimals; null where there is none (NaN, ±Infinity). */
function rounded(value: number, digits: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}

/**
 * The summary of one analysed pulse.
 * @example summarise(analysePulse(pulse), { seq: 1, time: new Date(), scenario: "nominal" }).survival // 0.9321
 */
export function summarise(analysis: PulseAnalysis, about: { seq: number; time: Date; scenario: Scenario }): PulseSummary {
  return {
    seq: about.seq,
    time: about.time.toISOString(),
    scenario: about.scenario,
    intensityPeakV: rounded(analysis.intensityPeakV, 4),
    survival: rounded(analysis.survival, 4),
    hottestBlm: analysis.hottestBlm,
    hottestBlmIntegralVms: rounded(analysis.hottestBlmIntegralVms, 5),
  };
}

/** The JSON object in a message, or a PayloadError saying why there is none. */
function jsonObject(payload: Uint8Array, what: string): Record<string, unknown> {
  const fail = (why: string) => new PayloadError(`not a ${what}: ${why}`, payload.byteLength);
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw fail(`${payload.byteLength} bytes that are not JSON${text ? ` ("${shown.replace(/[^\x20-\x7e]/g, "?")}")` : ""}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw fail("JSON, but not an object");
  return value as Record<string, unknown>;
}

/** One line saying which field of a JSON message is wrong. */
function fieldError(what: string, payload: Uint8Array, o: Record<string, unknown>, field: string, expected: string): PayloadError {
  const actual = o[field] === undefined ? "missing" : JSON.stringify(o[field]);
  return new PayloadError(`not a ${what}: "${field}" should be ${expected}, but it is ${actual}`, payload.byteLength);
}

const SCENARIO_NAMES = SCENARIOS.map((s) => `"${s}"`).join(" or ");
const isNumberOrNull = (v: unknown) => v === null || (typeof v === "number" && Number.isFinite(v));

/**
 * Reads a message from the summary topic.
 * @throws PayloadError with one line saying what is wrong (not JSON, a field missing or of the wrong kind).
 * @example const s = parseSummary(message.payload); console.log(s.seq, s.survival);
 */
export function parseSummary(payload: Uint8Array): PulseSummary {
  const o = jsonObject(payload, "pulse summary");
  const bad = (field: string, expected: string) => fieldError("pulse summary", payload, o, field, expected);
  if (!(Number.isInteger(o.seq) && (o.seq as number) > 0)) throw bad("seq", "a whole number > 0");
  if (typeof o.time !== "string" || Number.isNaN(Date.parse(o.time))) throw bad("time", "an ISO 8601 time");
  if (!SCENARIOS.includes(o.scenario as Scenario)) throw bad("scenario", SCENARIO_NAMES);
  for (const field of ["intensityPeakV", "survival", "hottestBlmIntegralVms"]) {
    if (!isNumberOrNull(o[field])) throw bad(field, "a number or null");
  }
  if (typeof o.hottestBlm !== "string") throw bad("hottestBlm", "a monitor's name");
  return o as unknown as PulseSummary;
}

/**
 * Reads a message from the status topic.
 * @throws PayloadError with one line saying what is wrong.
 * @example parseStatus(message.payload).online // true
 */
export function parseStatus(payload: Uint8Array): FeedStatus {
  const o = jsonObject(payload, "feed status");
  const bad = (field: string, expected: string) => fieldError("feed status", payload, o, field, expected);
  if (typeof o.online !== "boolean") throw bad("online", "true or false");
  if (!(typeof o.rateHz === "number" && o.rateHz > 0)) throw bad("rateHz", "a number > 0");
  if (!SCENARIOS.includes(o.scenario as Scenario)) throw bad("scenario", SCENARIO_NAMES);
  if (typeof o.time !== "string" || Number.isNaN(Date.parse(o.time))) throw bad("time", "an ISO 8601 time");
  if (typeof o.control !== "boolean") throw bad("control", "true or false");
  return o as unknown as FeedStatus;
}

/**
 * Reads a request from the control topic.
 * @throws PayloadError saying what is wrong.
 * @example parseRequest(Buffer.from('{"scenario":"bad-night"}')).scenario // "bad-night"
 */
export function parseRequest(payload: Uint8Array): FeedRequest {
  const o = jsonObject(payload, "feed request");
  if (!SCENARIOS.includes(o.scenario as Scenario)) throw fieldError("feed request", payload, o, "scenario", SCENARIO_NAMES);
  return { scenario: o.scenario as Scenario };
}
