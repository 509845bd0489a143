/**
 * An account holding a product with a metered price, made outside the stack: Polar lists it among
 * the other products (and inside the links that sell it), so every walk of a list page meets it.
 * Adoption, `checkout-links import` and the interrupted-run lookup keep working, and the metered
 * product itself is managed like any other. A price of a type the package does not know (one Polar
 * adds later) is read as `other`: its product is left out of an import with the reason, and
 * managing it fails loudly rather than archiving that price on the next price change.
 */
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Io } from "../../cli/io";
import { startEmulator } from "../../emulator/index";
import { ACME_ORG_ID, DEMO_TOKENS } from "../../emulator/seed";
import { polarMeters } from "../../emulator/vendors/polar/state";
import { CheckoutLinkProvider } from "../../provider/polar/checkoutLink";
import { NAME_TAG } from "../../provider/polar/common";
import { ProductProvider, type ProductState } from "../../provider/polar/product";
import { polarLink, polarProduct } from "../fixtures/emulator-setup";

let emu: Awaited<ReturnType<typeof startEmulator>>;
const token = DEMO_TOKENS.polarAcme;
const METER = "8d6a3b7e-4c1f-4e2a-9b5d-2f7c8e1a0b3c";

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
  // The meter, written into the emulator's state as Polar's meters API would have made it.
  polarMeters(emu.app)[METER] = {
    id: METER,
    created_at: "2026-01-01T00:00:00.000Z",
    modified_at: null,
    organization_id: ACME_ORG_ID,
    name: "API calls",
    unit: "scalar",
    custom_label: null,
    custom_multiplier: null,
    filter: { conjunction: "and", clauses: [] },
    aggregation: { func: "count" },
    metadata: {},
    archived_at: null,
  };
});

/** `product` as Polar would answer it with its metered price of a type added later (`unit_based`). */
async function withFuturePrice(productId: string) {
  const live = await fetch(`${emu.baseUrls.polar}/v1/products/${productId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await live.json()) as { prices: Record<string, unknown>[] };
  body.prices = body.prices.map((p) =>
    p.amount_type === "metered_unit" ? { ...p, amount_type: "unit_based", meter: undefined } : p,
  );
  return body;
}

function configured<P extends { configure(req: never): Promise<void> }>(p: P): P {
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": token,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
  };
  void p.configure({
    config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string },
  } as never);
  return p;
}

/** The metered product (a base fee plus a price per unit of a meter) and a link selling it. */
async function meteredAccount() {
  const metered = await polarProduct(emu, token, {
    name: "API usage",
    prices: [
      { amount_type: "fixed", price_amount: 900 },
      { amount_type: "metered_unit", meter_id: METER, unit_amount: "0.5", cap_amount: 10000 },
    ],
  });
  const link = await polarLink(emu, token, [metered.id], { label: "usage" });
  return { metered, link };
}

async function checked(p: ProductProvider | CheckoutLinkProvider, news: Record<string, unknown>) {
  const r = await p.check({}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as Record<string, unknown>;
}

describe("an account holding a product with a metered price", () => {
  it("adopts another product by its tag: the list page with the metered product reads", async () => {
    await meteredAccount();
    const tagged = await polarProduct(emu, token, { name: "Pro", metadata: { [NAME_TAG]: "pro" } });
    const products = configured(new ProductProvider());
    const { id } = await products.create(
      await checked(products, {
        adoptionKey: "pro",
        name: "Pro",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 2900 }],
        adopt: true,
      }),
    );
    expect(id).toBe(tagged.id);
  });

  it("adopts a checkout link by its tag while another link sells the metered product", async () => {
    await meteredAccount();
    const pro = await polarProduct(emu, token, { name: "Pro" });
    const mine = await polarLink(emu, token, [pro.id], { metadata: { [NAME_TAG]: "main" } });
    const links = configured(new CheckoutLinkProvider());
    const { id } = await links.create(
      await checked(links, { adoptionKey: "main", products: [pro.id], adopt: true }),
    );
    expect(id).toBe(mine.id);
  });

  it("recovers an interrupted create: the lookup by tag walks past the metered product", async () => {
    await meteredAccount();
    const products = configured(new ProductProvider());
    const made = await products.create(
      await checked(products, {
        adoptionKey: "team",
        name: "Team",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 1000 }],
      }),
    );
    // As the interrupted-run recovery asks: the newest product with this resource's tag.
    const inputs = await checked(products, {
      adoptionKey: "team",
      name: "Team",
      recurringInterval: "month",
      prices: [{ type: "fixed", amount: 1000 }],
    });
    expect(await products.findCreated(inputs, [])).toBe(made.id);
  });

  it("adopts the metered product itself: its prices match, only the tag is written", async () => {
    const { metered } = await meteredAccount();
    const products = configured(new ProductProvider());
    const before = emu.requests().length;
    const { id, outs } = await products.create(
      await checked(products, {
        adoptionKey: "usage",
        name: "API usage",
        recurringInterval: "month",
        prices: [
          { type: "fixed", amount: 900 },
          { type: "metered_unit", meterId: METER, unitAmount: "0.50", capAmount: 10000 },
        ],
        adopt: true,
        adoptId: metered.id,
      }),
    );
    expect(id).toBe(metered.id);
    const writes = emu
      .requests()
      .slice(before)
      .filter((r) => r.method !== "GET");
    expect(writes.map((r) => Object.keys(r.body as object))).toEqual([["metadata"]]);
    expect((outs as ProductState).prices[1]).toEqual({
      type: "metered_unit",
      meterId: METER,
      unitAmount: "0.5",
      capAmount: 10000,
      currency: "usd",
    });
  });

  it("refuses to adopt a product holding a price of a type added later, naming it, and changes nothing", async () => {
    const { metered } = await meteredAccount();
    emu.injectFault({
      method: "GET",
      path: `/polar/v1/products/${metered.id}`,
      attempts: [1],
      status: 200,
      body: await withFuturePrice(metered.id),
    });
    const products = configured(new ProductProvider());
    const before = emu.requests().filter((r) => r.method !== "GET").length;
    await expect(
      products.create(
        await checked(products, {
          adoptionKey: "usage",
          name: "API usage",
          recurringInterval: "month",
          prices: [{ type: "fixed", amount: 900 }],
          adopt: true,
          adoptId: metered.id,
        }),
      ),
    ).rejects.toThrow(/holds a unit_based price .*which polar\.Product does not manage/);
    expect(emu.requests().filter((r) => r.method !== "GET").length).toBe(before);
  });

  it("a metered price added in Polar to a managed product shows on refresh and is archived by the next update", async () => {
    const inputs = {
      adoptionKey: "team",
      name: "Team",
      recurringInterval: "month",
      prices: [{ type: "fixed", amount: 1000 }],
    };
    const products = configured(new ProductProvider());
    const made = await products.create(await checked(products, inputs));
    const s = made.outs as ProductState;
    const patched = await fetch(`${emu.baseUrls.polar}/v1/products/${s.productId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        prices: [{ id: s.priceIds[0] }, { amount_type: "metered_unit", meter_id: METER, unit_amount: 2 }],
      }),
    });
    expect(patched.status).toBe(200);
    const refreshed = (await products.read(s.productId, s)).props as ProductState;
    expect(refreshed.prices).toEqual([
      { type: "fixed", amount: 1000, currency: "usd" },
      { type: "metered_unit", meterId: METER, unitAmount: "2", currency: "usd" },
    ]);
    const news = await checked(products, inputs);
    expect(await products.diff(s.productId, refreshed, news as unknown as ProductState)).toEqual({
      changes: true,
    });
    const { outs } = await products.update(s.productId, refreshed, news);
    expect((outs as ProductState).prices).toEqual([{ type: "fixed", amount: 1000, currency: "usd" }]);
    expect(emu.requests().at(-1)?.body).toEqual({ prices: [{ id: s.priceIds[0] }] });
  });

  it("a price of a type added later fails refresh loudly instead of being dropped", async () => {
    const { metered } = await meteredAccount();
    const products = configured(new ProductProvider());
    const made = await products.create(
      await checked(products, {
        adoptionKey: "usage",
        name: "API usage",
        recurringInterval: "month",
        prices: [
          { type: "fixed", amount: 900 },
          { type: "metered_unit", meterId: METER, unitAmount: "0.5", capAmount: 10000 },
        ],
        adopt: true,
        adoptId: metered.id,
      }),
    );
    const s = made.outs as ProductState;
    emu.injectFault({
      method: "GET",
      path: `/polar/v1/products/${s.productId}`,
      attempts: [1],
      status: 200,
      body: await withFuturePrice(s.productId),
    });
    await expect(products.read(s.productId, s)).rejects.toThrow(/unit_based/);
  });

  it("a price missing a key the provider reads fails naming vendor, route and key", async () => {
    const products = configured(new ProductProvider());
    const made = await products.create(
      await checked(products, {
        adoptionKey: "team",
        name: "Team",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 1000 }],
      }),
    );
    const s = made.outs as ProductState;
    const live = await fetch(`${emu.baseUrls.polar}/v1/products/${s.productId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await live.json()) as { prices: Record<string, unknown>[] };
    delete body.prices[0]?.price_amount;
    emu.injectFault({
      method: "GET",
      path: `/polar/v1/products/${s.productId}`,
      attempts: [1],
      status: 200,
      body,
    });
    await expect(products.read(s.productId, s)).rejects.toThrow(
      new RegExp(`polar GET /v1/products/${s.productId} .*prices\\.0\\.price_amount`),
    );
  });

  it("checkout-links import declares the metered product referring to the meter it declares", async () => {
    const { metered } = await meteredAccount();
    const pro = await polarProduct(emu, token, { name: "Pro" });
    const { program, err, code } = await runImport();
    expect(err.filter((l) => /error/i.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(program).toContain(`adoptId: "${pro.id}"`);
    expect(program).toContain(`adoptId: "${metered.id}"`);
    expect(program).toContain(`const apiCalls = new polar.Meter("api-calls", {`);
    expect(program).toContain(`adoptId: "${METER}"`);
    expect(program).toMatch(
      /type: "metered_unit",\s*meterId: apiCalls\.id,\s*unitAmount: "0\.5",\s*capAmount: 10000/,
    );
  });

  it("checkout-links import leaves out a product with a price of a type added later, with the reason", async () => {
    const { metered } = await meteredAccount();
    const pro = await polarProduct(emu, token, { name: "Pro" });
    const list = await fetch(`${emu.baseUrls.polar}/v1/products/?is_archived=false&limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await list.json()) as { items: { id: string }[] };
    const future = await withFuturePrice(metered.id);
    page.items = page.items.map((p) => (p.id === metered.id ? (future as unknown as { id: string }) : p));
    emu.injectFault({ method: "GET", path: "/polar/v1/products/", attempts: [1], status: 200, body: page });
    const { program, err, code } = await runImport();
    expect(code).toBe(0);
    expect(program).toContain(`adoptId: "${pro.id}"`);
    expect(program).not.toContain(`adoptId: "${metered.id}"`);
    expect(err).toContain(
      `  - polar.Product product "API usage" (${metered.id}): it has a unit_based price, which polar.Product does not manage (it manages fixed, custom, seat_based, metered_unit)`,
    );
  });
});

/** `checkout-links import --backend polar` against the emulator, with the built command as users run it. */
async function runImport() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar, CHECKOUT_LINKS_POLAR_TOKEN: token },
  };
  // The built command, which loads each backend's inventory module at run time as users run it.
  const { main } = createRequire(__filename)(
    path.resolve(__dirname, "../../dist/cli/main.js"),
  ) as typeof import("../../cli/main");
  const code = await main(["import", "--backend", "polar"], io, os.tmpdir());
  return { program: out.join("\n"), err, code };
}
