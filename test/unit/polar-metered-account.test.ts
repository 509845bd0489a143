/**
 * An account holding a product with a metered price, made outside the stack: Polar lists it among
 * the other products (and inside the links that sell it), so every walk of a list page meets it.
 * Adoption, `checkout-links import` and the interrupted-run lookup must keep working; the product
 * itself is left out of an import with the reason, and managing it fails loudly rather than
 * archiving the metered price on the next price change.
 */
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Io } from "../../cli/io";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
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
beforeEach(() => emu.reset());

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

  it("refuses to adopt the metered product itself, naming the price type, and changes nothing", async () => {
    const { metered } = await meteredAccount();
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
    ).rejects.toThrow(/holds a metered_unit price .*which polar\.Product does not manage/);
    expect(emu.requests().filter((r) => r.method !== "GET").length).toBe(before);
  });

  it("a metered price added in Polar to a managed product fails refresh loudly instead of being dropped", async () => {
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
    const patched = await fetch(`${emu.baseUrls.polar}/v1/products/${s.productId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        prices: [{ id: s.priceIds[0] }, { amount_type: "metered_unit", meter_id: METER, unit_amount: 2 }],
      }),
    });
    expect(patched.status).toBe(200);
    await expect(products.read(s.productId, s)).rejects.toThrow(/metered_unit/);
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

  it("checkout-links import declares the rest and leaves the metered product out, with the reason", async () => {
    const { metered } = await meteredAccount();
    const pro = await polarProduct(emu, token, { name: "Pro" });
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
    expect(err.filter((l) => /error/i.test(l))).toEqual([]);
    expect(code).toBe(0);
    const program = out.join("\n");
    expect(program).toContain(`adoptId: "${pro.id}"`);
    expect(program).not.toContain(`adoptId: "${metered.id}"`);
    expect(err).toContain(
      `  - polar.Product product "API usage" (${metered.id}): it has a metered_unit price, which polar.Product does not manage (it manages fixed, custom, seat_based)`,
    );
  });
});
