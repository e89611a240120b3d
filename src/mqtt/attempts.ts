/**
 * Following a connection attempt as it happens: how far it got (TCP, TLS), waiting for the first CONNACK with a
 * time limit and giving up at once on errors that retrying cannot fix, and ending a client for good.
 */
import type { MqttClient } from "mqtt";
import { ConnectionError } from "../errors";
import { explainConnectionError, isTlsUrl, RETRYABLE_CODES, type ConnectionContext } from "./connection-errors";
import { onEveryStream, readThrough, type Feedable } from "./mqtt-patches";

/** How far the latest connection attempt got: TCP open, TLS established. */
export interface AttemptState {
  opened: boolean;
  secured: boolean;
}

/**
 * Follows each stream mqtt.js opens (it opens one per attempt), to tell "nothing listens" from "something
 * listens but does not speak our protocol"; `guard` makes what each stream reads pass through a new SizeGuard.
 * The client must be created with manualConnect: true, and connected after this.
 */
export function trackAttempts(client: MqttClient, guard?: () => Feedable): AttemptState {
  const attempt: AttemptState = { opened: false, secured: false };
  onEveryStream(
    client,
    (stream) => {
      attempt.opened = false;
      attempt.secured = false;
      stream.once("connect", () => (attempt.opened = true));
      stream.once("secureConnect", () => (attempt.secured = true));
      return guard ? readThrough(stream, guard()) : stream;
    },
    guard !== undefined,
  );
  return attempt;
}

/**
 * Resolves on the first connack; rejects at once on errors that retrying cannot fix (refused credentials,
 * TLS, unknown host, a port that closes without answering), else at the time limit with the last error.
 */
export function waitForFirstConnect(
  client: MqttClient,
  url: string,
  timeoutMs: number,
  context: ConnectionContext,
  attempt: AttemptState,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const done = (error?: unknown, extra: ConnectionContext = {}) => {
      clearTimeout(timer);
      client.off("connect", onConnect);
      client.off("error", onError);
      client.off("close", onClose);
      if (error === undefined) resolve();
      else reject(new ConnectionError(explainConnectionError(error, url, { ...context, ...extra })));
    };
    const onConnect = () => done();
    const onError = (error: Error & { code?: unknown }) => {
      lastError = error;
      // Refused or reset: the broker may be starting, try again (a reset after opening is judged in onClose).
      if (typeof error.code === "string" && RETRYABLE_CODES.has(error.code)) return;
      done(error);
    };
    const onClose = () => {
      // Opened, then closed before any answer: the port is not (plain) MQTT. Final: retrying cannot help.
      if (attempt.opened && (!isTlsUrl(url) || !attempt.secured)) {
        done(lastError ?? new Error("connection closed"), isTlsUrl(url) ? { closedDuringTls: true } : { closedBeforeAnswer: true });
      } else if (isTlsUrl(url) && attempt.secured && lastError === undefined) {
        done(new Error("connection closed"), { closedBeforeAnswer: true });
      }
    };
    const timer = setTimeout(() => {
      done(lastError ?? new Error(`no answer within ${timeoutMs / 1000} s`), lastError ? {} : { timedOutAfterMs: timeoutMs });
    }, timeoutMs);
    client.on("connect", onConnect);
    client.on("error", onError);
    client.on("close", onClose);
  });
}

/**
 * How long a goodbye may take before the connection is closed without one (ms). mqtt.js's own waits for the
 * acknowledgements still due, then for the socket to close, and both hang for ever on a network gone silent.
 */
export const GOODBYE_MS = 2000;

/**
 * Ends an mqtt.js client for good: no reconnect afterwards, even when its socket closes later (with
 * manualConnect, mqtt.js would otherwise start reconnecting on that late close). `force` closes at once
 * instead of sending DISCONNECT first; a DISCONNECT that cannot get through within GOODBYE_MS is given up.
 */
export function endForGood(client: MqttClient, force: boolean): Promise<void> {
  client.options.reconnectPeriod = 0;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.stream?.destroy(); // mqtt.js then clears its keep-alive, and with reconnectPeriod 0 stays closed
      resolve();
    }, GOODBYE_MS);
    client.end(force, {}, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
