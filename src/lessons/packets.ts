/**
 * MQTT packets counted by a client (client.packets), printed for people: what the QoS and keep-alive lessons show.
 */
import type { PacketCounts } from "../mqtt/delivery";

/**
 * The packets that went each way between two readings of client.packets.
 * @example const before = client.packets; await client.publish(t, "hi", { qos: 1 }); packetsSince(before, client.packets)
 */
export function packetsSince(before: PacketCounts, after: PacketCounts): PacketCounts {
  const grown = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(b).flatMap(([kind, n]) => (n > (a[kind] ?? 0) ? [[kind, n - (a[kind] ?? 0)]] : [])));
  return { sent: grown(before.sent, after.sent), received: grown(before.received, after.received) };
}

/** How many packets there are in some counts, both ways together. */
export function packetTotal(counts: PacketCounts): number {
  return [...Object.values(counts.sent), ...Object.values(counts.received)].reduce((sum, n) => sum + n, 0);
}

/**
 * Packet counts as one line, in MQTT's capital names.
 * @example packetsLine({ sent: { publish: 1, pubrel: 1 }, received: { pubrec: 1, pubcomp: 1 } })
 * // "sent PUBLISH, PUBREL · received PUBREC, PUBCOMP (4 packets)"
 */
export function packetsLine(counts: PacketCounts): string {
  const side = (c: Readonly<Record<string, number>>) =>
    Object.entries(c)
      .map(([kind, n]) => `${kind.toUpperCase()}${n > 1 ? ` ×${n}` : ""}`)
      .join(", ") || "nothing";
  const total = packetTotal(counts);
  return `sent ${side(counts.sent)} · received ${side(counts.received)} (${total} packet${total === 1 ? "" : "s"})`;
}
