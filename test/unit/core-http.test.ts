import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../../provider/backends";
import type { ClientTuning } from "../../provider/core/config";
import { ApiError, isAmbiguous } from "../../provider/core/errors";
import { ApiClient, createOnce, Pacer, retryAfterMs, type Timing } from "../../provider/core/http";
import { fakeTiming } from "../fixtures/timing";

/** A scripted server: each request takes the next answer; every request is recorded. */
type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { drop: true }
  | { hang: true };

let server: http.Server;
let base: string;
let script: Answer[] = [];
let seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization, body });
      const a = script.shift() ?? { status: 200, body: { ok: true } };
      if ("drop" in a) return req.socket.destroy();
      if ("hang" in a) return;
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(a.body === undefined ? "" : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/polar`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  script = [];
  seen = [];
});

const tuning: ClientTuning = {
  timeoutMs: 2_000,
  deadlineMs: 60_000,
  maxRetries: 3,
  maxRetryAfterMs: 30_000,
  ratePerMinute: undefined,
};

function client(t: Timing = fakeTiming(), over: Partial<ClientTuning> = {}): ApiClient {
  return new ApiClient({
    vendor: "polar",
    baseUrl: base,
    token: "polar_oat_secret_token",
    tuning: { ...tuning, ...over },
    timing: t,
    backends: BACKENDS,
  });
}

describe("ApiClient", () => {
  it("sends the token as a bearer header, JSON bodies and query strings", async () => {
    script = [{ status: 201, body: { id: "x" } }];
    const res = await client().request("POST", "/v1/checkout-links/", {
      body: { a: 1 },
      query: { page: 2, id: ["a", "b"] },
    });
    expect(res).toMatchObject({ status: 201, body: { id: "x" } });
    expect(seen).toEqual([
      {
        method: "POST",
        url: "/polar/v1/checkout-links/?page=2&id=a&id=b",
        auth: "Bearer polar_oat_secret_token",
        body: '{"a":1}',
      },
    ]);
  });

  it("retries 429 after the Retry-After the server asked for", async () => {
    const t = fakeTiming();
    script = [
      { status: 429, headers: { "retry-after": "7" } },
      { status: 200, body: { ok: 1 } },
    ];
    const res = await client(t).request("POST", "/v1/checkout-links/", { body: {} });
    expect(res.body).toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
    expect(t.slept).toEqual([7_000]);
  });

  it("gives up when Retry-After is beyond the cap", async () => {
    script = [{ status: 429, headers: { "retry-after": "120" } }];
    const err = await client()
      .request("GET", "/v1/products/")
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("RATE_LIMITED");
    expect(seen).toHaveLength(1);
  });

  it("retries 5xx on idempotent requests with jittered backoff", async () => {
    const t = fakeTiming();
    script = [{ status: 503 }, { status: 502 }, { status: 200, body: [] }];
    const res = await client(t).request("GET", "/v1/products/");
    expect(res.status).toBe(200);
    expect(t.slept).toEqual([125, 250]);
  });

  it("never retries a POST that failed after it may have been applied", async () => {
    script = [{ status: 500, body: { error: "boom" } }];
    const err = await client()
      .request("POST", "/v1/checkout-links/", { body: {} })
      .catch((e) => e);
    expect(err.code).toBe("SERVER_ERROR");
    expect(isAmbiguous(err)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it("treats a dropped connection on POST as ambiguous, and retries it on GET", async () => {
    script = [{ drop: true }];
    const err = await client()
      .request("POST", "/v1/checkout-links/", { body: {} })
      .catch((e) => e);
    expect(err.code).toBe("NETWORK");
    expect(err.ambiguous).toBe(true);
    script = [{ drop: true }, { status: 200, body: { ok: true } }];
    seen = [];
    const res = await client().request("GET", "/v1/checkout-links/x");
    expect(res.body).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it("times out an attempt that gets no answer", async () => {
    script = [{ hang: true }, { status: 200, body: { ok: true } }];
    const res = await client(undefined, { timeoutMs: 200 }).request("GET", "/v1/products/");
    expect(res.body).toEqual({ ok: true });
    script = [{ hang: true }];
    const err = await client(undefined, { timeoutMs: 200 })
      .request("POST", "/v1/products/", { body: {} })
      .catch((e) => e);
    expect(err.code).toBe("TIMEOUT");
    expect(err.ambiguous).toBe(true);
  });

  it("stops at the overall deadline", async () => {
    script = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    const err = await client(fakeTiming(), { deadlineMs: 300, maxRetries: 10 })
      .request("GET", "/v1/products/")
      .catch((e) => e);
    expect(err.code).toBe("DEADLINE");
  });

  it("reports the vendor's field messages, method, path and status, never the token", async () => {
    script = [
      {
        status: 422,
        headers: { "x-request-id": "req-1" },
        body: {
          error: "PolarRequestValidationError",
          detail: [{ loc: ["body", "products", 1], msg: "Product is archived.", type: "value_error" }],
        },
      },
    ];
    const err: ApiError = await client()
      .request("POST", "/v1/checkout-links/", { body: {} })
      .catch((e) => e);
    expect(err.code).toBe("VALIDATION");
    expect(err.fieldErrors).toEqual([{ field: "products.1", message: "Product is archived." }]);
    expect(err.message).toBe(
      `polar POST /v1/checkout-links/ failed (HTTP 422) at ${new URL(base).host}: the request was rejected. PolarRequestValidationError\n` +
        "  - products.1: Product is archived.\n  request id: req-1",
    );
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(
      "polar_oat_secret_token",
    );
  });

  it("reads Fynn violations", async () => {
    script = [
      {
        status: 409,
        body: {
          title: "An error occurred",
          detail: "slug: taken",
          violations: [{ propertyPath: "slug", message: "This slug is already used.", code: "x" }],
        },
      },
    ];
    const err: ApiError = await client()
      .request("POST", "/api/plans/p/checkout-links", { body: {} })
      .catch((e) => e);
    expect(err.code).toBe("CONFLICT");
    expect(err.ambiguous).toBe(false);
    expect(err.fieldErrors).toEqual([{ field: "slug", message: "This slug is already used." }]);
  });

  it("turns an answer of the wrong shape into BAD_RESPONSE naming the field", async () => {
    script = [{ status: 200, body: { id: 5 } }];
    const err = await client()
      .request("GET", "/x", {
        parse: (j) => {
          if (typeof (j as { id: unknown }).id !== "string") {
            throw Object.assign(new Error("bad"), { issues: [{ path: ["id"], message: "expected string" }] });
          }
          return j;
        },
      })
      .catch((e) => e);
    expect(err.code).toBe("BAD_RESPONSE");
    expect(err.message).toContain("id: expected string");
  });

  it("takes a 404 as not found only in the vendor's not-found form", async () => {
    script = [{ status: 404, body: { error: "ResourceNotFound", detail: "Not found" } }];
    const gone = await client().request("GET", "/v1/products/p1", { expect: [404] });
    expect(gone.status).toBe(404);

    script = [{ status: 404, body: { error: "ResourceNotFound", detail: "Not found" } }];
    const err = await client()
      .request("DELETE", "/v1/products/p1")
      .catch((e) => e);
    expect(err.code).toBe("NOT_FOUND");
  });

  it("fails a framework's 404 naming the route, also where a lookup expects 404, and never retries it", async () => {
    for (const body of [{ detail: "Not Found" }, "<html><body>404 page</body></html>"]) {
      script = [{ status: 404, body }];
      const lookup = await client()
        .request("GET", "/v1/products/p1", { expect: [404] })
        .catch((e) => e);
      expect(lookup).toBeInstanceOf(ApiError);
      expect(lookup.code).toBe("UNEXPECTED_404");
      expect(lookup.message).toContain("polar GET /v1/products/p1 failed (HTTP 404)");
      expect(lookup.message).toContain("may differ from what this package expects");
      expect(seen).toHaveLength(1);
      seen = [];
    }
  });
});

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });
});

describe("Pacer", () => {
  it("lets at most the limit start in any window, then waits for the oldest to age out", async () => {
    const t = fakeTiming();
    const p = new Pacer(3, t);
    const starts: number[] = [];
    for (let i = 0; i < 7; i++) {
      await p.acquire();
      starts.push(t.now());
    }
    const t0 = starts[0] as number;
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 0, 61_000, 61_000, 61_000, 122_000]);
  });
});

describe("createOnce", () => {
  const ambiguous = () =>
    new ApiError({ code: "TIMEOUT", vendor: "polar", method: "POST", path: "/", ambiguous: true });

  it("adopts what the lookup finds after an ambiguous failure instead of creating again", async () => {
    let creates = 0;
    const out = await createOnce({
      create: async () => {
        creates++;
        throw ambiguous();
      },
      lookup: async () => "found",
      deadlineMs: 60_000,
      timing: fakeTiming(),
    });
    expect(out).toBe("found");
    expect(creates).toBe(1);
  });

  it("creates again only when the lookup finds nothing", async () => {
    let creates = 0;
    const out = await createOnce({
      create: async () => {
        if (++creates === 1) throw ambiguous();
        return "made";
      },
      lookup: async () => undefined,
      deadlineMs: 60_000,
      timing: fakeTiming(),
    });
    expect(out).toBe("made");
    expect(creates).toBe(2);
  });

  it("keeps trying through a bad minute until the deadline, not for a fixed count of attempts", async () => {
    const t = fakeTiming();
    let creates = 0;
    const out = await createOnce({
      create: async () => {
        if (++creates <= 12) throw ambiguous();
        return "made";
      },
      lookup: async () => undefined,
      deadlineMs: 60_000,
      timing: t,
    });
    expect([out, creates]).toEqual(["made", 13]);
    // Jittered backoff (random 0.5 of 250 ms doubling, capped at 5 s) between the tries.
    expect(t.slept.slice(0, 6)).toEqual([125, 250, 500, 1000, 2000, 2500]);
  });

  it("gives up with the last failure once the deadline has passed", async () => {
    const t = fakeTiming();
    let creates = 0;
    const failure = new ApiError({
      code: "SERVER_ERROR",
      vendor: "polar",
      method: "POST",
      path: "/v1/products/",
      status: 502,
      detail: "Bad Gateway",
      requestId: "req-9",
      ambiguous: true,
    });
    const err = await createOnce({
      create: async () => {
        creates++;
        throw failure;
      },
      lookup: async () => undefined,
      deadlineMs: 10_000,
      timing: t,
    }).catch((e: unknown) => e as ApiError);
    expect(t.slept.reduce((a, b) => a + b, 0)).toBeLessThan(10_000);
    expect(creates).toBe(t.slept.length + 1);
    expect([err.code, err.status, err.attempts, err.cause]).toEqual(["SERVER_ERROR", 502, creates, failure]);
    expect(err.message).toBe(
      `polar POST /v1/products/ failed (HTTP 502): Bad Gateway after ${creates} attempts over ${(
        t.slept.reduce((a, b) => a + b, 0) / 1000
      ).toFixed(1)} s\n  request id: req-9`,
    );
  });

  it("throws a clear refusal without a lookup", async () => {
    let lookups = 0;
    const refusal = new ApiError({
      code: "VALIDATION",
      vendor: "polar",
      method: "POST",
      path: "/",
      status: 422,
    });
    await expect(
      createOnce({
        create: async () => {
          throw refusal;
        },
        lookup: async () => {
          lookups++;
          return undefined;
        },
        deadlineMs: 60_000,
      }),
    ).rejects.toBe(refusal);
    expect(lookups).toBe(0);
  });
});
