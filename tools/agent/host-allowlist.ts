/**
 * The Host names this agent answers to: its own names and addresses and
 * localhost. A browser tricked by DNS rebinding sends the attacker's name in
 * Host, so anything else is answered 421 and never reaches a handler.
 */
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** The host part of a Host header, lower case, without port, brackets or a trailing dot; null if malformed. */
export function hostOf(header: string | undefined): string | null {
  if (!header || header.length > 255) return null;
  const text = header.trim().toLowerCase();
  let host: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest && !/^:\d{1,5}$/.test(rest)) return null;
    return isIP(host) === 6 ? host : null;
  }
  const colon = text.indexOf(':');
  host = colon < 0 ? text : text.slice(0, colon);
  if (colon >= 0 && !/^\d{1,5}$/.test(text.slice(colon + 1))) return null;
  if (host.endsWith('.')) host = host.slice(0, -1);
  return /^[a-z0-9.-]+$/.test(host) ? host : null;
}

export class HostAllowlist {
  private readonly fixed: Set<string>;
  private addresses = new Set<string>();
  /** Host headers already found to name one of the fixed names (bounded). */
  private readonly seen = new Set<string>();
  private refreshedAt = 0;

  constructor(extraNames: readonly string[] = []) {
    const name = hostname().toLowerCase();
    this.fixed = new Set(['localhost', '127.0.0.1', '::1', name, `${name}.byzantium.mesh`, ...extraNames.map((n) => n.toLowerCase())]);
  }

  /** The node's addresses change when setup runs: re-read them at most every ten seconds. */
  private refresh(now: number): void {
    if (now - this.refreshedAt < 10_000) return;
    this.refreshedAt = now;
    const next = new Set<string>();
    for (const list of Object.values(networkInterfaces())) {
      for (const address of list ?? []) next.add(address.address.toLowerCase().replace(/%.*$/, ''));
    }
    this.addresses = next;
  }

  allows(header: string | undefined, now = Date.now()): boolean {
    if (header !== undefined && this.seen.has(header)) return true; // the common case: a header seen before
    const host = hostOf(header);
    if (!host) return false;
    if (this.fixed.has(host)) {
      if (this.seen.size >= 64) this.seen.clear();
      this.seen.add(header!);
      return true;
    }
    this.refresh(now);
    return this.addresses.has(host);
  }
}
