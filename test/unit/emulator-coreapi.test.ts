/** coreapi plans (create draft, PUT full replace, activate, archive) and the inferred single-link routes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { coreapiActivePlan, fynnCatalog } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Emulator;
const token = "api_demo_acme";
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("coreapi plans", () => {
  it("PUT replaces the plan: kept ids stay, omitted tiers go, new tiers get ids; order by position", async () => {
    const plan = await coreapiActivePlan(emu, token, "pro-plan", ["Basic", "Pro"]);
    const [basic] = plan.tiers;
    const { productId, priceId } = await fynnCatalog(emu, token, "Extra");
    const res = await call("PUT", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, {
      token,
      body: {
        code: "pro-plan",
        name: "Pro Plan 2",
        tiers: [
          { name: "Max", position: 2, items: [{ productId, pricePlanId: priceId }] },
          { id: basic!.id, name: "Basic", position: 1, items: [] },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("Pro Plan 2");
    expect(res.body.status).toBe("active");
    expect(res.body.tiers.map((t: { name: string; id: string }) => [t.name, t.id === basic!.id])).toEqual([
      ["Basic", true],
      ["Max", false],
    ]);
    expect(res.body.tiers[1].items[0]).toMatchObject({
      productName: "Extra",
      pricePlanName: "Extra monthly",
      currency: "EUR",
    });
  });

  it("a tier sold by a live link cannot be removed; an unknown tier id is rejected", async () => {
    const plan = await coreapiActivePlan(emu, token, "pro-plan", ["Basic", "Pro"]);
    await call("POST", `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`, {
      token,
      body: { planTierId: plan.tiers[1]!.id },
    });
    const res = await call("PUT", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, {
      token,
      body: {
        code: "pro-plan",
        name: "P",
        tiers: [
          { id: plan.tiers[0]!.id, name: "Basic" },
          { id: plan.id, name: "X" },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(
      res.body.violations.map((v: { propertyPath: string; message: string }) => [v.propertyPath, v.message]),
    ).toEqual([
      ["tiers[1].id", "This tier does not belong to the plan."],
      ["tiers", 'Tier "Pro" is sold by checkout link(s) pro-plan-pro; delete them first.'],
    ]);
  });

  it("DELETE archives a referenced plan: read-only, unsellable, links unreachable; a duplicate code is 409", async () => {
    const plan = await coreapiActivePlan(emu, token);
    const link = await call("POST", `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`, {
      token,
      body: { planTierId: plan.tiers[0]!.id },
    });
    const archived = await call("DELETE", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, { token });
    expect([archived.status, archived.body]).toEqual([
      200,
      { status: "archived", references: { checkoutLinks: 1, subscriptions: 0, schedules: 0 } },
    ]);
    // No archive route: the docs archive through DELETE only.
    const route = await call("POST", `${emu.baseUrls.coreapi}/api/plans/${plan.id}/archive`, { token });
    expect(route.status).toBe(404);
    const put = await call("PUT", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, {
      token,
      body: { code: "pro-plan", name: "P", tiers: [{ name: "T" }] },
    });
    expect([put.status, put.body.detail]).toEqual([422, "An archived plan cannot be updated."]);
    expect((await call("GET", link.body.url)).status).toBe(404);
    const again = await call("POST", `${emu.baseUrls.coreapi}/api/plans/${plan.id}/activate`, { token });
    expect(again.status).toBe(422);
    const dup = await call("POST", `${emu.baseUrls.coreapi}/api/plans`, {
      token,
      body: { code: "pro-plan", name: "Again", tiers: [{ name: "T" }] },
    });
    expect([dup.status, dup.body.violations[0].propertyPath]).toEqual([409, "code"]);
    const listed = await call("GET", `${emu.baseUrls.coreapi}/api/plans?status=archived`, { token });
    expect(listed.body.data.map((p: { code: string }) => p.code)).toEqual(["pro-plan"]);
  });

  it("DELETE deletes a plan nothing references (204), freeing its code", async () => {
    const plan = await coreapiActivePlan(emu, token, "free-me");
    const del = await call("DELETE", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, { token });
    expect(del.status).toBe(204);
    expect((await call("GET", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, { token })).status).toBe(404);
    await coreapiActivePlan(emu, token, "free-me");
  });
});

describe("coreapi single-link routes (inferred)", () => {
  it("GET/PUT/DELETE under the plan; planTierId cannot change; the link of another plan is 404", async () => {
    const plan = await coreapiActivePlan(emu, token, "pro-plan", ["Basic", "Pro"]);
    const other = await coreapiActivePlan(emu, token, "other-plan");
    const base = `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`;
    const link = await call("POST", base, {
      token,
      body: { planTierId: plan.tiers[0]!.id, couponsAllowed: true },
    });
    const put = await call("PUT", `${base}/${link.body.id}`, {
      token,
      body: { slug: "renamed", couponsAllowed: false, isEnabled: true, salesChannel: "partners" },
    });
    expect(put.body).toMatchObject({
      slug: "renamed",
      couponsAllowed: false,
      salesChannel: { name: "partners" },
    });
    const tier = await call("PUT", `${base}/${link.body.id}`, {
      token,
      body: { planTierId: plan.tiers[1]!.id, couponsAllowed: false, isEnabled: true },
    });
    expect([tier.status, tier.body.violations[0].propertyPath]).toEqual([422, "planTierId"]);
    const wrongPlan = await call(
      "GET",
      `${emu.baseUrls.coreapi}/api/plans/${other.id}/checkout-links/${link.body.id}`,
      { token },
    );
    expect(wrongPlan.status).toBe(404);
    expect((await call("DELETE", `${base}/${link.body.id}`, { token })).status).toBe(204);
    expect((await call("GET", `${base}/${link.body.id}`, { token })).status).toBe(404);
    expect((await call("GET", base, { token })).body).toEqual([]);
  });

  it("options: root routes and a 400 validation status", async () => {
    const alt = await startEmulator({ coreapiLinkRoutes: ["root"], fynnValidationStatus: 400 });
    try {
      const plan = await coreapiActivePlan(alt, token);
      const link = await call("POST", `${alt.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`, {
        token,
        body: { planTierId: plan.tiers[0]!.id },
      });
      expect(
        (await call("GET", `${alt.baseUrls.coreapi}/api/checkout-links/${link.body.id}`, { token })).status,
      ).toBe(200);
      expect(
        (
          await call("GET", `${alt.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links/${link.body.id}`, {
            token,
          })
        ).status,
      ).toBe(404);
      const bad = await call("POST", `${alt.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`, {
        token,
        body: {},
      });
      expect(bad.status).toBe(400);
    } finally {
      await alt.close();
    }
  });
});
