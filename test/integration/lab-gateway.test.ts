// A gateway on the lab: n1 shares a stand-in Internet (the "uplink" namespace)
// with the mesh, turned on from the node agent's operator API (a job running
// `byz gateway on` in n1), a phone on n3 reaches it by ping, TCP and DNS
// (asking its own node, which forwards to the mesh resolver address n1
// announces), names keep working when n1's resolv.conf is emptied, and
// `byz gateway off` puts n1 back exactly as it was.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labPhone, labUp, labUplink, type Lab } from '../../tools/lab/lab.ts';
import { routesOf, waitForRoutes } from '../../tools/lab/wait.ts';
import { UPLINK, nodeDir, nodeNetns } from '../../tools/lab/names.ts';
import { runAgent, type Agent } from '../../tools/agent/agent.ts';
import { BabelMeshSource } from '../../tools/agent/mesh-source.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import type { Job } from '../../tools/contract/schemas.ts';
import { noMesh } from './agent-harness.ts';

const missing = ['/usr/sbin/babeld', '/usr/sbin/nft', '/usr/sbin/dnsmasq', '/usr/sbin/dhclient'].find((path) => !existsSync(path));
const reason = process.getuid?.() !== 0 ? 'not root' : missing ? `${missing} missing` : undefined;
if (reason && process.env.CI) throw new Error(`lab gateway tests cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED lab-gateway tests: ${reason} (they need root, network namespaces, babeld, dnsmasq, nftables, dhclient)`);

const inNs = (netns: string, ...argv: string[]): string => execFileSync('ip', ['netns', 'exec', netns, ...argv], { encoding: 'utf8', timeout: 60_000 });
const inNode = (node: string, ...argv: string[]): string => inNs(nodeNetns(node), ...argv);
const byzIn = (node: string, ...args: string[]): string => inNode(node, process.execPath, 'tools/byz/byz.ts', ...args, '--state-dir', `${nodeDir(node)}/state`);
/** Runs a small Node.js program inside a namespace (the lab has no netcat or dig; Node is always here). */
const nodeIn = (netns: string, script: string, ...args: string[]): string => inNs(netns, process.execPath, '-e', script, ...args);

const PORT = 8080;
const HOME_HOST = '192.168.77.1';
const RESOLVER = '10.254.0.53';
const isResolverRoute = (r: { dst: string }): boolean => r.dst === RESOLVER || r.dst === `${RESOLVER}/32`;
const SERVER = `require('node:net').createServer((s) => s.end(s.remoteAddress.replace(/^::ffff:/, '') + '\\n')).listen(${PORT}, process.argv[1], () => console.log('ready'));`;
const CLIENT = `const s = require('node:net').connect(${PORT}, process.argv[1]); let d = ''; s.setEncoding('utf8'); s.on('data', (c) => (d += c)); s.on('end', () => process.stdout.write(d)); s.setTimeout(5000, () => process.exit(3)); s.on('error', (e) => { console.error(e.code); process.exit(2); });`;
const RESOLVE = `const r = new (require('node:dns').promises.Resolver)({ timeout: 3000, tries: 2 }); r.setServers([process.argv[1]]); r.resolve4(process.argv[2]).then((a) => console.log(a.join(',')), (e) => { console.error(e.code); process.exit(1); });`;

/** Polls until one ping from `netns` to `address` is answered (routes settle a few seconds after babeld restarts). */
async function pingUntil(netns: string, address: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return inNs(netns, 'ping', '-c', '1', '-W', '1', address);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/** Waits until every node routes to every other node's phones: the mesh has settled. */
async function meshSettled(lab: Lab): Promise<void> {
  for (const node of lab.nodes) {
    const others = lab.nodes.filter((other) => other !== node).map((other) => other.clientPrefix);
    await waitForRoutes(node.name, (rs) => others.every((prefix) => rs.some((r) => r.dst === prefix)));
  }
}

/** Everything `gateway off` must put back on n1; process ids change on restart, so only program names count. */
function gatewaySnapshot(): Record<string, unknown> {
  const pids = execFileSync('ip', ['netns', 'pids', nodeNetns('n1')], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  const programs = pids.map((pid) => { try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; } }).filter(Boolean).sort();
  return {
    nft: inNode('n1', 'nft', 'list', 'ruleset'),
    routes: JSON.parse(inNode('n1', 'ip', '-j', '-4', 'route')).filter((r: { protocol?: string }) => r.protocol !== 'babel'),
    babeldConf: readFileSync(`${nodeDir('n1')}/etc/babeld.conf`, 'utf8'),
    dnsmasqConf: readFileSync(`${nodeDir('n1')}/etc/dnsmasq.conf`, 'utf8'),
    natRulesFile: existsSync(`${nodeDir('n1')}/etc/nat.nft`),
    resolv: inNode('n1', 'cat', '/etc/resolv.conf'),
    forward: inNode('n1', 'sysctl', '-n', 'net.ipv4.ip_forward'),
    addresses: inNode('n1', 'ip', '-br', '-4', 'addr'),
    programs,
  };
}

/** n1's agent on the host's loopback; its jobs run `byz` inside n1 (byz-in-netns.ts), as they would on the node. */
async function startAgentForN1(): Promise<{ agent: Agent; call: (path: string, body?: unknown) => Promise<Response> }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'byz-gateway-agent-'));
  const agent = await runAgent({
    siteDir: null, stateDir, servicesDir: null, host: '127.0.0.1', port: 0, name: 'n1', version: '0.1.0', frontPage: false,
    allowApply: true, mesh: noMesh, byzCommand: [process.execPath, 'test/integration/byz-in-netns.ts', nodeNetns('n1'), nodeDir('n1')],
  });
  const origin = agent.url.replace(/\/$/, '');
  const token = operatorLink(origin, stateDir).split('#')[1]!;
  const login = await fetch(`${origin}/api/v1/operator/session`, { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
  const headers = { Origin: origin, Cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken, 'Content-Type': 'application/json' };
  const call = (path: string, body?: unknown) =>
    fetch(`${origin}/api/v1${path}`, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  return { agent, call };
}

describe.skipIf(reason !== undefined)('lab: n1 shares an uplink with the mesh', () => {
  let lab: Lab;
  let n1Agent: Awaited<ReturnType<typeof startAgentForN1>> | undefined;
  let server: ChildProcess | undefined;
  let before: Record<string, unknown>;
  let n1ClientAddress: string;

  beforeAll(async () => {
    await labDown();
    lab = await labUp(3, 'line');
    await labUplink('n1');
    // A home network behind the uplink (its router's settings page, a printer): n1 may reach it, the mesh must not.
    inNs(nodeNetns(UPLINK.name), 'ip', 'addr', 'add', `${HOME_HOST}/24`, 'dev', 'eth0');
    inNode('n1', 'ip', 'route', 'add', '192.168.77.0/24', 'via', UPLINK.hostAddress, 'dev', UPLINK.nodeInterface);
    server = spawn('ip', ['netns', 'exec', nodeNetns(UPLINK.name), process.execPath, '-e', SERVER, UPLINK.hostAddress], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.once('data', () => resolve());
      server!.once('exit', (code) => reject(new Error(`the uplink's TCP server stopped (${code})`)));
    });
    n1ClientAddress = lab.nodes[0]!.clientPrefix!.replace(/\.0\/24$/, '.1');
    before = gatewaySnapshot();
  });
  afterAll(async () => {
    server?.kill();
    await n1Agent?.agent.close();
    await labDown();
  });

  it('the uplink is outside the mesh: n1 reaches it, n3 has no way there yet', async () => {
    // The default route from `ip route add` has protocol boot, as one from dhclient would.
    expect((await routesOf('n1')).filter((r) => r.dst === 'default')).toMatchObject([{ gateway: UPLINK.hostAddress, dev: UPLINK.nodeInterface, protocol: 'boot' }]);
    expect(inNode('n1', 'ping', '-c', '1', '-W', '2', UPLINK.hostAddress)).toContain('1 received');
    await waitForRoutes('n3', (rs) => rs.some((r) => r.dst === lab.nodes[0]!.clientPrefix));
    await waitForRoutes('n1', (rs) => rs.some((r) => r.dst === lab.nodes[2]!.clientPrefix));
    expect((await routesOf('n3')).some((r) => r.dst === 'default')).toBe(false);
  });

  it('gateway on from the operator API: NAT, a default route in Babel, DNS forwarded', async () => {
    n1Agent = await startAgentForN1();
    const started = await n1Agent.call('/operator/gateway', { on: true });
    expect(started.status).toBe(200);
    let job = (await started.json()) as Job;
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await (await n1Agent.call(`/operator/jobs/${job.id}`)).json()) as Job;
    }
    expect(job.log.join('\n')).toContain(`Gateway on (uplink ${UPLINK.nodeInterface})`);
    expect(job).toMatchObject({ kind: 'gateway', state: 'succeeded', exitCode: 0 });
    const status = (await (await n1Agent.call('/operator/status')).json()) as { gateway: boolean; system: { gateway: unknown } };
    expect(status.gateway).toBe(true);
    expect(status.system.gateway).toEqual({ on: true, uplink: UPLINK.nodeInterface, dns: [UPLINK.hostAddress] });
    expect(inNode('n1', 'nft', 'list', 'table', 'ip', 'byzantium_nat')).toMatch(new RegExp(`oifname "${UPLINK.nodeInterface}" masquerade`));
    expect(readFileSync(`${nodeDir('n1')}/etc/babeld.conf`, 'utf8')).toContain(`redistribute if ${UPLINK.nodeInterface} ip 0.0.0.0/0 eq 0`);
    // The uplink's server, copied from n1's resolv.conf when the gateway went on: dnsmasq does not follow that file.
    expect(readFileSync(`${nodeDir('n1')}/etc/dnsmasq.conf`, 'utf8')).toContain(`no-resolv\nserver=${UPLINK.hostAddress}\nlisten-address=${RESOLVER}\n`);
    expect(inNode('n1', 'ip', '-br', '-4', 'addr', 'show', 'dev', 'lo')).toContain(`${RESOLVER}/32`);
    // Every other node already forwards names outside the mesh to the resolver address.
    expect(readFileSync(`${nodeDir('n3')}/etc/dnsmasq.conf`, 'utf8')).toContain(`no-resolv\nserver=${RESOLVER}\n`);
    expect(byzIn('n1', 'setup', 'verify')).not.toContain('FAIL');
    const n2 = lab.nodes[1]!;
    const routes = await waitForRoutes('n3', (rs) => rs.some((r) => r.dst === 'default' && r.protocol === 'babel'));
    expect(routes.find((r) => r.dst === 'default')).toMatchObject({ gateway: n2.meshAddress, dev: 'mesh-n2', protocol: 'babel' });
    // Babel carries the resolver address n1 holds on lo, like any node's own address.
    const toResolver = await waitForRoutes('n3', (rs) => rs.some((r) => isResolverRoute(r) && r.protocol === 'babel'));
    expect(toResolver.find(isResolverRoute)).toMatchObject({ gateway: n2.meshAddress, protocol: 'babel' });
  });

  it('what the agents read from babeld with a gateway on: n1 is still named by its own address, and the shared resolver address is no node', async () => {
    // n1 announces two host routes now, its own address and the resolver's: the agent must tell them apart.
    const n1Mesh = new BabelMeshSource({ socket: `${nodeDir('n1')}/run/babeld.sock` });
    expect(await n1Mesh.meshAddress()).toBe(lab.nodes[0]!.meshAddress);
    // n3 has a route to the resolver (through n2), but reading services there would list n1's twice.
    const n3Peers = await new BabelMeshSource({ socket: `${nodeDir('n3')}/run/babeld.sock` }).peers();
    expect(n3Peers).toEqual(expect.arrayContaining([lab.nodes[0]!.meshAddress, lab.nodes[1]!.meshAddress]));
    expect(n3Peers).not.toContain(RESOLVER);
  });

  it('a phone on n3 reaches the uplink through the mesh: ping, TCP (seen from n1\'s address) and DNS', async () => {
    await labPhone('n3');
    const phone = nodeNetns('n3-phone');
    await meshSettled(lab);
    expect(await pingUntil(phone, UPLINK.hostAddress)).toContain('1 received');
    // The uplink sees the gateway's own address, not the phone's: NAT did its work.
    expect(nodeIn(phone, CLIENT, UPLINK.hostAddress).trim()).toBe(UPLINK.nodeAddress);
    // The gateway's dnsmasq answers a name it does not know by asking the uplink's server.
    expect(nodeIn(phone, RESOLVE, n1ClientAddress, UPLINK.internetName).trim()).toBe(UPLINK.hostAddress);
    // What a phone really does: ask the server DHCP gave it, its own node n3, which forwards to the mesh resolver on n1.
    const n3ClientAddress = lab.nodes[2]!.clientPrefix!.replace(/\.0\/24$/, '.1');
    const dhcpServers = [...inNs(phone, 'cat', '/etc/resolv.conf').matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
    expect(dhcpServers).toEqual([n3ClientAddress]);
    expect(nodeIn(phone, RESOLVE, n3ClientAddress, UPLINK.internetName).trim()).toBe(UPLINK.hostAddress);
    // The uplink drops and the network software empties resolv.conf (the original Byzantium's gateways lost DNS so): names still work.
    const resolvConf = `/etc/netns/${nodeNetns('n1')}/resolv.conf`;
    const saved = readFileSync(resolvConf, 'utf8');
    writeFileSync(resolvConf, '');
    try {
      expect(nodeIn(phone, RESOLVE, n3ClientAddress, `again.${UPLINK.internetName}`).trim()).toBe(UPLINK.hostAddress);
    } finally {
      writeFileSync(resolvConf, saved);
    }
    // The private network behind the uplink stays out of reach of the mesh, not of the gateway itself.
    expect(await pingUntil(nodeNetns('n1'), HOME_HOST)).toContain('1 received');
    expect(() => inNs(phone, 'ping', '-c', '1', '-W', '2', HOME_HOST)).toThrow();
  });

  it('byz gateway off restores n1 exactly, and the default route leaves the mesh', async () => {
    // An option that only "on" uses is a mistake here: refused, and the gateway stays on.
    expect(() => byzIn('n1', 'gateway', 'off', '--dns', '9.9.9.9')).toThrow(/--dns is for "gateway on"; "off" takes neither/);
    expect(inNode('n1', 'nft', 'list', 'table', 'ip', 'byzantium_nat')).toContain('masquerade');
    expect(byzIn('n1', 'gateway', 'off')).toContain('Gateway off');
    expect(gatewaySnapshot()).toEqual(before);
    expect(byzIn('n1', 'setup', 'verify')).not.toContain('FAIL');
    await waitForRoutes('n3', (rs) => !rs.some((r) => r.dst === 'default'));
    await waitForRoutes('n2', (rs) => !rs.some((r) => r.dst === 'default'));
    // Phones on other nodes lose the way out; the mesh itself still works (once n1's restarted babeld is heard again).
    await meshSettled(lab);
    expect(await pingUntil(nodeNetns('n3-phone'), n1ClientAddress)).toContain('1 received');
    expect(() => inNs(nodeNetns('n3-phone'), 'ping', '-c', '1', '-W', '2', UPLINK.hostAddress)).toThrow();
    // No gateway, no resolver: n3 has no route to it, and its phone's Internet names no longer resolve.
    // babeld may keep a retracted prefix as an "unreachable" route for a while (so that traffic does not
    // fall back to a shorter prefix): that is no way there either, and the kernel refuses to route to it.
    await waitForRoutes('n3', (rs) => !rs.some((r) => isResolverRoute(r) && r.type !== 'unreachable'));
    expect(() => inNode('n3', 'ip', 'route', 'get', RESOLVER)).toThrow();
    const n3ClientAddress = lab.nodes[2]!.clientPrefix!.replace(/\.0\/24$/, '.1');
    expect(() => nodeIn(nodeNetns('n3-phone'), RESOLVE, n3ClientAddress, UPLINK.internetName)).toThrow();
    // The node's own name, inside the mesh, still resolves: only the way out is gone.
    expect(nodeIn(nodeNetns('n3-phone'), RESOLVE, n3ClientAddress, 'n3.byzantium.mesh').trim()).toBe(n3ClientAddress);
  });
});
