/**
 * Where a client connects when it is given no URL: MQTT_URL, or else the built-in feed. The built-in feed lives
 * in src/feed/, a folder above this one (it publishes through mqtt/), so it registers itself here when it is
 * loaded — both entry points load it — and mqtt/ never imports feed/.
 */
import { ConnectionError } from "../errors";
import type { Settings } from "./settings";

/** Starts (or finds) the built-in feed and resolves with its broker's URL. */
export type BuiltInBroker = (settings: Settings) => Promise<string>;

let builtIn: BuiltInBroker | undefined;

/** Called once by src/feed/built-in.ts. */
export function provideBuiltInBroker(start: BuiltInBroker): void {
  builtIn = start;
}

/** The broker a client without a URL connects to: MQTT_URL when set, else the built-in feed. */
export async function defaultBrokerUrl(settings: Settings): Promise<string> {
  if (settings.url !== undefined) return settings.url;
  if (!builtIn) {
    throw new ConnectionError('MQTT_URL is not set and the built-in feed is not loaded: set MQTT_URL, or import from "learning-mqtt"');
  }
  return builtIn(settings);
}
