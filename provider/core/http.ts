/**
 * The one HTTP client every backend uses: undici with connection reuse, a per-attempt timeout and an
 * overall deadline, retries on 408, 429, 5xx and network errors (honouring `Retry-After` up to a cap,
 * otherwise exponential backoff with full jitter), and client-side pacing that keeps an account under
 * its vendor's per-minute limit: the limit set by the user or the vendor's documented one, lowered to
 * what the account is found to allow when the vendor answers 429.
 *
 * A 429 is the vendor asking us to queue, not a failure: its wait does not use up the overall
 * deadline and does not count as a retry, as long as the account keeps getting other answers (see
 * {@link Pacer.refused}). Only failures (5xx, timeouts, network errors) spend the deadline.
 *
 * A request that is not idempotent (a POST by default) is retried only when the server cannot have
 * applied it: a 429, or a connection that was never established. Every other failure surfaces as an
 * `ambiguous` {@link ApiError}, and the caller looks the object up before trying again (see
 * {@link createOnce}).
 *
 * Pulumi serializes provider code by value, so nothing here keeps native state at module level: the
 * connection pool and the pacers live in a registry on `globalThis`, made on first use inside the
 * provider process and shared by every resource in it.
 *
 * Length: the one HTTP client of every backend (timeouts, retries, pacing, create-once); kept in
 * one file so the retry policy is read in one place.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { Agent, request as undiciRequest } from "undici";
import { type Account, type Backend, type ClientTuning, CONFIG_NAMESPACE, envName } from "./config";
import {
  ApiError,
  type ApiErrorInit,
  errorFromResponse,
  isAmbiguous,
  isApiError,
  isVendorNotFound,
} from "./errors";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | (string | number)[] | undefined;

export interface RequestOptions<T> {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Whether repeating the request is harmless. @default true for every method but POST */
  idempotent?: boolean;
  /** Validates and types the JSON answer; a throw becomes a `BAD_RESPONSE` error. */
  parse?: (json: unknown) => T;
  /** Success statuses besides 2xx that should not throw, e.g. `[404]` for a lookup. */
  expect?: number[];
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

/** Clock and sleep, injectable so that tests of retry and pacing do not wait. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** Where a call that keeps retrying says so (at most every {@link PROGRESS_EVERY_MS}). */
  progress?(line: string): void;
}

const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  // The engine shows each line a dynamic provider writes as a message of the run; stderr keeps the
  // command's own stdout (reports) clean when it calls a vendor itself.
  progress: (line) => process.stderr.write(`${line}\n`),
};

/** How often a call that keeps retrying reports it, so that a long wait is not silent. */
export const PROGRESS_EVERY_MS = 10_000;

interface Registry {
  agent: Agent | undefined;
  pacers: Map<string, Pacer>;
  clients: Map<string, ApiClient>;
}

function registry(): Registry {
  const key = Symbol.for("pulumi-checkout-links.http");
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[key];
  if (r === undefined) {
    r = { agent: undefined, pacers: new Map(), clients: new Map() };
    g[key] = r;
  }
  return r;
}

function sharedAgent(): Agent {
  const r = registry();
  if (r.agent === undefined) {
    r.agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 16 });
  }
  return r.agent;
}

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

function pacerFor(key: string, perMinute: number | undefined): Pacer {
  const r = registry();
  let p = r.pacers.get(key);
  if (p === undefined) {
    p = new Pacer(perMinute);
    r.pacers.set(key, p);
  } else {
    p.setCeiling(perMinute);
  }
  return p;
}

function tokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/**
 * One client per account (base URL and token), shared in the provider process. With `timing` the
 * client retries and waits on that clock instead, and is the caller's own: it is not shared.
 */
export function clientFor(account: Account, timing?: Timing): ApiClient {
  // The pacer belongs to the account (base URL and token); the client also to its tuning, so that
  // a changed timeout takes effect in a long-lived provider process.
  const accountKey = `${account.backend} ${account.baseUrl} ${tokenDigest(account.token)}`;
  const key = `${accountKey} ${JSON.stringify(account.tuning)}`;
  const r = registry();
  let c = timing === undefined ? r.clients.get(key) : undefined;
  if (c === undefined) {
    // Every account is paced (unpaced until a ceiling is set or a limit learnt); a client on a test's
    // clock gets a pacer of its own on that clock, so that a hold does not wait in real time.
    const pacer =
      timing === undefined
        ? pacerFor(accountKey, account.tuning.ratePerMinute)
        : new Pacer(account.tuning.ratePerMinute, timing);
    c = new ApiClient({
      vendor: account.backend,
      baseUrl: account.baseUrl,
      token: account.token,
      tuning: account.tuning,
      pacer,
      ...(timing === undefined ? {} : { timing }),
    });
    if (timing === undefined) r.clients.set(key, c);
  }
  return c;
}

export interface ApiClientOptions {
  vendor: Backend;
  baseUrl: string;
  token: string;
  tuning: ClientTuning;
  pacer?: Pacer | undefined;
  timing?: Timing;
  dispatcher?: Agent;
  userAgent?: string;
}

/** Failures that happen before a request is sent. An array: a module-level Set does not survive serialization. */
const CONNECT_FAILURES = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "EHOSTUNREACH",
];

/**
 * Failures that say nothing listens at the base URL, or its host does not resolve. From a base URL
 * that has never answered in this process they are a configuration error (a wrong or misspelt
 * endpoint), not a drop worth two minutes of retries: the call fails after
 * {@link UNREACHED_ATTEMPTS} quick attempts. Once the endpoint has answered, they are retried as
 * transient.
 */
const UNREACHABLE = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"];
const UNREACHED_ATTEMPTS = 3;

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The host (and port) of a base URL, for messages; the URL itself when it does not parse. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** Parses `Retry-After` as seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class ApiClient {
  readonly vendor: Backend;
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly tuning: ClientTuning;
  private readonly pacer: Pacer;
  /** The clock and sleep this client retries with; {@link createOnce} shares it. */
  readonly timing: Timing;
  private readonly dispatcher: Agent | undefined;
  private readonly userAgent: string;
  /** The base URL's host, named in every error. */
  private readonly host: string;
  /** Whether the endpoint has given any answer (whatever its status) in this process. */
  private answered = false;

  constructor(opts: ApiClientOptions) {
    this.vendor = opts.vendor;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.token = opts.token;
    this.tuning = opts.tuning;
    this.timing = opts.timing ?? realTiming;
    this.pacer = opts.pacer ?? new Pacer(opts.tuning.ratePerMinute, this.timing);
    this.dispatcher = opts.dispatcher;
    this.userAgent = opts.userAgent ?? "pulumi-checkout-links";
    this.host = hostOf(this.baseUrl);
  }

  /** The account's overall deadline for one logical call, retries included. */
  get deadlineMs(): number {
    return this.tuning.deadlineMs;
  }

  async request<T = unknown>(
    method: Method,
    path: string,
    opts: RequestOptions<T> = {},
  ): Promise<ApiResponse<T>> {
    const idempotent = opts.idempotent ?? method !== "POST";
    const url = this.baseUrl + path + queryString(opts.query);
    const started = this.timing.now();
    let deadline = started + this.tuning.deadlineMs;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const base = { vendor: this.vendor, method, path, host: this.host };
    let reported = started;

    // Failures so far, for maxRetries; a 429 the account queues on is not one.
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      // Waiting for the pacer (its pace, or a hold after a 429) is queueing, not the vendor failing:
      // it does not use up the deadline.
      const queued = this.timing.now();
      const slot = await this.pacer.acquire();
      deadline += this.timing.now() - queued;
      const remaining = deadline - this.timing.now();
      if (remaining <= 0) {
        throw new ApiError({
          ...base,
          code: "DEADLINE",
          attempts: attempt - 1,
          elapsedMs: this.timing.now() - started,
          ambiguous: false,
        });
      }
      const timeout = Math.min(this.tuning.timeoutMs, remaining);
      let failure: ApiError;
      let waitHint: number | undefined;
      try {
        const res = await undiciRequest(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          dispatcher: this.dispatcher ?? sharedAgent(),
          headersTimeout: timeout,
          bodyTimeout: timeout,
          signal: AbortSignal.timeout(timeout),
        });
        this.answered = true;
        const text = await res.body.text();
        if (res.statusCode !== 429) this.pacer.answered();
        const resHeaders = flatHeaders(res.headers);
        const json = parseJson(text);
        // An expected 404 (a lookup) counts only when it is the vendor's not-found answer; any other
        // 404 (a route the server lacks) fails as UNEXPECTED_404, so it is never read as "gone".
        const expected =
          (opts.expect ?? []).includes(res.statusCode) &&
          (res.statusCode !== 404 || isVendorNotFound(this.vendor, json ?? text));
        const ok = (res.statusCode >= 200 && res.statusCode < 300) || expected;
        if (ok) {
          return {
            status: res.statusCode,
            headers: resHeaders,
            body: this.parseBody(opts, json, base, res.statusCode),
          };
        }
        waitHint = retryAfterMs(resHeaders["retry-after"], this.timing.now());
        const init = {
          ...base,
          status: res.statusCode,
          headers: resHeaders,
          body: json ?? text,
          attempts: attempt,
          elapsedMs: this.timing.now() - started,
        };
        failure = errorFromResponse(waitHint === undefined ? init : { ...init, retryAfterMs: waitHint });
      } catch (e) {
        if (e instanceof ApiError) throw e;
        const code = errorCode(e);
        const neverSent = code !== undefined && CONNECT_FAILURES.includes(code);
        const timedOut =
          (e as { name?: string }).name === "TimeoutError" ||
          code === "UND_ERR_HEADERS_TIMEOUT" ||
          code === "UND_ERR_BODY_TIMEOUT" ||
          code === "ABORT_ERR";
        const init: ApiErrorInit = {
          ...base,
          code: timedOut ? "TIMEOUT" : "NETWORK",
          detail: timedOut ? `no answer within ${timeout} ms` : `${code ?? (e as Error).message}`,
          ambiguous: !neverSent,
          attempts: attempt,
          elapsedMs: this.timing.now() - started,
          cause: e,
        };
        if (code !== undefined && UNREACHABLE.includes(code) && !this.answered) {
          init.detail =
            `${code}: ${code === "ECONNREFUSED" ? "nothing listens at" : "cannot reach"} ${this.host}, ` +
            `which has not answered in this run; check the base URL ${this.baseUrl} ` +
            `(${CONFIG_NAMESPACE}:${this.vendor}.baseUrl or ${envName(this.vendor, "default", "baseUrl")})`;
          if (attempt >= UNREACHED_ATTEMPTS) throw new ApiError(init);
        }
        failure = new ApiError(init);
      }

      const rateLimited = failure.code === "RATE_LIMITED";
      const mayRetry = failure.retryable && (idempotent || rateLimited || !failure.ambiguous);
      if (!mayRetry) throw failure;
      if (waitHint !== undefined && waitHint > this.tuning.maxRetryAfterMs) throw failure;
      // A 429 asks us to queue: a quota wait holds the whole account and is waited in acquire(); a
      // short one is waited here. Neither spends the deadline or a retry, unless the account has been
      // refused for a whole deadline with no other answer (an endpoint that only ever says 429).
      if (rateLimited && this.pacer.refused(slot, waitHint, this.tuning.deadlineMs)) continue;
      const queueing = rateLimited && !this.pacer.stalled(this.tuning.deadlineMs);
      if (!queueing && ++failures > this.tuning.maxRetries) throw failure;
      let wait: number;
      if (waitHint !== undefined) {
        wait = waitHint;
      } else {
        const cap = Math.min(10_000, 250 * 2 ** (attempt - 1));
        wait = Math.floor(this.timing.random() * cap);
      }
      if (queueing) deadline += wait;
      if (this.timing.now() + wait >= deadline) {
        throw new ApiError({
          ...base,
          code: "DEADLINE",
          attempts: attempt,
          elapsedMs: this.timing.now() - started,
          ambiguous: failure.ambiguous,
          cause: failure,
          detail: `last answer: ${failure.summary}`,
          ...(failure.status === undefined ? {} : { lastStatus: failure.status }),
          ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
          fieldErrors: failure.fieldErrors,
        });
      }
      if (this.timing.now() - reported >= PROGRESS_EVERY_MS) {
        reported = this.timing.now();
        this.timing.progress?.(
          `${this.vendor} ${method} ${path} at ${this.host}: still trying after ` +
            `${Math.round((reported - started) / 1000)} s (${attempt} attempts; last: ${failure.summary})`,
        );
      }
      await this.timing.sleep(wait);
    }
  }

  private parseBody<T>(
    opts: RequestOptions<T>,
    json: unknown,
    base: { vendor: Backend; method: string; path: string; host: string },
    status: number,
  ): T {
    if (!opts.parse || status === 204 || (opts.expect ?? []).includes(status)) return json as T;
    try {
      return opts.parse(json);
    } catch (e) {
      // A POST that answered 2xx was applied: an unreadable answer makes it ambiguous, so a create
      // looks its object up by natural key (createOnce) instead of leaving it at the vendor.
      const ambiguous = base.method === "POST" && status >= 200 && status < 300;
      throw new ApiError({
        ...base,
        status,
        code: "BAD_RESPONSE",
        detail: summarizeParseError(e),
        cause: e,
        ambiguous,
      });
    }
  }
}

/** Names the fields of a failed response parse without echoing their values. */
function summarizeParseError(e: unknown): string {
  const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (!Array.isArray(issues)) return String((e as Error).message ?? e).slice(0, 200);
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function queryString(q: Record<string, QueryValue> | undefined): string {
  if (!q) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) p.append(k, String(item));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

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
    // The lookup's settle wait (settledLookup) sleeps on this create's timing, so tests do not wait.
    const found = await lookupTiming().run(timing, opts.lookup);
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
 * The timing of the {@link createOnce} whose lookup is running. Lookups are closures the providers
 * write, so the timing reaches {@link settledLookup} through the async context rather than through
 * every caller. Kept on `globalThis`, like the registry, so that every copy of this module shares it.
 */
function lookupTiming(): AsyncLocalStorage<Timing> {
  const key = Symbol.for("pulumi-checkout-links.lookup-timing");
  const g = globalThis as unknown as Record<symbol, AsyncLocalStorage<Timing> | undefined>;
  let storage = g[key];
  if (storage === undefined) {
    storage = new AsyncLocalStorage<Timing>();
    g[key] = storage;
  }
  return storage;
}

/**
 * The lookup after an ambiguous create. A request that timed out on the client may still be applied
 * by the server a moment later, so an empty first answer is checked once more after `settleMs`
 * before the caller may create again. Without idempotency keys (neither Fynn nor Polar has them)
 * this narrows the window for a duplicate to requests slower than the timeout plus the settle time.
 *
 * The wait uses `timing` when given, else the timing of the {@link createOnce} it runs under (the
 * client's), else the real clock.
 */
export async function settledLookup<T>(
  find: () => Promise<T | undefined>,
  settleMs: number,
  timing: Timing = lookupTiming().getStore() ?? realTiming,
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
