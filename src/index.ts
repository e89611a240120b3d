/**
 * learning-mqtt: the shared module of the lessons. Every public name is listed here; notebooks import
 * only from this front door: `import { MQTTClient, decodePulse } from "learning-mqtt"`.
 */
// The message: layout, decoding, settings, analysis
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
export { SettingsError, PayloadError, ConnectionError, NoDataError } from "./errors";
export { decodePulse, pulseFromSamples, encodePulse, checkPayloadSize, countNonFinite } from "./decode";
export type { Pulse } from "./decode";
export { DEFAULT_TOPIC, readSettings, redactUrl, topicMatches } from "./settings";
export type { Settings } from "./settings";
export { analysePulse } from "./analysis";
export type { PulseAnalysis } from "./analysis";

// The built-in feed: simulator, broker, publisher
export { BeamSimulator, SCENARIOS } from "./simulator";
export type { Scenario, SimulatorOptions } from "./simulator";
export { startBroker } from "./broker";
export type { EmbeddedBroker, BrokerOptions } from "./broker";
export { startFeed } from "./feed";
export type { Feed, FeedOptions } from "./feed";
export { startBuiltInFeed, stopBuiltInFeed, resolveBroker } from "./resolve-broker";
export type { BuiltInFeed, BuiltInFeedOptions } from "./resolve-broker";

// Receiving: the client with four callbacks, and helpers built on it
export { shortId, newClientId } from "./client-id";
export { MQTTClient, sleep } from "./client";
export type { Message, ClientStats, ClientOptions, Rejection } from "./client";
export { closeAllClients, InterruptedError } from "./session";
export { describeOutage } from "./outages";
export type { Outage } from "./outages";
export { getLiveData, newestPulse, nextMessage } from "./live-data";
export type { LiveData, LiveDataOptions } from "./live-data";
export { Ring } from "./ring";
export { PulseMonitor } from "./pulse-monitor";
export type { MonitoredPulse, HistoryEntry, PulseMonitorOptions, MonitorCounts } from "./pulse-monitor";

// Lessons: exercises with instant feedback, readable printing
export { TODO, exercise, Exercise, Verdict, Note, isBlank } from "./exercise";
export type { ExerciseSpec, VerdictKind, CheckResult } from "./exercise";
export { lesson01, lesson02, lesson03, lesson04, lesson05, lesson06 } from "./lesson-checks";
export { withCommas, formatBytes, clockTime, messageLine, pulseLine, hexDump, previewNumbers, pulseTable, channelGrid, sparkline } from "./format";
export type { HexDumpOptions, PreviewOptions, PulseTableOptions, SparklineOptions } from "./format";

// Plots: static (Observable Plot), PNG, interactive (Plotly), live
export { decimateMinMax } from "./plots/decimate";
export type { DecimatedTrace } from "./plots/decimate";
export { pulsePlot } from "./plots/pulse-plot";
export type { PulsePlotOptions } from "./plots/pulse-plot";
export { lossBarChart } from "./plots/loss-chart";
export type { LossBarChartOptions } from "./plots/loss-chart";
export { waterfall } from "./plots/waterfall";
export type { WaterfallInput, WaterfallOptions } from "./plots/waterfall";
export { svgToPng, saveFigure, savePulsePlot } from "./plots/png";
export type { PngOptions, PngImage, SavedFigure } from "./plots/png";
export { interactivePulsePlot, plotlyBundleHtml, plotlyVersion } from "./plots/plotly";
export type { InteractiveFigure, InteractivePlotOptions, PlotlyTrace } from "./plots/plotly";
export { show, loadPlotly, resetPlotly, notebookDisplay, newNotebookDisplay } from "./plots/display";
export type { DisplayLike, Showable } from "./plots/display";
export { lesson07 } from "./plots/exercises";
export { liveView, LiveView } from "./live-view";
export type { LiveViewOptions, LiveViewStats } from "./live-view";
export { startSeparateFeed } from "./feed-process";
export type { SeparateFeed, SeparateFeedOptions } from "./feed-process";
