/**
 * babeld names each neighbour by its IPv6 link-local address, and on most
 * radios that address is built from the card's MAC address (EUI-64: the MAC
 * with ff:fe in the middle). Anyone on the mesh may read the public
 * endpoints, so those addresses would hand every phone the hardware identity
 * of the nodes' laptops. Public answers show a pseudonym instead: a keyed
 * hash of the address, stable while the agent runs (so the neighbours list,
 * the routes' next hops and the radio's stations still match each other) and
 * meaningless to anyone without the agent's random key.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type LinkLocalPseudonym = (address: string) => string;

const LINK_LOCAL = /^fe[89ab][0-9a-f]:/i;

/** A pseudonymiser with its own key; every other address passes through unchanged. */
export function makeLinkLocalPseudonym(key: Buffer = randomBytes(32)): LinkLocalPseudonym {
  const known = new Map<string, string>();
  return (address) => {
    if (!LINK_LOCAL.test(address)) return address;
    const canonical = canonicalIpv6(address.split('%')[0]!);
    let pseudonym = known.get(canonical);
    if (pseudonym === undefined) {
      const digest = createHmac('sha256', key).update(canonical).digest();
      // fe80:: plus 64 hashed bits, printed as four groups: still an IPv6 address for the schema and the map.
      const groups = [0, 2, 4, 6].map((i) => digest.readUInt16BE(i).toString(16));
      pseudonym = `fe80::${groups.join(':')}`;
      if (known.size > 4096) known.clear(); // a flood of neighbours must not grow memory without end
      known.set(canonical, pseudonym);
    }
    return pseudonym;
  };
}

/** One spelling per address (RFC 5952, as the URL parser writes it), so "fe80:0:0::1" and "fe80::1" get the same pseudonym. */
function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}
