/**
 * Polar's request rate limit: a fixed window per organisation (anonymous callers per client
 * address), applied to every `/v1` path. Over the limit Polar answers 429 with `Retry-After`
 * (seconds) and an empty body.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    /** Requests per window; 0 disables the limiter. */
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts a request; returns the seconds to wait when it is over the limit, else undefined. */
  take(key: string): number | undefined {
    if (this.limit <= 0) return undefined;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  reset(): void {
    this.windows.clear();
  }
}
