/**
 * Operator authentication: one-time login tokens signed with the operator
 * secret (made by `byz operator-link`, which can read the secret), sessions
 * held in memory and named by an HttpOnly SameSite=Strict cookie, and one
 * CSRF token per session that state-changing requests carry in a header.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'byz_session';
export const CSRF_HEADER = 'x-csrf-token';
const LOGIN_TOKEN_LIFETIME_MS = 10 * 60_000;
const MAX_SESSIONS = 32;

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A login token: "v1.<expiry>.<nonce>.<signature>", valid once, for ten minutes. */
export function makeLoginToken(secret: Buffer, now = Date.now()): string {
  const payload = `v1.${(now + LOGIN_TOKEN_LIFETIME_MS).toString(36)}.${randomBytes(16).toString('base64url')}`;
  return `${payload}.${sign(secret, payload)}`;
}

export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

export class OperatorAuth {
  private readonly secret: Buffer;
  private readonly sessionLifetimeMs: number;
  private readonly sessions = new Map<string, Session>();
  /** Nonces of login tokens already used, until they expire. */
  private readonly usedNonces = new Map<string, number>();
  /** Tokens made before this agent started are refused: the used-nonce list does not survive a restart. */
  private readonly notBefore: number;

  constructor(secret: Buffer, options: { sessionLifetimeMs?: number; now?: number } = {}) {
    this.secret = secret;
    this.sessionLifetimeMs = options.sessionLifetimeMs ?? 8 * 3600_000;
    this.notBefore = (options.now ?? Date.now()) - 1000;
  }

  /** Checks a login token and spends it; a session on success, null otherwise (whatever the reason). */
  login(token: string, now = Date.now()): Session | null {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return null;
    const [version, expiry, nonce, signature] = parts as [string, string, string, string];
    if (!sameText(signature, sign(this.secret, `${version}.${expiry}.${nonce}`))) return null;
    const expiresAt = Number.parseInt(expiry, 36);
    if (!(expiresAt > now) || expiresAt > now + LOGIN_TOKEN_LIFETIME_MS + 60_000) return null;
    if (expiresAt - LOGIN_TOKEN_LIFETIME_MS < this.notBefore) return null;
    for (const [used, until] of this.usedNonces) if (until <= now) this.usedNonces.delete(used);
    if (this.usedNonces.has(nonce)) return null;
    this.usedNonces.set(nonce, expiresAt);

    this.prune(now);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const session = { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(32).toString('base64url'), expiresAt: now + this.sessionLifetimeMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session a Cookie header names, or null. */
  sessionFrom(cookieHeader: string | undefined, now = Date.now()): Session | null {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.sessions.delete(id);
      return null;
    }
    return session;
  }

  csrfHolds(session: Session, header: string | string[] | undefined): boolean {
    return typeof header === 'string' && sameText(header, session.csrfToken);
  }

  logout(session: Session): void {
    this.sessions.delete(session.id);
  }

  cookieFor(session: Session, now = Date.now()): string {
    const maxAge = Math.max(0, Math.floor((session.expiresAt - now) / 1000));
    return `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;
  }

  private prune(now: number): void {
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}

export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
