/**
 * What a message's delivery is made of, beyond its bytes: the quality of service, a last will, and the MQTT
 * packets that went each way (what the QoS lesson counts).
 */
import type { IClientOptions, MqttClient, Packet } from "mqtt";
import { checkTopic } from "./settings";

/** Quality of service: 0 at most once, 1 at least once, 2 exactly once. */
export type QoS = 0 | 1 | 2;

/** A message the broker publishes for a client that vanished without a goodbye (see ClientOptions.will). */
export interface Will {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  /** Default 0. */
  readonly qos?: QoS;
  /** Default false. */
  readonly retain?: boolean;
}

/** How a message is published (see MQTTClient.publish). */
export interface PublishOptions {
  /** Default 0: sent once, never acknowledged. 1: acknowledged (PUBACK). 2: a four-packet handshake. */
  readonly qos?: QoS;
  /** Whether the broker keeps it as the topic's retained message, for every later subscriber (default false). */
  readonly retain?: boolean;
}

/** MQTT packets of each kind ("publish", "puback", "pingreq" …) sent and received since connect(). */
export interface PacketCounts {
  readonly sent: Readonly<Record<string, number>>;
  readonly received: Readonly<Record<string, number>>;
}

/**
 * A QoS, checked: a wrong one gets one line here rather than mqtt.js's own error later.
 * @example checkQos(1) // 1
 */
export function checkQos(qos: number): QoS {
  if (qos === 0 || qos === 1 || qos === 2) return qos;
  throw new RangeError(`invalid qos: ${qos} (expected 0, 1 or 2)`);
}

/** mqtt.js's options for a session: clean or kept (default clean), and the will, if any. */
export function sessionOptions({ clean = true, will }: { clean?: boolean; will?: Will }): IClientOptions {
  if (!will) return { clean };
  checkTopic(will.topic, "will topic");
  return {
    clean,
    will: { topic: will.topic, payload: Buffer.from(will.payload), qos: checkQos(will.qos ?? 0), retain: will.retain ?? false },
  };
}

/** Counts the packets an mqtt.js client sends and receives, by kind, from what it reports ('packetsend', 'packetreceive'). */
export class PacketCounter {
  private readonly sent: Record<string, number> = {};
  private readonly received: Record<string, number> = {};

  constructor(client: MqttClient) {
    const count = (counts: Record<string, number>, packet: Packet) => (counts[packet.cmd] = (counts[packet.cmd] ?? 0) + 1);
    client.on("packetsend", (packet) => count(this.sent, packet));
    client.on("packetreceive", (packet) => count(this.received, packet));
  }

  /** A copy of the counts so far. */
  counts(): PacketCounts {
    return { sent: { ...this.sent }, received: { ...this.received } };
  }
}
