/**
 * /api/v1: looks up the endpoint in the contract's table, applies its access
 * rule (public; operator = loopback unless allowed, session cookie, same
 * origin and CSRF header on POST), validates the body against its schema and
 * calls the handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { endpoints, type Endpoint, type EndpointName } from '../contract/endpoints.ts';
import * as s from '../contract/schemas.ts';
import { openApiDocument } from '../contract/openapi.ts';
import { CSRF_HEADER, type OperatorAuth, type Session } from './auth.ts';
import { hostOf } from './host-allowlist.ts';
import { HttpError, readBody, sendError, sendJson, sendJsonText } from './http-io.ts';
import { RateLimit } from './rate-limit.ts';
import type { JobRunner } from './jobs.ts';
import type { DiskSource } from './disks.ts';
import { startWithPassphrase } from './job-key-file.ts';
import type { MeshSource } from './mesh-source.ts';
import type { RadioSource } from './radio-source.ts';
import type { MeshDirectory } from './directory.ts';
import type { ServiceManager } from './services.ts';
import type { SetupBridge } from './setup-bridge.ts';

export interface AgentServices {
  name: string;
  version: string;
  startedAt: number;
  auth: OperatorAuth;
  /** Answer operator endpoints on every listener, not only loopback (an explicit choice). */
  operatorRemote?: boolean;
  /** Let operator endpoints change the machine (apply, undo, gateway, clone, persist). */
  allowApply?: boolean;
  mesh: MeshSource;
  radio: RadioSource;
  services: ServiceManager;
  directory: MeshDirectory;
  setup: SetupBridge;
  jobs: JobRunner;
  /** The disks and persistence the clone and persist wizards offer. */
  disks: DiskSource;
  /** The agent's private state directory (job key files live there briefly). */
  stateDir: string;
}

type Handler = (ctx: { req: IncomingMessage; res: ServerResponse; body: unknown; params: Record<string, string>; session: Session | null }) => Promise<unknown> | unknown;

const compiled = (Object.entries(endpoints) as [EndpointName, Endpoint][]).map(([name, endpoint]) => {
  const names: string[] = [];
  const pattern = new RegExp(
    '^' + endpoint.path.replace(/\{(\w+)\}/g, (_m, param: string) => (names.push(param), '([a-z0-9][a-z0-9-]{0,31})')) + '$',
  );
  return { name, endpoint, pattern, names };
});

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Same origin: the Origin header names this very host, or (no Origin) the browser says Sec-Fetch-Site: same-origin. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // includes "null"
    }
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === (req.headers.host ?? '').toLowerCase() && hostOf(url.host) !== null;
  }
  return req.headers['sec-fetch-site'] === 'same-origin';
}

/** Options of a setup request as command-line arguments, one argv item each ("--key=value", never split, never a shell). */
export function optionsToArgs(options: Record<string, string | number | boolean | string[]>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === true) args.push(`--${key}`);
    else if (Array.isArray(value)) for (const item of value) args.push(`--${key}=${item}`);
    else if (value !== false) args.push(`--${key}=${String(value)}`);
  }
  return args;
}

export class ApiRouter {
  private readonly agent: AgentServices;
  private readonly loginLimit = new RateLimit({ perKey: 5, total: 20, windowMs: 60_000 });
  private readonly handlers: Record<EndpointName, Handler>;
  private openapi: string | null = null;

  constructor(agent: AgentServices) {
    this.agent = agent;
    const a = agent;
    const requireApply = () => {
      if (!a.allowApply) throw new HttpError(403, 'apply_disabled', 'this agent was started without --allow-apply: it shows plans but does not change the machine');
    };
    const setupArgs = (body: unknown) => optionsToArgs((body as s.SetupRequest).options ?? {});
    this.handlers = {
      node: async () => ({ name: a.name, version: a.version, uptimeSeconds: Math.floor((Date.now() - a.startedAt) / 1000), meshAddress: await a.mesh.meshAddress() }),
      // The mesh sees only services that run: a stopped one is of no use to a phone (the operator's status lists all).
      services: ({ req }) => ({ node: a.name, services: running(a.services.list(hostOf(req.headers.host) ?? 'localhost')) }),
      directory: ({ req }) => ({ entries: a.directory.entries(running(a.services.list(hostOf(req.headers.host) ?? 'localhost'))) }),
      neighbours: async () => ({ neighbours: await a.mesh.neighbours() }),
      topology: async () => ({ routes: await a.mesh.routes() }),
      radio: async () => ({ radios: await a.radio.radios() }),
      login: ({ req, res, body }) => {
        const session = a.auth.login((body as s.LoginRequest).token);
        if (!session) {
          this.loginLimit.recordFailure(req.socket.remoteAddress ?? '?');
          throw new HttpError(401, 'bad_token', 'this login link is wrong, expired or already used; run "byz operator-link" again');
        }
        res.setHeader('Set-Cookie', a.auth.cookieFor(session));
        return { csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAt).toISOString() };
      },
      session: ({ session }) => ({ csrfToken: session!.csrfToken, expiresAt: new Date(session!.expiresAt).toISOString() }),
      status: async ({ req }) => {
        const [system, meshAddress] = await Promise.all([a.setup.status(), a.mesh.meshAddress()]);
        const summary = { name: a.name, version: a.version, uptimeSeconds: Math.floor((Date.now() - a.startedAt) / 1000), meshAddress };
        return { node: summary, services: a.services.list(hostOf(req.headers.host) ?? 'localhost'), clientCount: system.clientCount, gateway: system.gateway, system: system.raw };
      },
      setupPlan: async ({ body }) => ({ plan: await a.setup.plan(setupArgs(body)) }),
      setupVerify: async ({ body }) => a.setup.verify(setupArgs(body)),
      setupApply: ({ body }) => (requireApply(), a.jobs.start('setup-apply', ['setup', 'apply', ...setupArgs(body)])),
      setupUndo: ({ body }) => (requireApply(), a.jobs.start('setup-undo', ['setup', 'undo', ...setupArgs(body)])),
      gateway: ({ body }) => (requireApply(), a.jobs.start('gateway', ['gateway', (body as s.GatewayRequest).on ? 'on' : 'off'])),
      serviceSwitch: async ({ body, params }) => {
        const request = body as v.InferOutput<typeof s.ServiceSwitchRequest>;
        return request.on ? a.services.start(params.id!) : a.services.stop(params.id!, request.cascade);
      },
      jobStart: ({ body }) => {
        requireApply();
        const request = body as s.JobRequest;
        // byz clone reports JSON-lines progress; byz persist prints plain lines, which become the progress message.
        const progress = request.kind === 'clone' ? ['--progress', 'json'] : [];
        const args = [request.kind, ...request.args, ...progress];
        if (request.passphrase !== undefined) return startWithPassphrase(a.jobs, a.stateDir, request.kind, args, request.passphrase);
        return a.jobs.start(request.kind, args);
      },
      cloneTargets: () => a.disks.cloneTargets(),
      persist: () => a.disks.persist(),
      jobList: () => ({ jobs: a.jobs.list() }),
      job: ({ params }) => a.jobs.get(params.id!) ?? notFound('no such job'),
      jobEvents: ({ req, res, params }) => {
        if (!a.jobs.get(params.id!)) notFound('no such job');
        a.jobs.stream(params.id!, req, res);
        return undefined;
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    if (path === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
      this.openapi ??= JSON.stringify(openApiDocument(this.agent.version));
      sendJsonText(res, 200, this.openapi, { 'Cache-Control': 'no-cache' });
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const matches = compiled.filter((route) => route.pattern.test(path));
    const route = matches.find((candidate) => candidate.endpoint.method === method);
    if (!route) {
      if (matches.length > 0) sendError(res, 405, 'method_not_allowed', 'method not allowed here', { Allow: [...new Set(matches.map((m) => m.endpoint.method))].join(', ') });
      else sendError(res, 404, 'not_found', 'no such endpoint');
      return;
    }
    const { endpoint } = route;
    const params: Record<string, string> = {};
    const found = route.pattern.exec(path)!;
    route.names.forEach((name, i) => (params[name] = found[i + 1]!));

    let session: Session | null = null;
    if (endpoint.access !== 'public') {
      if (!this.agent.operatorRemote && !isLoopback(req.socket.remoteAddress)) {
        throw new HttpError(403, 'operator_loopback_only', 'operator endpoints answer only on the node itself (start the agent with --operator-remote to change that)');
      }
      // Secrets never travel in URLs (they end up in logs and history).
      if (/(^|&)(token|csrf|csrfToken|session)=/i.test(query)) throw new HttpError(400, 'token_in_url', 'tokens belong in headers or the body, never in the URL');
      if (endpoint.method === 'POST' && !sameOrigin(req)) throw new HttpError(403, 'cross_site', 'state changes must come from a page of this node (Origin or Sec-Fetch-Site)');
      if (endpoint.access === 'login') {
        if (this.loginLimit.blocked(req.socket.remoteAddress ?? '?')) throw new HttpError(429, 'too_many_logins', 'too many login attempts; wait a minute', { 'Retry-After': this.loginLimit.retryAfter() });
      } else {
        session = this.agent.auth.sessionFrom(req.headers.cookie);
        if (!session) throw new HttpError(401, 'login_required', 'log in with a link from "byz operator-link"');
        if (endpoint.method === 'POST' && !this.agent.auth.csrfHolds(session, req.headers[CSRF_HEADER])) {
          throw new HttpError(403, 'csrf', 'missing or wrong X-CSRF-Token header');
        }
      }
    }
    const body = endpoint.method === 'POST' && endpoint.request ? await readBody(req, endpoint.request) : undefined;
    const answer = await this.handlers[route.name]({ req, res, body, params, session });
    if (answer === undefined) return; // the handler answered itself (event stream)
    if (endpoint.response !== 'event-stream') {
      // Our own answers are checked too: a bug must not leak something the contract does not allow.
      const checked = v.safeParse(endpoint.response, answer);
      if (!checked.success) {
        process.stderr.write(`byz serve: answer of ${route.name} breaks the contract: ${v.getDotPath(checked.issues[0]) ?? ''} ${checked.issues[0].message}\n`);
        throw new HttpError(500, 'contract', 'the agent produced an answer outside its contract');
      }
      sendJson(res, 200, checked.output);
    }
  }
}

const running = (services: s.Service[]): s.Service[] => services.filter((service) => service.running);

function notFound(message: string): never {
  throw new HttpError(404, 'not_found', message);
}
