/**
 * Patches on mqtt.js, kept in this one place. Checked against mqtt 5.16.0; re-check them on an upgrade
 * (test/mqtt/faults.test.ts covers both: the size guard and the connection reasons).
 * - A client's private `streamBuilder` (the documented constructor argument) is wrapped, to see each stream
 *   mqtt.js opens — one per connection attempt — before its first byte.
 * - Such a stream's `pipe` is redirected through a Transform: mqtt.js reads a stream only by
 *   `stream.pipe(parser)`; writes, close, errors and destroy stay on the stream itself.
 */
import type { MqttClient } from "mqtt";
import type { Transform } from "node:stream";

/** The duplex stream mqtt.js talks to a broker through. */
export type MqttStream = NodeJS.ReadWriteStream & NodeJS.EventEmitter;

/** Calls `wrap` with every stream the client opens, and gives mqtt.js what `wrap` returns. Before connect(). */
export function onEveryStream(client: MqttClient, wrap: (stream: MqttStream) => MqttStream): void {
  const internals = client as unknown as { streamBuilder: (c: MqttClient) => MqttStream };
  const build = internals.streamBuilder;
  internals.streamBuilder = (c) => wrap(build(c));
}

/** Makes what mqtt.js reads from `stream` pass through `transform` first (e.g. a SizeGuard). */
export function readThrough<S extends NodeJS.ReadableStream>(stream: S, transform: Transform): S {
  const pipe = stream.pipe.bind(stream);
  stream.pipe = (<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    pipe(transform);
    transform.pipe(destination, options);
    return destination;
  }) as S["pipe"];
  return stream;
}
