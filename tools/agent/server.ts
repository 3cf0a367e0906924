/**
 * The node agent: one node:http server for the book, the node's front page
 * and /api/v1. Every request passes, in order: the captive-portal probes (in
 * captive mode), the Host allowlist (421), then the API or the static site.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX } from '../contract/schemas.ts';
import { captiveRedirect } from './captive.ts';
import { ApiRouter, isLoopback, type AgentServices } from './api.ts';
import { HostAllowlist, hostOf } from './host-allowlist.ts';
import { HttpError, sendError } from './http-io.ts';
import { COMMON_SECURITY_HEADERS } from './csp.ts';
import { parseRequestPath } from './request-path.ts';
import { StaticSite } from './static.ts';
import { indexSite } from './site-index.ts';
import { renderFrontPage } from './front-page.ts';
import { LOGIN_PAGE_PATH, LOGIN_SCRIPT_PATH, sendLoginPage, sendLoginScript } from './login-page.ts';
import { installFastLane, type FastLane, type PlainAnswer } from './fast-lane.ts';
import type { PlainRequest } from './plain-request.ts';

export interface AgentOptions extends AgentServices {
  /** The built book (dist/), or null to serve only the API and front page. */
  siteDir: string | null;
  host: string;
  port: number;
  /** More names the node answers to (besides localhost, its hostname and addresses). */
  allowedHosts?: readonly string[];
  /** Answer phones' connectivity probes so they open the front page. */
  captive?: boolean;
  /** Serve the front page at "/" (the book's own home stays at /index.html). */
  frontPage?: boolean;
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number; checkIntervalMs?: number };
  /** Open connections one address (other than loopback) may hold; a phone needs a handful. */
  maxConnectionsPerClient?: number;
}

export interface RunningAgent extends AgentServer {
  readonly url: string;
  close(): Promise<void>;
}

/** At most one failure line a second (a vanished book must not flood the log), with a count of the rest. */
let lastLogAt = 0;
let suppressed = 0;
function logFailure(line: string): void {
  const now = Date.now();
  if (now - lastLogAt < 1000) {
    suppressed++;
    return;
  }
  process.stderr.write(`byz serve: ${line}${suppressed ? ` (and ${suppressed} more failures)` : ''}\n`);
  lastLogAt = now;
  suppressed = 0;
}

export interface AgentServer {
  readonly server: Server;
  /** Plain requests for files of the book, answered off the socket (fast-lane.ts). */
  readonly fastLane: FastLane;
  /** Reads the book's directory again (after a new book was installed); false if it could not. */
  reindexSite(): boolean;
}

/** Indexes the book, and says so once when compressed copies cannot be used (phones would get pages 4-5 times larger). */
function openSite(siteDir: string): StaticSite {
  const index = indexSite(siteDir);
  if (index.staleTwins > 0) {
    process.stderr.write(
      `byz serve: ${index.staleTwins} compressed copies (.br/.gz) in ${index.root} were not made from their page as it is now, so those pages are sent uncompressed; install the book again from a fresh build\n`,
    );
  }
  return new StaticSite(index);
}

export function createAgentServer(options: AgentOptions): AgentServer {
  let site = options.siteDir ? openSite(options.siteDir) : null;
  let indexedAt = Date.now();
  /** The book was rebuilt under us (a file of the index is gone): index it again, at most every two seconds. */
  const reindex = (): boolean => {
    if (!options.siteDir || Date.now() - indexedAt < 2000) return false;
    indexedAt = Date.now();
    try {
      site = openSite(options.siteDir);
      fastLane.forgetAnswers();
      return true;
    } catch {
      return false; // mid-rebuild: the next request tries again
    }
  };
  const hosts = new HostAllowlist(options.allowedHosts ?? []);
  const api = new ApiRouter(options);
  const frontPage = options.frontPage ?? true;

  const timeouts = {
    headersMs: options.timeouts?.headersMs ?? 10_000,
    requestMs: options.timeouts?.requestMs ?? 30_000,
    keepAliveMs: options.timeouts?.keepAliveMs ?? 5_000,
    checkIntervalMs: options.timeouts?.checkIntervalMs ?? 1_000,
  };
  const maxHeadBytes = 8 * 1024;
  const server = createServer(
    {
      // Slow clients cannot hold the node: whole headers within headersMs, the whole request within requestMs.
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      maxHeaderSize: maxHeadBytes,
      requireHostHeader: true,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) {
          reindex();
          sendError(res, 503, 'book_changed', 'the book is being rebuilt; try again in a moment', { 'Retry-After': 2 });
          return;
        }
        if (error instanceof HttpError) {
          if (!res.headersSent) sendError(res, error.status, error.code, error.message, error.headers);
          else res.destroy();
          return;
        }
        logFailure(`${req.method} ${req.url?.slice(0, 200)}: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) sendError(res, 500, 'internal', 'the agent failed to answer this request');
        else res.destroy();
      });
    },
  );
  server.maxHeadersCount = 64;
  server.maxConnections = 4096;
  /** What handle() below would send for a plain request, when it is a file of the book kept in memory; else null. */
  const plainAnswer = (request: PlainRequest): PlainAnswer | null => {
    if (!site || !hosts.allows(request.host)) return null;
    const target = parseRequestPath(request.target);
    if (!target.ok || target.path === LOGIN_PAGE_PATH || target.path === LOGIN_SCRIPT_PATH) return null;
    if (target.path === API_PREFIX || target.path.startsWith(API_PREFIX + '/') || (target.path === '/' && frontPage)) return null;
    const file = site.lookup(target.path);
    return file ? site.plainAnswer(file, request.acceptEncoding, request.method === 'HEAD') : null;
  };
  const fastLane = installFastLane(server, { answer: plainAnswer, ...timeouts, maxHeadBytes });
  limitConnectionsPerClient(server, options.maxConnectionsPerClient ?? 64);
  // Malformed, oversized or too slow requests: one short answer, then the connection is gone
  // (destroyed, not half-closed, so a client that keeps sending cannot keep it).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.captive && captiveRedirect(req, res, hosts)) return;
    if (!hosts.allows(req.headers.host)) {
      sendError(res, 421, 'misdirected_request', 'this node does not answer to that host name');
      return;
    }
    const target = parseRequestPath(req.url);
    if (!target.ok) {
      sendError(res, target.status, target.status === 400 ? 'bad_path' : 'not_found', target.status === 400 ? 'malformed or forbidden path' : 'no such file');
      return;
    }
    if (target.path === API_PREFIX || target.path.startsWith(API_PREFIX + '/')) {
      await api.handle(req, res, target.path.slice(API_PREFIX.length), target.query);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'method_not_allowed', 'only GET and HEAD are served here', { Allow: 'GET, HEAD' });
      return;
    }
    if (target.path === LOGIN_PAGE_PATH) return sendLoginPage(req, res);
    if (target.path === LOGIN_SCRIPT_PATH) return sendLoginScript(req, res);
    if (target.path === '/' && frontPage) {
      const host = hostOf(req.headers.host) ?? 'localhost';
      renderFrontPage(req, res, target.query, {
        name: options.name,
        directory: options.directory,
        localServices: () => options.services.list(host).filter((service) => service.running),
        siteHas: (path) => Boolean(site?.lookup(path)),
      });
      return;
    }
    if (!site) {
      sendError(res, 404, 'not_found', 'no book on this node');
      return;
    }
    const file = site.lookup(target.path);
    if (file) return site.send(req, res, file);
    const redirect = site.directoryRedirect(target.path);
    if (redirect) {
      res.writeHead(301, { ...COMMON_SECURITY_HEADERS, Location: encodeURI(redirect) + (target.query ? `?${target.query}` : ''), 'Content-Length': 0 });
      res.end();
      return;
    }
    // The 404 page is for a reader who followed a link; a browser's guess at /favicon.ico or a
    // script's request gets a few bytes, not several kilobytes over the radio.
    const notFound = wantsPage(req) ? site.notFoundPage(target.path) : undefined;
    if (notFound) return site.send(req, res, notFound, 404);
    sendError(res, 404, 'not_found', 'no such file');
  }

  return {
    server,
    fastLane,
    reindexSite: () => {
      indexedAt = 0;
      return reindex();
    },
  };
}

/**
 * One device on the mesh cannot take every connection (and the memory each
 * costs): past the limit, its new connections are closed at once. Loopback is
 * exempt: it is the node itself (and the benchmark).
 */
function limitConnectionsPerClient(server: Server, limit: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '?';
    if (isLoopback(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > limit) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { server, fastLane, reindexSite } = createAgentServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a burst of phones connecting at once waits instead of being refused.
    server.listen({ port: options.port, host: options.host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    fastLane,
    reindexSite,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        fastLane.closeAll();
      }),
  };
}

/** A browser navigating to a page asks for text/html; images, scripts and fetches do not. */
function wantsPage(req: IncomingMessage): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? '');
}
