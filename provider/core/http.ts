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
 * The connection pool and the pacers live in a registry on `globalThis`, made on first use inside
 * the provider process and shared by every resource in it (and by every copy of this module).
 *
 * The retry policy is read here in one place; the pacer (pacer.ts), the clock (timing.ts), the wire
 * helpers (wire.ts) and create-at-most-once (createOnce.ts) have modules of their own.
 */
import { createHash } from "node:crypto";
import { Agent, request as undiciRequest } from "undici";
import type { Backend, BackendDirectory } from "./backend";
import { ApiError, type ApiErrorInit, errorFromResponse, isVendorNotFound } from "./errors";
import { Pacer } from "./pacer";
import { type Account, type ClientTuning, configKey, DEFAULT_ACCOUNT, envName } from "./settings";
import { PROGRESS_EVERY_MS, realTiming, type Timing } from "./timing";
import {
  CONNECT_FAILURES,
  errorCode,
  flatHeaders,
  hostOf,
  type Method,
  parseJson,
  type QueryValue,
  queryString,
  retryAfterMs,
  summarizeParseError,
  UNREACHABLE,
  UNREACHED_ATTEMPTS,
} from "./wire";

export { createOnce, settledLookup, settleMsFor } from "./createOnce";
export { Pacer, type PacerSlot, QUOTA_WAIT_MS } from "./pacer";
export { PROGRESS_EVERY_MS, type Timing } from "./timing";
export { type Method, type QueryValue, retryAfterMs } from "./wire";

/** The parts of one request besides its method and path, and how to treat its answer. */
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

/** A vendor's answer: its status, its parsed body and its headers (names in lower case). */
export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

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
 * client retries and waits on that clock instead, and is the caller's own: it is not shared. The
 * vendors' error dialects are those of the backends the account was resolved among.
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
      backends: account.backends,
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
  /**
   * The backends whose error dialects and not-found answers the client knows; without them no 404 is
   * taken as the vendor's not-found answer and error bodies are read in no vendor's dialect.
   */
  backends?: BackendDirectory | undefined;
  timing?: Timing;
  dispatcher?: Agent;
  userAgent?: string;
}

/** What one request keeps across its attempts. */
interface Call<T> {
  method: Method;
  path: string;
  url: string;
  body: string | undefined;
  headers: Record<string, string>;
  idempotent: boolean;
  opts: RequestOptions<T>;
  base: { vendor: Backend; method: string; path: string; host: string };
  started: number;
}

/** What one attempt came to: an answer to return, or a failure to retry or throw. */
type Attempt<T> =
  | { response: ApiResponse<T> }
  | { failure: ApiError; waitHint?: number | undefined; response?: undefined };

/**
 * The HTTP client of one account of a backend, handed to a spec's verbs: it keeps the account under
 * its rate limit, retries 408, 429, 5xx and network errors, and throws every failure as an
 * {@link ApiError}.
 */
export class ApiClient {
  readonly vendor: Backend;
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly tuning: ClientTuning;
  private readonly pacer: Pacer;
  /** The clock and sleep this client retries with; a create-once of its calls shares it. */
  readonly timing: Timing;
  private readonly dispatcher: Agent | undefined;
  private readonly userAgent: string;
  private readonly backends: BackendDirectory | undefined;
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
    this.backends = opts.backends;
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
    const call = this.call(method, path, opts);
    let deadline = call.started + this.tuning.deadlineMs;
    let reported = call.started;
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
          ...call.base,
          code: "DEADLINE",
          attempts: attempt - 1,
          elapsedMs: this.timing.now() - call.started,
          ambiguous: false,
        });
      }
      const outcome = await this.attempt(call, attempt, Math.min(this.tuning.timeoutMs, remaining));
      if (outcome.response !== undefined) return outcome.response;
      const { failure, waitHint } = outcome;

      const rateLimited = failure.code === "RATE_LIMITED";
      const mayRetry = failure.retryable && (call.idempotent || rateLimited || !failure.ambiguous);
      if (!mayRetry) throw failure;
      if (waitHint !== undefined && waitHint > this.tuning.maxRetryAfterMs) throw failure;
      // A 429 asks us to queue: a quota wait holds the whole account and is waited in acquire(); a
      // short one is waited here. Neither spends the deadline or a retry, unless the account has been
      // refused for a whole deadline with no other answer (an endpoint that only ever says 429).
      if (rateLimited && this.pacer.refused(slot, waitHint, this.tuning.deadlineMs)) continue;
      const queueing = rateLimited && !this.pacer.stalled(this.tuning.deadlineMs);
      if (!queueing && ++failures > this.tuning.maxRetries) throw failure;
      const wait = waitHint ?? Math.floor(this.timing.random() * Math.min(10_000, 250 * 2 ** (attempt - 1)));
      if (queueing) deadline += wait;
      if (this.timing.now() + wait >= deadline) throw this.deadlineError(call, attempt, failure);
      if (this.timing.now() - reported >= PROGRESS_EVERY_MS) {
        reported = this.timing.now();
        this.timing.progress?.(
          `${this.vendor} ${method} ${path} at ${this.host}: still trying after ` +
            `${Math.round((reported - call.started) / 1000)} s (${attempt} attempts; last: ${failure.summary})`,
        );
      }
      await this.timing.sleep(wait);
    }
  }

  private call<T>(method: Method, path: string, opts: RequestOptions<T>): Call<T> {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    return {
      method,
      path,
      url: this.baseUrl + path + queryString(opts.query),
      body,
      headers,
      idempotent: opts.idempotent ?? method !== "POST",
      opts,
      base: { vendor: this.vendor, method, path, host: this.host },
      started: this.timing.now(),
    };
  }

  /** One attempt: the answer when it is a success (or an expected status), else its failure. */
  private async attempt<T>(call: Call<T>, attempt: number, timeout: number): Promise<Attempt<T>> {
    try {
      const res = await undiciRequest(call.url, {
        method: call.method,
        headers: call.headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        dispatcher: this.dispatcher ?? sharedAgent(),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      this.answered = true;
      const text = await res.body.text();
      if (res.statusCode !== 429) this.pacer.answered();
      const headers = flatHeaders(res.headers);
      const json = parseJson(text);
      // An expected 404 (a lookup) counts only when it is the vendor's not-found answer; any other
      // 404 (a route the server lacks) fails as UNEXPECTED_404, so it is never read as "gone".
      const expected =
        (call.opts.expect ?? []).includes(res.statusCode) &&
        (res.statusCode !== 404 || isVendorNotFound(this.vendor, json ?? text, this.backends));
      if ((res.statusCode >= 200 && res.statusCode < 300) || expected) {
        const body = this.parseBody(call.opts, json, call.base, res.statusCode);
        return { response: { status: res.statusCode, headers, body } };
      }
      const waitHint = retryAfterMs(headers["retry-after"], this.timing.now());
      const init = {
        ...call.base,
        status: res.statusCode,
        headers,
        body: json ?? text,
        attempts: attempt,
        elapsedMs: this.timing.now() - call.started,
        backends: this.backends,
      };
      const failure = errorFromResponse(waitHint === undefined ? init : { ...init, retryAfterMs: waitHint });
      return { failure, waitHint };
    } catch (e) {
      if (e instanceof ApiError) throw e;
      return { failure: this.networkFailure(e, call, attempt, timeout) };
    }
  }

  /**
   * The failure of an attempt that got no answer. A base URL that never answered in this process and
   * refuses connections is a configuration error: it throws after {@link UNREACHED_ATTEMPTS} tries.
   */
  private networkFailure<T>(e: unknown, call: Call<T>, attempt: number, timeout: number): ApiError {
    const code = errorCode(e);
    const neverSent = code !== undefined && CONNECT_FAILURES.includes(code);
    const timedOut =
      (e as { name?: string }).name === "TimeoutError" ||
      code === "UND_ERR_HEADERS_TIMEOUT" ||
      code === "UND_ERR_BODY_TIMEOUT" ||
      code === "ABORT_ERR";
    const init: ApiErrorInit = {
      ...call.base,
      code: timedOut ? "TIMEOUT" : "NETWORK",
      detail: timedOut ? `no answer within ${timeout} ms` : `${code ?? (e as Error).message}`,
      ambiguous: !neverSent,
      attempts: attempt,
      elapsedMs: this.timing.now() - call.started,
      cause: e,
    };
    if (code !== undefined && UNREACHABLE.includes(code) && !this.answered) {
      init.detail =
        `${code}: ${code === "ECONNREFUSED" ? "nothing listens at" : "cannot reach"} ${this.host}, ` +
        `which has not answered in this run; check the base URL ${this.baseUrl} ` +
        `(${configKey(this.vendor, DEFAULT_ACCOUNT, "baseUrl")} or ${envName(this.vendor, DEFAULT_ACCOUNT, "baseUrl")})`;
      if (attempt >= UNREACHED_ATTEMPTS) throw new ApiError(init);
    }
    return new ApiError(init);
  }

  /** The error of a call whose next try would pass its deadline, carrying the last failure. */
  private deadlineError<T>(call: Call<T>, attempt: number, failure: ApiError): ApiError {
    return new ApiError({
      ...call.base,
      code: "DEADLINE",
      attempts: attempt,
      elapsedMs: this.timing.now() - call.started,
      ambiguous: failure.ambiguous,
      cause: failure,
      detail: `last answer: ${failure.summary}`,
      ...(failure.status === undefined ? {} : { lastStatus: failure.status }),
      ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
      fieldErrors: failure.fieldErrors,
    });
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
