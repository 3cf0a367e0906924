/**
 * The lab: a virtual mesh on one machine. Each node is a network namespace;
 * veth pairs stand in for radio links; each node is set up by the same
 * plan/apply code as a real node (radio steps are skipped as wired), so the
 * real babeld and dnsmasq run in every node.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { EXIT, UserError } from '../common/errors.ts';
import { run, tryRun, type Host } from '../common/run.ts';
import { parseIpLink } from '../observe/ip-link.ts';
import { livePid } from '../apply/expectations.ts';
import { planAndApply, DEFAULT_RADIO, DEFAULT_MESH_RANGE, DEFAULT_CLIENT_RANGE, type SetupChoices, type Plan } from '../setup/index.ts';
import { labEdges, type Topology } from './topology.ts';
import {
  CLIENT_BRIDGE, LAB_DIR, LINK_PREFIX, NETNS_PREFIX, UPLINK, meshLinkName, nodeDir, nodeName, nodeNetns, phoneName,
} from './names.ts';

export interface LabNode {
  readonly name: string;
  readonly netns: string;
  readonly meshInterfaces: string[];
  readonly meshAddress?: string;
  readonly clientPrefix?: string;
}

export interface Lab {
  readonly topology: Topology;
  readonly nodes: LabNode[];
  readonly edges: [number, number][];
}

const ROOT: Host = {};

export function labChoices(node: string, meshInterfaces: string[], seed = `lab-${node}`): SetupChoices {
  const dir = nodeDir(node);
  return {
    nodeName: node,
    meshInterfaces,
    clientInterface: CLIENT_BRIDGE,
    allowWired: true,
    accessPoint: false,
    radio: DEFAULT_RADIO,
    meshRange: DEFAULT_MESH_RANGE,
    clientRange: DEFAULT_CLIENT_RANGE,
    seed,
    gateway: undefined,
    upstreamDns: [],
    captive: false,
    babelFilters: [],
    paths: { confDir: `${dir}/etc`, runDir: `${dir}/run`, stateDir: `${dir}/state` },
  };
}

export async function requireRoot(): Promise<void> {
  if (process.getuid?.() !== 0) throw new UserError('byz lab: needs root (network namespaces); run it with sudo', EXIT.environment);
}

export async function readLab(): Promise<Lab | undefined> {
  const text = await readFile(`${LAB_DIR}/lab.json`, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Lab);
}

async function saveLab(lab: Lab): Promise<void> {
  await writeFile(`${LAB_DIR}/lab.json`, `${JSON.stringify(lab, null, 1)}\n`);
}

export async function listLabNetns(): Promise<string[]> {
  const result = await tryRun(ROOT, ['ip', '-j', 'netns', 'list']);
  if (result.exitCode !== 0 || result.stdout.trim() === '') return [];
  try {
    return (JSON.parse(result.stdout) as { name: string }[]).map((e) => e.name).filter((n) => n.startsWith(NETNS_PREFIX));
  } catch {
    return [];
  }
}

/** Builds namespaces and links; with `setup`, sets every node up and returns its plan. */
export async function labUp(nodes: number, topology: Topology, setup = true, log: (line: string) => void = () => {}): Promise<Lab> {
  await requireRoot();
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) throw new UserError('byz lab: --nodes must be 1 to 50', EXIT.usage);
  await refuseIfInUse();
  if ((await listLabNetns()).length > 0) throw new UserError('byz lab: a lab is already up; run "byz lab down" first', EXIT.failed);
  await mkdir(LAB_DIR, { recursive: true });
  await writeFile(OWNER_FILE, `${process.pid}\n`);
  const edges = labEdges(nodes, topology);
  const meshInterfaces = new Map<number, string[]>();
  for (let n = 1; n <= nodes; n++) {
    const netns = nodeNetns(nodeName(n));
    await run(ROOT, ['ip', 'netns', 'add', netns]);
    const host = { netns };
    await run(host, ['ip', 'link', 'set', 'lo', 'up']);
    // Lab links are point-to-point veths: skip IPv6 duplicate address detection so babeld can start at once.
    await run(host, ['sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    await run(host, ['ip', 'link', 'add', CLIENT_BRIDGE, 'type', 'bridge', 'forward_delay', '0']);
    meshInterfaces.set(n, []);
  }
  for (const [a, b] of edges) {
    const left = `${LINK_PREFIX}${a}x${b}a`;
    const right = `${LINK_PREFIX}${a}x${b}b`;
    await run(ROOT, ['ip', 'link', 'add', left, 'type', 'veth', 'peer', 'name', right]);
    for (const [end, self, peer] of [[left, a, b], [right, b, a]] as const) {
      const netns = nodeNetns(nodeName(self));
      await run(ROOT, ['ip', 'link', 'set', 'dev', end, 'netns', netns]);
      await run({ netns }, ['ip', 'link', 'set', 'dev', end, 'name', meshLinkName(peer)]);
      await run({ netns }, ['sysctl', '-qw', `net.ipv6.conf.${meshLinkName(peer)}.accept_dad=0`]);
      // The cable is plugged in: the link is up before setup, as a joined radio would be, so probes reach the neighbour.
      await run({ netns }, ['ip', 'link', 'set', 'dev', meshLinkName(peer), 'up']);
      meshInterfaces.get(self)?.push(meshLinkName(peer));
    }
  }
  const labNodes: LabNode[] = [];
  for (let n = 1; n <= nodes; n++) {
    const name = nodeName(n);
    labNodes.push({ name, netns: nodeNetns(name), meshInterfaces: meshInterfaces.get(n) ?? [] });
  }
  let lab: Lab = { topology, nodes: labNodes, edges };
  await saveLab(lab);
  if (setup) {
    const done: LabNode[] = [];
    for (const node of labNodes) {
      const plan = await setupLabNode(node);
      log(`${node.name}: mesh address ${plan.meshAddress}, phones on ${plan.clientPrefix}`);
      done.push({ ...node, meshAddress: plan.meshAddress, clientPrefix: plan.clientPrefix });
    }
    lab = { ...lab, nodes: done };
    await saveLab(lab);
  }
  return lab;
}

/** Plans (with probes) and applies the setup of one lab node. */
export async function setupLabNode(node: LabNode, seed?: string): Promise<Plan> {
  const host = { netns: node.netns };
  const choices = labChoices(node.name, node.meshInterfaces, seed);
  const { plan, report } = await planAndApply(host, choices);
  if (!report.ok) {
    const failed = report.steps.find((s) => s.outcome === 'failed');
    throw new UserError(`byz lab: setting up ${node.name} failed at ${failed?.id ?? '?'}: ${failed?.error ?? ''}`, EXIT.failed);
  }
  return plan;
}

/** Adds a phone namespace on NODE's client network and gets it an address with dhclient. */
export async function labPhone(node: string): Promise<string> {
  await requireRoot();
  const lab = await readLab();
  if (!lab?.nodes.some((n) => n.name === node)) throw new UserError(`byz lab: no node "${node}" (the lab has ${lab?.nodes.map((n) => n.name).join(', ') || 'no nodes'})`, EXIT.usage);
  const phone = phoneName(node);
  const netns = nodeNetns(phone);
  const dir = nodeDir(phone);
  await mkdir(dir, { recursive: true });
  if (!(await listLabNetns()).includes(netns)) {
    await run(ROOT, ['ip', 'netns', 'add', netns]);
    // `ip netns exec` bind-mounts this over /etc/resolv.conf, so dhclient does not touch the machine's.
    await mkdir(`/etc/netns/${netns}`, { recursive: true });
    await writeFile(`/etc/netns/${netns}/resolv.conf`, '');
    const hostEnd = `${LINK_PREFIX}${node.slice(1)}ph`;
    await run(ROOT, ['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', `${hostEnd}w`]);
    await run(ROOT, ['ip', 'link', 'set', 'dev', hostEnd, 'netns', nodeNetns(node)]);
    await run(ROOT, ['ip', 'link', 'set', 'dev', `${hostEnd}w`, 'netns', netns]);
    await run({ netns: nodeNetns(node) }, ['ip', 'link', 'set', 'dev', hostEnd, 'master', CLIENT_BRIDGE, 'up']);
    await run({ netns }, ['ip', 'link', 'set', 'dev', `${hostEnd}w`, 'name', 'wlan0']);
    await run({ netns }, ['ip', 'link', 'set', 'lo', 'up']);
    await run({ netns }, ['ip', 'link', 'set', 'wlan0', 'up']);
  }
  await writeFile(`${dir}/dhclient.conf`, `send host-name "${phone}";\n`);
  await run({ netns }, ['dhclient', '-1', '-cf', `${dir}/dhclient.conf`, '-pf', `${dir}/dhclient.pid`, '-lf', `${dir}/dhclient.leases`, 'wlan0'], { timeoutMs: 90_000 });
  const addr = await run({ netns }, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'wlan0']);
  const { parseIpAddr } = await import('../observe/ip-addr.ts');
  const lease = parseIpAddr(addr).find((a) => a.family === 'inet');
  if (!lease) throw new UserError(`byz lab: ${phone} got no address from ${node}'s dnsmasq`, EXIT.failed);
  return lease.local;
}

async function pidFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.pid')).map((e) => `${e.parentPath}/${e.name}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The process that built the lab, while it runs (a test file using it; the
 * `byz lab up` command exits at once and so holds nothing). The lab has
 * fixed names, so a second test run would otherwise tear down or rebuild
 * the first one's lab under its feet. Not a .pid file: labDown kills those.
 */
const OWNER_FILE = `${LAB_DIR}/owner`;

async function refuseIfInUse(): Promise<void> {
  const pid = Number((await readFile(OWNER_FILE, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
    throw new UserError(`byz lab: the lab is in use by process ${pid} (another test run?); wait for it to end, or stop it`, EXIT.failed);
  }
}

/** Removes everything the lab made; safe to run twice, or after a crash. Refuses while another running process uses the lab. */
export async function labDown(): Promise<string[]> {
  await requireRoot();
  await refuseIfInUse();
  const removed: string[] = [];
  const pids = new Set<number>();
  for (const file of await pidFilesUnder(LAB_DIR)) {
    const pid = await livePid(file);
    if (pid !== undefined) pids.add(pid);
  }
  const namespaces = await listLabNetns();
  // Anything still running inside a lab namespace belongs to the lab, pid file or not.
  for (const netns of namespaces) {
    const result = await tryRun(ROOT, ['ip', 'netns', 'pids', netns]);
    for (const word of result.stdout.split(/\s+/)) if (/^\d+$/.test(word)) pids.add(Number(word));
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
      removed.push(`process ${pid}`);
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 5000;
  while ([...pids].some((pid) => isAlive(pid)) && Date.now() < deadline) await sleep(50);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const netns of namespaces) {
    await tryRun(ROOT, ['ip', 'netns', 'del', netns]);
    await rm(`/etc/netns/${netns}`, { recursive: true, force: true });
    removed.push(`namespace ${netns}`);
  }
  const links = parseIpLink(await run(ROOT, ['ip', '-j', 'link', 'show']));
  for (const link of links.filter((l) => l.name.startsWith(LINK_PREFIX))) {
    await tryRun(ROOT, ['ip', 'link', 'del', 'dev', link.name]);
    removed.push(`link ${link.name}`);
  }
  const leftovers = await readdir('/etc/netns').catch(() => [] as string[]);
  for (const name of leftovers.filter((n) => n.startsWith(NETNS_PREFIX))) await rm(`/etc/netns/${name}`, { recursive: true, force: true });
  await rm(LAB_DIR, { recursive: true, force: true });
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cables a stand-in for the Internet to NODE: a namespace "byzlab-uplink" with
 * a host at 198.51.100.1 that answers ping, TCP and DNS (www.uplink.example),
 * and on NODE an interface uplink0 with 198.51.100.2/24, a default route the
 * way `ip route add` or dhclient makes one (protocol boot), and a resolv.conf
 * naming the uplink's server. Then `byz gateway on` in NODE has something to share.
 */
export async function labUplink(node: string): Promise<{ node: string; host: string; internetName: string }> {
  await requireRoot();
  const lab = await readLab();
  const target = lab?.nodes.find((n) => n.name === node);
  if (!target) throw new UserError(`byz lab: no node "${node}" (the lab has ${lab?.nodes.map((n) => n.name).join(', ') || 'no nodes'})`, EXIT.usage);
  const netns = nodeNetns(UPLINK.name);
  if ((await listLabNetns()).includes(netns)) throw new UserError('byz lab: the lab already has an uplink', EXIT.failed);
  const dir = nodeDir(UPLINK.name);
  await mkdir(dir, { recursive: true });
  await run(ROOT, ['ip', 'netns', 'add', netns]);
  const hostEnd = `${LINK_PREFIX}up`;
  await run(ROOT, ['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', `${hostEnd}n`]);
  await run(ROOT, ['ip', 'link', 'set', 'dev', hostEnd, 'netns', netns]);
  await run(ROOT, ['ip', 'link', 'set', 'dev', `${hostEnd}n`, 'netns', target.netns]);
  const up = { netns };
  await run(up, ['ip', 'link', 'set', 'lo', 'up']);
  await run(up, ['ip', 'link', 'set', 'dev', hostEnd, 'name', 'eth0']);
  await run(up, ['ip', 'addr', 'add', `${UPLINK.hostAddress}/${UPLINK.length}`, 'dev', 'eth0']);
  await run(up, ['ip', 'link', 'set', 'eth0', 'up']);
  // The uplink knows nothing of the mesh's addresses: only NAT on the gateway lets the mesh reach it.
  await run(up, [
    'dnsmasq', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces', `--listen-address=${UPLINK.hostAddress}`,
    `--address=/${UPLINK.internetName}/${UPLINK.hostAddress}`, `--pid-file=${dir}/dnsmasq.pid`,
  ]);
  const gw = { netns: target.netns };
  await run(gw, ['ip', 'link', 'set', 'dev', `${hostEnd}n`, 'name', UPLINK.nodeInterface]);
  await run(gw, ['ip', 'addr', 'add', `${UPLINK.nodeAddress}/${UPLINK.length}`, 'dev', UPLINK.nodeInterface]);
  await run(gw, ['ip', 'link', 'set', UPLINK.nodeInterface, 'up']);
  await run(gw, ['ip', 'route', 'add', 'default', 'via', UPLINK.hostAddress, 'dev', UPLINK.nodeInterface]);
  // `ip netns exec` shows this file as /etc/resolv.conf inside the node, to programs started after now.
  await mkdir(`/etc/netns/${target.netns}`, { recursive: true });
  await writeFile(`/etc/netns/${target.netns}/resolv.conf`, `nameserver ${UPLINK.hostAddress}\n`);
  return { node, host: UPLINK.hostAddress, internetName: UPLINK.internetName };
}
