/** Fault injection per route and attempt, Polar's rate limiter, and the response self-check. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FaultTable } from "../../emulator/faults";
import { type Emulator, parseFaultSpec, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Emulator;
const token = "polar_oat_demo_acme";
const links = () => `${emu.baseUrls.polar}/v1/checkout-links/`;
beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const linkCount = () => Object.keys(emu.state().polar.links).length;

describe("faults", () => {
  it("status faults hit only the chosen attempts and do not apply the request", async () => {
    const product = await polarProduct(emu, token);
    emu.injectFault("POST /polar/v1/checkout-links/ status=503 attempts=1-2");
    const body = { payment_processor: "stripe", products: [product.id] };
    const first = await call("POST", links(), { token, body });
    const second = await call("POST", links(), { token, body });
    const third = await call("POST", links(), { token, body });
    expect([first.status, second.status, third.status]).toEqual([503, 503, 201]);
    expect(first.body).toEqual({ error: "InternalServerError", detail: "Injected fault: HTTP 503" });
    expect(linkCount()).toBe(1);
    expect(
      emu
        .requests()
        .map((r) => [r.status, r.fault ?? null])
        .slice(-3),
    ).toEqual([
      [503, "fault-1"],
      [503, "fault-1"],
      [201, null],
    ]);
  });

  it("429 faults carry Retry-After; Polar's 429 has an empty body, Fynn's a classic error", async () => {
    emu.injectFault({ method: "GET", path: "/polar/v1/checkout-links", status: 429, retryAfter: 7 });
    emu.injectFault({ method: "GET", path: "/fynn/**", status: 429 });
    const polar = await call("GET", links(), { token });
    expect([polar.status, polar.headers["retry-after"], polar.body]).toEqual([429, "7", undefined]);
    const fynn = await call("GET", `${emu.baseUrls.fynn}/checkout-links`, { token: "api_demo_acme" });
    expect([fynn.status, fynn.headers["retry-after"], fynn.body.title]).toEqual([
      429,
      "1",
      "Too Many Requests",
    ]);
  });

  it("latency delays the answer", async () => {
    emu.injectFault("GET /polar/v1/checkout-links/ latency=300");
    const started = Date.now();
    const res = await call("GET", links(), { token });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("drop=before loses the request; drop=after applies it and loses the answer", async () => {
    const product = await polarProduct(emu, token);
    const body = { payment_processor: "stripe", products: [product.id] };
    emu.injectFault("POST /polar/v1/checkout-links/ drop=before attempts=1");
    await expect(call("POST", links(), { token, body })).rejects.toThrow();
    expect(linkCount()).toBe(0);
    emu.clearFaults();
    emu.injectFault("POST /polar/v1/checkout-links/ drop=after attempts=1");
    await expect(call("POST", links(), { token, body })).rejects.toThrow();
    expect(linkCount()).toBe(1);
    expect(emu.requests().at(-1)?.status).toBeNull();
  });

  it("truncate applies the request and answers its status with half the JSON body", async () => {
    const product = await polarProduct(emu, token);
    expect(parseFaultSpec("POST /polar/v1/checkout-links/ truncate attempts=1")).toMatchObject({
      truncate: true,
      attempts: [1],
    });
    emu.injectFault("POST /polar/v1/checkout-links/ truncate attempts=1");
    const res = await fetch(links(), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ payment_processor: "stripe", products: [product.id] }),
    });
    const text = await res.text();
    expect(res.status).toBe(201);
    expect(text.startsWith('{"id":')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    expect(linkCount()).toBe(1);
  });

  it("faults can be set and cleared over HTTP", async () => {
    const added = await call("POST", `${emu.url}/_emulator/faults`, {
      body: [
        { spec: "GET /polar/v1/products/* status=500" },
        { method: "GET", path: "/polar/v1/products", status: 502 },
      ],
    });
    expect(added.status).toBe(201);
    expect(added.body.map((f: { id: string }) => f.id)).toEqual(["fault-1", "fault-2"]);
    expect((await call("GET", `${emu.baseUrls.polar}/v1/products/`, { token })).status).toBe(502);
    const bad = await call("POST", `${emu.url}/_emulator/faults`, {
      body: { path: "no-slash", status: 500 },
    });
    expect(bad.status).toBe(400);
    expect((await call("DELETE", `${emu.url}/_emulator/faults`)).status).toBe(204);
    expect((await call("GET", `${emu.baseUrls.polar}/v1/products/`, { token })).status).toBe(200);
  });

  it("the command-line form parses every key", () => {
    expect(
      parseFaultSpec(
        'post /fynn/** status=429 retry-after=3 attempts=1,3-4 latency=10 drop=after corrupt=id body={"a":1}',
      ),
    ).toEqual({
      method: "POST",
      path: "/fynn/**",
      status: 429,
      retryAfter: 3,
      attempts: [1, 3, 4],
      latencyMs: 10,
      drop: "after",
      corrupt: "id",
      body: { a: 1 },
    });
    expect(() => parseFaultSpec("GET /x")).toThrow("at least one of");
    expect(() => parseFaultSpec("GET /x drop=sideways")).toThrow('"before" or "after"');
    expect(parseFaultSpec("GET /fynn/api/** missing-route=html garble")).toEqual({
      method: "GET",
      path: "/fynn/api/**",
      missingRoute: "html",
      garble: true,
    });
    expect(() => parseFaultSpec("GET /x missing-route=xml")).toThrow('"json" or "html"');
  });

  it("missing-route answers a framework 404 while the object exists; garble applies and answers {}", async () => {
    const product = await polarProduct(emu, token);
    const path = `/polar/v1/products/${product.id}`;
    const fault = emu.injectFault(`GET ${path} missing-route=json`);
    const json = await call("GET", `${emu.url}${path}`, { token });
    expect([json.status, json.body]).toEqual([404, { detail: "Not Found" }]);
    emu.clearFaults();
    emu.injectFault(`GET ${path} missing-route=html`);
    const html = await call("GET", `${emu.url}${path}`, { token });
    expect(html.status).toBe(404);
    expect(String(html.headers["content-type"])).toMatch(/^text\/html/);
    expect(String(html.body)).toContain(`The requested URL ${path} was not found`);
    emu.clearFaults();
    expect((await call("GET", `${emu.url}${path}`, { token })).status).toBe(200);
    expect(fault.id).toBe("fault-1");
    const fynn = DEMO_TOKENS.fynnAcme;
    emu.injectFault("POST /fynn/products garble");
    const made = await call("POST", `${emu.baseUrls.fynn}/products`, {
      token: fynn,
      body: { name: "Garbled" },
    });
    expect([made.status, made.body]).toEqual([201, {}]);
    const listed = await call("GET", `${emu.baseUrls.fynn}/products?limit=100`, { token: fynn });
    expect(listed.body.data.filter((p: { name: string }) => p.name === "Garbled")).toHaveLength(1);
  });
});

describe("probabilistic faults", () => {
  const chaos = (seed: number) => {
    const t = new FaultTable(seed);
    t.add("* /polar/** status=500 probability=0.2");
    t.add("* /polar/** status=429 retry-after=1 probability=0.1");
    t.add("* /polar/** drop=after probability=0.05");
    t.add("* /polar/** latency=0-150");
    return t;
  };
  const run = (t: FaultTable, n: number) =>
    Array.from({ length: n }, () => t.match("POST", "/polar/v1/products/"));

  it("hit their share of requests, one fault per draw, the same on every run of a seed", () => {
    const actions = run(chaos(7), 10_000);
    const share = (pred: (a: (typeof actions)[number]) => boolean) => actions.filter(pred).length / 10_000;
    expect(share((a) => a?.status === 500)).toBeCloseTo(0.2, 1);
    expect(share((a) => a?.status === 429)).toBeCloseTo(0.1, 1);
    expect(share((a) => a?.drop === "after")).toBeCloseTo(0.05, 1);
    // The three share one draw: none gets two of them.
    expect(actions.filter((a) => a?.drop === "after" && a.status !== undefined)).toEqual([]);
    const latencies = actions.map((a) => a?.latencyMs as number);
    expect(Math.min(...latencies)).toBe(0);
    expect(Math.max(...latencies)).toBe(150);
    expect(run(chaos(7), 200)).toEqual(actions.slice(0, 200));
    expect(run(chaos(8), 200)).not.toEqual(actions.slice(0, 200));
    expect(chaos(7).match("GET", "/fynn/api/plans")).toBeUndefined();
  });

  it("reject a probability outside (0, 1] and a latency range that runs backwards", () => {
    expect(() => parseFaultSpec("* /** status=500 probability=1.5")).toThrow(/probability/);
    expect(() => parseFaultSpec("* /** status=500 probability=0")).toThrow(/probability/);
    expect(() => parseFaultSpec("* /** latency=100-50")).toThrow(/latencyMaxMs/);
    expect(parseFaultSpec("GET /fynn/** status=503 probability=0.25 latency=5-10")).toEqual({
      method: "GET",
      path: "/fynn/**",
      status: 503,
      probability: 0.25,
      latencyMs: 5,
      latencyMaxMs: 10,
    });
  });
});

describe("self-check", () => {
  it("a response that breaks its schema is a 500 naming the field, never sent as is", async () => {
    const product = await polarProduct(emu, token);
    emu.injectFault({ method: "GET", path: "/polar/v1/products/*", corrupt: "name" });
    const res = await call("GET", `${emu.baseUrls.polar}/v1/products/${product.id}`, { token });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: "InternalServerError",
      detail:
        "Emulator self-check failed: the response does not match its schema (name: Invalid input: expected string, received undefined)",
    });
  });

  it("with selfCheck off the broken body goes out, so clients' response parsing can be tested", async () => {
    const loose = await startEmulator({
      selfCheck: false,
      faults: ["GET /polar/v1/products/* corrupt=name"],
    });
    try {
      const product = await polarProduct(loose, token);
      const res = await call("GET", `${loose.baseUrls.polar}/v1/products/${product.id}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(product.id);
      expect("name" in res.body).toBe(false);
    } finally {
      await loose.close();
    }
  });
});

describe("Polar rate limit", () => {
  it("over the limit: 429 with Polar's Retry-After of the whole window, empty body, no X-RateLimit headers; per organisation; a new window lets requests through", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const limited = await startEmulator({ polarRateLimitPerMinute: 3, now: () => new Date(now) });
    try {
      const url = `${limited.baseUrls.polar}/v1/checkout-links/`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call("GET", url, { token })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      now += 20_000;
      const over = await call("GET", url, { token });
      // Polar's Redis backend answers the rule's TTL, not the time left in the window.
      expect([over.status, over.headers["retry-after"], over.body]).toEqual([429, "60", undefined]);
      expect(Object.keys(over.headers).filter((h) => /ratelimit/i.test(h))).toEqual([]);
      expect((await call("GET", url, { token: "polar_oat_demo_globex" })).status).toBe(200);
      // Fynn is not limited.
      expect(
        (await call("GET", `${limited.baseUrls.fynn}/checkout-links`, { token: "api_demo_acme" })).status,
      ).toBe(200);
      now += 40_000;
      const next = await call("GET", url, { token });
      expect(next.status).toBe(200);
      expect(Object.keys(next.headers).filter((h) => /ratelimit/i.test(h))).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it("the default is 100 a minute", async () => {
    const sandbox = await startEmulator();
    try {
      const url = `${sandbox.baseUrls.polar}/v1/products/`;
      const results = await Promise.all(Array.from({ length: 101 }, () => call("GET", url, { token })));
      expect(results.filter((r) => r.status === 429)).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });
});
