// Services, the mesh-wide directory fed by hostile nodes, the front page, captive mode and jobs, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, get as httpGet, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { get, json, makeSite, post, startTestAgent } from './agent-harness.ts';

const node = process.execPath;
const forever = ['-e', 'setInterval(() => {}, 1000)'];

function servicesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'byz-agent-services-'));
  writeFileSync(join(dir, 'db.json'), JSON.stringify({ name: 'Database', port: 5984, start: [node, ...forever] }));
  writeFileSync(join(dir, 'chat.json'), JSON.stringify({ name: 'Chat', description: 'Talk to people nearby', port: 8080, path: '/chat/', start: [node, ...forever], dependsOn: ['db'] }));
  writeFileSync(join(dir, 'book.json'), JSON.stringify({ name: 'Book mirror', port: 80 }));
  return dir;
}

async function login(port: number, stateDir: string) {
  const origin = `http://localhost:${port}`;
  const token = operatorLink(origin, stateDir).split('#')[1]!;
  const answer = await post(port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin });
  return { Cookie: answer.headers['set-cookie']!.split(';')[0]!, 'X-CSRF-Token': json(answer).csrfToken as string, Origin: origin };
}

const waitFor = async (check: () => boolean | Promise<boolean>, what: string, tries = 100) => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('services', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  let headers: Record<string, string>;
  beforeAll(async () => {
    agent = await startTestAgent({ servicesDir: servicesDir(), serviceBackoffMs: 50 });
    headers = await login(agent.port, agent.stateDir);
  });
  afterAll(() => agent?.close());

  it('starts dependencies first', async () => {
    const answer = await post(agent.port, '/api/v1/operator/services/chat', JSON.stringify({ on: true }), headers);
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ started: ['db', 'chat'], stopped: [] });
    const listed = json(await get(agent.port, '/api/v1/services')).services;
    expect(listed.find((s: { id: string }) => s.id === 'chat')).toMatchObject({ running: true, url: `http://localhost:8080/chat/` });
  });

  it('refuses to stop a service others need, unless asked to cascade', async () => {
    const refused = await post(agent.port, '/api/v1/operator/services/db', JSON.stringify({ on: false }), headers);
    expect(refused.status).toBe(409);
    expect(json(refused).error.message).toContain('chat');
    const cascaded = await post(agent.port, '/api/v1/operator/services/db', JSON.stringify({ on: false, cascade: true }), headers);
    expect(json(cascaded)).toEqual({ started: [], stopped: ['chat', 'db'] });
    expect(agent.services.isRunning('db')).toBe(false);
  });

  it('restarts a service that crashes', async () => {
    await post(agent.port, '/api/v1/operator/services/db', JSON.stringify({ on: true }), headers);
    const first = agent.services.pidOf('db')!;
    process.kill(first, 'SIGKILL');
    await waitFor(() => agent.services.pidOf('db') !== first && agent.services.isRunning('db'), 'the restart');
    expect(agent.services.pidOf('db')).not.toBe(first);
  });
});

describe('mesh directory with hostile nodes', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  let peer: Server;
  let answer: unknown;

  beforeAll(async () => {
    peer = createServer((_req, res) => {
      if (answer === 'slow') return; // never answers
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.2', r));
    const peerPort = (peer.address() as AddressInfo).port;
    agent = await startTestAgent({
      peerPort,
      directoryIntervalMs: 3_600_000, // polled by hand below
      directoryExpireMs: 300,
      mesh: { meshAddress: async () => '10.0.0.1', neighbours: async () => [], routes: async () => [], peers: async () => ['127.0.0.2', '10.0.0.1'] },
    });
  });
  afterAll(async () => {
    await agent?.close();
    peer?.close();
  });

  const hostileText = '<script>alert(1)</script><img src=x onerror=alert(2)>';

  it('lists a valid service of another node and renders its text inertly', async () => {
    answer = { node: 'node-c', services: [{ id: 'wiki', name: 'Wiki', description: hostileText, url: 'http://10.0.0.3:8080/"onmouseover="x', running: true }] };
    await agent.directory.pollOnce();
    const entries = json(await get(agent.port, '/api/v1/directory')).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ node: 'node-c', nodeAddress: '127.0.0.2', local: false, description: hostileText });
    const page = (await get(agent.port, '/')).body.toString();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page).not.toContain('"onmouseover="');
    expect(page).toMatch(/href="http:\/\/10\.0\.0\.3:8080\/&#34;onmouseover&#61;&#34;x"/);
  });

  const hostile: [string, unknown][] = [
    ['a javascript: URL', { node: 'evil', services: [{ id: 'x', name: 'X', description: '', url: 'javascript:alert(1)', running: true }] }],
    ['a data: URL', { node: 'evil', services: [{ id: 'x', name: 'X', description: '', url: 'data:text/html,<script>alert(1)</script>', running: true }] }],
    ['a name with markup', { node: 'evil', services: [{ id: 'x', name: '<b>X</b>', description: '', url: 'http://a/', running: true }] }],
    ['an overlong name', { node: 'evil', services: [{ id: 'x', name: 'X'.repeat(65), description: '', url: 'http://a/', running: true }] }],
    ['an overlong description', { node: 'evil', services: [{ id: 'x', name: 'X', description: 'd'.repeat(281), url: 'http://a/', running: true }] }],
    ['control characters', { node: 'evil', services: [{ id: 'x', name: 'X', description: 'line\u0007\u001b[31m', url: 'http://a/', running: true }] }],
    ['a direction override', { node: 'evil', services: [{ id: 'x', name: 'X', description: 'abc\u202Egnp.exe', url: 'http://a/', running: true }] }],
    ['a node name with a newline', { node: 'evil\nnode', services: [] }],
    ['credentials in the URL', { node: 'evil', services: [{ id: 'x', name: 'X', description: '', url: 'http://user:pw@a/', running: true }] }],
    ['not JSON', '<html>hello</html>'],
    ['too many services', { node: 'evil', services: Array.from({ length: 65 }, (_, i) => ({ id: `s${i}`, name: 'S', description: '', url: 'http://a/', running: true })) }],
    ['an oversized answer', { node: 'evil', services: [], pad: 'x'.repeat(100_000) }],
  ];
  for (const [what, value] of hostile) {
    it(`drops a node that sends ${what}`, async () => {
      await new Promise((r) => setTimeout(r, 350)); // let the previous entry expire
      answer = value;
      await agent.directory.pollOnce();
      const entries = json(await get(agent.port, '/api/v1/directory')).entries;
      expect(entries).toEqual([]);
    });
  }

  it('gives up on a node that does not answer, and forgets entries that expire', async () => {
    answer = { node: 'node-c', services: [{ id: 'wiki', name: 'Wiki', description: '', url: 'http://10.0.0.3/', running: true }] };
    await agent.directory.pollOnce();
    expect(json(await get(agent.port, '/api/v1/directory')).entries).toHaveLength(1);
    answer = 'slow';
    await agent.directory.pollOnce(); // returns after the short timeout
    await new Promise((r) => setTimeout(r, 350));
    expect(json(await get(agent.port, '/api/v1/directory')).entries).toEqual([]);
  });
});

describe('front page', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  beforeAll(async () => {
    agent = await startTestAgent({ servicesDir: servicesDir(), siteDir: makeSite().root });
  });
  afterAll(() => agent?.close());

  it("speaks the reader's language, with a switch and a link into the book", async () => {
    const ar = await get(agent.port, '/', { 'Accept-Language': 'ar-SY,ar;q=0.9,en;q=0.5' });
    expect(ar.body.toString()).toContain('<html lang="ar" dir="rtl">');
    expect(ar.headers.vary).toBe('Accept-Language');
    const zh = await get(agent.port, '/', { 'Accept-Language': 'zh-CN' });
    expect(zh.body.toString()).toContain('lang="zh-CN"');
    const fa = await get(agent.port, '/?lang=fa', { 'Accept-Language': 'en' });
    expect(fa.body.toString()).toContain('<html lang="fa" dir="rtl">');
    const en = (await get(agent.port, '/', { 'Accept-Language': 'de-DE' })).body.toString();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('href="/?lang=ar"');
    expect(en).toContain('href="/index.html"');
    expect(en).toContain('Book mirror');
    expect(en).not.toContain('<script');
    // The book's own icon, so a browser does not guess /favicon.ico.
    expect(en).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    const icon = await get(agent.port, '/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });
});

describe('captive mode', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  beforeAll(async () => {
    agent = await startTestAgent({ captive: true });
  });
  afterAll(() => agent?.close());

  it("sends Android, iOS and Windows connectivity checks to the node's front page", async () => {
    for (const [host, path] of [
      ['connectivitycheck.gstatic.com', '/generate_204'],
      ['captive.apple.com', '/hotspot-detect.html'],
      ['www.msftconnecttest.com', '/connecttest.txt'],
    ]) {
      const answer = await get(agent.port, path!, { Host: host! });
      expect(answer.status, host).toBe(302);
      expect(answer.headers.location).toBe(`http://127.0.0.1:${agent.port}/`);
      expect(answer.body.length).toBe(0);
    }
  });

  it('still refuses foreign hosts for anything but a plain GET', async () => {
    expect((await post(agent.port, '/api/v1/operator/session', '{}', { Host: 'captive.apple.com' })).status).toBe(421);
  });
});

describe('jobs', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  beforeAll(async () => {
    // A stand-in for `byz clone` (no disk to clone here): prints JSON-lines progress like the real one.
    const fake = join(mkdtempSync(join(tmpdir(), 'byz-agent-job-')), 'byz.mjs');
    writeFileSync(
      fake,
      `const lines = [{phase:'copying',done:1,total:4},{phase:'copying',done:4,total:4},{phase:'verifying'}];
       let i = 0; const t = setInterval(() => { if (i < lines.length) console.log(JSON.stringify(lines[i++])); else { clearInterval(t); process.exit(0); } }, 100);`,
    );
    agent = await startTestAgent({ byzCommand: [node, fake] });
  });
  afterAll(() => agent?.close());

  it('refuses jobs unless the agent may change the machine', async () => {
    const headers = await login(agent.port, agent.stateDir);
    const answer = await post(agent.port, '/api/v1/operator/jobs', JSON.stringify({ kind: 'clone', args: ['--to', '/tmp/x.img'] }), headers);
    expect(answer.status).toBe(403);
  });
});

describe('jobs with --allow-apply', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  beforeAll(async () => {
    const fake = join(mkdtempSync(join(tmpdir(), 'byz-agent-job-')), 'byz.mjs');
    writeFileSync(
      fake,
      `const lines = [{phase:'copying',done:1,total:4},{phase:'copying',done:4,total:4},{phase:'verifying'}];
       let i = 0; const t = setInterval(() => { if (i < lines.length) console.log(JSON.stringify(lines[i++])); else { clearInterval(t); process.exit(0); } }, 150);`,
    );
    agent = await startTestAgent({ byzCommand: [node, fake], allowApply: true });
  });
  afterAll(() => agent?.close());

  it('streams progress as server-sent events until the job ends, and polling shows the same', async () => {
    const headers = await login(agent.port, agent.stateDir);
    const started = await post(agent.port, '/api/v1/operator/jobs', JSON.stringify({ kind: 'clone', args: ['--to', '/tmp/x.img'] }), headers);
    expect(started.status).toBe(200);
    const job = json(started);
    expect(job).toMatchObject({ kind: 'clone', state: 'running' });
    const busy = await post(agent.port, '/api/v1/operator/jobs', JSON.stringify({ kind: 'persist', args: [] }), headers);
    expect(busy.status).toBe(409);

    const events = await new Promise<any[]>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port: agent.port, path: `/api/v1/operator/jobs/${job.id}/events`, headers: { Cookie: headers.Cookie, Host: 'localhost' } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text.split('\n\n').filter((b) => b.startsWith('event: job')).map((b) => JSON.parse(b.split('\ndata: ')[1]!))));
      }).on('error', reject);
    });
    expect(events.at(-1)).toMatchObject({ state: 'succeeded', exitCode: 0, progress: { message: 'verifying', done: 4, total: 4 } });
    expect(events.some((e) => e.progress.done === 1)).toBe(true);
    const polled = json(await get(agent.port, `/api/v1/operator/jobs/${job.id}`, { Cookie: headers.Cookie }));
    expect(polled.state).toBe('succeeded');
    expect(polled.log).toHaveLength(3);
  });
});
