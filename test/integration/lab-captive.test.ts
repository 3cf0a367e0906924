// Captive mode on the lab, end to end: node n1 set up with --captive answers
// the phones' connectivity-check names with its own address (dnsmasq), its
// agent runs `byz serve --captive` on port 80 inside n1, and a phone that
// joins n1's network and fetches Android's, Apple's and Windows' check
// addresses is sent to n1's front page, which it can then load.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labChoices, labDown, labPhone, labUp } from '../../tools/lab/lab.ts';
import { nodeDir, nodeNetns } from '../../tools/lab/names.ts';
import { planAndApply } from '../../tools/setup/index.ts';
import { bookDir } from '../browser/helpers/site.ts';

const missing = ['/usr/sbin/babeld', '/usr/sbin/dnsmasq', '/usr/sbin/dhclient'].find((path) => !existsSync(path));
const reason = process.getuid?.() !== 0 ? 'not root' : missing ? `${missing} missing` : undefined;
if (reason && process.env.CI) throw new Error(`lab captive test cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED lab-captive test: ${reason} (it needs root, network namespaces, babeld, dnsmasq, dhclient)`);

/** What a phone's connectivity check sees: the name resolved by the phone's own resolver, one GET, redirects not followed. */
const PROBE = `fetch(process.argv[1], { redirect: 'manual', signal: AbortSignal.timeout(5000) })
  .then(async (r) => console.log(JSON.stringify({ status: r.status, location: r.headers.get('location'), body: (await r.text()).slice(0, 20000) })))
  .catch((e) => { console.error(String(e.cause ?? e)); process.exit(2); });`;
const inPhone = (...argv: string[]): string => execFileSync('ip', ['netns', 'exec', nodeNetns('n1-phone'), ...argv], { encoding: 'utf8', timeout: 30_000 });
const probe = (url: string): { status: number; location: string | null; body: string } => JSON.parse(inPhone(process.execPath, '-e', PROBE, url));

describe.skipIf(reason !== undefined)('lab: a phone joining a captive node opens its front page', () => {
  let agent: ChildProcess | undefined;
  let agentState: string;
  let clientAddress: string;

  beforeAll(async () => {
    await labDown();
    const lab = await labUp(2, 'line', false);
    const n1 = lab.nodes[0]!;
    const { plan, report } = await planAndApply({ netns: n1.netns }, { ...labChoices('n1', n1.meshInterfaces), captive: true });
    expect(report.ok).toBe(true);
    clientAddress = plan.clientPrefix.replace(/\.0\/24$/, '.1');
    await labPhone('n1');
    agentState = mkdtempSync(join(tmpdir(), 'byz-captive-agent-'));
    agent = spawn('ip', ['netns', 'exec', n1.netns, process.execPath, 'tools/byz/byz.ts', 'serve', '--captive', '--port', '80',
      '--site', resolve(bookDir()), '--state-dir', agentState, '--name', 'n1', '--babel-socket', `${nodeDir('n1')}/run/babeld.sock`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((done, fail) => {
      agent!.stdout!.once('data', () => done());
      agent!.once('exit', (code) => fail(new Error(`byz serve stopped (${code})`)));
    });
  }, 120_000);
  afterAll(async () => {
    agent?.kill();
    await labDown();
    if (agentState) rmSync(agentState, { recursive: true, force: true });
  });

  it("n1's DNS answers the check names with n1, and nothing else changes", () => {
    const resolveIn = `require('node:dns').promises.lookup(process.argv[1], { family: 4 }).then((a) => console.log(a.address), (e) => { console.error(e.code); process.exit(1); })`;
    for (const name of ['connectivitycheck.gstatic.com', 'captive.apple.com', 'www.msftconnecttest.com']) {
      expect(inPhone(process.execPath, '-e', resolveIn, name).trim()).toBe(clientAddress);
    }
    // Any other Internet name still goes to the mesh resolver (no gateway here, so it fails rather than pointing at n1).
    expect(() => inPhone(process.execPath, '-e', resolveIn, 'www.example.org')).toThrow();
  });

  it.each([
    ['Android', 'http://connectivitycheck.gstatic.com/generate_204'],
    ['iOS', 'http://captive.apple.com/hotspot-detect.html'],
    ['Windows', 'http://www.msftconnecttest.com/connecttest.txt'],
  ])('%s: its check is redirected to the front page, and the front page loads', (_system, url) => {
    const answer = probe(url);
    // Not the 204 / "Success" page a phone expects: the phone knows it is held and opens the Location.
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`http://${clientAddress}/`);
    const front = probe(answer.location!);
    expect(front.status).toBe(200);
    expect(front.body).toContain('n1');
  });
});
