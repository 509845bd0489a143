/**
 * The Catalog component across all three backends under the real engine: one up creates plans,
 * products and links, exports every link's slug and URL, a second preview is empty, and destroy
 * removes every link from the emulator.
 */
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import { emulatorConfig } from "../helpers/emulator";
import { failureText, installedProject, lib, withStack, withWorkDirStack } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
});
afterAll(async () => {
  await emu?.close();
});

const config = () => ({
  ...emulatorConfig(emu, "coreapi", { default: emu.tokens.fynnAcme }),
  ...emulatorConfig(emu, "fynn", { default: emu.tokens.fynnAcme }),
  ...emulatorConfig(emu, "polar", { default: emu.tokens.polarAcme }),
});

describe("Catalog", () => {
  it("deploys plans, products and links on every backend and exports each link's slug and URL", async () => {
    const { Catalog } = lib();
    const item = { productId: EXAMPLE_IDS.fynnProduct, pricePlanId: EXAMPLE_IDS.fynnPricePlan };
    const program = async () => {
      const catalog = new Catalog("shop", {
        coreapi: {
          plans: {
            "team-plan": {
              name: "Team Plan",
              tiers: [
                { name: "Starter", items: [item] },
                { name: "Pro", items: [{ ...item, defaultQuantity: 5 }] },
              ],
              links: {
                "team-starter": { tier: "Starter", slug: "team-starter" },
                "team-pro": { tier: "Pro", slug: "team-pro", couponsAllowed: true },
              },
            },
          },
        },
        fynn: { links: { basic: { slug: "basic-partners", items: [{ ...item, quantity: 1 }] } } },
        polar: {
          benefits: {
            support: { type: "custom", description: "Priority support", properties: { note: "Write to us" } },
          },
          products: {
            monthly: {
              name: "Pro (monthly)",
              recurringInterval: "month",
              prices: [{ type: "fixed", amount: 1900 }],
              benefits: ["support"],
            },
            yearly: {
              name: "Pro (yearly)",
              recurringInterval: "year",
              prices: [{ type: "fixed", amount: 19000 }],
            },
          },
          discounts: {
            launch: {
              name: "Launch",
              type: "percentage",
              basisPoints: 2000,
              duration: "once",
              code: "LAUNCH20",
              products: ["monthly", "yearly"],
            },
          },
          links: { pro: { products: ["monthly", "yearly"], label: "pro", discount: "launch" } },
        },
      });
      return { links: catalog.links, discountCodes: catalog.discountCodes, benefitIds: catalog.benefitIds };
    };

    await withStack(
      "catalog",
      program,
      async ({ stack, exportedText }) => {
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        const links = up.outputs.links?.value as Record<
          string,
          { backend: string; slug: string | null; url: string }
        >;
        expect(Object.keys(links).sort()).toEqual([
          "coreapi/team-pro",
          "coreapi/team-starter",
          "fynn/basic",
          "polar/pro",
        ]);
        expect(links["coreapi/team-pro"]).toEqual({
          backend: "coreapi",
          slug: "team-pro",
          url: `${emu.baseUrls.fynn}/checkout-link/team-pro/cart`,
        });
        expect(links["coreapi/team-starter"]?.url).toBe(
          `${emu.baseUrls.fynn}/checkout-link/team-starter/cart`,
        );
        expect(links["fynn/basic"]).toEqual({
          backend: "fynn",
          slug: "basic-partners",
          url: `${emu.baseUrls.fynn}/checkout/basic-partners`,
        });
        const polarLink = Object.values(emu.state().polar.links).find((l) => l.deleted_at === null);
        expect(polarLink?.product_ids).toHaveLength(2);
        expect(links["polar/pro"]).toEqual({
          backend: "polar",
          slug: null,
          url: `${emu.baseUrls.polar}/v1/checkout-links/${polarLink?.client_secret}/redirect`,
        });

        // Polar objects named in the catalog are wired by id: the tier grants the benefit, the link
        // applies the discount, which is restricted to the catalog's two products.
        const polar = emu.state().polar;
        const benefit = Object.values(polar.benefits ?? {}).find((b) => b.description === "Priority support");
        const discount = Object.values(polar.discounts ?? {}).find((d) => d.code === "LAUNCH20");
        const monthly = Object.values(polar.products).find((p) => p.name === "Pro (monthly)");
        const yearly = Object.values(polar.products).find((p) => p.name === "Pro (yearly)");
        expect(up.outputs.benefitIds?.value).toEqual({ support: benefit?.id });
        expect(up.outputs.discountCodes?.value).toEqual({ launch: "LAUNCH20" });
        expect(monthly?.benefit_ids).toEqual([benefit?.id]);
        expect(yearly?.benefit_ids ?? []).toEqual([]);
        expect(polarLink?.discount_id).toBe(discount?.id);
        expect([...(discount?.product_ids ?? [])].sort()).toEqual([monthly?.id, yearly?.id].sort());

        // The tier a link sells is the tier named in the catalog.
        const plan = Object.values(emu.state().coreapi.plans).find((p) => p.code === "team-plan");
        const proTier = plan?.tiers.find((t) => t.name === "Pro");
        const proLink = Object.values(emu.state().coreapi.links).find((l) => l.slug === "team-pro");
        expect(proLink?.planTierId).toBe(proTier?.id);

        const again = await stack.preview();
        expect(again.changeSummary).toEqual({ same: 11 });

        const text = await exportedText();
        for (const token of [emu.tokens.fynnAcme, emu.tokens.polarAcme]) expect(text).not.toContain(token);

        await stack.destroy();
        expect(Object.values(emu.state().coreapi.links).filter((l) => !l.deletedAt)).toEqual([]);
        expect(Object.values(emu.state().polar.links).filter((l) => l.deleted_at === null)).toEqual([]);
        expect(Object.values(emu.state().polar.discounts ?? {}).filter((d) => d.deleted_at === null)).toEqual(
          [],
        );
        expect(Object.values(emu.state().polar.benefits ?? {}).filter((b) => !b.is_deleted)).toEqual([]);
      },
      { config: config() },
    );
  });
});

describe("a catalog that does not hold together", () => {
  it("fails the program with one line naming the mistake, and no stack trace", async () => {
    // As a user writes it, in a project that installed the package.
    const project = newProject(installedProject(), "catalog-mistake", {
      index: `import { Catalog } from "pulumi-checkout-links";

new Catalog("shop", {
  coreapi: {
    plans: {
      "pro-plan": {
        name: "Pro Plan",
        tiers: [{ name: "Starter" }],
        links: { "pro-monthly": { tier: "Pro" } },
      },
    },
  },
});
`,
    });
    try {
      const output = await withWorkDirStack(project, ({ stack }) => failureText(() => stack.preview()), {
        config: config(),
        skipDestroy: true,
      });
      const message = 'coreapi.plans.pro-plan.links.pro-monthly.tier: no tier named "Pro" in plan pro-plan';
      // The engine's diagnostics name the component and give the mistake as one line, nothing after it.
      expect(output).toContain(`  checkout-links:index:Catalog (shop):\n    error: ${message}\n\n`);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain("unhandled exception");
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it("names a discount a Polar link applies that the catalog does not declare", async () => {
    const project = newProject(installedProject(), "catalog-discount-mistake", {
      index: `import { Catalog } from "pulumi-checkout-links";

new Catalog("shop", {
  polar: {
    products: { pro: { name: "Pro", recurringInterval: "month", prices: [{ type: "fixed", amount: 2900 }] } },
    discounts: { launch: { name: "Launch", type: "percentage", basisPoints: 2000, duration: "once" } },
    links: { "pro-launch": { products: ["pro"], discount: "lauch" } },
  },
});
`,
    });
    try {
      const output = await withWorkDirStack(project, ({ stack }) => failureText(() => stack.preview()), {
        config: config(),
        skipDestroy: true,
      });
      expect(output).toContain(
        '  checkout-links:index:Catalog (shop):\n    error: polar.links.pro-launch.discount: no discount named "lauch" in this catalog\n\n',
      );
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
