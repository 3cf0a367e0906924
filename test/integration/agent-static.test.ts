// The agent serves the built book over real HTTP on loopback: precompressed
// variants, caching, types, 404 pages, HEAD, ranges, and never a file outside the site.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { INLINE_SCRIPT, SECRET_TEXT, get, makeSite, startTestAgent } from './agent-harness.ts';

let agent: Awaited<ReturnType<typeof startTestAgent>>;
let root: string;

beforeAll(async () => {
  root = makeSite().root;
  agent = await startTestAgent({ siteDir: root });
});
afterAll(() => agent?.close());

describe('precompressed variants', () => {
  it('sends brotli when accepted, and the bytes decode to the page', async () => {
    const answer = await get(agent.port, '/guide/', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(answer.body).equals(readFileSync(join(root, 'guide', 'index.html')))).toBe(true);
  });

  it('sends gzip to a client without brotli, and the file itself to one without either', async () => {
    const gz = await get(agent.port, '/guide/', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(readFileSync(join(root, 'guide', 'index.html')))).toBe(true);
    const plain = await get(agent.port, '/guide/', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(readFileSync(join(root, 'guide', 'index.html')))).toBe(true);
  });

  it('gives each variant its own ETag', async () => {
    const br = await get(agent.port, '/guide/', { 'Accept-Encoding': 'br' });
    const plain = await get(agent.port, '/guide/');
    expect(br.headers.etag).not.toBe(plain.headers.etag);
  });
});

describe('caching', () => {
  it('caches hashed assets for a year', async () => {
    for (const path of ['/_astro/page.AbC123.js', '/_astro/common.XyZ789.css', '/pagefind/fragment/en_1234567.pf_fragment', '/pagefind/index/en_7654321.pf_index', '/pagefind/pagefind.en_abc123.pf_meta']) {
      const answer = await get(agent.port, path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
    }
  });

  it('makes pages and unhashed files revalidate, answering 304 to a matching ETag', async () => {
    for (const path of ['/guide/', '/pagefind/pagefind.js', '/pagefind/pagefind-entry.json']) {
      const first = await get(agent.port, path, { 'Accept-Encoding': 'br' });
      expect(first.headers['cache-control'], path).toBe('no-cache');
      const again = await get(agent.port, path, { 'Accept-Encoding': 'br', 'If-None-Match': first.headers.etag! });
      expect(again.status, path).toBe(304);
      expect(again.body.length).toBe(0);
    }
    const stale = await get(agent.port, '/guide/', { 'If-None-Match': '"something-else"' });
    expect(stale.status).toBe(200);
  });
});

describe('types', () => {
  it('labels every kind of file the build emits', async () => {
    const expected: Record<string, string> = {
      '/guide/': 'text/html; charset=utf-8',
      '/_astro/page.AbC123.js': 'text/javascript; charset=utf-8',
      '/_astro/common.XyZ789.css': 'text/css; charset=utf-8',
      '/pagefind/pagefind-entry.json': 'application/json; charset=utf-8',
      '/pagefind/fragment/en_1234567.pf_fragment': 'application/octet-stream',
      '/pagefind/index/en_7654321.pf_index': 'application/octet-stream',
      '/pagefind/pagefind.en_abc123.pf_meta': 'application/octet-stream',
      '/pagefind/wasm.en.pagefind': 'application/octet-stream',
      '/pagefind/module.wasm': 'application/wasm',
    };
    for (const [path, type] of Object.entries(expected)) {
      const answer = await get(agent.port, path);
      expect(answer.headers['content-type'], path).toBe(type);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('does not compress Pagefind files twice (they are gzip inside already)', async () => {
    const answer = await get(agent.port, '/pagefind/fragment/en_1234567.pf_fragment', { 'Accept-Encoding': 'br, gzip' });
    expect(answer.headers['content-encoding']).toBeUndefined();
  });
});

describe('pages that are not there', () => {
  it("answers a reader with the locale's 404 page", async () => {
    const asBrowser = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const ar = await get(agent.port, '/ar/no-such-page/', asBrowser);
    expect(ar.status).toBe(404);
    expect(ar.body.toString()).toContain('غير موجود AR');
    const en = await get(agent.port, '/no-such-page/', asBrowser);
    expect(en.status).toBe(404);
    expect(en.body.toString()).toContain('Not found EN');
    const fa = await get(agent.port, '/fa/nothing', asBrowser);
    expect(fa.status).toBe(404);
    expect(fa.body.toString()).toContain('Not found EN'); // no Farsi 404 page: the default one
  });

  it('answers a request that is not for a page (a guessed /favicon.ico) in a few bytes', async () => {
    const icon = await get(agent.port, '/favicon.ico', { Accept: 'image/avif,image/webp,image/svg+xml,image/*,*/*;q=0.8' });
    expect(icon.status).toBe(404);
    expect(icon.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(icon.body.length).toBeLessThan(100);
  });

  it('never lists a directory', async () => {
    const answer = await get(agent.port, '/_astro/', { Accept: 'text/html' });
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).toContain('Not found EN');
    expect(answer.body.toString()).not.toContain('common.XyZ789.css');
  });

  it('redirects a directory without its slash', async () => {
    const answer = await get(agent.port, '/guide?x=1');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('/guide/?x=1');
  });

  it('refuses methods other than GET and HEAD on files', async () => {
    const answer = await get(agent.port, '/guide/', {}, 'DELETE');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });
});

describe('HEAD and ranges', () => {
  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await get(agent.port, '/node.img', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(1024 * 1024));
    expect(head.headers['accept-ranges']).toBe('bytes');
    expect(head.body.length).toBe(0);
  });

  it('sends byte ranges of a large download', async () => {
    const file = readFileSync(join(root, 'node.img'));
    const middle = await get(agent.port, '/node.img', { Range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 1000-1999/${file.length}`);
    expect(middle.body.equals(file.subarray(1000, 2000))).toBe(true);
    const tail = await get(agent.port, '/node.img', { Range: 'bytes=-10' });
    expect(tail.body.equals(file.subarray(file.length - 10))).toBe(true);
    const rest = await get(agent.port, '/node.img', { Range: `bytes=${file.length - 5}-` });
    expect(rest.body.equals(file.subarray(file.length - 5))).toBe(true);
    const beyond = await get(agent.port, '/node.img', { Range: `bytes=${file.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${file.length}`);
    const stale = await get(agent.port, '/node.img', { Range: 'bytes=0-9', 'If-Range': '"old"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(file.length);
  });
});

describe('security headers', () => {
  it("allows the page's inline script by its hash and never 'unsafe-inline' for scripts", async () => {
    const answer = await get(agent.port, '/guide/');
    const csp = answer.headers['content-security-policy']!;
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
    const hash = createHash('sha256').update(INLINE_SCRIPT).digest('base64');
    expect(scriptSrc).toContain(`'sha256-${hash}'`);
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('reads the hashes from the file the build wrote', () => {
    const file = JSON.parse(readFileSync(join(root, '.byz-csp.json'), 'utf8'));
    expect(file.pages['/guide/index.html']).toEqual([`'sha256-${createHash('sha256').update(INLINE_SCRIPT).digest('base64')}'`]);
  });
});

describe('no path outside the site', () => {
  const attacks = [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/guide/..%2f..%2fsecret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/guide/%5c..%5c..%5csecret.txt',
    '/%00/../secret.txt',
    '/index.html%00.js',
    '/%c0%ae%c0%ae/secret.txt',
    '/%e0%80%ae%e0%80%ae/secret.txt',
    '/%c0%af../secret.txt',
    '/.hidden',
    '/%2ehidden',
    '/link-out.txt',
    '/./secret.txt',
    '//secret.txt',
    '/guide/../../secret.txt',
    '/ar/%2e%2e/%2e%2e/secret.txt',
  ];
  for (const path of attacks) {
    it(`refuses ${path}`, async () => {
      const answer = await get(agent.port, path);
      expect([400, 404]).toContain(answer.status);
      expect(answer.body.toString('latin1')).not.toContain(SECRET_TEXT);
    });
  }

  it('refuses an absolute-form target', async () => {
    const answer = await get(agent.port, 'http://localhost/../secret.txt');
    expect([400, 404]).toContain(answer.status);
    expect(answer.body.toString('latin1')).not.toContain(SECRET_TEXT);
  });
});

describe('a book rebuilt under the running agent', () => {
  it('answers 503 for a file that vanished, and serves the new book after a reindex (SIGHUP)', async () => {
    const { root: fresh } = makeSite();
    const running = await startTestAgent({ siteDir: fresh });
    try {
      for (const suffix of ['', '.br', '.gz']) rmSync(join(fresh, 'guide', `index.html${suffix}`), { force: true });
      mkdirSync(join(fresh, 'new-part'));
      writeFileSync(join(fresh, 'new-part', 'index.html'), '<!doctype html><title>New part</title>');
      const gone = await get(running.port, '/guide/', { 'Accept-Encoding': 'br' });
      expect(gone.status).toBe(503);
      expect(gone.headers['retry-after']).toBe('2');
      expect((await get(running.port, '/new-part/')).status).toBe(404);
      expect(running.reindexSite()).toBe(true);
      expect((await get(running.port, '/new-part/')).body.toString()).toContain('New part');
      expect((await get(running.port, '/guide/')).status).toBe(404);
    } finally {
      await running.close();
    }
  });
});

describe('a page changed after precompression', () => {
  it('is sent as it is now, never as its stale compressed twin', async () => {
    const { root: fresh } = makeSite();
    const page = join(fresh, 'guide', 'index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('<title>Guide</title>', '<title>Guide, corrected</title>'));
    const running = await startTestAgent({ siteDir: fresh });
    try {
      const answer = await get(running.port, '/guide/', { 'Accept-Encoding': 'br, gzip' });
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.body.toString()).toContain('Guide, corrected');
    } finally {
      await running.close();
    }
  });
});
