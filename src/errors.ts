/** A setting from the environment that cannot be used; the message names the variable and shows an example. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** A message that is not one ISIS pulse; the message says what arrived and what was expected. */
export class PayloadError extends Error {
  override name = "PayloadError";
  constructor(
    message: string,
    /** How many bytes arrived. */
    readonly bytes: number,
  ) {
    super(message);
  }
}

/** Nothing (or nothing usable) arrived in time; the message says where we listened and for how long. */
export class NoDataError extends Error {
  override name = "NoDataError";
}

/** A broker that could not be reached, refused us, or went away; the message says which and where. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
}

/** The message of any thrown value, for one-line reports. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
