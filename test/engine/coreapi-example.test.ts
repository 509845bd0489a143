/**
 * The `examples/coreapi` program run by the real engine as users run it (a copy of the program in
 * a project that installed the packed tarball) against the emulator: it deploys, exports the slug and
 * URL it promises, previews empty, and destroys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { fynnProductWithPrices } from "../fixtures/emulator-setup";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { withExampleStack } from "../helpers/engine";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let api: ReturnType<typeof vendorApi>;

beforeAll(async () => {
  emu = await startEmulator();
  api = vendorApi(emu, "coreapi", DEMO_TOKENS.fynnAcme);
});
afterAll(async () => {
  await emu?.close();
});

describe("coreapi example through the engine", () => {
  it("deploys a plan and its Pro link, exports slug and URL, previews and refreshes empty, updates and destroys", async () => {
    const { productId, starter, pro } = await fynnProductWithPrices(emu, DEMO_TOKENS.fynnAcme, "Seats", {
      starter: ["S", 900],
      pro: ["P", 2900],
    });

    await withExampleStack(
      "coreapi",
      async ({ stack }) => {
        await stack.setAllConfig({
          ...emulatorConfig(emu, "coreapi", { default: DEMO_TOKENS.fynnAcme }),
          productId: { value: productId },
          starterPricePlanId: { value: starter },
          proPricePlanId: { value: pro },
        });
        const up = await stack.up();
        expect(up.summary.resourceChanges).toEqual({ create: 3 });
        const planId = up.outputs.planId?.value as string;
        const plan = (await api("GET", `/api/plans/${planId}`)).body;
        expect([plan.code, plan.name, plan.status]).toEqual(["pro-plan", "Pro Plan", "active"]);
        expect(plan.tiers.map((t: any) => [t.name, t.commitmentPeriod, t.items[0].pricePlanId])).toEqual([
          ["Starter", null, starter],
          ["Pro", "P1Y", pro],
        ]);
        expect(up.outputs.linkSlug?.value).toBe("pro-monthly");
        expect(up.outputs.url?.value).toBe(`${emu.baseUrls.fynn}/checkout-link/pro-monthly/cart`);
        const links = (await api("GET", `/api/plans/${planId}/checkout-links`)).body;
        expect(links.map((l: any) => [l.id, l.planTierName])).toEqual([[up.outputs.linkId?.value, "Pro"]]);
        expect((await fetch(up.outputs.url?.value as string, { redirect: "manual" })).status).toBe(302);
        await stack.preview({ expectNoChanges: true });
        expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 3 });

        await stack.setConfig("couponsAllowed", { value: "true" });
        const update = await stack.up();
        expect(update.summary.resourceChanges).toEqual({ same: 2, update: 1 });
        expect(update.outputs.url?.value).toBe(up.outputs.url?.value);
        const [updated] = (await api("GET", `/api/plans/${planId}/checkout-links`)).body;
        expect([updated.id, updated.couponsAllowed]).toEqual([up.outputs.linkId?.value, true]);

        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 3 });
        // A buyer opened the link above, so the API archives the plan rather than deleting it, under
        // a code that leaves "pro-plan" free for the next deploy.
        const archived = (await api("GET", `/api/plans/${planId}`)).body;
        expect([archived.status, archived.code]).toEqual([
          "archived",
          `pro-plan-archived-${planId.slice(0, 8)}`,
        ]);
        expect((await api("GET", `/api/plans/${planId}/checkout-links`)).body).toEqual([]);
      },
      { skipDestroy: true },
    );
  });
});
