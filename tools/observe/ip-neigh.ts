/** `ip -j -6 neigh show dev IFACE` → which hardware address answers for which IPv6 address on that link. */
import { asArray, asRecord, optionalString, parseJson, stringField } from './parse-error.ts';

export interface Neighbour {
  readonly dst: string;
  /** Absent for entries that never resolved (state FAILED or INCOMPLETE). */
  readonly lladdr: string | undefined;
}

const SOURCE = 'ip -j neigh';

export function parseIpNeigh(text: string): Neighbour[] {
  return asArray(SOURCE, parseJson(SOURCE, text)).map((item) => {
    const record = asRecord(SOURCE, item);
    return { dst: stringField(SOURCE, record, 'dst'), lladdr: optionalString(SOURCE, record, 'lladdr') };
  });
}

/** MAC (lower case) → its link-local address, from the entries that have both. */
export function linkLocalByMac(neighbours: readonly Neighbour[]): Map<string, string> {
  const byMac = new Map<string, string>();
  for (const { dst, lladdr } of neighbours) {
    if (lladdr && /^fe80:/i.test(dst)) byMac.set(lladdr.toLowerCase(), dst);
  }
  return byMac;
}
