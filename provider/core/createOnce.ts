/**
 * Creates at most once: a create that failed ambiguously (the server may have applied it) is
 * followed by a lookup by natural key, settled for a moment, before it is tried again.
 */
import { ApiError, type ApiErrorInit, isAmbiguous, isApiError } from "./errors";
import type { Account } from "./settings";
import { realTiming, type Timing } from "./timing";

/**
 * Creates an object at most once. A create that failed ambiguously (the server may have applied it)
 * is followed by a lookup by natural key; only when the lookup finds nothing is the create tried
 * again, after a jittered backoff. Tries go on until `deadlineMs` has passed since the first failure
 * (the account's overall deadline), so a bad minute of 5xx answers delays a create but does not fail
 * it, however long the create queued behind a rate limit before. A create that
 * failed unambiguously (a 4xx) throws as is.
 */
export async function createOnce<T>(opts: {
  create: () => Promise<T>;
  lookup: () => Promise<T | undefined>;
  /** How long to keep trying, from the first failure. */
  deadlineMs: number;
  timing?: Timing;
}): Promise<T> {
  const timing = opts.timing ?? realTiming;
  const started = timing.now();
  // Counted from the first failure: a create that queued for minutes behind a rate limit before it
  // failed has as long to try again as one that failed at once.
  let deadline: number | undefined;
  // Set once a create answered a success whose body could not be read: the object exists, so from
  // then on only lookups run, never another create (which would make a second one).
  let applied: ApiError | undefined;
  for (let i = 1; ; i++) {
    let failure: unknown = applied;
    if (applied === undefined) {
      try {
        return await opts.create();
      } catch (e) {
        failure = e;
      }
    }
    if (!isAmbiguous(failure)) throw failure;
    deadline ??= timing.now() + opts.deadlineMs;
    if (isApiError(failure) && failure.code === "BAD_RESPONSE") applied = failure;
    const found = await opts.lookup();
    if (found !== undefined) return found;
    const wait = Math.floor(timing.random() * Math.min(5_000, 250 * 2 ** (i - 1)));
    if (timing.now() + wait >= deadline)
      throw i === 1 ? failure : gaveUp(failure as ApiError, i, timing.now() - started);
    await timing.sleep(wait);
  }
}

/** The last failure of a create tried `attempts` times, saying so. */
function gaveUp(last: ApiError, attempts: number, elapsedMs: number): ApiError {
  const init: ApiErrorInit = {
    code: last.code,
    vendor: last.vendor,
    method: last.method,
    path: last.path,
    ...(last.host === undefined ? {} : { host: last.host }),
    fieldErrors: last.fieldErrors,
    ambiguous: last.ambiguous,
    attempts,
    elapsedMs,
    cause: last,
  };
  if (last.status !== undefined) init.status = last.status;
  if (last.requestId !== undefined) init.requestId = last.requestId;
  if (last.detail !== undefined) init.detail = last.detail;
  return new ApiError(init);
}

/**
 * The lookup after an ambiguous create. A request that timed out on the client may still be applied
 * by the server a moment later, so an empty first answer is checked once more after `settleMs`
 * before the caller may create again. Without idempotency keys (neither Fynn nor Polar has them)
 * this narrows the window for a duplicate to requests slower than the timeout plus the settle time.
 * The wait is on `timing`: the client's, in a provider, so that tests of faults do not wait.
 */
export async function settledLookup<T>(
  find: () => Promise<T | undefined>,
  settleMs: number,
  timing: Timing = realTiming,
): Promise<T | undefined> {
  const first = await find();
  if (first !== undefined) return first;
  await timing.sleep(settleMs);
  return find();
}

/** How long to wait for an in-flight create to land: the per-attempt timeout, at most 10 s. */
export function settleMsFor(account: Account): number {
  return Math.min(account.tuning.timeoutMs, 10_000);
}
