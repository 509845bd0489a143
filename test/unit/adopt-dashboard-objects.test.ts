/**
 * Taking over objects made in the vendors' dashboards (what `checkout-links import` declares): a
 * coreapi plan by its code, coreapi and Fynn links by slug, Polar products and links by their id.
 * An object that already matches the arguments is adopted without a write (Polar: only the name
 * tag); one that differs gets exactly the write that puts it right.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { CheckoutLinkProvider as CoreapiLinkProvider } from "../../provider/coreapi/checkoutLink";
import { PlanProvider } from "../../provider/coreapi/plan";
import { FynnCheckoutLinkProvider } from "../../provider/fynn/checkoutLink";
import { CheckoutLinkProvider as PolarLinkProvider } from "../../provider/polar/checkoutLink";
import { NAME_TAG } from "../../provider/polar/common";
import { ProductProvider } from "../../provider/polar/product";
import { fynnCatalog, polarLink, polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
});

function configured<P extends { configure(req: any): Promise<void> }>(p: P): P {
  const cfg: Record<string, string> = {
    "checkout-links:fynn.token": DEMO_TOKENS.fynnAcme,
    "checkout-links:fynn.baseUrl": emu.baseUrls.fynn,
    "checkout-links:polar.token": DEMO_TOKENS.polarAcme,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
  };
  void p.configure({ config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string } });
  return p;
}

async function checked(p: { check(o: any, n: any): Promise<any> }, news: Record<string, unknown>) {
  const res = await p.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

/** Every write the vendors saw since the last clear: method, path (prefix dropped) and body. */
function writes(): { method: string; path: string; body?: unknown }[] {
  return emu
    .requests()
    .filter((r) => r.method !== "GET")
    .map((r) => ({ method: r.method, path: r.path.replace(/^\/(fynn|polar)/, ""), body: r.body }));
}

async function vendor(base: string, token: string, method: string, p: string, body?: unknown) {
  const res = await call(method, base + p, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe("coreapi.Plan adopt: true", () => {
  async function dashboardPlan(code: string, activate = true) {
    const { productId, priceId } = await fynnCatalog(emu, DEMO_TOKENS.fynnAcme);
    const plan = await vendor(emu.baseUrls.coreapi, DEMO_TOKENS.fynnAcme, "POST", "/api/plans", {
      code,
      name: "Team",
      tiers: [
        { name: "Starter", items: [{ productId, pricePlanId: priceId }] },
        {
          name: "Pro",
          commitmentPeriod: "P1Y",
          items: [{ productId, pricePlanId: priceId, defaultQuantity: 5 }],
        },
      ],
    });
    if (activate)
      await vendor(emu.baseUrls.coreapi, DEMO_TOKENS.fynnAcme, "POST", `/api/plans/${plan.id}/activate`);
    const args = {
      code,
      name: "Team",
      tiers: [
        { name: "Starter", items: [{ productId, pricePlanId: priceId }] },
        {
          name: "Pro",
          commitmentPeriod: "P1Y",
          items: [{ productId, pricePlanId: priceId, defaultQuantity: 5 }],
        },
      ],
      adopt: true,
    };
    emu.clearRequests();
    return { plan: plan as { id: string; tiers: { id: string; name: string }[] }, args };
  }

  it("takes over the plan with its code without a write when it matches", async () => {
    const { plan, args } = await dashboardPlan("team");
    const plans = configured(new PlanProvider());
    const created = await plans.create(await checked(plans, args));
    expect(created.id).toBe(plan.id);
    expect(created.outs.tierIds).toEqual({ Starter: plan.tiers[0]?.id, Pro: plan.tiers[1]?.id });
    expect(created.outs).toMatchObject({ status: "active", activate: true, adopt: true });
    expect(writes()).toEqual([]);
  });

  it("puts a differing plan right with one PUT that keeps its tier ids", async () => {
    const { plan, args } = await dashboardPlan("team-renamed");
    const plans = configured(new PlanProvider());
    const created = await plans.create(await checked(plans, { ...args, name: "Team (2026)" }));
    expect(created.id).toBe(plan.id);
    expect(created.outs.name).toBe("Team (2026)");
    expect(created.outs.tierIds).toEqual({ Starter: plan.tiers[0]?.id, Pro: plan.tiers[1]?.id });
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual([`PUT /api/plans/${plan.id}`]);
  });

  it("activates an adopted draft only when activate is not false", async () => {
    const draft = await dashboardPlan("draft-plan", false);
    const plans = configured(new PlanProvider());
    const kept = await plans.create(await checked(plans, { ...draft.args, activate: false }));
    expect(kept.outs).toMatchObject({ status: "draft", activate: false });
    expect(writes()).toEqual([]);
    const activated = await plans.create(await checked(plans, draft.args));
    expect(activated.outs).toMatchObject({ status: "active", activate: true });
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST /api/plans/${draft.plan.id}/activate`,
    ]);
  });

  it("creates the plan when no unarchived plan has the code", async () => {
    const { plan, args } = await dashboardPlan("archived-plan");
    // Still referenced by a link, so the documented DELETE archives the plan instead of deleting it.
    await vendor(emu.baseUrls.coreapi, DEMO_TOKENS.fynnAcme, "POST", `/api/plans/${plan.id}/checkout-links`, {
      planTierId: plan.tiers[0]?.id,
    });
    await vendor(emu.baseUrls.coreapi, DEMO_TOKENS.fynnAcme, "DELETE", `/api/plans/${plan.id}`);
    const plans = configured(new PlanProvider());
    // An archived plan keeps its code, so the create is refused with the way out named.
    await expect(plans.create(await checked(plans, args))).rejects.toThrow(
      'the plan code "archived-plan" is already used by another plan',
    );
    const fresh = await plans.create(await checked(plans, { ...args, code: "brand-new" }));
    expect(fresh.id).not.toBe(plan.id);
    expect(fresh.outs).toMatchObject({ code: "brand-new", status: "active", adopt: true });
  });

  it("shows no change for state written before plans could be adopted", async () => {
    const plans = configured(new PlanProvider());
    const { args } = await dashboardPlan("old-state");
    const { adopt: _, ...declared } = args;
    const created = await plans.create(await checked(plans, { ...declared, code: "old-state-2" }));
    const { adopt: __, ...oldOutputs } = created.outs as Record<string, unknown>;
    const news = await checked(plans, { ...declared, code: "old-state-2" });
    expect(await plans.diff(created.id, oldOutputs as never, news)).toEqual({ changes: false });
    expect(await plans.diff(created.id, oldOutputs as never, { ...news, adopt: true })).toEqual({
      changes: false,
    });
  });
});

describe("coreapi.CheckoutLink and fynn.CheckoutLink adopt: true", () => {
  it("adopt a matching coreapi link without a write, and put a differing one right with one PUT", async () => {
    const { productId, priceId } = await fynnCatalog(emu, DEMO_TOKENS.fynnAcme);
    const plan = await vendor(emu.baseUrls.coreapi, DEMO_TOKENS.fynnAcme, "POST", "/api/plans", {
      code: "links-plan",
      name: "Links",
      tiers: [{ name: "Pro", items: [{ productId, pricePlanId: priceId }] }],
    });
    await vendor(emu.baseUrls.coreapi, DEMO_TOKENS.fynnAcme, "POST", `/api/plans/${plan.id}/activate`);
    const tier = plan.tiers[0].id as string;
    const a = await vendor(
      emu.baseUrls.coreapi,
      DEMO_TOKENS.fynnAcme,
      "POST",
      `/api/plans/${plan.id}/checkout-links`,
      {
        planTierId: tier,
        slug: "partners-pro",
        couponsAllowed: true,
        salesChannel: "partners",
      },
    );
    const b = await vendor(
      emu.baseUrls.coreapi,
      DEMO_TOKENS.fynnAcme,
      "POST",
      `/api/plans/${plan.id}/checkout-links`,
      {
        planTierId: tier,
        slug: "pro-off",
        isEnabled: false,
      },
    );
    emu.clearRequests();
    const links = configured(new CoreapiLinkProvider());
    const same = await links.create(
      await checked(links, {
        planId: plan.id,
        planTierId: tier,
        slug: "partners-pro",
        couponsAllowed: true,
        salesChannel: "partners",
        adopt: true,
      }),
    );
    expect(same.id).toBe(a.id);
    expect(same.outs).toMatchObject({ slug: "partners-pro", salesChannel: "partners", couponsAllowed: true });
    expect(writes()).toEqual([]);
    const differs = await links.create(
      await checked(links, { planId: plan.id, planTierId: tier, slug: "pro-off", adopt: true }),
    );
    expect(differs.id).toBe(b.id);
    expect(differs.outs).toMatchObject({ isEnabled: true });
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual([
      `PUT /api/plans/${plan.id}/checkout-links/${b.id}`,
    ]);
  });

  it("adopt a matching Fynn link without a write, and put a differing one right with one PUT", async () => {
    const { productId, priceId } = await fynnCatalog(emu, DEMO_TOKENS.fynnAcme);
    const wire = {
      slug: "basic-trial",
      isEnabled: false,
      options: { trialDays: 14, allowCoupons: true },
      afterCheckout: { action: "redirect", url: "https://example.com/thanks" },
      items: [
        {
          type: "product",
          product: productId,
          price: priceId,
          quantity: 3,
          periods: [{ contractPeriod: {}, cancellationPeriod: {} }],
        },
      ],
    };
    const made = await vendor(emu.baseUrls.fynn, DEMO_TOKENS.fynnAcme, "POST", "/checkout-links", wire);
    emu.clearRequests();
    const links = configured(new FynnCheckoutLinkProvider());
    const declared = {
      slug: "basic-trial",
      isEnabled: false,
      options: { trialDays: 14, allowCoupons: true },
      afterCheckout: { action: "redirect", url: "https://example.com/thanks" },
      items: [
        {
          productId,
          pricePlanId: priceId,
          quantity: 3,
          periods: [{ contractPeriod: {}, cancellationPeriod: {} }],
        },
      ],
      adopt: true,
    };
    const same = await links.create(await checked(links, declared));
    expect(same.id).toBe(made.id);
    expect(writes()).toEqual([]);
    const differs = await links.create(
      await checked(links, { ...declared, options: { trialDays: 7, allowCoupons: true } }),
    );
    expect(differs.outs).toMatchObject({ options: { trialDays: 7 } });
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual([`PUT /checkout-links/${made.id}`]);
  });
});

describe("polar adoptId", () => {
  it("takes over an untagged product by id, writing only the name tag", async () => {
    const made = await polarProduct(emu, DEMO_TOKENS.polarAcme, {
      name: "Team monthly",
      metadata: { plan: "team" },
      prices: [{ amount_type: "fixed", price_amount: 4900, price_currency: "eur" }],
    });
    emu.clearRequests();
    const products = configured(new ProductProvider());
    const created = await products.create(
      await checked(products, {
        name: "Team monthly",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 4900, currency: "eur" }],
        metadata: { plan: "team" },
        adoptionKey: "team-monthly",
        adopt: true,
        adoptId: made.id,
      }),
    );
    expect(created.id).toBe(made.id);
    expect(created.outs).toMatchObject({
      adoptionKey: "team-monthly",
      adoptId: made.id,
      priceIds: [made.prices[0]?.id],
    });
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/v1/products/${made.id}`,
        body: { metadata: { plan: "team", [NAME_TAG]: "team-monthly" } },
      },
    ]);
  });

  it("creates a new product when the id is archived, and refuses adoptId without adopt", async () => {
    const made = await polarProduct(emu, DEMO_TOKENS.polarAcme, { name: "Old plan" });
    await vendor(emu.baseUrls.polar, DEMO_TOKENS.polarAcme, "PATCH", `/v1/products/${made.id}`, {
      is_archived: true,
    });
    const products = configured(new ProductProvider());
    const args = {
      name: "Old plan",
      recurringInterval: "month",
      prices: [{ type: "fixed", amount: 2900 }],
      adoptionKey: "old-plan",
    };
    expect((await products.check({}, { ...args, adoptId: made.id })).failures).toEqual([
      { property: "adoptId", reason: "adoptId needs adopt: true" },
    ]);
    const created = await products.create(
      await checked(products, { ...args, adopt: true, adoptId: made.id }),
    );
    expect(created.id).not.toBe(made.id);
  });

  it("takes over an untagged link by id, writing only the name tag", async () => {
    const product = await polarProduct(emu, DEMO_TOKENS.polarAcme);
    const made = await polarLink(emu, DEMO_TOKENS.polarAcme, [product.id], {
      label: "spring sale",
      allow_discount_codes: false,
      success_url: "https://example.com/welcome?checkout_id={CHECKOUT_ID}",
      metadata: { campaign: "spring" },
    });
    emu.clearRequests();
    const links = configured(new PolarLinkProvider());
    const created = await links.create(
      await checked(links, {
        products: [product.id],
        label: "spring sale",
        allowDiscountCodes: false,
        successUrl: "https://example.com/welcome?checkout_id={CHECKOUT_ID}",
        metadata: { campaign: "spring" },
        adoptionKey: "spring-sale",
        adopt: true,
        adoptId: made.id,
      }),
    );
    expect(created.id).toBe(made.id);
    expect(created.outs?.url).toBe(made.url);
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/v1/checkout-links/${made.id}`,
        body: { metadata: { campaign: "spring", [NAME_TAG]: "spring-sale" } },
      },
    ]);
  });

  it("keeps an adopted link in state, with its id, when the PATCH that brings it to the arguments fails", async () => {
    const product = await polarProduct(emu, DEMO_TOKENS.polarAcme);
    const made = await polarLink(emu, DEMO_TOKENS.polarAcme, [product.id], { label: "summer sale" });
    await call("POST", `${emu.url}/_emulator/faults`, {
      body: { method: "PATCH", path: `/polar/v1/checkout-links/${made.id}`, status: 422 },
    });
    const links = configured(new PolarLinkProvider());
    const inputs = await checked(links, {
      products: [product.id],
      label: "summer sale",
      adoptionKey: "summer-sale",
      adopt: true,
      adoptId: made.id,
    });
    const err = await links.create({ ...inputs, __provider: "serialized" }).catch((e: unknown) => e as any);
    expect(err.name).toBe("PartialCreateError");
    expect(err.id).toBe(made.id);
    expect(err.properties.linkId).toBe(made.id);
    expect(err.properties.__provider).toBe("serialized");
    expect(err.reasons[0]).toContain("HTTP 422");
  });
});
