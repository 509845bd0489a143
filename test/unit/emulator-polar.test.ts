/** Polar lifecycle: PATCH semantics, soft delete, archive cascade, pagination clamp, prices on update. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { polarLink, polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Emulator;
const token = "polar_oat_demo_acme";
const linkUrl = (id: string) => `${emu.baseUrls.polar}/v1/checkout-links/${id}`;
beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("Polar checkout links", () => {
  it("PATCH changes only the keys present and replaces products in the given order", async () => {
    const a = await polarProduct(emu, token, { name: "Alpha" });
    const b = await polarProduct(emu, token, { name: "Beta" });
    const link = await polarLink(emu, token, [a.id], {
      label: "keep",
      return_url: "https://example.com/back",
    });
    const res = await call("PATCH", linkUrl(link.id), {
      token,
      body: { products: [b.id, a.id], return_url: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.products.map((p: { name: string }) => p.name)).toEqual(["Beta", "Alpha"]);
    expect(res.body.label).toBe("keep");
    expect(res.body.return_url).toBeNull();
  });

  it("PATCH to only one-time products clears the trial", async () => {
    const recurring = await polarProduct(emu, token);
    const oneTime = await polarProduct(emu, token, { name: "Once", recurring_interval: null });
    const link = await polarLink(emu, token, [recurring.id], {
      trial_interval: "day",
      trial_interval_count: 7,
    });
    const res = await call("PATCH", linkUrl(link.id), { token, body: { products: [oneTime.id] } });
    expect([res.body.trial_interval, res.body.trial_interval_count]).toEqual([null, null]);
  });

  it("DELETE is soft: 204, then 404 everywhere, hidden from the list, kept in the state route", async () => {
    const product = await polarProduct(emu, token);
    const link = await polarLink(emu, token, [product.id]);
    const del = await call("DELETE", linkUrl(link.id), { token });
    expect([del.status, del.body]).toEqual([204, undefined]);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await call(method, linkUrl(link.id), {
        token,
        ...(method === "PATCH" ? { body: {} } : {}),
      });
      expect([method, res.status]).toEqual([method, 404]);
    }
    const list = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/`, { token });
    expect(list.body.items).toEqual([]);
    expect(emu.state().polar.links[link.id]?.deleted_at).toEqual(expect.any(String));
  });

  it("archiving a product removes it from every link and soft-deletes links left empty", async () => {
    const keep = await polarProduct(emu, token, { name: "Keep" });
    const gone = await polarProduct(emu, token, { name: "Gone" });
    const shared = await polarLink(emu, token, [keep.id, gone.id]);
    const only = await polarLink(emu, token, [gone.id]);
    const archived = await call("PATCH", `${emu.baseUrls.polar}/v1/products/${gone.id}`, {
      token,
      body: { is_archived: true },
    });
    expect([archived.status, archived.body.is_archived]).toEqual([200, true]);
    const after = await call("GET", linkUrl(shared.id), { token });
    expect(after.body.products.map((p: { id: string }) => p.id)).toEqual([keep.id]);
    expect((await call("GET", linkUrl(only.id), { token })).status).toBe(404);
    expect(emu.state().polar.links[only.id]?.product_ids).toEqual([]);
    const create = await call("POST", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token,
      body: { payment_processor: "stripe", products: [gone.id] },
    });
    expect(create.body.detail[0].msg).toBe("Product is archived.");
  });

  it("list: limit above 100 is clamped to 100, limit 0 is 422, sorting works", async () => {
    const product = await polarProduct(emu, token);
    for (let i = 0; i < 105; i++)
      await polarLink(emu, token, [product.id], { label: `l${String(i).padStart(3, "0")}` });
    const clamped = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/?limit=500`, { token });
    expect(clamped.status).toBe(200);
    expect(clamped.body.items).toHaveLength(100);
    expect(clamped.body.pagination).toEqual({ total_count: 105, max_page: 2 });
    const page2 = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/?limit=500&page=2`, { token });
    expect(page2.body.items).toHaveLength(5);
    const zero = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/?limit=0`, { token });
    expect(zero.status).toBe(422);
    expect(zero.body.detail[0]).toMatchObject({ type: "greater_than", loc: ["query", "limit"] });
    const sorted = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/?sorting=-label&limit=2`, {
      token,
    });
    expect(sorted.body.items.map((l: { label: string }) => l.label)).toEqual(["l104", "l103"]);
    const defaults = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/`, { token });
    expect(defaults.body.pagination).toEqual({ total_count: 105, max_page: 11 });
  });

  it("path ids must be UUID4: other strings and versions are 422, not 404", async () => {
    const notUuid = await call("GET", linkUrl("abc"), { token });
    expect([notUuid.status, notUuid.body.detail[0].type]).toEqual([422, "uuid_parsing"]);
    const v7 = await call("GET", linkUrl("1280792f-4e23-793d-8e9c-3a1bf36630bd"), { token });
    expect([v7.status, v7.body.detail[0].type]).toEqual([422, "uuid_version"]);
  });
});

describe("Polar products", () => {
  it("prices on update: {id} keeps a price, new ones are created, the rest are archived", async () => {
    const product = await polarProduct(emu, token);
    const kept = product.prices[0]!.id;
    const res = await call("PATCH", `${emu.baseUrls.polar}/v1/products/${product.id}`, {
      token,
      body: {
        prices: [
          { id: kept },
          { amount_type: "seat_based", seat_tiers: { tiers: [{ min_seats: 1, price_per_seat: 500 }] } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.prices.map((p: { amount_type: string }) => p.amount_type)).toEqual([
      "fixed",
      "seat_based",
    ]);
    expect(res.body.prices[0].id).toBe(kept);
    const replaced = await call("PATCH", `${emu.baseUrls.polar}/v1/products/${product.id}`, {
      token,
      body: { prices: [{ amount_type: "fixed", price_amount: 100 }] },
    });
    expect(replaced.body.prices).toHaveLength(1);
    expect(replaced.body.prices[0].price_amount).toBe(100);
    expect(emu.state().polar.products[product.id]?.prices.filter((p) => p.is_archived)).toHaveLength(2);
    const stale = await call("PATCH", `${emu.baseUrls.polar}/v1/products/${product.id}`, {
      token,
      body: { prices: [{ id: kept }] },
    });
    expect(stale.body.detail[0]).toMatchObject({ loc: ["body", "prices", 0], msg: "Price does not exist." });
  });

  it("product create defaults and the 3..64 name rule", async () => {
    const product = await call("POST", `${emu.baseUrls.polar}/v1/products/`, {
      token,
      body: {
        name: "Pro",
        recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_amount: 900 }],
      },
    });
    expect(product.body).toMatchObject({
      visibility: "public",
      recurring_interval_count: 1,
      is_recurring: true,
      is_archived: false,
      metadata: {},
      attached_custom_fields: [],
    });
    expect(product.body.prices[0]).toMatchObject({
      price_currency: "usd",
      tax_behavior: null,
      source: "catalog",
    });
    const short = await call("POST", `${emu.baseUrls.polar}/v1/products/`, {
      token,
      body: { name: "P", prices: [{ amount_type: "fixed", price_amount: 1 }] },
    });
    expect(short.body.detail[0]).toMatchObject({ type: "string_too_short", loc: ["body", "name"] });
  });
});
