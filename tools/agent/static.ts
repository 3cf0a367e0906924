/**
 * Serves the built book: precompressed variants by Accept-Encoding, a year of
 * caching for hashed assets and ETag revalidation for the rest, byte ranges,
 * HEAD, the locale's 404 page, and no directory listings.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, readFileSync } from 'node:fs';
import type { PlainAnswer } from './fast-lane.ts';
import { COMMON_SECURITY_HEADERS, NON_PAGE_POLICY, inlineScriptHashes, pagePolicy } from './csp.ts';
import type { SiteFile, SiteIndex, Variant } from './site-index.ts';

const LOCALES = ['ar', 'fa', 'zh-cn'];
/** Files up to this size are kept in memory after the first read, up to the budget below. */
const CACHE_FILE_MAX = 256 * 1024;

export interface StaticOptions {
  /** Bytes of file content kept in memory (0 disables the cache). */
  cacheBudget?: number;
}

export class StaticSite {
  readonly index: SiteIndex;
  private readonly cache = new Map<string, Buffer>();
  private cacheLeft: number;

  constructor(index: SiteIndex, options: StaticOptions = {}) {
    this.index = index;
    this.cacheLeft = options.cacheBudget ?? 16 * 1024 * 1024;
  }

  /** The file a site path names: "/x/" means "/x/index.html". */
  lookup(sitePath: string): SiteFile | undefined {
    return this.index.files.get(sitePath.endsWith('/') ? sitePath + 'index.html' : sitePath);
  }

  /** "/ar" has a page at "/ar/": the address to redirect to, or null. */
  directoryRedirect(sitePath: string): string | null {
    return !sitePath.endsWith('/') && this.index.files.has(sitePath + '/index.html') ? sitePath + '/' : null;
  }

  /**
   * The 404 page of the locale the path is in (falls back to the default locale's). Starlight writes the
   * default locale's as /404.html and a translated one as a page, /ar/404/index.html.
   */
  notFoundPage(sitePath: string): SiteFile | undefined {
    const first = sitePath.split('/')[1] ?? '';
    const locale = LOCALES.includes(first) ? first : '';
    const files = this.index.files;
    return (locale ? (files.get(`/${locale}/404.html`) ?? files.get(`/${locale}/404/index.html`)) : undefined) ?? files.get('/404.html');
  }

  private read(variant: Variant): Buffer {
    const cached = this.cache.get(variant.file);
    if (cached) return cached;
    const content = readFileSync(variant.file);
    if (content.length <= CACHE_FILE_MAX && content.length <= this.cacheLeft) {
      this.cache.set(variant.file, content);
      this.cacheLeft -= content.length;
    }
    return content;
  }

  private policyFor(file: SiteFile): string {
    if (file.type.startsWith('text/javascript')) return pagePolicy([]); // a worker script gets its policy from its own answer
    if (!file.isHtml) return NON_PAGE_POLICY;
    file.cspHashes ??= inlineScriptHashes(this.read(file.identity).toString('utf8'));
    return pagePolicy(file.cspHashes);
  }

  /** Headers of a whole-file 200 answer, built once per variant (the hot path of a busy node). */
  private readonly fullHeaders = new Map<Variant, string[]>();

  private headersFor(file: SiteFile, variant: Variant, status: number): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      ...COMMON_SECURITY_HEADERS,
      'Content-Security-Policy': this.policyFor(file),
      'Content-Type': file.type,
      'Cache-Control': status !== 200 ? 'no-cache' : file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: variant.etag,
    };
    if (file.br || file.gzip) headers.Vary = 'Accept-Encoding';
    if (variant.encoding) headers['Content-Encoding'] = variant.encoding;
    else headers['Accept-Ranges'] = 'bytes';
    return headers;
  }

  /** Head fields (after the status line) of each variant's whole-file 200, as bytes, for the fast lane. */
  private readonly plainHeads = new Map<Variant, Buffer>();

  /**
   * The whole-file 200 answer the fast lane writes (fast-lane.ts), with the
   * same fields send() gives; null for a file too large to keep in memory
   * (node:http streams those).
   */
  plainAnswer(file: SiteFile, acceptEncoding: string | undefined, headOnly: boolean): PlainAnswer | null {
    const variant = chooseVariant(file, acceptEncoding);
    if (variant.size > CACHE_FILE_MAX && !file.isHtml) return null;
    const body = headOnly ? null : this.read(variant); // before the head: a vanished file is still a clean error
    let head = this.plainHeads.get(variant);
    if (!head) {
      const fields = { ...this.headersFor(file, variant, 200), 'Content-Length': variant.size };
      head = Buffer.from(Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('') + '\r\n', 'latin1');
      this.plainHeads.set(variant, head);
    }
    return { head, body };
  }

  /** Sends a file (status 200, or 404 for an error page). */
  send(req: IncomingMessage, res: ServerResponse, file: SiteFile, status = 200): void {
    const variant = chooseVariant(file, req.headers['accept-encoding']);
    const conditional = req.headers['if-none-match'] !== undefined || (req.headers.range !== undefined && !variant.encoding);
    if (status === 200 && !conditional && (variant.size <= CACHE_FILE_MAX || file.isHtml)) {
      let raw = this.fullHeaders.get(variant);
      if (!raw) {
        raw = Object.entries({ ...this.headersFor(file, variant, 200), 'Content-Length': variant.size }).flatMap(([k, val]) => [k, String(val)]);
        this.fullHeaders.set(variant, raw);
      }
      const body = req.method === 'HEAD' ? undefined : this.read(variant); // before the head: a vanished file is still a clean error
      res.writeHead(200, raw);
      res.end(body);
      return;
    }
    const headers = this.headersFor(file, variant, status);

    if (status === 200 && notModified(req, variant.etag)) {
      delete headers['Content-Type'];
      res.writeHead(304, headers);
      res.end();
      return;
    }

    let start = 0;
    let end = variant.size - 1;
    if (status === 200 && !variant.encoding && req.headers.range && ifRangeHolds(req, variant.etag)) {
      const range = parseRange(req.headers.range, variant.size);
      if (range === 'unsatisfiable') {
        res.writeHead(416, { ...COMMON_SECURITY_HEADERS, 'Content-Range': `bytes */${variant.size}`, 'Content-Length': 0 });
        res.end();
        return;
      }
      if (range) {
        [start, end] = range;
        status = 206;
        headers['Content-Range'] = `bytes ${start}-${end}/${variant.size}`;
      }
    }
    headers['Content-Length'] = end - start + 1;
    const inMemory = variant.size <= CACHE_FILE_MAX || file.isHtml;
    const content = inMemory && req.method !== 'HEAD' ? this.read(variant) : null;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (content) {
      res.end(start === 0 && end === content.length - 1 ? content : content.subarray(start, end + 1));
      return;
    }
    const stream = createReadStream(variant.file, { start, end });
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }
}

/** br if the client takes it and the build made it, then gzip, then the file as it is. */
export function chooseVariant(file: SiteFile, acceptEncoding: string | string[] | undefined): Variant {
  if (!acceptEncoding || (!file.br && !file.gzip)) return file.identity;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  // Browsers send a handful of distinct headers: remember the answer for each (bounded).
  let accepted = encodingMemo.get(header);
  if (!accepted) {
    accepted = acceptedEncodings(header);
    if (encodingMemo.size >= 64) encodingMemo.clear();
    encodingMemo.set(header, accepted);
  }
  if (file.br && accepted.has('br')) return file.br;
  if (file.gzip && accepted.has('gzip')) return file.gzip;
  return file.identity;
}

const encodingMemo = new Map<string, Set<string>>();

/** Encodings with a non-zero quality in an Accept-Encoding header ("*" stands for any not named). */
export function acceptedEncodings(header: string): Set<string> {
  const yes = new Set<string>();
  const no = new Set<string>();
  let star = false;
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = (rawName ?? '').trim().toLowerCase();
    if (!name) continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const zero = q !== undefined && !(Number.parseFloat(q.slice(2)) > 0);
    if (name === '*') star = !zero;
    else (zero ? no : yes).add(name === 'x-gzip' ? 'gzip' : name);
  }
  if (star) for (const name of ['br', 'gzip']) if (!no.has(name)) yes.add(name);
  return yes;
}

function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function ifRangeHolds(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-range'];
  return header === undefined || String(header).trim() === etag;
}

/** One byte range ("bytes=0-99", "bytes=100-", "bytes=-100"); several ranges are answered with the whole file (allowed by RFC 9110). */
export function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  if (first === '') {
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - length), size - 1];
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== '' && Number(last) < start)) return 'unsatisfiable';
  return [start, end];
}
