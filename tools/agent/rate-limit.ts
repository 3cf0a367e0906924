/** A fixed-window counter per key (client address) plus one for everyone, so neither one client nor many can try logins quickly. */
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

  /** Counts an attempt; false when over the limit (then the attempt must be refused). */
  allow(key: string, now = Date.now()): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.totalCount = 0;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count > this.perKey || this.totalCount + 1 > this.total) return false;
    this.counts.set(key, count);
    this.totalCount += 1;
    return true;
  }

  /** Seconds until the window resets (for Retry-After). */
  retryAfter(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }
}
