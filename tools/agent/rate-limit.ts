/**
 * Failed attempts counted in a fixed window, per key (client address) and for
 * everyone together, so neither one client nor many can guess tokens quickly.
 * Successful logins are not counted: an operator is never locked out by using
 * several links.
 */
export class RateLimit {
  private readonly perKey: number;
  private readonly total: number;
  private readonly windowMs: number;
  private windowStart = 0;
  private totalCount = 0;
  private readonly counts = new Map<string, number>();

  constructor(options: { perKey: number; total: number; windowMs: number }) {
    this.perKey = options.perKey;
    this.total = options.total;
    this.windowMs = options.windowMs;
  }

  private roll(now: number): void {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.totalCount = 0;
      this.counts.clear();
    }
  }

  /** True when this key (or everyone) has failed too often in the current window. */
  blocked(key: string, now = Date.now()): boolean {
    this.roll(now);
    return (this.counts.get(key) ?? 0) >= this.perKey || this.totalCount >= this.total;
  }

  recordFailure(key: string, now = Date.now()): void {
    this.roll(now);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.totalCount += 1;
  }

  /** Seconds until the window resets (for Retry-After). */
  retryAfter(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }
}
