import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

/** The built book under test: BOOK_DIST, else dist/ (made by `npm run build`). */
export function bookDir(): string {
  const dir = process.env.BOOK_DIST || 'dist';
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`no built book in ${dir}/: run "npm run build" first (npm test does)`);
  }
  return dir;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
};

/**
 * A deliberately plain static server for browser tests of the built files:
 * no caching, and no compression unless asked (the benchmark asks, so that
 * both sites it compares travel gzipped, as from any real server). What the
 * tests measure is the book, not the server; the node agent has its own tests.
 */
export async function serveStatic(
  root: string,
  options: { gzip?: boolean } = {},
): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, pathname));
    if (relative(root, file).startsWith('..')) {
      response.writeHead(403).end();
      return;
    }
    if (file.endsWith(sep) || (existsSync(file) && statSync(file).isDirectory())) file = join(file, 'index.html');
    try {
      const body = await readFile(file);
      const type = types[extname(file)] ?? 'application/octet-stream';
      if (options.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding']))) {
        response.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip' });
        response.end(gzipSync(body));
      } else {
        response.writeHead(200, { 'content-type': type });
        response.end(body);
      }
    } catch {
      response.writeHead(404, { 'content-type': types['.html'] }).end(await readFile(join(root, '404.html')));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Every HTML page of the built site, as URL paths ("/", "/ar/start/"). */
export function htmlPages(root: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== '_astro' && name !== 'pagefind') walk(path);
      } else if (name === 'index.html') {
        pages.push(`/${relative(root, dir).split(sep).join('/')}/`.replace(/^\/\/$/, '/').replace('//', '/'));
      }
    }
  };
  walk(root);
  return pages.sort();
}
