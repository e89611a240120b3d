/**
 * Patches on mqtt.js, kept in this one place. Checked against mqtt 5.16.0; re-check them on an upgrade
 * (test/mqtt/faults.test.ts covers the size guard and the connection reasons, test/mqtt/reads.test.ts the reads).
 * - A client's private `streamBuilder` (the documented constructor argument) is wrapped, to see each stream
 *   mqtt.js opens — one per connection attempt — before its first byte. For mqtt:// and tcp:// it builds the
 *   socket itself, as mqtt.js's own TCP builder does (net.createConnection({ port, host, path })), but reading
 *   with net's `onread`: the body of a large packet straight into the buffer that becomes its payload, the rest
 *   into one reused buffer, so that a 704 KB pulse costs neither a dozen fresh 64 KB Buffers nor a copy.
 * - Such a stream's `pipe` is redirected through a Transform: mqtt.js reads a stream only by
 *   `stream.pipe(parser)`; writes, close, errors and destroy stay on the stream itself.
 */
import type { MqttClient } from "mqtt";
import { createConnection, type Socket } from "node:net";
import type { Transform } from "node:stream";

/** The duplex stream mqtt.js talks to a broker through. */
export type MqttStream = NodeJS.ReadWriteStream & NodeJS.EventEmitter;

/** A Transform that can also be handed bytes directly, and copies them before it returns (e.g. a SizeGuard). */
export interface Feedable extends Transform {
  /** Returns false when it holds more than its reader asked for. */
  feed(bytes: Uint8Array): boolean;
  /** Where the next read may put its bytes directly (the rest of a large packet), if anywhere. */
  readTarget?(): Uint8Array | undefined;
  /** Counts `bytes` that a read put at the start of readTarget()'s view; returns as feed() does. */
  filledInPlace?(bytes: number): boolean;
}

/**
 * What a socket of ours reads into: one buffer for every connection of the process, which is safe because each
 * read's bytes are copied out (SizeGuard.feed) before the next read can happen. 64 KB (as net's own reads):
 * a large packet's first piece, and then its body is read in place.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** How a socket of ours hands on its bytes; readThrough() fills it in. */
const FEED = Symbol("learning-mqtt.feed");
interface ReadLink {
  /** Takes `bytes` bytes that a read put into `buffer` (READ_BUFFER or a target's view). */
  feed?: (buffer: Uint8Array, bytes: number) => boolean;
  /** The buffer the next read goes into, if not READ_BUFFER. */
  target?: () => Uint8Array | undefined;
}
type DirectSocket = Socket & { [FEED]?: ReadLink };

interface TcpOptions {
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: number;
  path?: string;
  socksProxy?: unknown;
  servers?: unknown;
}

/**
 * Calls `wrap` with every stream the client opens, and gives mqtt.js what `wrap` returns. Before connect().
 * `direct`: a TCP socket reads into the shared buffer; then `wrap` must hand the stream to readThrough().
 */
export function onEveryStream(client: MqttClient, wrap: (stream: MqttStream) => MqttStream, direct = false): void {
  const internals = client as unknown as { streamBuilder: (c: MqttClient) => MqttStream };
  const build = internals.streamBuilder;
  internals.streamBuilder = (c) => wrap((direct ? directTcp(c.options as TcpOptions) : undefined) ?? build(c));
}

/** The socket mqtt.js's TCP builder would make, reading into READ_BUFFER; undefined for other protocols. */
function directTcp(options: TcpOptions): MqttStream | undefined {
  if (options.socksProxy || options.servers || (options.protocol !== "mqtt" && options.protocol !== "tcp")) return undefined;
  const link: ReadLink = {}; // readThrough() fills it in (mqtt.js pipes the stream as soon as it has it)
  const socket: DirectSocket = createConnection({
    port: options.port || 1883,
    host: options.hostname || options.host || "localhost",
    path: options.path,
    onread: {
      // Asked for again after every read (and once before the first).
      buffer: () => link.target?.() ?? READ_BUFFER,
      // Returning false stops reading (readStop); socket.resume() starts it again.
      callback: (bytes, buffer) => link.feed?.(buffer, bytes) ?? true,
    },
  });
  socket[FEED] = link;
  return socket;
}

/** Makes what mqtt.js reads from `stream` pass through `transform` first (e.g. a SizeGuard). */
export function readThrough<S extends NodeJS.ReadableStream>(stream: S, transform: Feedable): S {
  const socket = stream as unknown as DirectSocket;
  const pipe = stream.pipe.bind(stream);
  stream.pipe = (<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    const link = socket[FEED];
    if (link) {
      // A socket of ours: its reads go to the transform directly, which pauses it when its reader is full.
      let paused = false;
      link.feed = (buffer, bytes) => {
        const more = buffer === READ_BUFFER ? transform.feed(buffer.subarray(0, bytes)) : transform.filledInPlace!(bytes);
        paused = !more;
        return more;
      };
      if (transform.readTarget && transform.filledInPlace) link.target = () => transform.readTarget!();
      const read = transform._read.bind(transform);
      transform._read = (size: number) => {
        read(size);
        if (paused) {
          paused = false;
          socket.resume();
        }
      };
      socket.once("close", () => transform.end());
    } else pipe(transform);
    transform.pipe(destination, options);
    return destination;
  }) as S["pipe"];
  return stream;
}
