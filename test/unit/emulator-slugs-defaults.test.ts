/** Slug rules, generated slugs, per-organisation uniqueness, documented defaults and server-set fields. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { coreapiActivePlan, fynnCatalog, polarLink, polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let emu: Emulator;
const token = "api_demo_acme";
beforeAll(async () => {
  emu = await startEmulator({ publicBaseUrl: "https://checkout.example.test/" });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const createLink = (planId: string, body: Record<string, unknown>, as = token) =>
  call("POST", `${emu.baseUrls.coreapi}/api/plans/${planId}/checkout-links`, { token: as, body });

describe("slugs", () => {
  it("rejects slugs outside 3..64 chars or the pattern, naming the rule", async () => {
    const plan = await coreapiActivePlan(emu, token);
    const planTierId = plan.tiers[0]!.id;
    const cases: [string, string][] = [
      ["ab", "Slug must be at least 3 characters long."],
      ["a".repeat(65), "Slug must be at most 64 characters long."],
      ["Upper-case", "Slug may contain only lower-case letters, digits and inner hyphens."],
      ["-leading", "Slug may contain only lower-case letters, digits and inner hyphens."],
      ["trailing-", "Slug may contain only lower-case letters, digits and inner hyphens."],
    ];
    for (const [slug, message] of cases) {
      const res = await createLink(plan.id, { planTierId, slug });
      expect(res.status).toBe(422);
      expect(res.body.violations).toEqual([
        { propertyPath: "slug", message, code: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      ]);
    }
    const ok = await createLink(plan.id, { planTierId, slug: `a${"-b".repeat(31)}c` });
    expect(ok.status).toBe(201);
  });

  it("generates {planCode}-{tier} and suffixes it when taken", async () => {
    const plan = await coreapiActivePlan(emu, token);
    const slugs = [];
    for (let i = 0; i < 3; i++)
      slugs.push((await createLink(plan.id, { planTierId: plan.tiers[0]!.id })).body.slug);
    expect(slugs).toEqual(["pro-plan-pro", "pro-plan-pro-2", "pro-plan-pro-3"]);
  });

  it("a duplicate slug is 409 with a violation on slug, across both API generations; other orgs may reuse it", async () => {
    const plan = await coreapiActivePlan(emu, token);
    await createLink(plan.id, { planTierId: plan.tiers[0]!.id, slug: "launch" });
    const again = await createLink(plan.id, { planTierId: plan.tiers[0]!.id, slug: "launch" });
    expect(again.status).toBe(409);
    expect(again.body.violations).toEqual([
      {
        propertyPath: "slug",
        message: 'The slug "launch" is already used by another checkout link of this organisation.',
        code: "23bd9dbf-6b9b-41cd-a99e-4844bcf3077f",
      },
    ]);
    const { productId, priceId } = await fynnCatalog(emu, token);
    const classic = await call("POST", `${emu.baseUrls.fynn}/checkout-links`, {
      token,
      body: { slug: "launch", items: [{ type: "product", product: productId, price: priceId, quantity: 1 }] },
    });
    expect(classic.status).toBe(409);
    const globexPlan = await coreapiActivePlan(emu, "api_demo_globex");
    const globex = await createLink(
      globexPlan.id,
      { planTierId: globexPlan.tiers[0]!.id, slug: "launch" },
      "api_demo_globex",
    );
    expect(globex.status).toBe(201);
  });

  it("a deleted link frees its slug", async () => {
    const plan = await coreapiActivePlan(emu, token);
    const link = await createLink(plan.id, { planTierId: plan.tiers[0]!.id, slug: "reuse-me" });
    const del = await call(
      "DELETE",
      `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links/${link.body.id}`,
      { token },
    );
    expect(del.status).toBe(204);
    expect((await createLink(plan.id, { planTierId: plan.tiers[0]!.id, slug: "reuse-me" })).status).toBe(201);
  });
});

describe("defaults and server-set fields", () => {
  it("coreapi: couponsAllowed false, isEnabled true, default sales channel, uuid v4, url under the public base", async () => {
    const plan = await coreapiActivePlan(emu, token);
    const res = await createLink(plan.id, { planTierId: plan.tiers[0]!.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      couponsAllowed: false,
      isEnabled: true,
      url: "https://checkout.example.test/fynn/checkout-link/pro-plan-pro/cart",
      salesChannel: { id: "6a1d3c52-8f0e-4b7a-9c21-3e5f7a9b1c01", name: "default", brandName: "Acme" },
    });
    expect(res.body.id).toMatch(UUID_V4);
    const partners = await createLink(plan.id, { planTierId: plan.tiers[0]!.id, salesChannel: "partners" });
    expect(partners.body.salesChannel.name).toBe("partners");
    const unknown = await createLink(plan.id, { planTierId: plan.tiers[0]!.id, salesChannel: "nope" });
    expect([unknown.status, unknown.body.violations[0].propertyPath]).toEqual([422, "salesChannel"]);
  });

  it("coreapi: plans start as draft, and a draft plan cannot sell", async () => {
    const { productId, priceId } = await fynnCatalog(emu, token);
    const plan = await call("POST", `${emu.baseUrls.coreapi}/api/plans`, {
      token,
      body: {
        code: "draft-plan",
        name: "Draft",
        tiers: [{ name: "Only", items: [{ productId, pricePlanId: priceId }] }],
      },
    });
    expect(plan.status).toBe(201);
    expect(plan.body.status).toBe("draft");
    expect(plan.body.currency).toBe("EUR");
    expect(plan.body.tiers[0]).toMatchObject({
      position: 0,
      upgradeable: true,
      downgradeable: true,
      commitmentPeriod: null,
    });
    const link = await createLink(plan.body.id, { planTierId: plan.body.tiers[0].id });
    expect(link.status).toBe(422);
    expect(link.body.detail).toBe("The plan must be active to sell it through a checkout link.");
  });

  it("Polar: allow_discount_codes true, require_billing_address false, metadata {}, client_secret format, url", async () => {
    const product = await polarProduct(emu, "polar_oat_demo_acme");
    const link = await call("POST", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token: "polar_oat_demo_acme",
      body: { payment_processor: "stripe", products: [product.id] },
    });
    expect(link.body).toMatchObject({
      allow_discount_codes: true,
      require_billing_address: false,
      metadata: {},
      label: null,
    });
    expect(link.body.id).toMatch(UUID_V4);
    expect(link.body.client_secret).toMatch(/^polar_cl_[A-Za-z0-9]{43}$/);
    expect(link.body.url).toBe(
      `https://checkout.example.test/polar/v1/checkout-links/${link.body.client_secret}/redirect`,
    );
    expect(new Date(link.body.created_at).toISOString()).toBe(link.body.created_at);
    const second = await polarLink(emu, "polar_oat_demo_acme", [product.id]);
    expect(second.client_secret).not.toBe(link.body.client_secret);
  });

  it("Polar create rules: payment_processor required, trial pair, metadata limits, success_url placeholder", async () => {
    const product = await polarProduct(emu, "polar_oat_demo_acme");
    const post = (body: Record<string, unknown>) =>
      call("POST", `${emu.baseUrls.polar}/v1/checkout-links/`, { token: "polar_oat_demo_acme", body });
    const noProcessor = await post({ products: [product.id] });
    expect(noProcessor.body.detail[0]).toMatchObject({
      type: "missing",
      loc: ["body", "payment_processor"],
      msg: "Field required",
    });
    const trial = await post({ payment_processor: "stripe", products: [product.id], trial_interval: "week" });
    expect(trial.body.detail).toEqual([
      {
        type: "missing",
        loc: ["body", "trial_interval"],
        msg: "Both trial_interval and trial_interval_count must be set together.",
        input: "week",
      },
    ]);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(
      (await post({ payment_processor: "stripe", products: [product.id], metadata: tooMany })).status,
    ).toBe(422);
    const longKey = await post({
      payment_processor: "stripe",
      products: [product.id],
      metadata: { ["k".repeat(41)]: 1 },
    });
    expect(longKey.status).toBe(422);
    const ok = await post({
      payment_processor: "stripe",
      products: [product.id],
      metadata: { f: 1.5, b: false, s: "x" },
      success_url: "https://example.com/ok?c={CHECKOUT_ID}",
      trial_interval: "week",
      trial_interval_count: 2,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.metadata).toEqual({ f: 1.5, b: false, s: "x" });
    expect(
      (await post({ payment_processor: "stripe", products: [product.id], success_url: "ftp://x" })).status,
    ).toBe(422);
  });
});
