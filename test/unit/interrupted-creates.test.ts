/**
 * Creates under plain `pulumi` after an interrupted run: a run killed after the vendor made an object
 * but before the state recorded it, then `pulumi refresh --clear-pending-creates` and `pulumi up`,
 * calls create again for the same resource. Create then takes over what the interrupted run made
 * instead of making a second object or failing on its own slug or code, and it takes over nothing
 * else: not another stack's object, not an object a resource of the state owns (the one being
 * replaced), not one that differs from the declaration where the vendor has no mark of who made it
 * (a Polar benefit of another type).
 *
 * The interrupted run is one provider instance, the recovery run another whose run started after it
 * (`runStartedAt`), as two processes would be.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { OWNER_INPUT } from "../../provider/core/spec";
import { CheckoutLinkProvider as CoreapiLinkProvider } from "../../provider/coreapi/checkoutLink";
import { PlanProvider } from "../../provider/coreapi/plan";
import { FynnCheckoutLinkProvider } from "../../provider/fynn/checkoutLink";
import { PolarBenefitProvider } from "../../provider/polar/benefit";
import { CheckoutLinkProvider as PolarLinkProvider } from "../../provider/polar/checkoutLink";
import { ProductProvider } from "../../provider/polar/product";
import { type CallResult, call as httpCall } from "../fixtures/http";

const FYNN_TOKEN = "api_demo_acme";
const STACK = "0123456789abcdef";
const OTHER_STACK = "fedcba9876543210";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let productId: string;
let pricePlanId: string;

function fynn(method: string, path: string, body?: unknown): Promise<CallResult> {
  return httpCall(method, emu.baseUrls.fynn + path, {
    token: FYNN_TOKEN,
    body,
    headers: { accept: "application/json" },
  });
}

async function polar(path: string): Promise<any> {
  const res = await fetch(`${emu.baseUrls.polar}${path}`, {
    headers: { authorization: `Bearer ${DEMO_TOKENS.polarAcme}` },
  });
  return res.json();
}

interface Provider {
  configure(req: unknown): Promise<void>;
  check(olds: object, news: object): Promise<{ inputs?: unknown; failures?: unknown[] }>;
  create(inputs: object): Promise<{ id: string; outs?: unknown }>;
  diff(id: string, olds: object, news: object): Promise<unknown>;
  delete(id: string, props: object): Promise<void>;
  findCreated(inputs: object, known: readonly string[]): Promise<string | undefined>;
}

/** A provider of one run: configured as the engine would, with objects made before `startedAt` its candidates. */
async function run<P extends Provider>(
  Provider: new (o?: { runStartedAt?: number }) => P,
  startedAt = Date.now(),
): Promise<P> {
  const p = new Provider({ runStartedAt: startedAt });
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": DEMO_TOKENS.polarAcme,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
  };
  await p.configure({ config: { get: (k: string) => cfg[k] } });
  return p;
}

async function create(p: Provider, news: Record<string, unknown>): Promise<{ id: string; outs: any }> {
  const checked = await p.check({}, news);
  expect(checked.failures ?? []).toEqual([]);
  const r = await p.create(checked.inputs as object);
  return { id: r.id, outs: r.outs };
}

/** A moment so that what the next run makes is newer than its start, at the emulator's clock. */
const tick = () => new Promise((r) => setTimeout(r, 20));

beforeAll(async () => {
  emu = await startEmulator({ port: 0, polarRateLimitPerMinute: 0 });
  process.env.CHECKOUT_LINKS_FYNN_TOKEN = FYNN_TOKEN;
  process.env.CHECKOUT_LINKS_FYNN_BASE_URL = emu.baseUrls.fynn;
  productId = (await fynn("POST", "/products", { name: "Seats" })).body.id;
  pricePlanId = (
    await fynn("POST", "/price-plans", { product: productId, internalName: "Monthly", amount: 900 })
  ).body.id;
});
afterAll(async () => {
  await emu?.close();
});

describe("polar.Product", () => {
  const product = (name: string, extra: Record<string, unknown> = {}) => ({
    name: "Interrupted product",
    adoptionKey: name,
    recurringInterval: "month",
    prices: [{ type: "fixed", amount: 1000, currency: "usd" }],
    [OWNER_INPUT]: STACK,
    ...extra,
  });
  const live = async (key: string) =>
    (await polar("/v1/products/?is_archived=false&limit=100")).items.filter(
      (p: any) => p.metadata["pulumi-checkout-links:name"] === key,
    );

  it("takes over the product an interrupted run of the stack made, and puts it into the declared state", async () => {
    const first = await create(await run(ProductProvider), product("po-taken"));
    await tick();
    const again = await create(await run(ProductProvider), product("po-taken", { name: "Renamed product" }));
    expect(again.id).toBe(first.id);
    expect(again.outs.name).toBe("Renamed product");
    expect((await live("po-taken")).map((p: any) => [p.id, p.name])).toEqual([[first.id, "Renamed product"]]);
  });

  it("does not take over another stack's product with the same adoption key", async () => {
    const theirs = await create(
      await run(ProductProvider),
      product("po-shared", { [OWNER_INPUT]: OTHER_STACK }),
    );
    await tick();
    const mine = await create(await run(ProductProvider), product("po-shared"));
    expect(mine.id).not.toBe(theirs.id);
    expect((await live("po-shared")).length).toBe(2);
  });

  it("checkout-links' recovery (findCreated) finds only this stack's product for a pending create", async () => {
    const theirs = await create(
      await run(ProductProvider),
      product("po-pending", { [OWNER_INPUT]: OTHER_STACK }),
    );
    const p = await run(ProductProvider);
    const inputs = (await p.check({}, product("po-pending"))).inputs as Record<string, unknown>;
    expect(await p.findCreated(inputs, [])).toBeUndefined();
    const mine = await create(await run(ProductProvider, 0), product("po-pending"));
    expect(mine.id).not.toBe(theirs.id);
    expect(await p.findCreated(inputs, [])).toBe(mine.id);
  });

  it("does not take over the product of a resource being replaced (diffed by the same run)", async () => {
    const old = await create(await run(ProductProvider), product("po-replaced"));
    await tick();
    const p = await run(ProductProvider);
    await p.diff(old.id, old.outs, product("po-replaced"));
    const replacement = await create(p, product("po-replaced"));
    expect(replacement.id).not.toBe(old.id);
  });

  it("does not take over a product billed at another interval, which a PATCH cannot change", async () => {
    const monthly = await create(await run(ProductProvider), product("po-interval"));
    await tick();
    const yearly = await create(
      await run(ProductProvider),
      product("po-interval", { recurringInterval: "year" }),
    );
    expect(yearly.id).not.toBe(monthly.id);
  });
});

describe("polar.CheckoutLink", () => {
  it("takes over the link an interrupted run of the stack made, by label and adoption key", async () => {
    const { id: productId } = await create(await run(ProductProvider), {
      name: "Linked product",
      adoptionKey: "po-for-link",
      prices: [{ type: "fixed", amount: 500, currency: "usd" }],
      [OWNER_INPUT]: STACK,
    });
    const link = { products: [productId], label: "pl-taken", adoptionKey: "pl-taken", [OWNER_INPUT]: STACK };
    const first = await create(await run(PolarLinkProvider), link);
    await tick();
    const again = await create(await run(PolarLinkProvider), { ...link, allowDiscountCodes: false });
    expect(again.id).toBe(first.id);
    const live = (await polar("/v1/checkout-links/?limit=100")).items.filter(
      (l: any) => l.label === "pl-taken",
    );
    expect(live.map((l: any) => [l.id, l.allow_discount_codes])).toEqual([[first.id, false]]);
  });
});

describe("coreapi.Plan", () => {
  const plan = (code: string, name = "Interrupted plan") => ({
    code,
    name,
    tiers: [{ name: "Pro", items: [{ productId, pricePlanId }] }],
  });
  const live = async (code: string) =>
    (await fynn("GET", `/api/plans?code=${code}&limit=100`)).body.data.filter(
      (p: any) => p.code === code && p.status !== "archived",
    );

  it("takes over the plan an interrupted run made, exactly as declared, and activates it", async () => {
    const first = await create(await run(PlanProvider), { ...plan("k-plan-taken"), activate: false });
    expect(first.outs.status).toBe("draft");
    await tick();
    const again = await create(await run(PlanProvider), plan("k-plan-taken"));
    expect([again.id, again.outs.status]).toEqual([first.id, "active"]);
    expect((await live("k-plan-taken")).map((p: any) => p.id)).toEqual([first.id]);
  });

  it("refuses a plan with the code that differs from the declaration, and says how to adopt it", async () => {
    await create(await run(PlanProvider), plan("k-plan-other", "Someone else's plan"));
    await tick();
    await expect(create(await run(PlanProvider), plan("k-plan-other"))).rejects.toThrow(
      /plan code "k-plan-other" is already used by another plan .* Set `adopt: true`/s,
    );
  });

  it("takes over nothing the same run made (a plan newer than the run's start)", async () => {
    const p = await run(PlanProvider, Date.now() - 60_000);
    await create(p, plan("k-plan-same-run"));
    await expect(create(p, plan("k-plan-same-run"))).rejects.toThrow(/already used/);
  });
});

describe("coreapi.CheckoutLink", () => {
  it("takes over the link an interrupted run made with the declared slug, and deletes it once", async () => {
    const { id: planId, outs } = await create(await run(PlanProvider), {
      code: "k-plan-links",
      name: "Plan with links",
      tiers: [{ name: "Pro", items: [{ productId, pricePlanId }] }],
    });
    const link = { planId, planTierId: outs.tierIds.Pro, slug: "k-link-taken" };
    const first = await create(await run(CoreapiLinkProvider), link);
    await tick();
    const p = await run(CoreapiLinkProvider);
    const again = await create(p, link);
    expect(again.id).toBe(first.id);
    const links = async () => (await fynn("GET", `/api/plans/${planId}/checkout-links`)).body;
    expect((await links()).map((l: any) => l.id)).toEqual([first.id]);

    // A resource renamed without an alias: the new name took the object over, and deleting the old
    // name in the same run leaves it to the new one.
    await p.delete(first.id, first.outs);
    expect((await links()).map((l: any) => l.id)).toEqual([first.id]);
  });
});

describe("fynn.CheckoutLink", () => {
  const link = (slug: string, quantity = 1) => ({
    items: [{ productId, pricePlanId, quantity }],
    slug,
  });
  const live = async (slug: string) =>
    (await fynn("GET", `/checkout-links?slug=${slug}`)).body.data.map((l: any) => l.id);

  it("takes over the link an interrupted run made with the declared slug", async () => {
    const first = await create(await run(FynnCheckoutLinkProvider), link("k-fy-taken"));
    const again = await create(await run(FynnCheckoutLinkProvider), link("k-fy-taken"));
    expect(again.id).toBe(first.id);
    expect(await live("k-fy-taken")).toEqual([first.id]);
  });

  it("refuses a link with the slug that differs from the declaration, and says how to adopt it", async () => {
    await create(await run(FynnCheckoutLinkProvider), link("k-fy-other", 3));
    await expect(create(await run(FynnCheckoutLinkProvider), link("k-fy-other"))).rejects.toThrow(
      /slug "k-fy-other" is already used by another checkout link\. Set `adopt: true`/,
    );
  });
});

describe("polar.Benefit", () => {
  const benefit = (key: string, extra: Record<string, unknown> = {}) => ({
    type: "custom",
    description: "Interrupted benefit",
    adoptionKey: key,
    [OWNER_INPUT]: STACK,
    ...extra,
  });
  const live = async (key: string) =>
    (await polar("/v1/benefits/?limit=100")).items.filter(
      (b: any) => b.metadata["pulumi-checkout-links:name"] === key,
    );

  it("takes over the benefit an interrupted run of the stack made, and puts it into the declared state", async () => {
    const first = await create(await run(PolarBenefitProvider), benefit("be-taken"));
    await tick();
    const again = await create(
      await run(PolarBenefitProvider),
      benefit("be-taken", { description: "Renamed benefit" }),
    );
    expect(again.id).toBe(first.id);
    expect((await live("be-taken")).map((b: any) => [b.id, b.description])).toEqual([
      [first.id, "Renamed benefit"],
    ]);
  });

  it("takes over neither another stack's benefit nor one of another type", async () => {
    const theirs = await create(
      await run(PolarBenefitProvider),
      benefit("be-shared", { [OWNER_INPUT]: OTHER_STACK }),
    );
    const flag = await create(
      await run(PolarBenefitProvider),
      benefit("be-shared", { type: "feature_flag" }),
    );
    await tick();
    const mine = await create(await run(PolarBenefitProvider), benefit("be-shared"));
    expect([theirs.id, flag.id]).not.toContain(mine.id);
    expect((await live("be-shared")).length).toBe(3);
  });

  it("checkout-links' recovery (findCreated) finds only this stack's benefit for a pending create", async () => {
    await create(await run(PolarBenefitProvider), benefit("be-pending", { [OWNER_INPUT]: OTHER_STACK }));
    const p = await run(PolarBenefitProvider);
    const inputs = (await p.check({}, benefit("be-pending"))).inputs as Record<string, unknown>;
    expect(await p.findCreated(inputs, [])).toBeUndefined();
    const mine = await create(await run(PolarBenefitProvider, 0), benefit("be-pending"));
    expect(await p.findCreated(inputs, [])).toBe(mine.id);
  });
});
