/**
 * coreapi.Plan and coreapi.CheckoutLink through the real Pulumi engine (Automation API, inline
 * program, compiled library) against the emulator: up, empty preview and refresh, in-place update,
 * replacement with its replace key, out-of-band delete and change, adoption, account switch,
 * destroy, and a state that never holds the token; a framework's "no route" 404 losing nothing;
 * destroy and deploy again of the same program.
 *
 * The emulator answers with only the keys the vendor's docs show (`docsOnly`): the provider must
 * need nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { fynnProductWithPrices } from "../fixtures/emulator-setup";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { lib, previewOps, resourcesOfType, storedState, upOps, withStack } from "../helpers/engine";

const PLAN_TYPE = "pulumi-nodejs:dynamic/coreapi:Plan";
const LINK_TYPE = "pulumi-nodejs:dynamic/coreapi:CheckoutLink";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let api: ReturnType<typeof vendorApi>;
const catalog: Record<"acme" | "globex", { productId: string; starter: string; pro: string }> = {} as any;

/** A "Seats" product with a starter and a pro price plan. */
const makeCatalog = (token: string) =>
  fynnProductWithPrices(emu, token, "Seats", { starter: ["S", 900], pro: ["P", 2900] });

beforeAll(async () => {
  emu = await startEmulator({ docsOnly: true });
  api = vendorApi(emu, "coreapi", DEMO_TOKENS.fynnAcme);
  catalog.acme = await makeCatalog(DEMO_TOKENS.fynnAcme);
  catalog.globex = await makeCatalog(DEMO_TOKENS.fynnGlobex);
});
afterAll(async () => {
  await emu?.close();
});

const config = () =>
  emulatorConfig(emu, "coreapi", { default: DEMO_TOKENS.fynnAcme, globex: DEMO_TOKENS.fynnGlobex });

interface Spec {
  code: string;
  planName: string;
  /** Which tier the link sells. */
  tier: "Starter" | "Pro";
  slug: string;
  couponsAllowed: boolean;
  /** Both resources in the globex account: forces their replacement. */
  globex: boolean;
  withLink: boolean;
  adopt?: boolean;
}

function programFor(get: () => Spec) {
  return async () => {
    const { coreapi } = lib();
    const s = get();
    const org = s.globex ? catalog.globex : catalog.acme;
    const account = s.globex ? { account: "globex" } : {};
    const plan = new coreapi.Plan("plan", {
      code: s.code,
      name: s.planName,
      tiers: [
        { name: "Starter", items: [{ productId: org.productId, pricePlanId: org.starter }] },
        { name: "Pro", commitmentPeriod: "P1Y", items: [{ productId: org.productId, pricePlanId: org.pro }] },
      ],
      ...account,
    });
    const out: Record<string, unknown> = { planId: plan.planId, tierIds: plan.tierIds, status: plan.status };
    if (s.withLink) {
      const link = new coreapi.CheckoutLink("link", {
        planId: plan.planId,
        planTierId: plan.tierIds.apply((ids) => ids[s.tier] as string),
        slug: s.slug,
        couponsAllowed: s.couponsAllowed,
        ...(s.adopt ? { adopt: true } : {}),
        ...account,
      });
      Object.assign(out, {
        linkId: link.linkId,
        slug: link.slug,
        url: link.url,
        planTierName: link.planTierName,
      });
    }
    return out;
  };
}

async function planLinks(planId: string, token: string = DEMO_TOKENS.fynnAcme): Promise<any[]> {
  return (await api("GET", `/api/plans/${planId}/checkout-links`, undefined, token)).body;
}

describe("coreapi engine lifecycle", () => {
  it("creates, previews and refreshes empty, updates in place, replaces, switches account and destroys", async () => {
    let spec: Spec = {
      code: "engine-pro",
      planName: "Pro Plan",
      tier: "Pro",
      slug: "engine-pro",
      couponsAllowed: false,
      globex: false,
      withLink: true,
    };
    await withStack(
      "coreapi-lifecycle",
      programFor(() => spec),
      async ({ stack, dir }) => {
        await stack.setAllConfig(config());
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toEqual({ create: 3 });
        const planId = up.outputs.planId?.value as string;
        const linkId = up.outputs.linkId?.value as string;
        const plan = (await api("GET", `/api/plans/${planId}`)).body;
        expect(plan.status).toBe("active");
        expect(up.outputs.status?.value).toBe("active");
        expect(up.outputs.tierIds?.value).toEqual(
          Object.fromEntries(plan.tiers.map((t: any) => [t.name, t.id])),
        );
        expect(up.outputs.slug?.value).toBe("engine-pro");
        expect(up.outputs.url?.value).toBe(`${emu.baseUrls.fynn}/checkout-link/engine-pro/cart`);
        expect(up.outputs.planTierName?.value).toBe("Pro");
        const links = await planLinks(planId);
        expect(links.map((l) => [l.id, l.slug, l.couponsAllowed, l.isEnabled])).toEqual([
          [linkId, "engine-pro", false, true],
        ]);

        // Nothing changed: preview and refresh are empty.
        await stack.preview({ expectNoChanges: true });
        const rf = await stack.refresh();
        expect(rf.summary.resourceChanges).toEqual({ same: 3 });
        expect((await stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 3 });

        // The token never reaches state: the checkpoint holds it only encrypted (stack config, which
        // the engine records on the default provider), never in a resource's inputs or outputs.
        const state = storedState(dir);
        expect(state).not.toContain(DEMO_TOKENS.fynnAcme);
        expect(state).not.toContain(DEMO_TOKENS.fynnGlobex);
        for (const r of [
          ...(await resourcesOfType(stack, PLAN_TYPE)),
          ...(await resourcesOfType(stack, LINK_TYPE)),
        ]) {
          expect(JSON.stringify(r)).not.toContain("api_demo_");
        }

        // In place: plan name, coupons and the slug (which moves the public URL).
        spec = { ...spec, planName: "Pro Plan 2", couponsAllowed: true, slug: "engine-pro-2" };
        const upd = await upOps(stack);
        expect(upd.ops).toEqual({ plan: "update", link: "update" });
        expect(upd.res.outputs.linkId?.value).toBe(linkId);
        expect(upd.res.outputs.url?.value).toBe(`${emu.baseUrls.fynn}/checkout-link/engine-pro-2/cart`);
        expect((await api("GET", `/api/plans/${planId}`)).body.name).toBe("Pro Plan 2");
        expect((await planLinks(planId)).map((l) => [l.id, l.slug, l.couponsAllowed])).toEqual([
          [linkId, "engine-pro-2", true],
        ]);
        await stack.preview({ expectNoChanges: true });

        // Another tier: the link is replaced, and preview says why.
        spec = { ...spec, tier: "Starter" };
        const pv = await previewOps(stack);
        expect(pv.ops).toEqual({ plan: "same", link: "replace" });
        expect(pv.keys).toEqual({ link: ["planTierId"] });
        const rep = await upOps(stack);
        expect(rep.ops).toEqual({ plan: "same", link: "replace" });
        const newLinkId = rep.res.outputs.linkId?.value as string;
        expect(newLinkId).not.toBe(linkId);
        expect(rep.res.outputs.planTierName?.value).toBe("Starter");
        expect((await planLinks(planId)).map((l) => [l.id, l.slug])).toEqual([[newLinkId, "engine-pro-2"]]);

        // Another account: both are made anew in globex; the acme plan, which nothing references
        // any more, is deleted.
        spec = { ...spec, globex: true };
        const pv2 = await previewOps(stack);
        expect(pv2.ops).toEqual({ plan: "replace", link: "replace" });
        // The link's plan and tier ids are not known until the new plan exists.
        expect(pv2.keys.plan).toEqual(["account"]);
        expect(pv2.keys.link?.slice().sort()).toEqual(["account", "planId", "planTierId"]);
        const acct = await upOps(stack);
        expect(acct.ops).toEqual({ plan: "replace", link: "replace" });
        const globexPlan = acct.res.outputs.planId?.value as string;
        expect(globexPlan).not.toBe(planId);
        expect((await api("GET", `/api/plans/${planId}`)).status).toBe(404);
        expect((await planLinks(globexPlan, DEMO_TOKENS.fynnGlobex)).map((l) => l.slug)).toEqual([
          "engine-pro-2",
        ]);
        await stack.preview({ expectNoChanges: true });

        // Destroy: the link is deleted, then the plan, which nothing references any more.
        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 3 });
        expect((await api("GET", `/api/plans/${globexPlan}`, undefined, DEMO_TOKENS.fynnGlobex)).status).toBe(
          404,
        );
      },
      { skipDestroy: true },
    );
  });

  it("notices out-of-band deletes and changes on refresh, and puts them right on up", async () => {
    const spec: Spec = {
      code: "engine-drift",
      planName: "Drift Plan",
      tier: "Pro",
      slug: "engine-drift",
      couponsAllowed: false,
      globex: false,
      withLink: true,
    };
    await withStack(
      "coreapi-drift",
      programFor(() => spec),
      async ({ stack }) => {
        await stack.setAllConfig(config());
        const up = await stack.up();
        const planId = up.outputs.planId?.value as string;
        const linkId = up.outputs.linkId?.value as string;

        // Link deleted out of band: refresh drops it, up creates it again with the same slug.
        expect((await api("DELETE", `/api/plans/${planId}/checkout-links/${linkId}`)).status).toBe(204);
        const rf = await stack.refresh();
        expect(rf.summary.resourceChanges).toEqual({ same: 2, delete: 1 });
        expect(await resourcesOfType(stack, LINK_TYPE)).toEqual([]);
        const re = await upOps(stack);
        expect(re.ops).toEqual({ plan: "same", link: "create" });
        const newLinkId = re.res.outputs.linkId?.value as string;
        expect(newLinkId).not.toBe(linkId);
        expect((await planLinks(planId)).map((l) => [l.id, l.slug])).toEqual([[newLinkId, "engine-drift"]]);

        // Link and plan changed out of band: refresh records it, up puts the declared values back.
        await api("PUT", `/api/plans/${planId}/checkout-links/${newLinkId}`, {
          isEnabled: false,
          couponsAllowed: true,
        });
        const live = (await api("GET", `/api/plans/${planId}`)).body;
        await api("PUT", `/api/plans/${planId}`, { code: live.code, name: "Renamed", tiers: live.tiers });
        const rf2 = await stack.refresh();
        expect(rf2.summary.resourceChanges).toEqual({ same: 1, update: 2 });
        const [planState] = await resourcesOfType(stack, PLAN_TYPE);
        expect(planState?.outputs.name).toBe("Renamed");
        const fix = await upOps(stack);
        expect(fix.ops).toEqual({ plan: "update", link: "update" });
        expect((await api("GET", `/api/plans/${planId}`)).body.name).toBe("Drift Plan");
        expect((await planLinks(planId)).map((l) => [l.isEnabled, l.couponsAllowed])).toEqual([
          [true, false],
        ]);
        await stack.preview({ expectNoChanges: true });

        // Plan deleted out of band while its link still references it: the API archives it. Refresh
        // drops it, and up names the conflict, since an archived plan keeps its code.
        const archived = await api("DELETE", `/api/plans/${planId}`);
        expect([archived.status, archived.body.status]).toEqual([200, "archived"]);
        const rf3 = await stack.refresh();
        expect(rf3.summary.resourceChanges).toEqual({ same: 2, delete: 1 });
        expect(await resourcesOfType(stack, PLAN_TYPE)).toEqual([]);
        await expect(stack.up()).rejects.toThrow(
          /the plan code "engine-drift" is already used by another plan/,
        );
      },
    );
  });

  it("adopts an existing link by slug instead of failing, and only with adopt: true", async () => {
    let spec: Spec = {
      code: "engine-adopt",
      planName: "Adopt Plan",
      tier: "Pro",
      slug: "engine-adopted",
      couponsAllowed: true,
      globex: false,
      withLink: false,
    };
    await withStack(
      "coreapi-adopt",
      programFor(() => spec),
      async ({ stack }) => {
        await stack.setAllConfig(config());
        const up = await stack.up();
        const planId = up.outputs.planId?.value as string;
        const proTier = (up.outputs.tierIds?.value as Record<string, string> | undefined)?.Pro;
        // A link made by hand (or by a stack whose state was lost).
        const existing = await api("POST", `/api/plans/${planId}/checkout-links`, {
          planTierId: proTier,
          slug: "engine-adopted",
        });
        expect(existing.status).toBe(201);

        spec = { ...spec, withLink: true };
        await expect(stack.up()).rejects.toThrow(/"engine-adopted" is already used by another checkout link/);
        expect(await resourcesOfType(stack, LINK_TYPE)).toEqual([]);

        spec = { ...spec, adopt: true };
        const adopted = await upOps(stack);
        expect(adopted.ops).toEqual({ plan: "same", link: "create" });
        expect(adopted.res.outputs.linkId?.value).toBe(existing.body.id);
        const links = await planLinks(planId);
        expect(links.map((l) => [l.id, l.slug, l.couponsAllowed])).toEqual([
          [existing.body.id, "engine-adopted", true],
        ]);
        await stack.preview({ expectNoChanges: true });
      },
    );
  });

  it("refresh and destroy through a framework's 404 (a route the vendor lacks) lose nothing", async () => {
    const spec: Spec = {
      code: "engine-no-route",
      planName: "No Route",
      tier: "Pro",
      slug: "engine-no-route",
      couponsAllowed: false,
      globex: false,
      withLink: true,
    };
    await withStack(
      "coreapi-no-route",
      programFor(() => spec),
      async ({ stack }) => {
        await stack.setAllConfig(config());
        const up = await stack.up();
        const planId = up.outputs.planId?.value as string;
        const linkId = up.outputs.linkId?.value as string;

        // The inferred plan GET answers Symfony's "no route" while the plan exists.
        emu.injectFault({ method: "GET", path: "/fynn/api/plans/*", missingRoute: "json" });
        await expect(stack.refresh()).rejects.toThrow(
          new RegExp(
            `coreapi GET /api/plans/${planId} failed \\(HTTP 404\\) at 127\\.0\\.0\\.1:\\d+: answered 404 in a form that is not`,
          ),
        );
        emu.clearFaults();
        // An HTML 404 page from the documented link list (a proxy in front of the API).
        emu.injectFault({ method: "GET", path: "/fynn/api/plans/*/checkout-links", missingRoute: "html" });
        await expect(stack.refresh()).rejects.toThrow(/checkout-links failed \(HTTP 404\)/);
        emu.clearFaults();
        expect((await resourcesOfType(stack, PLAN_TYPE)).map((r) => r.id)).toEqual([planId]);
        expect((await resourcesOfType(stack, LINK_TYPE)).map((r) => r.id)).toEqual([linkId]);
        await stack.preview({ expectNoChanges: true });

        // The inferred link DELETE answers "no route": destroy fails naming it, and nothing is lost.
        emu.injectFault({
          method: "DELETE",
          path: "/fynn/api/plans/*/checkout-links/*",
          missingRoute: "json",
        });
        await expect(stack.destroy()).rejects.toThrow(
          `coreapi DELETE /api/plans/${planId}/checkout-links/${linkId} failed (HTTP 404)`,
        );
        expect((await planLinks(planId)).map((l) => l.id)).toEqual([linkId]);
        expect((await api("GET", `/api/plans/${planId}`)).body.status).toBe("active");
        expect((await resourcesOfType(stack, LINK_TYPE)).map((r) => r.id)).toEqual([linkId]);
        expect((await resourcesOfType(stack, PLAN_TYPE)).map((r) => r.id)).toEqual([planId]);

        // Once the route answers, destroy removes both.
        emu.clearFaults();
        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 3 });
        expect((await api("GET", `/api/plans/${planId}`)).status).toBe(404);
      },
      { skipDestroy: true },
    );
  });

  it("a destroyed stack deploys again with the same program, also when the API archives its plan", async () => {
    const spec: Spec = {
      code: "engine-again",
      planName: "Again",
      tier: "Pro",
      slug: "engine-again",
      couponsAllowed: false,
      globex: false,
      withLink: true,
    };
    await withStack(
      "coreapi-again",
      programFor(() => spec),
      async ({ stack }) => {
        await stack.setAllConfig(config());
        const first = await stack.up();
        const firstPlan = first.outputs.planId?.value as string;
        // A buyer went through the link: the plan stays referenced, so its DELETE archives it.
        const opened = await fetch(first.outputs.url?.value as string, { redirect: "manual" });
        expect(opened.status).toBe(302);
        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 3 });
        const archived = (await api("GET", `/api/plans/${firstPlan}`)).body;
        expect([archived.status, archived.code]).toEqual([
          "archived",
          `engine-again-archived-${firstPlan.slice(0, 8)}`,
        ]);

        // The same program again: the declared code is free.
        const again = await stack.up();
        expect(again.summary.resourceChanges).toEqual({ create: 3 });
        const secondPlan = again.outputs.planId?.value as string;
        expect(secondPlan).not.toBe(firstPlan);
        const live = (await api("GET", `/api/plans/${secondPlan}`)).body;
        expect([live.code, live.status]).toEqual(["engine-again", "active"]);
        expect((await planLinks(secondPlan)).map((l) => l.slug)).toEqual(["engine-again"]);
        await stack.preview({ expectNoChanges: true });

        // Nothing referenced this one: destroy deletes it, and a third up works as well.
        await stack.destroy();
        expect((await api("GET", `/api/plans/${secondPlan}`)).status).toBe(404);
        expect((await stack.up()).summary.resourceChanges).toEqual({ create: 3 });
      },
    );
  });
});
