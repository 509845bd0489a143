/**
 * The Polar providers' methods called as plain functions against the emulator: every method, bad
 * input that makes no API call, and every fault ending with exactly one link.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { ACME_ORG_ID, DEMO_TOKENS } from "../../emulator/seed";
import type { Timing } from "../../provider/core/http";
import { CheckoutLinkProvider, type CheckoutLinkState } from "../../provider/polar/checkoutLink";
import { CREATE_TAG, NAME_TAG } from "../../provider/polar/common";
import { ProductProvider, type ProductState } from "../../provider/polar/product";
import { call as httpCall } from "../fixtures/http";
import { fakeTiming } from "../fixtures/timing";

let emu: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

/** Clients are cached per account in the process; tests change the tuning, so start afresh. */
function forgetClients(): void {
  const r = (globalThis as Record<symbol, { clients?: Map<string, unknown> } | undefined>)[
    Symbol.for("pulumi-checkout-links.http")
  ];
  r?.clients?.clear();
}

/** The emulator's control routes (reset, faults, state). */
async function control(method: string, p: string, body?: unknown): Promise<any> {
  return (await httpCall(method, emu.url + p, { body })).body;
}

/** Polar requests the emulator has seen. */
function requests() {
  return emu.requests().filter((e) => e.path.startsWith("/polar/"));
}

async function fault(spec: Record<string, unknown>): Promise<void> {
  await control("POST", "/_emulator/faults", spec);
}

/** Live links of org acme, straight from the API. */
async function liveLinks(): Promise<any[]> {
  const res = await fetch(`${emu.baseUrls.polar}/v1/checkout-links/?limit=100`, {
    headers: { authorization: `Bearer ${DEMO_TOKENS.polarAcme}` },
  });
  return ((await res.json()) as { items: any[] }).items;
}

function configured<P extends { configure(req: any): Promise<void> }>(
  p: P,
  extra: Record<string, string> = {},
): P {
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": DEMO_TOKENS.polarAcme,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.globex.token": DEMO_TOKENS.polarGlobex,
    "checkout-links:polar.globex.baseUrl": emu.baseUrls.polar,
    // Pacing is tested in the engine; here it would only slow the run down.
    "checkout-links:polar.ratePerMinute": "0",
    "checkout-links:polar.timeoutMs": "2000",
    ...extra,
  };
  void p.configure({ config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string } });
  return p;
}

let products: ProductProvider;
let links: CheckoutLinkProvider;

beforeEach(async () => {
  await control("POST", "/_emulator/reset");
  await control("DELETE", "/_emulator/faults");
  forgetClients();
  products = configured(new ProductProvider());
  links = configured(new CheckoutLinkProvider());
});

async function checked<T>(
  p: { check(o: any, n: any): Promise<{ inputs?: any; failures?: unknown[] }> },
  news: object,
): Promise<T> {
  const r = await p.check({}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as T;
}

async function newProduct(name = "Pro", extra: object = {}): Promise<ProductState> {
  const inputs = await checked<Record<string, unknown>>(products, {
    adoptionKey: name.toLowerCase(),
    name,
    recurringInterval: "month",
    prices: [{ type: "fixed", amount: 1900 }],
    ...extra,
  });
  const r = await products.create(inputs);
  return r.outs as ProductState;
}

async function linkInputs(news: object): Promise<Record<string, unknown>> {
  return checked(links, { adoptionKey: "main", ...news });
}

describe("polar.Product provider", () => {
  it("creates a product with its prices and tags, and reads it back without drift", async () => {
    const inputs = await checked<Record<string, unknown>>(products, {
      adoptionKey: "team",
      name: "Team",
      description: "For teams",
      recurringInterval: "month",
      prices: [
        { type: "fixed", amount: 1000, currency: "eur" },
        {
          type: "seat_based",
          currency: "eur",
          tiers: [
            { minSeats: 1, maxSeats: 10, pricePerSeat: 500 },
            { minSeats: 11, pricePerSeat: 400 },
          ],
        },
      ],
      metadata: { tier: "team" },
    });
    const { id, outs } = await products.create(inputs);
    const s = outs as ProductState;
    expect(s).toMatchObject({
      productId: id,
      name: "Team",
      description: "For teams",
      visibility: "public",
      recurringInterval: "month",
      recurringIntervalCount: 1,
      organizationId: ACME_ORG_ID,
      isArchived: false,
      metadata: { tier: "team" },
      prices: inputs.prices,
    });
    expect(s.priceIds).toHaveLength(2);
    const post = (await requests()).find((r) => r.method === "POST");
    expect((post?.body as { metadata?: unknown } | undefined)?.metadata).toEqual({
      tier: "team",
      [NAME_TAG]: "team",
      [CREATE_TAG]: expect.any(String),
    });

    const read = await products.read(id, s);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(s);
    expect(await products.diff(id, read.props as ProductState, inputs as unknown as ProductState)).toEqual({
      changes: false,
    });
  });

  it("updates with only the changed keys and keeps unchanged prices by id", async () => {
    const s = await newProduct("Pro", {
      prices: [
        { type: "fixed", amount: 1900 },
        { type: "seat_based", tiers: [{ minSeats: 1, pricePerSeat: 100 }] },
      ],
    });
    const news = await checked<Record<string, unknown>>(products, {
      adoptionKey: "pro",
      name: "Pro",
      recurringInterval: "month",
      prices: [
        { type: "fixed", amount: 2900 },
        { type: "seat_based", tiers: [{ minSeats: 1, pricePerSeat: 100 }] },
      ],
    });
    const before = (await requests()).length;
    const { outs } = await products.update(s.productId, s, news);
    const patch = (await requests()).slice(before).filter((r) => r.method === "PATCH");
    expect(patch.map((r) => r.body)).toEqual([
      {
        prices: [{ amount_type: "fixed", price_amount: 2900, price_currency: "usd" }, { id: s.priceIds[1] }],
      },
    ]);
    const after = outs as ProductState;
    expect(after.priceIds[1]).toBe(s.priceIds[1]);
    expect(after.priceIds[0]).not.toBe(s.priceIds[0]);
    // The seat-based price reads back with the tier type Polar gave it (its default, volume).
    expect(after.prices).toEqual([
      (news.prices as unknown[])[0],
      { ...((news.prices as unknown[])[1] as object), seatTierType: "volume" },
    ]);

    const renamed = await products.update(s.productId, after, { ...news, name: "Pro 2", description: "new" });
    expect((await requests()).at(-1)?.body).toEqual({ name: "Pro 2", description: "new" });
    expect((renamed.outs as ProductState).name).toBe("Pro 2");
  });

  it("archives on delete, then counts as gone on read; a missing product deletes cleanly", async () => {
    const s = await newProduct();
    await products.delete(s.productId, s);
    expect((await requests()).at(-1)).toMatchObject({
      method: "PATCH",
      status: 200,
      body: { is_archived: true },
    });
    expect(await products.read(s.productId, s)).toEqual({ id: "" });
    await products.delete("9b2d7c1e-5a4f-4e3b-8c2d-1a0b9c8d7e6f", s);
    expect(await products.read("9b2d7c1e-5a4f-4e3b-8c2d-1a0b9c8d7e6f", s)).toEqual({ id: "" });
  });

  it("makes no API call for bad arguments", async () => {
    const before = (await requests()).length;
    const r = await products.check({}, { adoptionKey: "x", name: "x", prices: [] });
    expect(r.failures?.map((f) => f.property)).toEqual(["name", "prices"]);
    await expect(products.create({ adoptionKey: "x", name: "x", prices: [] })).rejects.toThrow(
      /name: name must be 3 to 64/,
    );
    expect((await requests()).length).toBe(before);
  });
});

describe("polar.CheckoutLink provider", () => {
  it("creates with stripe and products in order, reads back without drift, deletes softly", async () => {
    const a = await newProduct("Alpha");
    const b = await newProduct("Beta");
    const inputs = await linkInputs({
      products: [b.productId, a.productId],
      label: "launch",
      successUrl: "https://example.com/thanks?checkout_id={CHECKOUT_ID}",
      trialInterval: "day",
      trialIntervalCount: 7,
      metadata: { campaign: "launch", rank: 2, beta: true },
    });
    const { id, outs } = await links.create(inputs);
    const s = outs as CheckoutLinkState;
    expect(s).toMatchObject({
      ...inputs,
      linkId: id,
      organizationId: ACME_ORG_ID,
      clientSecret: expect.stringMatching(/^polar_cl_/),
      url: expect.stringContaining("/v1/checkout-links/polar_cl_"),
      modifiedAt: null,
    });
    const post = (await requests()).at(-1);
    expect(post).toMatchObject({ method: "POST", status: 201 });
    expect(post?.body).toMatchObject({ payment_processor: "stripe", products: [b.productId, a.productId] });

    const read = await links.read(id, s);
    expect(read.props).toEqual(s);
    expect(read).not.toHaveProperty("inputs");
    expect(await links.diff(id, s, inputs as unknown as CheckoutLinkState)).toEqual({ changes: false });

    await links.delete(id, s);
    expect((await requests()).at(-1)).toMatchObject({ method: "DELETE", status: 204 });
    expect(await links.read(id, s)).toEqual({ id: "" });
    await links.delete(id, s); // 404 is done
    expect((await requests()).at(-1)).toMatchObject({ method: "DELETE", status: 404 });
  });

  it("patches only the changed keys and clears with null", async () => {
    const p = await newProduct();
    const inputs = await linkInputs({
      products: [p.productId],
      label: "a",
      returnUrl: "https://example.com/back",
    });
    const { id, outs } = await links.create(inputs);
    const news = await linkInputs({ products: [p.productId], label: "b", seats: undefined });
    const before = (await requests()).length;
    const u = await links.update(id, outs as CheckoutLinkState, news);
    const sent = (await requests()).slice(before);
    expect(sent.map((r) => [r.method, r.body])).toEqual([["PATCH", { label: "b", return_url: null }]]);
    expect(u.outs).toMatchObject({ label: "b" });
    expect((u.outs as CheckoutLinkState).returnUrl).toBeUndefined();
    expect((u.outs as CheckoutLinkState).modifiedAt).toEqual(expect.any(String));
  });

  it("names the field and makes no API call for bad arguments", async () => {
    const before = (await requests()).length;
    const r = await links.check({}, { adoptionKey: "x", products: ["nope"], trialInterval: "week" });
    expect(r.failures).toEqual([
      { property: "products", reason: "products.0: must be a Polar id (a UUID4)" },
      {
        property: "trialIntervalCount",
        reason: "trialIntervalCount must be set together with trialInterval",
      },
    ]);
    const r2 = await links.check({}, { adoptionKey: "x", products: [ACME_ORG_ID], trialInterval: "week" });
    expect(r2.failures).toEqual([
      {
        property: "trialIntervalCount",
        reason: "trialIntervalCount must be set together with trialInterval",
      },
    ]);
    await expect(links.create({ adoptionKey: "x", products: [] })).rejects.toThrow(/products/);
    expect((await requests()).length).toBe(before);
  });

  it("adopts a link by label and tag, and refuses when two match", async () => {
    const p = await newProduct();
    const made = await links.create(
      await linkInputs({ products: [p.productId], label: "shared", allowDiscountCodes: false }),
    );
    const before = (await requests()).length;
    const adopted = await links.create(
      await linkInputs({ products: [p.productId], label: "shared", adopt: true }),
    );
    expect(adopted.id).toBe(made.id);
    const sent = (await requests()).slice(before);
    expect(sent.map((r) => r.method)).toEqual(["GET", "PATCH"]);
    expect(sent[1]?.body).toEqual({ allow_discount_codes: true });
    expect(await liveLinks()).toHaveLength(1);

    // A different label is not the same link.
    const other = await links.create(
      await linkInputs({ products: [p.productId], label: "other", adopt: true }),
    );
    expect(other.id).not.toBe(made.id);

    await links.create(await linkInputs({ products: [p.productId], label: "shared" }));
    await expect(
      links.create(await linkInputs({ products: [p.productId], label: "shared", adopt: true })),
    ).rejects.toThrow(/adopt: 2 Polar checkout links carry label "shared"/);
    await expect(
      links.create(await linkInputs({ products: [p.productId], label: "shared", adopt: true })),
    ).rejects.toMatchObject({ code: "ADOPT_AMBIGUOUS" });
  });

  it("uses the named account", async () => {
    const p = await newProduct("Globex thing", { account: "globex" });
    expect(p.organizationId).not.toBe(ACME_ORG_ID);
    const { outs } = await links.create(await linkInputs({ products: [p.productId], account: "globex" }));
    expect((outs as CheckoutLinkState).organizationId).toBe(p.organizationId);
    expect(await liveLinks()).toEqual([]);
  });
});

describe("polar.CheckoutLink under faults: exactly one link, every time", () => {
  const POST_LINKS = "/polar/v1/checkout-links";

  /**
   * Retries, backoff and the settle wait run on `timing`, by default a fake clock. A slow answer
   * keeps the real one: its create lands while the provider waits to look again, which is what it
   * tests.
   */
  async function createUnder(
    spec: Record<string, unknown>,
    extra: Record<string, string> = {},
    timing: Timing | undefined = spec.latencyMs === undefined ? fakeTiming() : undefined,
  ) {
    const p = await newProduct();
    if (Object.keys(extra).length > 0 || timing !== undefined) {
      forgetClients();
      links = configured(new CheckoutLinkProvider(timing === undefined ? {} : { timing }), extra);
    }
    await fault({ method: "POST", path: POST_LINKS, attempts: [1], ...spec });
    const before = (await requests()).length;
    const r = await links.create(await linkInputs({ products: [p.productId], label: "faulty" }));
    const sent = (await requests()).slice(before);
    const live = await liveLinks();
    expect(live.map((l) => l.id)).toEqual([r.id]);
    return sent.map((e) => `${e.method} ${e.status}`);
  }

  it("a 201 whose body cannot be read: looks the link up by its tag, no second create, 0 orphans", async () => {
    const sent = await createUnder({ truncate: true });
    // The create was applied and answered 201; only lookups follow, never another POST.
    expect(sent.filter((s) => s.startsWith("POST"))).toEqual(["POST 201"]);
    expect(sent.some((s) => s.startsWith("GET 200"))).toBe(true);
  });

  it("429 with Retry-After: waits and creates once", async () => {
    const timing = fakeTiming();
    expect(await createUnder({ status: 429, retryAfter: 1 }, {}, timing)).toEqual(["POST 429", "POST 201"]);
    expect(timing.slept).toEqual([1000]);
  });

  it("503 (not applied): looks first, finds nothing, creates once", async () => {
    const sent = await createUnder({ status: 503 });
    expect(sent[0]).toBe("POST 503");
    expect(sent.at(-1)).toBe("POST 201");
    expect(sent.filter((s) => s.startsWith("GET"))).not.toHaveLength(0);
  });

  it("connection dropped before the create applied: looks, then creates once", async () => {
    const sent = await createUnder({ drop: "before" });
    expect(sent[0]).toBe("POST null");
    expect(sent.at(-1)).toBe("POST 201");
  });

  it("connection dropped after the create applied: finds the link and does not create again", async () => {
    const sent = await createUnder({ drop: "after" });
    expect(sent.filter((s) => s.startsWith("POST"))).toEqual(["POST null"]);
  });

  it("an answer slower than the timeout: finds the link the slow request made", async () => {
    const sent = await createUnder({ latencyMs: 1400 }, { "checkout-links:polar.timeoutMs": "1000" });
    expect(sent.filter((s) => s.startsWith("POST"))).toHaveLength(1);
  });

  it("a 5xx on update is retried (PATCH is idempotent); only Polar's own not-found 404 on read drops the link", async () => {
    const p = await newProduct();
    const { id, outs } = await links.create(await linkInputs({ products: [p.productId], label: "x" }));
    await fault({ method: "PATCH", path: `${POST_LINKS}/*`, attempts: [1], status: 502 });
    const u = await links.update(
      id,
      outs as CheckoutLinkState,
      await linkInputs({ products: [p.productId], label: "y" }),
    );
    expect((u.outs as CheckoutLinkState).label).toBe("y");
    // A 404 in another form (a route Polar does not have) says nothing about the link.
    await fault({
      method: "GET",
      path: `${POST_LINKS}/*`,
      attempts: [1],
      status: 404,
      body: { detail: "Not Found" },
    });
    await expect(links.read(id, u.outs as CheckoutLinkState)).rejects.toMatchObject({
      code: "UNEXPECTED_404",
    });
    await fault({
      method: "GET",
      path: `${POST_LINKS}/*`,
      status: 404,
      body: { error: "ResourceNotFound", detail: "Not found" },
    });
    expect(await links.read(id, u.outs as CheckoutLinkState)).toEqual({ id: "" });
  });
});

describe("polar.Product adoption", () => {
  it("adopts the unarchived product carrying the tag and brings it to the arguments", async () => {
    const first = await newProduct("Keep");
    const before = (await requests()).length;
    const inputs = await checked<Record<string, unknown>>(products, {
      adoptionKey: "keep",
      name: "Keep",
      recurringInterval: "month",
      prices: [{ type: "fixed", amount: 2500 }],
      adopt: true,
    });
    const { id, outs } = await products.create(inputs);
    expect(id).toBe(first.productId);
    const sent = (await requests()).slice(before);
    expect(sent.map((r) => r.method)).toEqual(["GET", "PATCH"]);
    expect(sent[1]?.body).toEqual({
      prices: [{ amount_type: "fixed", price_amount: 2500, price_currency: "usd" }],
    });
    expect((outs as ProductState).prices).toEqual([{ type: "fixed", amount: 2500, currency: "usd" }]);
  });

  it("refuses to adopt a product whose billing interval differs", async () => {
    await newProduct("Monthly");
    const inputs = await checked<Record<string, unknown>>(products, {
      adoptionKey: "monthly",
      name: "Monthly",
      recurringInterval: "year",
      prices: [{ type: "fixed", amount: 1900 }],
      adopt: true,
    });
    await expect(products.create(inputs)).rejects.toThrow(/bills month but recurringInterval is year/);
    await expect(products.create(inputs)).rejects.toMatchObject({ code: "ADOPT_MISMATCH" });
  });
});

describe("polar.Product under faults", () => {
  it("a 503 on create (not applied) is looked up, then created once", async () => {
    products = configured(new ProductProvider({ timing: fakeTiming() }));
    emu.injectFault({ method: "POST", path: "/polar/v1/products", attempts: [1], status: 503 });
    const s = await newProduct("Twice");
    const all = emu.state();
    expect(
      Object.values(all.polar.products)
        .filter((p) => p.name === "Twice")
        .map((p) => p.id),
    ).toEqual([s.productId]);
  });

  it("a 201 whose body cannot be read makes one product, held in state by the lookup", async () => {
    await fault({ method: "POST", path: "/polar/v1/products", attempts: [1], truncate: true });
    const s = await newProduct("Once");
    const all = (await control("GET", "/_emulator/state")) as any;
    const made = Object.values(all.polar?.products ?? {}).filter((p: any) => p.name === "Once") as any[];
    expect(made.map((p) => p.id)).toEqual([s.productId]);
    expect((await requests()).filter((r) => r.method === "POST").map((r) => r.status)).toEqual([201]);
  });

  it("a create dropped after it applied makes one product", async () => {
    await fault({ method: "POST", path: "/polar/v1/products", attempts: [1], drop: "after" });
    const s = await newProduct("Once");
    const all = (await control("GET", "/_emulator/state")) as any;
    const polarProducts = Object.values(all.polar?.products ?? {}).filter((p: any) => p.name === "Once");
    expect(polarProducts).toHaveLength(1);
    expect(s.name).toBe("Once");
  });
});
