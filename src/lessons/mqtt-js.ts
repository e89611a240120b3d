/**
 * What a lesson needs to use mqtt.js directly, without our client: the broker's URL and the options with the
 * credentials from the environment (MQTT_URL …), so that no address or password is ever written in a notebook.
 */
import { inspect } from "node:util";
import type { IClientOptions } from "mqtt";
import { defaultBrokerUrl } from "../mqtt/default-broker";
import { readCa, readSettings, redactUrl } from "../mqtt/settings";

/** Where to connect with mqtt.js, and how. */
export interface MqttJsConnection {
  /** MQTT_URL, or the built-in feed's broker. */
  readonly url: string;
  /** protocolVersion 4 (MQTT 3.1.1) and, when the environment sets them, username, password and ca. */
  readonly options: IClientOptions;
}

/**
 * The broker and options for `mqtt.connectAsync(url, options)`: MQTT_URL (with MQTT_USERNAME, MQTT_PASSWORD,
 * MQTT_CA), or else the built-in feed, started if need be. Printing the result shows no password.
 * @example
 * const { url, options } = await brokerForMqttJs();
 * const client = await mqtt.connectAsync(url, { ...options, clientId: newClientId("mine") });
 */
export async function brokerForMqttJs(): Promise<MqttJsConnection> {
  const settings = readSettings();
  const url = await defaultBrokerUrl(settings);
  const options: IClientOptions = { protocolVersion: 4 };
  if (settings.username !== undefined) options.username = settings.username;
  if (settings.password !== undefined) options.password = settings.password;
  const ca = readCa(settings.caFile);
  if (ca !== undefined) options.ca = ca;
  // Printed (a cell's last value, console.log, JSON.stringify), neither shows the password; mqtt.js's copy of the
  // options ({ ...options }) does not take these non-enumerable printers along.
  const hidden = { ...options, password: options.password === undefined ? undefined : "(hidden)" };
  const printable = <T extends object>(value: T, shown: object): T =>
    Object.defineProperties(value, { [inspect.custom]: { value: () => inspect(shown) }, toJSON: { value: () => shown } });
  return printable({ url, options: printable(options, hidden) }, { url: redactUrl(url), options: hidden });
}
