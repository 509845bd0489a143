/**
 * Polar's request rate limit, as its server applies it (`server/polar/rate_limit.py` with
 * `asgi-ratelimit` 0.10.0 and its Redis backend): a fixed window per organisation (anonymous callers
 * per client address) over every `/v1` path. The window starts at the first request after the last
 * one expired and lasts the rule's period (a minute); a refused request does not count. Over the
 * limit the answer is 429 with an empty body and only `Retry-After`, which is always the whole
 * period in seconds (the backend returns the rule's TTL, not the time left in the window). Polar
 * sends no `X-RateLimit-*` headers, on a 429 or on any other answer.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    /** Requests per window; 0 disables the limiter. */
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts a request; returns the seconds of `Retry-After` when it is over the limit, else undefined. */
  take(key: string): number | undefined {
    if (this.limit <= 0) return undefined;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) return Math.max(1, Math.ceil(this.windowMs / 1000));
    window.count += 1;
    return undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}
