/**
 * Rules for the embedded broker — who may connect, publish and subscribe — and the notice by which it tells a
 * client of ours why something was refused. MQTT 3.1.1 has no way to refuse a QoS 0 publish (MQTT-3.3.5-2: a broker
 * either drops it or closes the connection), so our broker drops it and sends the client one line on
 * BROKER_NOTICE_TOPIC; MQTTClient prints and keeps that line. No client subscribes to that topic: the broker sends it
 * to the one client concerned, and a $ topic is never matched by a wildcard.
 */

/** The topic on which the embedded broker tells one client why it refused something (the payload: one line of text). */
export const BROKER_NOTICE_TOPIC = "$notice/refused";

/** Why a connection is refused, as MQTT 3.1.1 CONNACK codes: 2 client id, 4 user name or password, 5 not authorised. */
export type ConnectRefusal = { readonly code: 2 | 4 | 5; readonly reason: string };

/** What a broker allows. Each check returns undefined to allow, or one line naming the rule that stops it. */
export interface BrokerRules {
  /** Whether a client may connect with this id, user name and password. */
  connect(clientId: string, username: string | undefined, password: Buffer | undefined): ConnectRefusal | undefined;
  /** Whether this user may publish on this topic. */
  publish(username: string, topic: string): string | undefined;
  /** Whether this user may subscribe to this filter. */
  subscribe(username: string, filter: string): string | undefined;
}
