/**
 * learning-mqtt: the shared module of the lessons. Every public name is listed here; notebooks import
 * only from this front door: `import { MQTTClient, decodePulse } from "learning-mqtt"`.
 */
export {
  ROWS,
  SAMPLES,
  BYTES_PER_SAMPLE,
  PULSE_BYTES,
  T_START_MS,
  T_END_MS,
  DT_MS,
  BLM_COUNT,
  INTENSITY_ROW,
  CHANNELS,
  superperiodOf,
  rowOf,
  timeAxisMs,
  sampleAt,
} from "./layout";
export { SettingsError, PayloadError, ConnectionError } from "./errors";
export { decodePulse, pulseFromSamples, encodePulse, checkPayloadSize } from "./decode";
export type { Pulse } from "./decode";
export { DEFAULT_TOPIC, readSettings, redactUrl } from "./settings";
export type { Settings } from "./settings";
export { analysePulse } from "./analysis";
export type { PulseAnalysis } from "./analysis";
export { BeamSimulator, SCENARIOS } from "./simulator";
export type { Scenario, SimulatorOptions } from "./simulator";
export { startBroker } from "./broker";
export type { EmbeddedBroker, BrokerOptions } from "./broker";
export { startFeed } from "./feed";
export type { Feed, FeedOptions } from "./feed";
export { startBuiltInFeed, stopBuiltInFeed, resolveBroker } from "./resolve-broker";
export type { BuiltInFeed, BuiltInFeedOptions } from "./resolve-broker";
export { shortId, newClientId } from "./client-id";
export { MQTTClient, sleep } from "./client";
export type { Message, ClientStats, ClientOptions } from "./client";
export { getLiveData } from "./live-data";
export type { LiveData, LiveDataOptions } from "./live-data";
export { Ring } from "./ring";
export { PulseMonitor } from "./pulse-monitor";
export type { MonitoredPulse, HistoryEntry, PulseMonitorOptions, MonitorCounts } from "./pulse-monitor";
