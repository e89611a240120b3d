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
} from "./beam/layout";
export { SettingsError, PayloadError, ConnectionError, NoDataError } from "./errors";
export { decodePulse, pulseFromSamples, encodePulse, checkPayloadSize, countNonFinite } from "./beam/decode";
export type { Pulse } from "./beam/decode";
export { DEFAULT_TOPIC, readSettings, redactUrl, topicMatches } from "./mqtt/settings";
export type { Settings } from "./mqtt/settings";
export { analysePulse } from "./beam/analysis";
export type { PulseAnalysis } from "./beam/analysis";

// The built-in feed: simulator, broker, publisher
export { BeamSimulator, SCENARIOS } from "./beam/simulator";
export type { Scenario, SimulatorOptions } from "./beam/simulator";
export { startBroker } from "./mqtt/broker";
export type { EmbeddedBroker, BrokerOptions } from "./mqtt/broker";
export { startFeed } from "./feed/feed";
export type { Feed, FeedOptions } from "./feed/feed";
export { startBuiltInFeed, stopBuiltInFeed, resolveBroker } from "./feed/built-in";
export type { BuiltInFeed, BuiltInFeedOptions } from "./feed/built-in";

// Receiving: the client with four callbacks, and helpers built on it
export { shortId, newClientId } from "./mqtt/client-id";
export { MQTTClient, sleep } from "./mqtt/client";
export type { Message, ClientStats, ClientOptions, Rejection } from "./mqtt/client";
export { closeAllClients, InterruptedError } from "./kernel/session";
export { describeOutage } from "./mqtt/outages";
export type { Outage } from "./mqtt/outages";
export { getLiveData, newestPulse, nextMessage } from "./live/live-data";
export type { LiveData, LiveDataOptions } from "./live/live-data";
export { Ring } from "./ring";
export { PulseMonitor } from "./live/pulse-monitor";
export type { MonitoredPulse, HistoryEntry, PulseMonitorOptions, MonitorCounts } from "./live/pulse-monitor";

// Lessons: exercises with instant feedback, readable printing
export { TODO, exercise, Exercise, Verdict, Note, isBlank } from "./lessons/exercise";
export type { ExerciseSpec, VerdictKind, CheckResult } from "./lessons/exercise";
export { lesson01, lesson02, lesson03, lesson04, lesson05, lesson06 } from "./lessons/checks";
export { withCommas, formatBytes, clockTime, messageLine, pulseLine, hexDump, previewNumbers, pulseTable, channelGrid, sparkline } from "./lessons/format";
export type { HexDumpOptions, PreviewOptions, PulseTableOptions, SparklineOptions } from "./lessons/format";

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
export { show, loadPlotly, resetPlotly, notebookDisplay, newNotebookDisplay } from "./plots/show";
export type { DisplayLike, Showable } from "./plots/show";
export { lesson07 } from "./lessons/lesson07";
export { liveView, LiveView } from "./live/live-view";
export type { LiveViewOptions, LiveViewStats } from "./live/live-view";
export { startSeparateFeed } from "./feed/separate";
export type { SeparateFeed, SeparateFeedOptions } from "./feed/separate";
