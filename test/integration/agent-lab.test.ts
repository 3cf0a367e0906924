// Three lab nodes in a line (n1 - n2 - n3) with the real babeld and dnsmasq, an
// agent in each: a phone on n1 reads a book page from n3 across the mesh, and
// n1's directory learns n3's service through babeld's routes, then forgets it
// once n3 stops it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labPhone, labUp, type Lab } from '../../tools/lab/lab.ts';
import { nodeDir, nodeNetns } from '../../tools/lab/names.ts';
import { waitForRoutes } from '../../tools/lab/wait.ts';
import { makeLoginToken } from '../../tools/agent/auth.ts';
import { readSecret } from '../../tools/agent/state-dir.ts';
import { makeSite } from './agent-harness.ts';

const run = promisify(execFile);
const reason = process.getuid?.() !== 0 ? 'not root' : !existsSync('/usr/sbin/babeld') ? 'babeld missing' : undefined;
if (reason && process.env.CI) throw new Error(`agent lab test cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED agent lab test: ${reason} (it needs root, network namespaces, babeld, dnsmasq)`);

/** Runs a small Node program inside a lab namespace (a phone or a node) and returns what it prints. */
async function inNamespace(member: string, program: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('ip', ['netns', 'exec', nodeNetns(member), process.execPath, '--input-type=module', '-e', program, ...args], { timeout: 30_000 });
  return stdout;
}

const fetchProgram = `
const [url] = process.argv.slice(1);
const answer = await fetch(url, { signal: AbortSignal.timeout(10000) });
console.log(JSON.stringify({ status: answer.status, body: await answer.text() }));`;

// Logs in on the node's own loopback (where operator endpoints answer) and turns a service off.
const stopProgram = `
const [base, token, id] = process.argv.slice(1);
const login = await fetch(base + '/api/v1/operator/session', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: base }, body: JSON.stringify({ token }) });
const cookie = login.headers.get('set-cookie').split(';')[0];
const { csrfToken } = await login.json();
const off = await fetch(base + '/api/v1/operator/services/' + id, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: base, Cookie: cookie, 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ on: false }) });
console.log(JSON.stringify({ status: off.status, body: await off.json() }));`;

describe.skipIf(reason !== undefined)('agents on a three-node lab mesh', () => {
  let lab: Lab;
  const agents: ChildProcess[] = [];

  beforeAll(async () => {
    await labDown();
    lab = await labUp(3, 'line');
    const site = makeSite().root;
    for (const node of lab.nodes) {
      const dir = join(nodeDir(node.name), 'agent');
      mkdirSync(join(dir, 'services'), { recursive: true });
      if (node.name === 'n3') {
        writeFileSync(join(dir, 'services', 'wiki.json'), JSON.stringify({ name: 'Clinic wiki', description: 'Shared notes', port: 8080, start: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], autostart: true }));
      }
      const agent = spawn(
        'ip',
        ['netns', 'exec', node.netns, process.execPath, 'tools/byz/byz.ts', 'serve', '--site', site, '--host', '0.0.0.0', '--port', '80', '--name', node.name,
          '--state-dir', join(dir, 'state'), '--services-dir', join(dir, 'services'), '--babel-socket', `${nodeDir(node.name)}/run/babeld.sock`,
          '--directory-interval', '2', '--directory-expire', '8'],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      agents.push(agent);
    }
    const [, , n3] = lab.nodes;
    await waitForRoutes('n1', (routes) => routes.some((r) => r.dst === n3!.clientPrefix) && routes.some((r) => r.dst === n3!.meshAddress));
  });

  afterAll(async () => {
    for (const agent of agents) agent.kill('SIGTERM');
    await labDown();
  });

  it("a phone on n1 reads a book page from n3's agent, two hops away", async () => {
    const [, , n3] = lab.nodes;
    await labPhone('n1');
    let answer = { status: 0, body: '' };
    for (let i = 0; i < 30 && answer.status !== 200; i++) {
      answer = JSON.parse(await inNamespace('n1-phone', fetchProgram, `http://${n3!.meshAddress}/guide/`).catch(() => '{"status":0,"body":""}'));
      if (answer.status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Guide</title>');
    // The agent found its own mesh address in babeld, as on a node started with no --mesh-address.
    const summary = JSON.parse(await inNamespace('n1-phone', fetchProgram, `http://${n3!.meshAddress}/api/v1/node`));
    expect(JSON.parse(summary.body)).toMatchObject({ name: 'n3', meshAddress: n3!.meshAddress });
  });

  it("n1's directory shows n3's service within a bounded time, and drops it once n3 stops it", async () => {
    const [n1, , n3] = lab.nodes;
    const directory = async () => JSON.parse(JSON.parse(await inNamespace('n1', fetchProgram, `http://${n1!.meshAddress}/api/v1/directory`)).body).entries as { id: string; node: string; nodeAddress: string }[];
    let entries: Awaited<ReturnType<typeof directory>> = [];
    const seenBy = Date.now() + 20_000;
    while (Date.now() < seenBy && !entries.some((e) => e.node === 'n3')) {
      await new Promise((r) => setTimeout(r, 500));
      entries = await directory().catch(() => []);
    }
    expect(entries.find((e) => e.node === 'n3')).toMatchObject({ id: 'wiki', nodeAddress: n3!.meshAddress });

    const token = makeLoginToken(readSecret(join(nodeDir('n3'), 'agent', 'state')));
    const off = JSON.parse(await inNamespace('n3', stopProgram, 'http://localhost', token, 'wiki'));
    expect(off).toEqual({ status: 200, body: { started: [], stopped: ['wiki'] } });

    const goneBy = Date.now() + 20_000;
    while (Date.now() < goneBy && entries.some((e) => e.node === 'n3')) {
      await new Promise((r) => setTimeout(r, 500));
      entries = await directory();
    }
    expect(entries.some((e) => e.node === 'n3')).toBe(false);
  });
});
