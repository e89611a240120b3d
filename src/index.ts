/**
 * learning-mqtt: receive, decode, analyse and plot the ISIS beam-loss feed over MQTT, with a built-in feed
 * (an MQTT broker and a simulator of the machine) when there is no real one. Every public name is listed here,
 * one block per folder of src/; what is not listed is private. The lessons' exercises and printers are in the
 * second entry point, `learning-mqtt/lessons` (src/lessons/index.ts).
 *   import { MQTTClient, decodePulse, analysePulse, pulsePlot } from "learning-mqtt";
 */
// beam/: the message layout, decoding, analysis, and the simulated machine
export { ROWS, SAMPLES, PULSE_BYTES, BLM_COUNT, INTENSITY_ROW, CHANNELS, rowOf, timeAxisMs, sampleAt } from "./beam/layout";
export { decodePulse, encodePulse, pulseFromSamples } from "./beam/decode";
export type { Pulse } from "./beam/decode";
export { envelopePulse } from "./beam/envelope";
export type { Envelope } from "./beam/envelope";
export { analysePulse } from "./beam/analysis";
export type { PulseAnalysis } from "./beam/analysis";
export { BeamSimulator } from "./beam/simulator";
export type { Scenario, SimulatorOptions } from "./beam/simulator";

// errors.ts: what can go wrong, one class each, with one-line messages
export { SettingsError, PayloadError, ConnectionError, NoDataError } from "./errors";

// mqtt/: settings, the client with four callbacks, client ids, an embedded broker
export { readSettings, topicMatches } from "./mqtt/settings";
export type { Settings } from "./mqtt/settings";
export { MQTTClient } from "./mqtt/client";
export type { Message, ClientStats, ClientOptions, Rejection } from "./mqtt/client";
export type { QoS, Will, PublishOptions, PacketCounts } from "./mqtt/delivery";
export { newClientId } from "./mqtt/client-id";
export { describeOutage } from "./mqtt/outages";
export type { Outage } from "./mqtt/outages";
export { startBroker } from "./mqtt/broker";
export type { EmbeddedBroker, BrokerOptions } from "./mqtt/broker";

// kernel/: waiting and stopping in a notebook
export { sleep, closeAllClients, InterruptedError } from "./kernel/session";

// feed/: the simulated ISIS feed, in this process or as a separate program, and its topic tree
export { startFeed } from "./feed/feed";
export type { Feed, FeedOptions } from "./feed/feed";
export { startBuiltInFeed, stopBuiltInFeed } from "./feed/built-in";
export type { BuiltInFeed, BuiltInFeedOptions } from "./feed/built-in";
export { TOPICS, parseSummary, parseStatus } from "./feed/topics";
export type { FeedTopics, PulseSummary, FeedStatus } from "./feed/topics";

// live/: consuming the stream: collect for a while, analyse every pulse, a live view
export { getLiveData, newestPulse, nextMessage } from "./live/live-data";
export type { LiveData, LiveDataOptions } from "./live/live-data";
export { PulseMonitor } from "./live/pulse-monitor";
export type { MonitoredPulse, HistoryEntry, PulseMonitorOptions, MonitorCounts } from "./live/pulse-monitor";
export { liveView } from "./live/live-view";
export type { LiveView, LiveViewOptions, LiveViewStats } from "./live/live-view";

// plots/: static figures (Observable Plot), PNG files, interactive Plotly, showing them
export { pulsePlot } from "./plots/pulse-plot";
export type { PulsePlotOptions } from "./plots/pulse-plot";
export { lossBarChart } from "./plots/loss-chart";
export type { LossBarChartOptions } from "./plots/loss-chart";
export { waterfall } from "./plots/waterfall";
export type { WaterfallInput, WaterfallOptions } from "./plots/waterfall";
export { svgToPng, saveFigure, savePulsePlot } from "./plots/png";
export type { PngOptions, PngImage, SavedFigure } from "./plots/png";
export { interactivePulsePlot } from "./plots/plotly";
export type { InteractiveFigure, InteractivePlotOptions } from "./plots/plotly";
export { show, loadPlotly } from "./plots/show";
export type { Showable } from "./plots/show";
export type { DisplayLike } from "./kernel/display";
