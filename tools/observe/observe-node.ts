/** Reads a node's state by running the real tools and handing their output to the parsers. */
import { readFile } from 'node:fs/promises';
import { hasProgram, run, tryRun, type Host } from '../common/run.ts';
import { parseIpAddr } from './ip-addr.ts';
import { parseIpLink } from './ip-link.ts';
import { parseIpRoute } from './ip-route.ts';
import { parseBabeldDump } from './babeld.ts';
import { readBabeldDump } from './babeld-control.ts';
import { parseIwDev, parseIwPhy } from './iw.ts';
import { parseDnsmasqLeases } from './dnsmasq-leases.ts';
import { arpingVerdict, parseArping } from './arping.ts';
import type { NodeState } from './state.ts';

export interface ObserveOptions {
  /** babeld's control socket (local-path in its configuration). */
  readonly babelSocket?: string;
  readonly leaseFile?: string;
}

/** Programs the setup uses, and the Debian package that brings each. */
export const PROGRAM_PACKAGES: Record<string, string> = {
  ip: 'iproute2',
  babeld: 'babeld',
  dnsmasq: 'dnsmasq-base',
  arping: 'iputils-arping',
  nft: 'nftables',
  iw: 'iw',
  hostapd: 'hostapd',
  sysctl: 'procps',
};

export async function observeLinks(host: Host) {
  return parseIpLink(await run(host, ['ip', '-j', 'link', 'show']));
}

export async function observeAddresses(host: Host) {
  return parseIpAddr(await run(host, ['ip', '-j', 'addr', 'show']));
}

export async function observeRoutes(host: Host) {
  return parseIpRoute(await run(host, ['ip', '-j', '-4', 'route', 'show', 'table', 'main']));
}

export async function observeBabel(socket: string | undefined) {
  if (socket === undefined) return undefined;
  const text = await readBabeldDump(socket);
  return text === undefined ? undefined : parseBabeldDump(text);
}

export async function observeNode(host: Host, options: ObserveOptions = {}): Promise<NodeState> {
  const [links, addresses, routes] = await Promise.all([observeLinks(host), observeAddresses(host), observeRoutes(host)]);
  const programs: Record<string, boolean> = {};
  for (const name of Object.keys(PROGRAM_PACKAGES)) programs[name] = await hasProgram(name);
  const wireless: string[] = [];
  for (const link of links) {
    // /sys inside `ip netns exec` shows that namespace's interfaces.
    const probe = await tryRun(host, ['test', '-d', `/sys/class/net/${link.name}/wireless`]);
    if (probe.exitCode === 0) wireless.push(link.name);
  }
  let radioInterfaces: NodeState['radioInterfaces'] = [];
  let radios: NodeState['radios'] = [];
  if (programs.iw && wireless.length > 0) {
    radioInterfaces = parseIwDev((await tryRun(host, ['iw', 'dev'])).stdout);
    radios = parseIwPhy((await tryRun(host, ['iw', 'phy'])).stdout);
  }
  const forward = await tryRun(host, ['sysctl', '-n', 'net.ipv4.ip_forward']);
  let leases: NodeState['leases'] = [];
  if (options.leaseFile) {
    const text = await readFile(options.leaseFile, 'utf8').catch(() => '');
    leases = parseDnsmasqLeases(text);
  }
  return {
    links,
    addresses,
    routes,
    wireless,
    radioInterfaces,
    radios,
    babel: await observeBabel(options.babelSocket),
    leases,
    ipForward: forward.stdout.trim() === '1' ? '1' : '0',
    inUse: [],
    programs,
  };
}

/**
 * Duplicate address detection for `address` on `dev` (iputils arping -D,
 * probes from 0.0.0.0): true when another machine answers, false when none
 * does, undefined when arping could not probe at all (the link is down, say).
 */
export async function probeAddressInUse(host: Host, dev: string, address: string): Promise<boolean | undefined> {
  const result = await tryRun(host, ['arping', '-D', '-I', dev, '-c', '2', '-w', '3', address], { timeoutMs: 10_000 });
  const verdict = arpingVerdict(result.exitCode);
  if (verdict === undefined || !result.stdout.includes('ARPING ')) return undefined;
  // The exit status decides; the parsed reply must agree, or the output was not what iputils prints.
  return parseArping(result.stdout).answeredBy.length > 0 === verdict ? verdict : undefined;
}
