/**
 * The `examples/polar` program as users run it: copied into a project that installed the packed
 * tarball, run by the real engine against the emulator. It deploys, every exported URL opens a
 * checkout (307), the Pro link carries the launch discount, the Team product holds its benefits,
 * metered price, trial and required field as Polar stores them, a second preview and a refresh find
 * nothing, an update goes through, and destroy leaves no live product, link, discount, benefit or
 * custom field, and the meter archived.
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

/** The items of a Polar list route, as the vendor answers it. */
async function list(route: string): Promise<any[]> {
  const res = await vendorApi(emu, "polar", DEMO_TOKENS.polarAcme)("GET", `${route}?limit=100`);
  expect(res.status).toBe(200);
  return (res.body as { items: any[] }).items;
}

const liveLinks = () => list("/v1/checkout-links/");

describe("examples/polar from the installed package", () => {
  it("deploys, exports working checkout URLs, previews and refreshes empty, updates and destroys", async () => {
    const project = exampleProject(installedProject(), "polar");
    await withWorkDirStack(
      project,
      async ({ stack }) => {
        const up = await stack.up();
        expect(up.summary.resourceChanges).toEqual({ create: 13 });
        const urls = [
          up.outputs.proUrl?.value,
          up.outputs.teamUrl?.value,
          up.outputs.onboardingUrl?.value,
        ] as string[];
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
        expect(up.outputs.launchCode?.value).toBe("LAUNCH20");

        // The Team tier at the vendor: the meter, the two benefits crediting it and keying licenses,
        // the required field, and the product that ties them together with a trial.
        const [meter, ...otherMeters] = await list("/v1/meters/");
        expect(otherMeters).toEqual([]);
        expect(meter).toMatchObject({
          name: "API calls",
          filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
          aggregation: { func: "count" },
          archived_at: null,
        });
        const benefitIds = up.outputs.teamBenefitIds?.value as string[];
        const benefits = await list("/v1/benefits/");
        expect(benefits.map((b) => b.id).sort()).toEqual([...benefitIds].sort());
        const byId = new Map(benefits.map((b) => [b.id, b]));
        expect(byId.get(benefitIds[0])).toMatchObject({
          type: "license_keys",
          description: "Team license key",
          properties: { prefix: "TEAM", activations: { limit: 5, enable_customer_admin: true } },
        });
        expect(byId.get(benefitIds[1])).toMatchObject({
          type: "meter_credit",
          description: "10,000 API calls a month",
          properties: { units: 10000, rollover: false, meter_id: meter.id },
        });
        const [field, ...otherFields] = await list("/v1/custom-fields/");
        expect(otherFields).toEqual([]);
        expect(field).toMatchObject({ type: "text", slug: "company", name: "Company" });

        const products = await list("/v1/products/");
        const [team] = products.filter((p) => p.name === "Team (monthly)");
        expect(team.id).toBe(up.outputs.productIds?.value.teamMonthly);
        expect([team.recurring_interval, team.trial_interval, team.trial_interval_count]).toEqual([
          "month",
          "day",
          14,
        ]);
        expect(team.benefits.map((b: any) => b.id)).toEqual(benefitIds);
        expect(team.prices.map((p: any) => p.amount_type)).toEqual(["fixed", "metered_unit"]);
        expect(team.prices[0]).toMatchObject({ price_amount: 4900, price_currency: "usd" });
        expect(team.prices[1].meter_id).toBe(meter.id);
        expect(team.prices[1]).toMatchObject({ unit_amount: "0.500000000000", cap_amount: 20000 });
        expect(
          team.attached_custom_fields.map((a: any) => [a.custom_field_id, a.required, a.custom_field.slug]),
        ).toEqual([[field.id, true, "company"]]);
        const [teamLink] = (await liveLinks()).filter((l) => l.label === "team plan");
        expect(teamLink.url).toBe(up.outputs.teamUrl?.value);
        expect(teamLink.products.map((p: any) => p.id)).toEqual([team.id]);
        expect(teamLink.discount_id).toBeNull();
        const [discount] = await list("/v1/discounts/");
        expect(discount.products.map((p: any) => p.id).sort()).toEqual(
          Object.values(up.outputs.productIds?.value as Record<string, string>)
            .filter((id) => id !== up.outputs.productIds?.value.onboarding)
            .sort(),
        );

        const preview = await stack.preview();
        expect(preview.changeSummary).toEqual({ same: 13 });
        const refresh = await stack.refresh();
        expect(refresh.summary.resourceChanges).toEqual({ same: 13 });

        // The user edits their copy of the program: a longer trial on the Pro link, updated in place.
        const index = path.join(project, "index.ts");
        const program = fs.readFileSync(index, "utf8");
        const edited = program.replace(
          /(new polar\.CheckoutLink\("pro", \{[\s\S]*?)trialIntervalCount: 14/,
          "$1trialIntervalCount: 30",
        );
        expect(edited).not.toBe(program);
        fs.writeFileSync(index, edited);
        const update = await stack.up();
        expect(update.summary.resourceChanges).toEqual({ same: 12, update: 1 });
        expect(update.outputs.proUrl?.value).toBe(urls[0]);
        const [pro30] = (await liveLinks()).filter((l) => l.label === "pro plan");
        expect(pro30.trial_interval_count).toBe(30);

        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 13 });
        expect(await liveLinks()).toEqual([]);
        expect(await list("/v1/discounts/")).toEqual([]);
        expect(await list("/v1/benefits/")).toEqual([]);
        expect(await list("/v1/custom-fields/")).toEqual([]);
        expect((await list("/v1/products/")).filter((p) => !p.is_archived)).toEqual([]);
        // Polar has no meter delete: the meter stays, archived.
        const meters = await list("/v1/meters/");
        expect(meters.map((m) => [m.id, m.archived_at !== null])).toEqual([[meter.id, true]]);
      },
      {
        skipDestroy: true,
        config: emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }),
      },
    );
  });
});
