/**
 * Why a connection failed, in one line a student can act on: a pure function of the error mqtt.js or Node gave
 * and what the client knew. (Following a connection attempt as it happens is attempts.ts.)
 */
import { redactUrl } from "./settings";

/** What the client knew when the connection failed; it sharpens the advice (never printed as such). */
export interface ConnectionContext {
  /** Whether a user name was configured (MQTT_USERNAME). */
  readonly hasUsername?: boolean;
  /** Whether a CA file was configured (MQTT_CA). */
  readonly hasCa?: boolean;
  /** The TCP connection opened but closed again before the broker answered (no CONNACK). */
  readonly closedBeforeAnswer?: boolean;
  /** For mqtts://: the TCP connection opened but the TLS handshake never completed. */
  readonly closedDuringTls?: boolean;
  /** The time limit that ran out, in ms, if that is what happened. */
  readonly timedOutAfterMs?: number;
}

/** Error codes of Node's TLS layer that mean "this certificate is not signed by anyone we trust". */
const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/** Network errors after which trying again may help (the broker may be starting); all others are final. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/**
 * One line that says why a connection failed and what to check, for an error from mqtt.js or Node.
 * The URL is shown without credentials; a password is never part of the line.
 * @example explainConnectionError(error, "mqtts://broker.example.org:8883", { hasCa: false })
 * // "the TLS certificate of mqtts://broker.example.org:8883 is not trusted (SELF_SIGNED_CERT_IN_CHAIN): set MQTT_CA to …"
 */
export function explainConnectionError(error: unknown, url: string, context: ConnectionContext = {}): string {
  return oneLine(explain(innermost(error), url, context));
}

function explain(error: unknown, url: string, context: ConnectionContext): string {
  const where = redactUrl(url);
  const host = safeHost(url);
  const tls = isTlsUrl(url);
  const e = (error ?? {}) as { code?: unknown; message?: unknown; cert?: { subjectaltname?: string } };
  const code = typeof e.code === "string" ? e.code : "";
  const reasonCode = typeof e.code === "number" ? e.code : undefined; // CONNACK return codes are numbers
  const message = String(e.message ?? error);

  // The broker answered and said no.
  if (reasonCode === 4 || reasonCode === 134 || /bad user ?name or password/i.test(message)) {
    return `the broker at ${where} refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD`;
  }
  if (reasonCode === 5 || reasonCode === 135 || /not authori[sz]ed/i.test(message)) {
    return context.hasUsername === false
      ? `the broker at ${where} wants a user name and password: set MQTT_USERNAME and MQTT_PASSWORD`
      : `the broker at ${where} refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD`;
  }
  if (reasonCode === 2 || reasonCode === 133) {
    return `the broker at ${where} refused the client id: a classroom broker wants ids that start with your user name; use the default (newClientId())`;
  }
  if (reasonCode === 1 || reasonCode === 132) return `the broker at ${where} does not speak MQTT 3.1.1: ask for a broker that does`;
  if (reasonCode === 3 || reasonCode === 136 || reasonCode === 137)
    return `the broker at ${where} is unavailable or busy: try again in a minute`;
  if (reasonCode === 138) return `the broker at ${where} has banned this client: ask the broker's owner`;

  // TLS: the certificate.
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const names = e.cert?.subjectaltname?.replace(/\b(DNS|IP Address):/g, "").replace(/,\s*/g, ", ");
    const forWhom = names ? ` (it is for ${names})` : "";
    return `the TLS certificate of ${where} is not for the host name "${host}"${forWhom}: connect with a name the certificate lists`;
  }
  if (UNTRUSTED.has(code)) {
    return context.hasCa
      ? `the TLS certificate of ${where} is not signed by the CA in MQTT_CA (${code}): check that MQTT_CA is the CA file of this broker`
      : `the TLS certificate of ${where} is not trusted (${code}): set MQTT_CA to the CA file that signed it`;
  }
  if (code === "CERT_HAS_EXPIRED") return `the TLS certificate of ${where} has expired (or this computer's clock is wrong)`;
  if (code === "CERT_NOT_YET_VALID") return `the TLS certificate of ${where} is not valid yet (or this computer's clock is wrong)`;
  if (/^ERR_TLS_|^ERR_SSL_|CERT/.test(code) || message === "TLS not authorized") {
    return `the TLS connection to ${where} failed (${code || message}): check MQTT_CA and the host name`;
  }

  // TLS against a plain port, and plain against a TLS port.
  if (
    tls &&
    (context.closedDuringTls ||
      /before secure TLS connection|wrong version number|packet length too long|unknown protocol/i.test(message) ||
      code === "EPROTO")
  ) {
    return `${where} does not answer in TLS: if it is a plain MQTT port use mqtt://, otherwise use the broker's TLS port (usually 8883)`;
  }
  if (tls && context.closedBeforeAnswer) {
    return `${where} accepted TLS but closed the connection without answering MQTT: does it want a client certificate, or is it not an MQTT broker?`;
  }
  if (!tls && (context.closedBeforeAnswer || code === "EPROTO")) {
    return `${where} closed the connection without answering MQTT: if it is a TLS port (usually 8883) use mqtts:// and MQTT_CA; otherwise check that it is an MQTT broker`;
  }

  // The network.
  if (code === "ECONNREFUSED") return `nothing is listening at ${where}: is the broker running and the port right?`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot find the host "${host}" of ${where}: check the name in MQTT_URL`;
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ENETDOWN" || code === "ETIMEDOUT") {
    return `cannot reach ${where} (${code}): check the address and the network`;
  }
  if (/keepalive timeout/i.test(message)) {
    return `${where} stopped answering (no reply to keep-alive pings): is the network (Wi-Fi) or the broker down?`;
  }
  if (context.timedOutAfterMs !== undefined) {
    return `no answer from ${where} within ${context.timedOutAfterMs / 1000} s: check the address, the port and the network (a firewall?)`;
  }
  if (code === "ECONNRESET" || code === "EPIPE" || /connection closed|client disconnecting/i.test(message)) {
    return `${where} closed the connection (${code || message}): is the broker restarting?`;
  }
  return `cannot connect to ${where}: ${code ? `${code} ` : ""}${message}`;
}

/** Node reports a failed "localhost" (::1 and 127.0.0.1) as an AggregateError with an empty message. */
function innermost(error: unknown): unknown {
  if (error instanceof AggregateError && error.errors.length > 0) {
    const withCode = error.errors.find((inner: { code?: unknown }) => inner?.code !== undefined);
    return withCode ?? error.errors[0];
  }
  return error;
}

export function isTlsUrl(url: string): boolean {
  return /^(mqtts|ssl|tls|wss):/i.test(url);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
