/**
 * The name servers a gateway forwards Internet names to. They are read from
 * /etc/resolv.conf once, when the gateway is planned, and written into
 * dnsmasq's configuration as fixed `server=` lines. dnsmasq does not follow
 * /etc/resolv.conf afterwards: when an uplink drops, DHCP clients and network
 * managers may empty or rewrite that file (the original Byzantium's gateways
 * lost DNS that way), and a gateway must keep answering the mesh.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { MAX_UPSTREAM_DNS, pointsBackHere } from '../plan/addresses.ts';

export const RESOLV_CONF = '/etc/resolv.conf';

/** The usable `nameserver` addresses of a resolv.conf, in order, without ones that point back at this node. */
export function parseResolvConf(text: string): string[] {
  const servers: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line); // the first word, as glibc reads it
    // A scope suffix (fe80::1%eth0) names an interface; dnsmasq wants it as server=fe80::1@eth0, so leave those out.
    const address = match?.[1];
    if (!address || address.includes('%') || isIP(address) === 0 || pointsBackHere(address) || servers.includes(address)) continue;
    servers.push(address);
    if (servers.length === MAX_UPSTREAM_DNS) break;
  }
  return servers;
}

/** The uplink's name servers as /etc/resolv.conf names them now ([] if it names none or cannot be read). */
export async function readUpstreamDns(path = RESOLV_CONF): Promise<string[]> {
  try {
    return parseResolvConf(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
}
