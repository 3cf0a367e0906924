// The operator's babeld filters survive byz: on a lab of two nodes, n1's
// operator puts a filter in babeld-filters.conf (here: ignore n2's phone
// network), applies the setup again with the real `byz setup apply --again`, and n1's
// babeld drops that route while the rest of the mesh stays. A file with
// anything but filters is refused with one line before anything changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../tools/lab/lab.ts';
import { nodeDir, nodeNetns } from '../../tools/lab/names.ts';
import { waitForRoutes } from '../../tools/lab/wait.ts';

const reason = process.getuid?.() !== 0 ? 'not root' : !existsSync('/usr/sbin/babeld') ? 'babeld missing' : undefined;
if (reason && process.env.CI) throw new Error(`lab filters test cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED lab-filters test: ${reason} (it needs root, network namespaces, babeld, dnsmasq)`);

const dir = nodeDir('n1');
/** `byz setup` inside n1, with the same choices the lab made for it and n1's own directories. */
const setupIn = (...args: string[]) =>
  spawnSync('ip', ['netns', 'exec', nodeNetns('n1'), process.execPath, 'tools/byz/byz.ts', 'setup', ...args,
    '--conf-dir', `${dir}/etc`, '--run-dir', `${dir}/run`, '--state-dir', `${dir}/state`], { encoding: 'utf8', timeout: 120_000 });

describe.skipIf(reason !== undefined)("lab: the operator's babeld filters", () => {
  let lab: Lab;

  beforeAll(async () => {
    await labDown();
    lab = await labUp(2, 'line');
    await waitForRoutes('n1', (routes) => routes.some((r) => r.dst === lab.nodes[1]!.clientPrefix));
  }, 120_000);
  afterAll(async () => {
    await labDown();
  });

  it('a file with anything but in/out filters is refused with one line naming it, and nothing changes', () => {
    const before = readFileSync(`${dir}/etc/babeld.conf`, 'utf8');
    writeFileSync(`${dir}/etc/babeld-filters.conf`, '# mine\nredistribute ip 0.0.0.0/0 allow\n');
    const result = setupIn('plan', '--mesh', 'mesh-n2', '--wired', '--clients', 'clients', '--seed', 'lab-n1', '--name', 'n1');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/babeld-filters\.conf line 2: only babeld "in …" and "out …" filter lines/)]);
    expect(readFileSync(`${dir}/etc/babeld.conf`, 'utf8')).toBe(before);
  });

  it("a filter in babeld-filters.conf reaches babeld.conf on the next apply, and babeld follows it", async () => {
    const [n1, n2] = lab.nodes;
    writeFileSync(`${dir}/etc/babeld-filters.conf`, `# ignore n2's phones\nin ip ${n2!.clientPrefix} deny\n`);
    // The lab applied n1's setup; --again applies those same choices with the filters read anew.
    const applied = setupIn('apply', '--again');
    expect(applied.status, applied.stderr).toBe(0);
    expect(readFileSync(`${dir}/etc/babeld.conf`, 'utf8')).toMatch(new RegExp(`redistribute deny\\n# The operator's filters.*\\nin ip ${n2!.clientPrefix!.replace(/\./g, '\\.')} deny\\n$`));
    // The same plan as the lab's: the mesh address did not change.
    expect(execFileSync('ip', ['netns', 'exec', nodeNetns('n1'), 'ip', '-br', '-4', 'addr', 'show', 'dev', 'mesh-n2'], { encoding: 'utf8' })).toContain(n1!.meshAddress);
    // n2's node is still reachable (its address is another route); its phones' network is ignored.
    const routes = await waitForRoutes('n1', (rs) => rs.some((r) => r.dst === n2!.meshAddress) && !rs.some((r) => r.dst === n2!.clientPrefix));
    expect(routes.some((r) => r.dst === n2!.meshAddress && r.protocol === 'babel')).toBe(true);
  });
});
