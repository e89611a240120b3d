/**
 * learning-mqtt/lessons: what only the lessons need, beside the core module (`learning-mqtt`).
 *   import { TODO, lesson07, hexDump } from "learning-mqtt/lessons";
 * - `TODO`, the blank in an exercise's starter code, and one object of exercises per lesson (lesson01 … lesson15),
 *   each exercise with `check(answer)`, `hint()` and `solution()`;
 * - printers that show a message or a pulse readably: one line per message, a few bytes in hex, a few numbers
 *   with "…" for the rest, a table of rows, the channel grid, text sparklines, the feed's summaries and status,
 *   MQTT packet counts;
 * - the tools of lessons 10–15: a relay whose connection a cell can cut, practice topics of one's own, asking
 *   the feed for a bad night, and the broker's URL and options for mqtt.js used directly;
 * - `lastError()`: the error a cell showed as one line, with its full stack.
 * This folder may import every folder below it (beam, mqtt, feed, live, plots, kernel) but nothing imports it
 * except this entry point.
 */
// Exercises
export { TODO } from "./exercise";
export type { Verdict, Note } from "./exercise";
export { lesson01 } from "./lesson01";
export { lesson02 } from "./lesson02";
export { lesson03 } from "./lesson03";
export { lesson04 } from "./lesson04";
export { lesson05 } from "./lesson05";
export { lesson06 } from "./lesson06";
export { lesson07 } from "./lesson07";
export { lesson08 } from "./lesson08";
export { lesson09 } from "./lesson09";
export { lesson10, PREDICT_FILTER, PREDICT_TOPICS } from "./lesson10";
export { lesson11 } from "./lesson11";
export { lesson12 } from "./lesson12";
export { lesson13 } from "./lesson13";
export { lesson14 } from "./lesson14";
export { lesson15 } from "./lesson15";

// When something goes wrong in a cell: the full report of the error that was shown as one line
export { lastError } from "../kernel/error-display";

// Printing messages and pulses readably
export { formatBytes, messageLine, pulseLine, hexDump, previewNumbers, pulseTable, channelGrid, sparkline } from "./format";
export type { HexDumpOptions, PreviewOptions, PulseTableOptions, SparklineOptions } from "./format";
export { summaryLine, statusLine } from "../feed/lines";
export { packetsSince, packetsLine, packetTotal } from "./packets";

// Tools of lessons 05 and 09: the random part of a client id, the feed as a separate program
export { shortId } from "../mqtt/client-id";
export { startSeparateFeed } from "../feed/separate";
export type { SeparateFeed, SeparateFeedOptions } from "../feed/separate";

// Tools of lessons 10–15
export { practiceTopic, STUDENTS_TREE } from "../feed/topics";
export { startRelay } from "../mqtt/relay";
export type { Relay, RelayOptions, CutDirection } from "../mqtt/relay";
export { requestScenario } from "./scenario";
export { brokerForMqttJs } from "./mqtt-js";
export type { MqttJsConnection } from "./mqtt-js";
