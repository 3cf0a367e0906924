/** What the operator decides (or accepts the defaults for), checked before planning. */
import { EXIT, UserError } from '../common/errors.ts';
import { isPrivate, overlaps, parsePrefix, type Prefix } from '../common/ipv4.ts';
import { isIP } from 'node:net';
import { MAX_UPSTREAM_DNS, pointsBackHere, type AddressRanges } from './addresses.ts';

export interface Paths {
  /** Configuration files byz writes (babeld.conf, dnsmasq.conf, ...). */
  readonly confDir: string;
  /** Pid files and babeld's control socket. */
  readonly runDir: string;
  /** The apply journal, leases and babeld's state file. */
  readonly stateDir: string;
}

export interface SetupChoices {
  /** The node's name: "NAME.byzantium.mesh" for the phones. */
  readonly nodeName: string;
  /** Interfaces that carry the mesh (one Wi-Fi card on a real node; veth links in the lab). */
  readonly meshInterfaces: readonly string[];
  /** The interface phones join: an access point (hostapd) or a second interface. */
  readonly clientInterface: string;
  /** Accept mesh interfaces that are not wireless (the lab's veth links, or a cable). */
  readonly allowWired: boolean;
  /** Run hostapd on the client interface (it must be wireless). */
  readonly accessPoint: boolean;
  readonly radio: { readonly mode: 'ibss' | 'mesh'; readonly channel: number; readonly essid: string; readonly bssid: string };
  /** The private range mesh addresses are drawn from (10.254.0.0/16 by default). */
  readonly meshRange: string;
  /** The private range client /24s are drawn from, outside the mesh range (10.0.0.0/8 by default). */
  readonly clientRange: string;
  /** Makes the random choices repeatable: the same seed and state give the same plan. */
  readonly seed: string;
  /** The uplink interface to share, or undefined for no gateway. */
  readonly gateway: string | undefined;
  /**
   * The name servers a gateway forwards Internet names to, fixed when the
   * gateway is planned (--dns, or /etc/resolv.conf at that moment): see
   * tools/setup/upstream-dns.ts for why dnsmasq does not follow that file.
   */
  readonly upstreamDns: readonly string[];
  /** Answer the phones' connectivity checks with this node, so they open its front page on joining. */
  readonly captive: boolean;
  /** The operator's babeld `in`/`out` filters (tools/setup/babel-filters.ts), copied to the end of babeld.conf. */
  readonly babelFilters: readonly string[];
  readonly paths: Paths;
}

/**
 * Mesh addresses come from 10.254.0.0/16, the scheme the book teaches: a
 * 10.254.x.y address in a route is always a node, which makes routes easy to
 * read and debug. 10.254 is not a default of home routers or hotspots.
 */
export const DEFAULT_MESH_RANGE = '10.254.0.0/16';

/**
 * Client /24s come from 10.0.0.0/8 (minus the mesh range and the home
 * networks): the largest private block (about 65,000 /24s, so two nodes rarely
 * draw the same one), and away from 192.168.x.y, where most home routers live
 * and where the original Byzantium's mesh collided with them.
 */
export const DEFAULT_CLIENT_RANGE = '10.0.0.0/8';

export const DEFAULT_PATHS: Paths = { confDir: '/etc/byzantium', runDir: '/run/byzantium', stateDir: '/var/lib/byzantium' };

export const DEFAULT_RADIO = { mode: 'ibss', channel: 1, essid: 'byzantium', bssid: '02:ca:fe:ca:ca:40' } as const;

const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const NODE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ESSID = /^[\x20-\x7e]{1,32}$/;
const BSSID = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const PATH = /^\/[A-Za-z0-9_./-]{0,200}$/;

function bad(message: string): never {
  throw new UserError(`byz: ${message}`, EXIT.usage);
}

function privateRange(text: string, option: string, example: string): Prefix {
  const range = parsePrefix(text);
  if (!range || !/\//.test(text)) bad(`${option} "${text}" is not an IPv4 range such as ${example}`);
  if (!isPrivate(range)) bad(`${option} ${text} is not a private range (use part of 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)`);
  return range;
}

/** Checks every choice and returns the two ranges as prefixes; throws a one-line UserError otherwise. */
export function checkChoices(choices: SetupChoices): AddressRanges {
  if (!NODE_NAME.test(choices.nodeName)) bad(`node name "${choices.nodeName}" must be lower-case letters, digits and dashes`);
  if (choices.meshInterfaces.length === 0) bad('no mesh interface given (use --mesh IFACE)');
  for (const name of [...choices.meshInterfaces, choices.clientInterface, ...(choices.gateway ? [choices.gateway] : [])]) {
    if (!IFNAME.test(name)) bad(`"${name}" is not a valid interface name`);
  }
  if (choices.meshInterfaces.includes(choices.clientInterface)) bad('the client interface cannot also be a mesh interface');
  if (choices.gateway && [...choices.meshInterfaces, choices.clientInterface].includes(choices.gateway)) {
    bad(`the uplink ${choices.gateway} is already the mesh or client interface`);
  }
  if (choices.upstreamDns.length > MAX_UPSTREAM_DNS) bad(`give at most ${MAX_UPSTREAM_DNS} name servers (--dns)`);
  for (const server of choices.upstreamDns) {
    if (server.includes('%') || isIP(server) === 0) bad(`--dns "${server}" is not an IP address`);
    if (pointsBackHere(server)) bad(`--dns ${server} is this node's own name server: give the uplink's`);
  }
  if (choices.gateway && choices.upstreamDns.length === 0) {
    bad(`no name server for the uplink ${choices.gateway}: /etc/resolv.conf names none; give the uplink's with --dns ADDRESS`);
  }
  const { channel, essid, bssid, mode } = choices.radio;
  if (mode !== 'ibss' && mode !== 'mesh') bad(`radio mode "${String(mode)}" must be ibss or mesh`);
  if (!Number.isInteger(channel) || !channelFrequency(channel)) bad(`channel ${channel} is not a 2.4 GHz (1-14) or 5 GHz channel`);
  if (!ESSID.test(essid)) bad('the ESSID must be 1 to 32 printable characters');
  if (!BSSID.test(bssid)) bad(`BSSID "${bssid}" must look like 02:ca:fe:ca:ca:40`);
  if (choices.seed.length === 0 || choices.seed.length > 200) bad('the seed must be 1 to 200 characters');
  for (const path of Object.values(choices.paths)) if (!PATH.test(path)) bad(`"${path}" is not an absolute path byz accepts`);
  const mesh = privateRange(choices.meshRange, '--mesh-range', DEFAULT_MESH_RANGE);
  const client = privateRange(choices.clientRange, '--client-range', DEFAULT_CLIENT_RANGE);
  if (mesh.length > 24) bad(`--mesh-range ${choices.meshRange} is too small: give at least a /24`);
  if (client.length > 20) bad(`--client-range ${choices.clientRange} is too small: give at least a /20 so nodes can draw distinct /24s`);
  if (overlaps(mesh, client) && mesh.length <= client.length) bad(`--client-range ${choices.clientRange} lies inside --mesh-range ${choices.meshRange}; client /24s are drawn outside the mesh range`);
  return { mesh, client };
}

/** Channel number → frequency in MHz (undefined for a channel iw would refuse). */
export function channelFrequency(channel: number): number | undefined {
  if (channel >= 1 && channel <= 13) return 2407 + 5 * channel;
  if (channel === 14) return 2484;
  if (channel >= 36 && channel <= 177 && channel % 4 === 0) return 5000 + 5 * channel;
  return undefined;
}
