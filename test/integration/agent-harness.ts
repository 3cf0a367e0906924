/** Shared pieces of the agent's integration tests: a small built site, raw HTTP, and an agent on loopback. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent, type Agent, type AgentConfig } from '../../tools/agent/agent.ts';
import type { MeshSource } from '../../tools/agent/mesh-source.ts';

export const SECRET_TEXT = 'TOP-SECRET-OUTSIDE-THE-SITE';
export const INLINE_SCRIPT = "document.documentElement.dataset.theme='dark';";

/** A built site as Astro and Pagefind lay it out, post-processed by the real scripts/precompress.mjs. */
export function makeSite(): { dir: string; root: string } {
  const dir = mkdtempSync(join(tmpdir(), 'byz-agent-site-'));
  const root = join(dir, 'dist');
  const page = (title: string, lang = 'en') =>
    `<!doctype html><html lang="${lang}"><head><title>${title}</title><script>${INLINE_SCRIPT}</script>` +
    `<script type="module" src="/_astro/page.AbC123.js"></script></head><body>${'<p>Words of the book. </p>'.repeat(100)}</body></html>`;
  for (const sub of ['_astro', 'ar', 'fa', 'guide', 'pagefind/fragment', 'pagefind/index']) mkdirSync(join(root, sub), { recursive: true });
  writeFileSync(join(root, 'index.html'), page('Home'));
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="3"/></svg>');
  writeFileSync(join(root, '404.html'), page('Not found EN'));
  writeFileSync(join(root, 'ar', 'index.html'), page('الصفحة', 'ar'));
  // Starlight writes a translated 404 page as a page of its own (the default locale's is /404.html).
  mkdirSync(join(root, 'ar', '404'));
  writeFileSync(join(root, 'ar', '404', 'index.html'), page('غير موجود AR', 'ar'));
  writeFileSync(join(root, 'fa', 'index.html'), page('خانه', 'fa'));
  writeFileSync(join(root, 'guide', 'index.html'), page('Guide'));
  writeFileSync(join(root, '_astro', 'page.AbC123.js'), 'console.log("the book");\n'.repeat(60));
  writeFileSync(join(root, '_astro', 'common.XyZ789.css'), 'body{color:#111}\n'.repeat(60));
  writeFileSync(join(root, 'pagefind', 'pagefind.js'), 'export const search = () => [];\n'.repeat(30));
  writeFileSync(join(root, 'pagefind', 'pagefind-entry.json'), JSON.stringify({ version: '1.6.0', languages: {} }));
  writeFileSync(join(root, 'pagefind', 'pagefind.en_abc123.pf_meta'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  writeFileSync(join(root, 'pagefind', 'fragment', 'en_1234567.pf_fragment'), Buffer.from([0x1f, 0x8b, 4, 5, 6]));
  writeFileSync(join(root, 'pagefind', 'index', 'en_7654321.pf_index'), Buffer.from([0x1f, 0x8b, 7, 8, 9]));
  writeFileSync(join(root, 'pagefind', 'wasm.en.pagefind'), Buffer.from([0x1f, 0x8b, 10, 11]));
  writeFileSync(join(root, 'pagefind', 'module.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  const big = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = i % 251;
  writeFileSync(join(root, 'node.img'), big);
  writeFileSync(join(root, '.hidden'), SECRET_TEXT);
  writeFileSync(join(dir, 'secret.txt'), SECRET_TEXT);
  symlinkSync(join(dir, 'secret.txt'), join(root, 'link-out.txt'));
  execFileSync(process.execPath, ['scripts/precompress.mjs', root], { stdio: 'ignore' });
  return { dir, root };
}

/** A mesh with no babeld: what a laptop running `npm start` sees. */
export const noMesh: MeshSource = {
  meshAddress: async () => null,
  neighbours: async () => [],
  routes: async () => [],
  peers: async () => [],
};

export async function startTestAgent(overrides: Partial<AgentConfig> = {}): Promise<Agent & { stateDir: string; port: number }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'byz-agent-state-'));
  const agent = await runAgent({
    siteDir: null,
    stateDir,
    servicesDir: null,
    host: '127.0.0.1',
    port: 0,
    name: 'node-a',
    version: '1.2.3',
    mesh: noMesh,
    ...overrides,
  });
  return Object.assign(agent, { stateDir, port: Number(new URL(agent.url).port) });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  closed: boolean;
}

/** Sends bytes exactly as given (no client-side normalisation) and reads the answer until the server closes. */
export function rawRequest(port: number, text: string | Buffer, host = '127.0.0.1'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const chunks: Buffer[] = [];
    // write, not end: a half-closed request is aborted by Node's server (as it should be), and real clients do not half-close.
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split < 0 ? all.length : split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(head[0]?.split(' ')[1] ?? 0), headers, body: split < 0 ? Buffer.alloc(0) : all.subarray(split + 4), closed: true });
    });
  });
}

export function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${headers.Host ?? `localhost:${port}`}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) if (name !== 'Host') lines.push(`${name}: ${value}`);
  return rawRequest(port, lines.join('\r\n') + '\r\n\r\n');
}

export function post(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const all: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers };
  const lines = [`POST ${path} HTTP/1.1`, `Host: ${all.Host ?? `localhost:${port}`}`, 'Connection: close'];
  for (const [name, value] of Object.entries(all)) if (name !== 'Host') lines.push(`${name}: ${value}`);
  return rawRequest(port, lines.join('\r\n') + '\r\n\r\n' + body);
}

export const json = (answer: RawAnswer): any => JSON.parse(answer.body.toString('utf8'));
