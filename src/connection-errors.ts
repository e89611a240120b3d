import { redactUrl } from "./settings";

/**
 * One line that says why a connection failed and what to check, for an error from mqtt.js or Node.
 * The URL is shown without credentials.
 */
export function explainConnectionError(error: unknown, url: string): string {
  const where = redactUrl(url);
  const e = error as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? "";
  const message = String(e?.message ?? error);
  const host = safeHost(url);
  if (code === "ECONNREFUSED") return `nothing is listening at ${where}: is the broker running and the port right?`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot find the host "${host}" of ${where}: check the name in MQTT_URL`;
  if (code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH") {
    return `cannot reach ${where} (${code}): check the address and the network`;
  }
  if (/not authori[sz]ed|bad user ?name or password/i.test(message) || (e as { code?: unknown }).code === 5 || (e as { code?: unknown }).code === 4) {
    return `the broker at ${where} refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD`;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return `the broker's TLS certificate is not for the host name "${host}": use the name the certificate was issued for`;
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return `the TLS certificate of ${where} is not trusted (${code}): set MQTT_CA to the CA file that signed it`;
  }
  if (code === "EPROTO" || /wrong version number|packet length too long/i.test(message)) {
    return `${where} does not speak TLS on that port: use mqtt:// for a plain port, or the broker's TLS port`;
  }
  if (code === "ECONNRESET" || /connection closed|client disconnecting/i.test(message)) {
    return `${where} closed the connection: is it a TLS port (use mqtts://), or does the broker need a user name?`;
  }
  return `cannot connect to ${where}: ${message}`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
