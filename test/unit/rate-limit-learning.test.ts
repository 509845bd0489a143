/**
 * A 429 is queueing, not a failure: the client learns an account's limit from Polar's answers and
 * paces itself to it, without the overall deadline firing; an endpoint that never answers still
 * fails at the deadline. The server counts requests with the emulator's Polar limiter (a fixed
 * window per account, `Retry-After` of the whole window, as Polar's server sends) on the fake clock
 * the client waits on, so that minutes of queueing run in milliseconds.
 */
import { type Agent, MockAgent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../../emulator/ratelimit";
import { BACKENDS } from "../../provider/backends";
import type { ClientTuning } from "../../provider/core/config";
import { ApiError } from "../../provider/core/errors";
import { ApiClient, createOnce, Pacer, QUOTA_WAIT_MS } from "../../provider/core/http";
import { fakeTiming } from "../fixtures/timing";

/** Polar's limiter, or one status always (a dead endpoint), with `times` to answer it only so often. */
type Mode = { limit: number } | { always: number; retryAfter?: string; times?: number };

const ORIGIN = "http://polar.test";
let clock = fakeTiming();
let mode: Mode = { limit: 0 };
let limiter = new RateLimiter(0, 60_000, clock.now);
/** Every request the server got, with the fake time it arrived and its answer. */
let seen: { at: number; status: number }[] = [];

// The server answers in process, when the request is dispatched: the clock the client sleeps on
// never moves between a request's start and its arrival, as real minutes of queueing would not.
const agent = new MockAgent();
beforeAll(() => {
  agent.disableNetConnect();
  agent
    .get(ORIGIN)
    .intercept({ path: /.*/, method: /.*/ })
    .reply(() => {
      let status = 201;
      const headers: Record<string, string> = {};
      if ("always" in mode && (mode.times === undefined || mode.times-- > 0)) {
        status = mode.always;
        if (mode.retryAfter !== undefined) headers["retry-after"] = mode.retryAfter;
      } else if ("limit" in mode) {
        const wait = limiter.take("org");
        if (wait !== undefined) {
          status = 429;
          headers["retry-after"] = String(wait);
        }
      }
      seen.push({ at: clock.now(), status });
      return {
        statusCode: status,
        data: status === 201 ? { id: `o${seen.length}` } : "",
        responseOptions: { headers },
      };
    })
    .persist();
});
afterAll(async () => {
  await agent.close();
});

function limitedTo(limit: number): void {
  mode = { limit };
  limiter = new RateLimiter(limit, 60_000, clock.now);
}

beforeEach(() => {
  clock = fakeTiming();
  seen = [];
  limitedTo(0);
});

/** The defaults but a short deadline and few retries, so that spending either would show. */
const tuning: ClientTuning = {
  timeoutMs: 2_000,
  deadlineMs: 30_000,
  maxRetries: 3,
  maxRetryAfterMs: 60_000,
  ratePerMinute: undefined,
};

function client(pacer: Pacer, over: Partial<ClientTuning> = {}): ApiClient {
  return new ApiClient({
    vendor: "polar",
    baseUrl: `${ORIGIN}/polar`,
    token: "polar_oat_secret_token",
    tuning: { ...tuning, ...over },
    timing: clock,
    pacer,
    dispatcher: agent as unknown as Agent,
    backends: BACKENDS,
  });
}

/** How many requests the server accepted in each minute-long window from the first request. */
function acceptedPerWindow(): number[] {
  const t0 = (seen[0] as { at: number }).at;
  const counts: number[] = [];
  for (const r of seen) {
    if (r.status === 429) continue;
    const w = Math.floor((r.at - t0) / 60_000);
    counts[w] = (counts[w] ?? 0) + 1;
  }
  return counts;
}

describe("rate limits are queueing", () => {
  it("absorbs a burst of 429s without the deadline or the retry count firing", async () => {
    limitedTo(30);
    const pacer = new Pacer(undefined, clock);
    const c = client(pacer);
    const t0 = clock.now();
    // 75 creates at once, with no pacing set: the vendor refuses 45 of them with Retry-After: 60.
    const made = await Promise.all(
      Array.from({ length: 75 }, () => c.request("POST", "/v1/products/", { body: {} })),
    );
    expect(made.map((r) => r.status)).toEqual(Array(75).fill(201));
    // Queued for two minutes on a 30 s deadline and 3 retries: nothing failed.
    expect(clock.now() - t0).toBeGreaterThan(2 * tuning.deadlineMs);
    expect(seen.filter((r) => r.status === 429)).toHaveLength(45);
    expect(seen.filter((r) => r.status === 201)).toHaveLength(75);
  });

  it("learns the account's limit from the first refusal and paces to it: no 429 after the first window", async () => {
    limitedTo(30);
    const pacer = new Pacer(undefined, clock);
    const c = client(pacer);
    const t0 = clock.now();
    await Promise.all(Array.from({ length: 75 }, () => c.request("POST", "/v1/products/", { body: {} })));
    expect(pacer.learnt).toBe(30);
    expect(pacer.perMinute).toBe(30);
    // Every 429 is from the first burst; later windows are filled exactly to the limit.
    expect(seen.filter((r) => r.status === 429 && r.at > t0)).toEqual([]);
    expect(acceptedPerWindow()).toEqual([30, 30, 15]);
    // Close to requests ÷ limit minutes: the last third starts two windows (and a second of margin each) in.
    expect(clock.now() - t0).toBe(122_000);
  });

  it("one request at a time: the 11th is refused, then the pace is 10 a minute with no further 429", async () => {
    limitedTo(10);
    const pacer = new Pacer(undefined, clock);
    const c = client(pacer);
    for (let i = 0; i < 35; i++) await c.request("POST", "/v1/checkout-links/", { body: {} });
    expect(pacer.learnt).toBe(10);
    expect(seen.map((r) => r.status).filter((s) => s === 429)).toHaveLength(1);
    expect(seen.findIndex((r) => r.status === 429)).toBe(10);
    expect(acceptedPerWindow()).toEqual([10, 10, 10, 5]);
  });

  it("keeps the lower of a user's ratePerMinute and the learnt limit", async () => {
    limitedTo(30);
    const pacer = new Pacer(8, clock);
    const c = client(pacer);
    await Promise.all(Array.from({ length: 20 }, () => c.request("POST", "/v1/products/", { body: {} })));
    // Under the account's limit the user's pace holds, and nothing is refused.
    expect(seen.filter((r) => r.status === 429)).toEqual([]);
    expect(acceptedPerWindow()).toEqual([8, 8, 4]);
    expect(pacer.learnt).toBeUndefined();
    limitedTo(5);
    await Promise.all(Array.from({ length: 12 }, () => c.request("POST", "/v1/products/", { body: {} })));
    expect(pacer.learnt).toBe(5);
    expect(pacer.perMinute).toBe(5);
  });

  it("does not learn from a short Retry-After: a moment's overload is waited out by its request alone", async () => {
    const pacer = new Pacer(undefined, clock);
    const c = client(pacer);
    mode = { always: 429, retryAfter: "1", times: 2 };
    const res = await c.request("GET", "/v1/products/");
    expect(res.status).toBe(201);
    expect(seen.map((r) => r.status)).toEqual([429, 429, 201]);
    expect(QUOTA_WAIT_MS).toBeGreaterThan(1_000);
    expect(pacer.learnt).toBeUndefined();
    expect(pacer.perMinute).toBeUndefined();
    expect(clock.slept).toEqual([1_000, 1_000]);
  });
});

describe("the deadline still ends a run against a dead endpoint", () => {
  it("an endpoint that only answers 503 fails at the deadline", async () => {
    mode = { always: 503 };
    const t0 = clock.now();
    const err = await client(new Pacer(undefined, clock), { maxRetries: 1000 })
      .request("GET", "/v1/products/")
      .catch((e) => e);
    expect([err.code, err.cause?.status]).toEqual(["DEADLINE", 503]);
    expect(clock.now() - t0).toBeLessThanOrEqual(tuning.deadlineMs);
  });

  it("an endpoint that only answers 429 fails once it has refused for a whole deadline with nothing else answered", async () => {
    mode = { always: 429, retryAfter: "10" };
    const t0 = clock.now();
    const err = await client(new Pacer(undefined, clock), { maxRetries: 1000 })
      .request("POST", "/v1/products/", { body: {} })
      .catch((e) => e);
    expect([err.code, err.cause?.status]).toEqual(["DEADLINE", 429]);
    expect(err.message).toContain("HTTP 429");
    // Queued for the patience (one deadline), then the waits count as failures' for one more deadline.
    const elapsed = clock.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(tuning.deadlineMs);
    expect(elapsed).toBeLessThanOrEqual(2 * tuning.deadlineMs + 10_000);
  });

  it("an account that got an answer meanwhile keeps queueing past the deadline", async () => {
    limitedTo(2);
    const pacer = new Pacer(undefined, clock);
    const c = client(pacer, { deadlineMs: 20_000 });
    // Each window lets two through; the third and fourth of each minute queue a minute on a 20 s deadline.
    const made = await Promise.all(
      Array.from({ length: 8 }, () => c.request("POST", "/v1/products/", { body: {} })),
    );
    expect(made).toHaveLength(8);
    expect(acceptedPerWindow()).toEqual([2, 2, 2, 2]);
  });
});

describe("createOnce after queueing", () => {
  it("a create that queued behind a rate limit for longer than the deadline still gets its retries after an ambiguous failure", async () => {
    let creates = 0;
    const made = await createOnce({
      create: async () => {
        creates++;
        if (creates === 1) {
          // Five minutes in the account's queue, then the answer is lost.
          await clock.sleep(5 * 60_000);
          throw new ApiError({
            code: "TIMEOUT",
            vendor: "polar",
            method: "POST",
            path: "/",
            ambiguous: true,
          });
        }
        return "made";
      },
      lookup: async () => undefined,
      deadlineMs: tuning.deadlineMs,
      timing: clock,
    });
    expect([made, creates]).toEqual(["made", 2]);
  });
});
