/** Client-side pacing of one account, learning its real allowance from the vendor's 429s. */
import { realTiming, type Timing } from "./timing";

/** One request start the pacer let through; the vendor may still refuse it with a 429. */
export interface PacerSlot {
  readonly at: number;
  refused: boolean;
}

/**
 * A 429 whose `Retry-After` is at least this long says the account's quota is spent until then (Polar
 * answers the whole minute of its window); a shorter one is a moment's overload, waited out by the
 * request that got it alone. `inferred`: no vendor documents the line between the two.
 */
export const QUOTA_WAIT_MS = 5_000;

/**
 * The pacer of one account, shared by every client of it in the provider process. It lets at most
 * `perMinute` requests start in any window of a minute (plus a second of margin for the time a
 * request spends on the wire), and learns the account's real allowance from the vendor's 429s:
 *
 * - A 429 with a `Retry-After` of at least {@link QUOTA_WAIT_MS} holds every request of the account
 *   until then (the vendor said the quota is spent; asking again only earns more 429s), and sets the
 *   pace to the requests the account got through in the minute before the refused one. Polar sends
 *   no other rate-limit header (its server source: `asgi-ratelimit` answers only `Retry-After`), so
 *   what the account got through is the only measure of a limit that is per organisation and shared
 *   with every other tool using it.
 * - The pace is the lower of the ceiling (the user's `ratePerMinute`, else the vendor's documented
 *   limit, else none) and the learnt one; every new refusal measures again, so the pace follows the
 *   share the account gets.
 * - An account refused for longer than the caller's patience with no other answer in between is not
 *   queueing but failing: {@link refused} then stops holding, and the 429's wait counts against the
 *   deadline like any failure.
 */
export class Pacer {
  private readonly starts: PacerSlot[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly windowMs = 61_000;
  private holdUntil = 0;
  /** The first 429 since the account last got any other answer. */
  private refusedSince: number | undefined;
  private learntPerMinute: number | undefined;
  /** The requests started in the window before the refusal that began the current hold. */
  private measuring: PacerSlot[] | undefined;

  constructor(
    /** The most requests a minute whatever is learnt; undefined for no ceiling. */
    private ceiling: number | undefined,
    private readonly timing: Timing = realTiming,
  ) {}

  /** The pace in force: the lower of the ceiling and the learnt limit; undefined when unpaced. */
  get perMinute(): number | undefined {
    if (this.ceiling === undefined) return this.learntPerMinute;
    if (this.learntPerMinute === undefined) return this.ceiling;
    return Math.min(this.ceiling, this.learntPerMinute);
  }

  /** What the account was found to allow a minute, if it was ever refused with a quota wait. */
  get learnt(): number | undefined {
    this.learn();
    return this.learntPerMinute;
  }

  /** A changed setting (a new `ratePerMinute`) takes effect without forgetting what was learnt. */
  setCeiling(perMinute: number | undefined): void {
    this.ceiling = perMinute;
  }

  /** Resolves when one more request may start. Calls are served in order. */
  acquire(): Promise<PacerSlot> {
    const next = this.chain.then(() => this.waitForSlot());
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** The vendor answered something other than a 429: the account is not stuck. */
  answered(): void {
    this.refusedSince = undefined;
  }

  /**
   * The vendor refused `slot` with a 429 asking to wait `waitMs`. The refused request did not use the
   * quota, so it leaves the window. Returns true when the account now holds until the wait is over
   * (the caller queues again through {@link acquire}, off its deadline), false when the caller waits
   * on its own: a short wait, or an account refused for longer than `patienceMs` with no other
   * answer, whose wait is a failure's.
   */
  refused(slot: PacerSlot, waitMs: number | undefined, patienceMs: number): boolean {
    const now = this.timing.now();
    slot.refused = true;
    this.prune(now);
    const i = this.starts.indexOf(slot);
    const before = i >= 0 ? this.starts.slice(0, i) : [];
    if (i >= 0) this.starts.splice(i, 1);
    this.refusedSince ??= now;
    if (waitMs === undefined || waitMs < QUOTA_WAIT_MS || this.stalled(patienceMs)) return false;
    if (now >= this.holdUntil) {
      // A new refusal, not one of the requests already on the wire when the quota ran out. The quota
      // is what started before the refused request (the vendor counts in order of arrival) and got
      // through; which of those did is known once their answers are in, at the end of the hold.
      this.learn();
      this.measuring = before;
    }
    this.holdUntil = Math.max(this.holdUntil, now + waitMs);
    return true;
  }

  /** Once a hold is over, sets the pace to what got through before the refusal that began it. */
  private learn(): void {
    if (this.measuring === undefined || this.timing.now() < this.holdUntil) return;
    this.learntPerMinute = Math.max(1, this.measuring.filter((s) => !s.refused).length);
    this.measuring = undefined;
  }

  /** Refused with nothing else answered for `patienceMs` or more. */
  stalled(patienceMs: number): boolean {
    return this.refusedSince !== undefined && this.timing.now() - this.refusedSince >= patienceMs;
  }

  private prune(now: number): void {
    while (this.starts.length > 0 && now - (this.starts[0] as PacerSlot).at >= this.windowMs)
      this.starts.shift();
  }

  private async waitForSlot(): Promise<PacerSlot> {
    for (;;) {
      const now = this.timing.now();
      if (now < this.holdUntil) {
        await this.timing.sleep(this.holdUntil - now);
        continue;
      }
      this.learn();
      this.prune(now);
      const limit = this.perMinute;
      if (limit === undefined || this.starts.length < limit) {
        const slot = { at: now, refused: false };
        this.starts.push(slot);
        return slot;
      }
      await this.timing.sleep((this.starts[0] as PacerSlot).at + this.windowMs - now);
    }
  }
}
