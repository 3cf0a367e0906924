/** dnsmasq's lease file: "expiry mac ip hostname client-id", one lease per line. */
import { isIpv4 } from '../common/ipv4.ts';
import { ParseError } from './parse-error.ts';

export interface Lease {
  /** Seconds since the epoch; 0 means the lease never expires. */
  readonly expires: number;
  readonly mac: string;
  readonly address: string;
  /** The name the phone asked for, or undefined ("*" in the file). Untrusted text. */
  readonly hostname: string | undefined;
}

const SOURCE = 'dnsmasq leases';
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})$/;

export function parseDnsmasqLeases(text: string): Lease[] {
  const leases: Lease[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    if (parts.length < 4) throw new ParseError(SOURCE, 'short line');
    const [expires, mac, address, hostname] = parts as [string, string, string, string];
    // IPv6 leases ("duid" lines and v6 addresses) are skipped: phones get IPv4 here.
    if (expires === 'duid' || address.includes(':')) continue;
    if (!/^\d{1,12}$/.test(expires)) throw new ParseError(SOURCE, 'bad expiry');
    if (!MAC.test(mac)) throw new ParseError(SOURCE, 'bad MAC address');
    if (!isIpv4(address)) throw new ParseError(SOURCE, 'bad address');
    leases.push({
      expires: Number(expires),
      mac: mac.toLowerCase(),
      address,
      hostname: hostname !== '*' && HOSTNAME.test(hostname) ? hostname : undefined,
    });
  }
  return leases;
}
