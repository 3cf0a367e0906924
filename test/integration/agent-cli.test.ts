// `byz serve` and `byz operator-link` as an operator meets them: help, one-line
// errors with documented exit codes, the secret on first start, a clean stop.
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { get, makeSite } from './agent-harness.ts';

function byz(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['tools/byz/byz.ts', ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('byz serve and byz operator-link on the command line', () => {
  it('print their help', async () => {
    for (const command of ['serve', 'operator-link']) {
      const result = await byz(command, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: byz /);
      expect(result.stdout).toContain('Exit codes');
    }
  });

  it('refuse bad options with one line and exit code 2', async () => {
    for (const args of [
      ['serve', '--port', 'eighty'],
      ['serve', '--bogus'],
      ['serve', '--site', '/nonexistent'],
      ['serve', '--site', ''],
      ['serve', '--port', '4321', '--port', '4322'],
      ['serve', '--mesh-address', 'abc'],
      ['serve', '--name', 'n'.repeat(65)],
      ['operator-link', '--url', 'javascript:alert(1)'],
      ['operator-link', '--url', 'http://node:99999'],
    ]) {
      const result = await byz(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it('operator-link says to start the agent first when there is no secret (exit 3)', async () => {
    const result = await byz('operator-link', '--state-dir', join(mkdtempSync(join(tmpdir(), 'byz-none-')), 'state'));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('start the agent once');
  });

  it('serve says when the port is taken (exit 3), and leaves the running agent\'s job key files alone', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = String((blocker.address() as { port: number }).port);
    // The agent already on that port has a clone job running with a passphrase in its key file.
    const stateDir = mkdtempSync(join(tmpdir(), 'byz-st-'));
    mkdirSync(join(stateDir, 'job-keys'), { mode: 0o700 });
    writeFileSync(join(stateDir, 'job-keys', 'running-job.key'), 'passphrase', { mode: 0o600 });
    const result = await byz('serve', '--site', makeSite().root, '--host', '127.0.0.1', '--port', port, '--state-dir', stateDir, '--services-dir', '/nonexistent');
    blocker.close();
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toBe(`byz serve: port ${port} is already in use (another agent or web server?)`);
    expect(readdirSync(join(stateDir, 'job-keys'))).toEqual(['running-job.key']);
    // An agent that does start on this state directory owns it: a key file left there has no job any more.
    const agent = await serveBook(makeSite().root, stateDir);
    expect(agent.port).toBeGreaterThan(0);
    await agent.stop();
    expect(existsSync(join(stateDir, 'job-keys', 'running-job.key'))).toBe(false);
  });

  it('creates the secret on first start, prints its address, makes links, and stops cleanly on SIGTERM', async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), 'byz-first-')), 'agent');
    const site = makeSite().root;
    const child = spawn(process.execPath, ['tools/byz/byz.ts', 'serve', '--site', site, '--host', '127.0.0.1', '--port', '0', '--state-dir', stateDir, '--services-dir', '/nonexistent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => {
      child.stdout.once('data', (chunk) => resolve(String(chunk)));
      child.once('exit', () => resolve('(exited before listening)'));
    });
    expect(line).toMatch(/^byz serve: the book from .* on http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(statSync(join(stateDir, 'operator-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o077).toBe(0);
    const link = await byz('operator-link', '--state-dir', stateDir, '--url', 'http://localhost:4321');
    expect(link.code).toBe(0);
    expect(link.stdout).toMatch(/^http:\/\/localhost:4321\/operator\/login#v1\.[A-Za-z0-9_.-]+\n$/);
    // Without --url: the address the running agent wrote at start.
    const port = /:(\d+)\/\n$/.exec(line)![1];
    const found = await byz('operator-link', '--state-dir', stateDir);
    expect(found.stdout).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/operator/login#v1\\.`));
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (exitCode) => resolve(exitCode));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });

  /** Serves a book with `byz serve` until the returned stop(); collects what it says on stderr. */
  async function serveBook(site: string, stateDir = join(site, '..', 'state')) {
    const child = spawn(process.execPath, ['tools/byz/byz.ts', 'serve', '--site', site, '--host', '127.0.0.1', '--port', '0', '--state-dir', stateDir, '--services-dir', '/nonexistent'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const line = await new Promise<string>((resolve) => {
      child.stdout.once('data', (chunk) => resolve(String(chunk)));
      child.once('exit', () => resolve('(exited before listening)'));
    });
    const port = Number(/:(\d+)\/\n$/.exec(line)?.[1]);
    const stop = async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      return stderr;
    };
    return { port, stop };
  }

  /** A copy of a built book as `cp -r` makes it: every file gets a new time, twins a little apart from their pages. */
  function copyWithoutTimes(): { copy: string; twins: string[] } {
    const copy = join(mkdtempSync(join(tmpdir(), 'byz-copied-')), 'book');
    cpSync(makeSite().root, copy, { recursive: true });
    const twins = readdirSync(copy, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(br|gz)$/.test(name));
    for (const twin of twins) utimesSync(join(copy, twin), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    return { copy, twins };
  }

  it('keeps sending compressed pages from a copy of the book that lost its file times', async () => {
    const { copy, twins } = copyWithoutTimes();
    expect(twins.length).toBeGreaterThan(4);
    const agent = await serveBook(copy);
    const page = await get(agent.port, '/guide/', { 'Accept-Encoding': 'br' });
    const script = await get(agent.port, '/_astro/page.AbC123.js', { 'Accept-Encoding': 'gzip' });
    const stderr = await agent.stop();
    expect(page.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(page.body).toString('utf8')).toContain('<title>Guide</title>');
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(stderr).not.toContain('compressed copies');
  });

  it('says once, at start, which compressed copies no longer match a page edited after the build, and sends that page whole', async () => {
    const { copy } = copyWithoutTimes();
    const edited = join(copy, 'guide', 'index.html');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('<title>Guide</title>', '<title>Guide, edited by hand</title>'));
    const agent = await serveBook(copy);
    const page = await get(agent.port, '/guide/', { 'Accept-Encoding': 'br, gzip' });
    const other = await get(agent.port, '/ar/', { 'Accept-Encoding': 'br' });
    const stderr = await agent.stop();
    // The stale twins would show the old title: the agent sends the page as it is now.
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.toString('utf8')).toContain('<title>Guide, edited by hand</title>');
    expect(other.headers['content-encoding']).toBe('br');
    const lines = stderr.split('\n').filter((l) => l.includes('compressed copies'));
    expect(lines).toEqual([`byz serve: 2 compressed copies (.br/.gz) in ${copy} were not made from their page as it is now, so those pages are sent uncompressed; install the book again from a fresh build`]);
  });
});
