/** A classroom's users and clients for the tests: the same allowed/denied matrix runs on the embedded broker and on Mosquitto. */
import { MQTTClient, type Message } from "../../src/mqtt/client";
import { readSettings } from "../../src/mqtt/settings";
import { newPassword } from "../../src/classroom/passwords";
import { FEED_USER } from "../../src/classroom/rules";
import { waitFor } from "./wait";

/** Two students and the feed, with fresh passwords. */
export function classUsers(students = ["student01", "student02"]): Map<string, string> {
  return new Map([...students, FEED_USER].map((user) => [user, newPassword()]));
}

/** A client that keeps what it receives, logged in as `user` (or anonymous with user undefined). */
export class Recorder extends MQTTClient {
  readonly messages: Message[] = [];
  override onConnect(): void {} // subscribes only when asked
  override onMessage(message: Message): void {
    this.messages.push(message);
  }
  /** The payloads received on a topic, as text. */
  on(topic: string): string[] {
    return this.messages.filter((m) => m.topic === topic).map((m) => m.payload.toString());
  }
  /** Waits until a message with this text has arrived on `topic`. */
  async waitFor(topic: string, text: string, timeoutMs = 5000): Promise<void> {
    await waitFor(`"${text}" on ${topic} at ${this.clientId}`, () => this.on(topic).includes(text), timeoutMs);
  }
}

/** A recorder for `user` with that user's password from `users` (or `password` when given); not yet connected. */
export function recorder(
  url: string,
  users: ReadonlyMap<string, string>,
  user: string | undefined,
  options: { password?: string; clientId?: string } = {},
): Recorder {
  const env = {
    MQTT_URL: url,
    MQTT_USERNAME: user ?? "",
    MQTT_PASSWORD: user === undefined ? "" : (options.password ?? users.get(user) ?? ""),
  };
  return new Recorder("unused/topic", {
    settings: readSettings(env),
    clientId: options.clientId,
    connectTimeoutMs: 3000,
    mqtt: { reconnectPeriod: 0 },
  });
}

/** Publishes one retained message with mqtt.js itself (our client publishes without retain), then disconnects. */
export async function publishRetained(
  url: string,
  users: ReadonlyMap<string, string>,
  user: string,
  topic: string,
  text: string,
): Promise<void> {
  const { connectAsync } = await import("mqtt");
  const client = await connectAsync(url, {
    username: user,
    password: users.get(user),
    clientId: `${user}-retainer`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  try {
    await client.publishAsync(topic, text, { qos: 1, retain: true });
  } finally {
    await client.endAsync();
  }
}
