/** MQTT packets written by hand, byte by byte, for tests that control exactly what a client reads. */

/** MQTT's "remaining length": 7 bits per byte, low first, the top bit saying "more follows". */
export function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}
