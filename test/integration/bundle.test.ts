/**
 * The bundled byz (dist-tools/byz.mjs) as a node runs it: one file in a bare
 * directory, no node_modules, under the Node.js its system has. That is the
 * system's Node.js here (20) and Debian 12's own 18.20.4 (the bundle's
 * target; `node scripts/debian-node.mjs` fetches it, .ci/run does so).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEBIAN_NODE, DEBIAN_NODE_VERSION } from '../../scripts/debian-node.mjs';
import { makeLiveTree } from '../fixtures/disk/live-tree.ts';
import { get, json, makeSite, post } from './agent-harness.ts';
import { DISK_TOOLS, missing } from './clone-helpers.ts';

const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));

/** Why a runtime cannot be tried here, or undefined; in CI a missing runtime is a failure, not a skip. */
function absent(path: string | undefined, howToGet: string): string | undefined {
  if (path && existsSync(path)) return undefined;
  const why = `no ${path ?? 'system Node.js'} (${howToGet})`;
  if (process.env.CI) throw new Error(`cannot run in CI: ${why}`);
  console.warn(`SKIPPED: ${why}`);
  return why;
}

const runtimes = [
  { label: 'the system Node.js', node: systemNode ?? '', skip: absent(systemNode, 'install nodejs') },
  { label: `Debian 12's Node.js ${DEBIAN_NODE_VERSION}`, node: DEBIAN_NODE, skip: absent(DEBIAN_NODE, 'run: node scripts/debian-node.mjs') },
];
const noDiskTools = await missing({ tools: DISK_TOOLS });

let bare: string;
beforeAll(() => {
  if (!existsSync('dist-tools/byz.mjs')) execFileSync(process.execPath, ['scripts/build-tools.mjs']);
  bare = mkdtempSync(join(tmpdir(), 'byz-bundle-'));
  copyFileSync('dist-tools/byz.mjs', join(bare, 'byz.mjs'));
});

describe.each(runtimes)('the bundled byz under $label', ({ node, skip }) => {
  const run = (...args: string[]) => spawnSync(node, ['byz.mjs', ...args], { cwd: bare, encoding: 'utf8' });

  test.skipIf(skip)('runs every command from a bare directory', () => {
    const version = run('--version');
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // Every command's module is inside the bundle and loads.
    for (const command of ['setup', 'status', 'gateway', 'lab', 'clone', 'persist', 'serve', 'operator-link']) {
      const help = run(command, '--help');
      expect(help.status, `${command} --help: ${help.stderr}`).toBe(0);
      expect(help.stdout.length).toBeGreaterThan(40);
    }
    const bad = run('no-such-command');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    // Typed control characters come back as escapes: one line, nothing sent to the terminal.
    const escape = run('\u001b]0;title\u0007', '--x');
    expect(escape.stderr).toBe('byz: unknown command "\\u001b]0;title\\u0007" (run "byz --help" for the list)\n');
    // A file the operator named that cannot be used: the command, the path and the reason, not "internal error".
    const notDir = run('operator-link', '--state-dir', '/dev/null');
    expect(notDir.status).toBe(1);
    expect(notDir.stderr).toBe('byz operator-link: /dev/null/operator-secret: a part of this path is not a directory\n');
  });

  describe.skipIf(skip)('serve', () => {
    let agent: ReturnType<typeof spawn>;
    let port: number;
    let stateDir: string;
    const origin = () => `http://localhost:${port}`;
    beforeAll(async () => {
      stateDir = join(mkdtempSync(join(tmpdir(), 'byz-bundle-state-')), 'agent');
      // The V8 flag of the bundle's shebang, as `./byz.mjs serve` would run it.
      agent = spawn(node, ['--max-semi-space-size=2', 'byz.mjs', 'serve', '--site', makeSite().root, '--host', '127.0.0.1', '--port', '0', '--state-dir', stateDir, '--services-dir', '/nonexistent'], {
        cwd: bare,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = await new Promise<string>((resolve) => {
        agent.stdout!.once('data', (chunk) => resolve(String(chunk)));
        agent.once('exit', () => resolve('(exited before listening)'));
      });
      port = Number(/:(\d+)\/\n$/.exec(line)?.[1]);
      expect(port, line).toBeGreaterThan(0);
    });
    afterAll(() => agent?.kill('SIGKILL'));

    test('a page compressed with brotli, the API, a 404 page, and the security headers', async () => {
      const page = await get(port, '/guide/', { 'Accept-Encoding': 'gzip, br' });
      expect(page.status).toBe(200);
      expect(page.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(page.body).toString('utf8')).toContain('<title>Guide</title>');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const summary = await get(port, '/api/v1/node');
      expect(summary.status).toBe(200);
      expect(json(summary)).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/), meshAddress: null });
      const missingPage = await get(port, '/no/such/page/', { Accept: 'text/html' });
      expect(missingPage.status).toBe(404);
      expect(missingPage.body.toString('utf8')).toContain('Not found EN');
    });

    test('operator login by a one-time link, then a state-changing request needs the CSRF token', async () => {
      expect(statSync(join(stateDir, 'operator-secret')).mode & 0o777).toBe(0o600);
      const link = run('operator-link', '--state-dir', stateDir, '--url', origin());
      expect(link.status, link.stderr).toBe(0);
      const token = link.stdout.trim().split('#')[1]!;
      const session = await post(port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin() });
      expect(session.status).toBe(200);
      const cookie = session.headers['set-cookie']!.split(';')[0]!;
      const status = await get(port, '/api/v1/operator/status', { Cookie: cookie });
      expect(status.status).toBe(200);
      const withoutToken = await post(port, '/api/v1/operator/gateway', JSON.stringify({ on: true }), { Origin: origin(), Cookie: cookie });
      expect(withoutToken.status).toBe(403);
      expect(json(withoutToken).error.code).toMatch(/csrf/);
      // The link was used once: it does not log anyone in again.
      expect((await post(port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin() })).status).toBe(401);
    });

    test('stops cleanly on SIGTERM', async () => {
      const code = await new Promise<number | null>((resolve) => {
        agent.once('exit', (exitCode) => resolve(exitCode));
        agent.kill('SIGTERM');
      });
      expect(code).toBe(0);
    });
  });

  test.skipIf(skip || noDiskTools)('clones a live system to an image file, then verifies the image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-bundle-clone-'));
    await makeLiveTree(join(dir, 'live'));
    const image = join(dir, 'node.img');
    // The copy runs in a worker thread sharing its buffers (SharedArrayBuffer, Atomics): the part most tied to the runtime.
    const clone = await execa(node, ['byz.mjs', 'clone', '--to', image, '--source', join(dir, 'live'), '--progress', 'json'], { cwd: bare, reject: false });
    expect(clone.exitCode, clone.stderr).toBe(0);
    const last = JSON.parse(clone.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ type: 'result', ok: true, verified: true, files: 11 });
    const verify = await execa(node, ['byz.mjs', 'clone', '--verify', image], { cwd: bare, reject: false });
    expect(verify.exitCode, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/all \d+ files match the manifest/);
  });
});
