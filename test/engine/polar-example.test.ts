/**
 * The `examples/polar` program as users run it: copied into a project that installed the packed
 * tarball, run by the real engine against the emulator. It deploys, every exported URL opens a
 * checkout (307), the Pro link carries the launch discount, a second preview and a refresh find
 * nothing, an update goes through, and destroy leaves no live link or discount.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { installedProject, withWorkDirStack } from "../helpers/engine";
import { exampleProject } from "../helpers/installed";

let emu: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

async function liveLinks(): Promise<any[]> {
  const res = await vendorApi(emu, "polar", DEMO_TOKENS.polarAcme)("GET", "/v1/checkout-links/?limit=100");
  return (res.body as { items: any[] }).items;
}

describe("examples/polar from the installed package", () => {
  it("deploys, exports working checkout URLs, previews and refreshes empty, updates and destroys", async () => {
    const project = exampleProject(installedProject(), "polar");
    await withWorkDirStack(
      project,
      async ({ stack }) => {
        const up = await stack.up();
        expect(up.summary.resourceChanges).toEqual({ create: 7 });
        const urls = [up.outputs.proUrl?.value, up.outputs.onboardingUrl?.value] as string[];
        expect((await liveLinks()).map((l) => l.url).sort()).toEqual([...urls].sort());
        for (const url of urls) {
          const res = await fetch(url, { redirect: "manual" });
          expect(res.status).toBe(307);
        }
        const [pro] = (await liveLinks()).filter((l) => l.label === "pro plan");
        expect(pro.products.map((p: any) => p.name)).toEqual(["Pro (monthly)", "Pro (yearly)"]);
        expect([pro.trial_interval, pro.trial_interval_count]).toEqual(["day", 14]);
        expect(pro.discount_id).toBe(up.outputs.launchDiscountId?.value);
        expect(pro.discount).toMatchObject({ code: "LAUNCH20", basis_points: 2000, duration_in_months: 3 });

        const preview = await stack.preview();
        expect(preview.changeSummary).toEqual({ same: 7 });
        const refresh = await stack.refresh();
        expect(refresh.summary.resourceChanges).toEqual({ same: 7 });

        // The user edits their copy of the program: a longer trial, updated in place.
        const index = path.join(project, "index.ts");
        fs.writeFileSync(
          index,
          fs.readFileSync(index, "utf8").replace("trialIntervalCount: 14", "trialIntervalCount: 30"),
        );
        const update = await stack.up();
        expect(update.summary.resourceChanges).toEqual({ same: 6, update: 1 });
        expect(update.outputs.proUrl?.value).toBe(urls[0]);
        const [pro30] = (await liveLinks()).filter((l) => l.label === "pro plan");
        expect(pro30.trial_interval_count).toBe(30);

        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 7 });
        expect(await liveLinks()).toEqual([]);
        const discounts = await vendorApi(emu, "polar", DEMO_TOKENS.polarAcme)("GET", "/v1/discounts/");
        expect((discounts.body as { items: unknown[] }).items).toEqual([]);
      },
      {
        skipDestroy: true,
        config: emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }),
      },
    );
  });
});
