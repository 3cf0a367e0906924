/**
 * The address plan, in the scheme the book teaches: one mesh address (a /32
 * on the mesh links) drawn from the mesh range (10.254.0.0/16 by default), and
 * one client /24 (".1" on the node, the rest for phones) drawn from the client
 * range (10.0.0.0/8 by default) outside the mesh range. Two separate ranges
 * make a route easy to read: 10.254.x.y is a node, anything else is phones.
 * Both are drawn at random, away from anything already seen: routes,
 * addresses, babeld's routes from other nodes (many hops away), addresses a
 * probe found on the mesh link (one hop away), and the ranges home routers use.
 */
import { contains, formatIpv4, formatPrefix, overlaps, parsePrefix, size, type Prefix } from '../common/ipv4.ts';
import { EXIT, UserError } from '../common/errors.ts';
import { MESH_RESOLVER } from '../common/mesh-resolver.ts';
import type { NodeState } from '../observe/state.ts';
import type { Random } from './random.ts';

/** Networks home routers, phones' hotspots, containers and VMs use by default. */
export const HOME_NETWORKS: readonly string[] = [
  '10.0.0.0/16', '10.1.0.0/16', '10.10.0.0/16', '10.100.0.0/16', '10.255.0.0/16',
  '172.16.0.0/16', '172.17.0.0/16', '172.31.0.0/16',
  '192.168.0.0/22', '192.168.8.0/24', '192.168.10.0/24', '192.168.43.0/24', '192.168.88.0/24',
  '192.168.100.0/24', '192.168.178.0/24',
];

export { MESH_RESOLVER };

/**
 * Name servers that would send a gateway's questions back to its own dnsmasq
 * (which also listens on lo): the mesh resolver and plain loopback. A stub
 * resolver such as systemd-resolved's 127.0.0.53 is another program and may be used.
 */
/** At most this many upstream name servers: glibc reads three, and so do the networks that write resolv.conf. */
export const MAX_UPSTREAM_DNS = 3;

export const pointsBackHere = (address: string): boolean => address === MESH_RESOLVER || address === '127.0.0.1' || address === '::1';

export interface AddressPlan {
  readonly meshAddress: string;
  readonly clientPrefix: string;
  /** ".1" of the client /24: the node's own address for phones. */
  readonly clientAddress: string;
}

export interface AddressRanges {
  /** Where mesh addresses come from. */
  readonly mesh: Prefix;
  /** Where client /24s come from (minus the mesh range). */
  readonly client: Prefix;
}

/** Prefixes the node must not take. Its own interfaces' addresses do not count, so re-planning an applied node gives the same plan. */
export function takenPrefixes(state: NodeState, ownInterfaces: readonly string[]): Prefix[] {
  const taken: Prefix[] = [];
  const add = (text: string | undefined): void => {
    const prefix = text === undefined ? undefined : parsePrefix(text);
    if (prefix && prefix.length > 0) taken.push(prefix);
  };
  for (const route of state.routes) {
    if (route.dst === 'default') continue;
    const own = route.dev !== undefined && ownInterfaces.includes(route.dev) && route.protocol === 'kernel';
    if (!own) add(route.dst);
  }
  for (const address of state.addresses) {
    if (address.family === 'inet' && !ownInterfaces.includes(address.ifname)) add(`${address.local}/${address.prefixlen}`);
  }
  for (const route of state.babel?.routes ?? []) add(route.prefix);
  for (const address of state.inUse) add(address);
  for (const text of HOME_NETWORKS) add(text);
  add(`${MESH_RESOLVER}/32`);
  return taken;
}

const ATTEMPTS = 4096;

export function planAddresses(ranges: AddressRanges, state: NodeState, ownInterfaces: readonly string[], random: Random): AddressPlan {
  const taken = takenPrefixes(state, ownInterfaces);
  const subnets = size(ranges.client) / 256;
  let client: Prefix | undefined;
  for (let i = 0; i < ATTEMPTS && !client; i++) {
    const candidate = { base: ranges.client.base + random.below(subnets) * 256, length: 24 };
    if (overlaps(ranges.mesh, candidate)) continue;
    if (!taken.some((prefix) => overlaps(prefix, candidate))) client = candidate;
  }
  if (!client) {
    throw new UserError(`byz: no free /24 left in ${formatPrefix(ranges.client)} outside ${formatPrefix(ranges.mesh)}; choose a larger --client-range`, EXIT.failed);
  }
  let mesh: number | undefined;
  for (let i = 0; i < ATTEMPTS && mesh === undefined; i++) {
    const candidate = ranges.mesh.base + random.below(size(ranges.mesh));
    const host = candidate % 256;
    if (host === 0 || host === 255 || contains(client, candidate)) continue;
    const asPrefix = { base: candidate, length: 32 };
    if (!taken.some((prefix) => overlaps(prefix, asPrefix))) mesh = candidate;
  }
  if (mesh === undefined) throw new UserError(`byz: no free mesh address left in ${formatPrefix(ranges.mesh)}; choose another --mesh-range`, EXIT.failed);
  return { meshAddress: formatIpv4(mesh), clientPrefix: formatPrefix(client), clientAddress: formatIpv4(client.base + 1) };
}
