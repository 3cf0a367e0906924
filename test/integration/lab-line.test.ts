// A line of three lab nodes (n1 - n2 - n3) with the real babeld, dnsmasq, arping and dhclient.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labPhone, labUp, listLabNetns, setupLabNode, type Lab } from '../../tools/lab/lab.ts';
import { routesOf, waitForRoutes } from '../../tools/lab/wait.ts';
import { nodeDir, nodeNetns } from '../../tools/lab/names.ts';
import { stopDaemon } from '../../tools/apply/perform.ts';
import { planAndApply, planWithProbes } from '../../tools/setup/index.ts';
import { labChoices } from '../../tools/lab/lab.ts';

const reason = process.getuid?.() !== 0 ? 'not root' : !existsSync('/usr/sbin/babeld') ? 'babeld missing' : undefined;
if (reason && process.env.CI) throw new Error(`lab tests cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED lab-line tests: ${reason} (they need root, network namespaces, babeld, dnsmasq)`);

const byz = (...args: string[]): string => execFileSync(process.execPath, ['tools/byz/byz.ts', ...args], { encoding: 'utf8' });
const inNode = (node: string, ...argv: string[]): string => execFileSync('ip', ['netns', 'exec', nodeNetns(node), ...argv], { encoding: 'utf8' });

describe.skipIf(reason !== undefined)('lab: a line of three nodes', () => {
  let lab: Lab;
  beforeAll(async () => {
    await labDown();
    lab = await labUp(3, 'line');
  });
  afterAll(async () => {
    await labDown();
  });

  it('converges: n1 reaches n3\'s client /24 through n2', async () => {
    const [, b, c] = lab.nodes;
    const routes = await waitForRoutes('n1', (rs) => rs.some((r) => r.dst === c?.clientPrefix));
    const toC = routes.find((r) => r.dst === c?.clientPrefix);
    expect(toC).toMatchObject({ gateway: b?.meshAddress, protocol: 'babel', dev: 'mesh-n2' });
  });

  it('a phone on n1 gets a lease from dnsmasq and pings n3', async () => {
    const [a, , c] = lab.nodes;
    const address = await labPhone('n1');
    expect(address.startsWith(a!.clientPrefix!.replace('.0/24', '.'))).toBe(true);
    const status = JSON.parse(execFileSync('ip', ['netns', 'exec', 'byzlab-n1', process.execPath, 'tools/byz/byz.ts', 'status', '--json', '--state-dir', `${nodeDir('n1')}/state`], { encoding: 'utf8' }));
    expect(status.phones).toContainEqual({ address, name: 'n1-phone' });
    expect(status.neighbours.length).toBe(1);
    expect(byz('lab', 'exec', 'n1-phone', '--', 'ping', '-c', '1', '-W', '3', c!.clientPrefix!.replace('.0/24', '.1'))).toContain('1 received');
  });

  it('a duplicate is found: a node drawing a neighbour\'s addresses plans others', async () => {
    // n2 plans with n1's seed, so its first draw is exactly n1's addresses.
    const [a, b] = lab.nodes;
    const { plan, duplicates } = await planWithProbes({ netns: b!.netns }, labChoices('n2', b!.meshInterfaces, 'lab-n1'));
    void duplicates; // n2's babeld already routes n1's prefixes, so they are avoided before any probe
    expect(plan.meshAddress).not.toBe(a!.meshAddress);
    expect(plan.clientPrefix).not.toBe(a!.clientPrefix);
    // n3 is two hops from n1: arping cannot see it, babeld's routes can.
    const c = lab.nodes[2]!;
    const far = await planWithProbes({ netns: a!.netns }, labChoices('n1', a!.meshInterfaces, 'lab-n3'));
    expect(far.plan.clientPrefix).not.toBe(c.clientPrefix);
  });

  it('byz setup undo restores a node exactly, and apply twice changes nothing', async () => {
    const snapshot = (): string => JSON.stringify({
      addr: JSON.parse(inNode('n3', 'ip', '-j', 'addr')).map((l: { ifname: string; flags: string[]; addr_info: { local: string; prefixlen: number }[] }) => [l.ifname, l.flags, l.addr_info.map((i) => `${i.local}/${i.prefixlen}`)]),
      routes: JSON.parse(inNode('n3', 'ip', '-j', 'route')).filter((r: { protocol?: string }) => r.protocol !== 'babel'),
      forward: inNode('n3', 'sysctl', '-n', 'net.ipv4.ip_forward'),
      pids: execFileSync('ip', ['netns', 'pids', 'byzlab-n3'], { encoding: 'utf8' }).trim(),
    });
    const state = `${nodeDir('n3')}/state`;
    const run = (...args: string[]): string => inNode('n3', process.execPath, 'tools/byz/byz.ts', 'setup', ...args, '--state-dir', state);
    run('undo');
    const before = snapshot();
    expect(before).not.toContain('babeld');
    // With no babeld running on n3, only the arping probe can see that n2 already holds these addresses.
    const b = lab.nodes[1]!;
    const probed = await planWithProbes({ netns: nodeNetns('n3') }, labChoices('n3', ['mesh-n2'], 'lab-n2'));
    expect(probed.unchecked).toEqual([]);
    expect(probed.duplicates).toEqual(expect.arrayContaining([b.meshAddress]));
    expect(probed.plan.meshAddress).not.toBe(b.meshAddress);
    expect(probed.plan.clientPrefix).not.toBe(b.clientPrefix);
    const c = lab.nodes[2]!;
    const options = ['--mesh', 'mesh-n2', '--clients', 'clients', '--wired', '--name', 'n3', '--seed', 'lab-n3', '--conf-dir', `${nodeDir('n3')}/etc`, '--run-dir', `${nodeDir('n3')}/run`];
    run('apply', ...options);
    expect(run('verify')).not.toContain('FAIL');
    const second = JSON.parse(run('apply', ...options, '--json'));
    expect(second.steps.every((s: { outcome: string }) => s.outcome === 'already' || s.outcome === 'skipped')).toBe(true);
    expect((await routesOf('n3')).some((r) => r.dst === c.clientPrefix)).toBe(true);
    run('undo');
    expect(snapshot()).toEqual(before);
    await setupLabNode(c);
  });

  it('a duplicate the plan could not see (link down, as on a fresh radio) is caught during apply, and the node draws again', async () => {
    const [, b, c] = lab.nodes;
    const state = `${nodeDir('n3')}/state`;
    inNode('n3', process.execPath, 'tools/byz/byz.ts', 'setup', 'undo', '--state-dir', state);
    inNode('n3', 'ip', 'link', 'set', 'dev', 'mesh-n2', 'down');
    // n2's seed: the first draw is n2's own addresses, which only the probe after "link up" can see.
    const blind = await planWithProbes({ netns: c!.netns }, labChoices('n3', ['mesh-n2'], 'lab-n2'));
    expect(blind.plan.meshAddress).toBe(b!.meshAddress);
    expect(blind.unchecked.length).toBeGreaterThan(0);
    const outcome = await planAndApply({ netns: c!.netns }, labChoices('n3', ['mesh-n2'], 'lab-n2'));
    expect(outcome.report.ok).toBe(true);
    expect(outcome.duplicates).toContain(b!.meshAddress);
    expect(outcome.plan.meshAddress).not.toBe(b!.meshAddress);
    expect(outcome.plan.clientPrefix).not.toBe(b!.clientPrefix);
    // Put n3 back as the lab made it.
    inNode('n3', process.execPath, 'tools/byz/byz.ts', 'setup', 'undo', '--state-dir', state);
    inNode('n3', 'ip', 'link', 'set', 'dev', 'mesh-n2', 'up');
    await setupLabNode(c!);
  });

  it('stopping n2 removes n1\'s route to n3', async () => {
    const c = lab.nodes[2]!;
    await waitForRoutes('n1', (rs) => rs.some((r) => r.dst === c.clientPrefix));
    await stopDaemon(`${nodeDir('n2')}/run/babeld.pid`);
    await waitForRoutes('n1', (rs) => !rs.some((r) => r.dst === c.clientPrefix && r.type !== 'unreachable'));
  });

  it('another process may not take the lab down while this one uses it', () => {
    const other = spawnSync(process.execPath, ['tools/byz/byz.ts', 'lab', 'down'], { encoding: 'utf8' });
    expect(other.status).toBe(1);
    expect(other.stderr.trim()).toBe(`byz lab: the lab is in use by process ${process.pid} (another test run?); wait for it to end, or stop it`);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).toContain(nodeNetns('n1'));
  });

  it('a stray word after "down" is a typing mistake, refused before anything is torn down', () => {
    const typo = spawnSync(process.execPath, ['tools/byz/byz.ts', 'lab', 'down', 'n1'], { encoding: 'utf8' });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('byz lab: unexpected "n1" after "down" (see "byz lab --help")\n');
    const option = spawnSync(process.execPath, ['tools/byz/byz.ts', 'lab', 'down', '--nodes', '3'], { encoding: 'utf8' });
    expect(option.status).toBe(2);
    expect(option.stderr).toBe('byz lab: --nodes does nothing with down\n');
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).toContain(nodeNetns('n1'));
  });

  it('lab down leaves no namespace, link, process or file behind', async () => {
    await labDown();
    expect(await listLabNetns()).toEqual([]);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toMatch(/byzl/);
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toMatch(/byz-lab/);
    expect(existsSync('/run/byz-lab')).toBe(false);
    await labDown(); // twice is fine
  });
});
