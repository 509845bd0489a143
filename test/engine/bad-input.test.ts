/**
 * Bad input through the real engine: misspelt keys deep inside an argument, URLs that are not
 * http(s), and each Polar resource's own rules fail the preview with a line that names the argument
 * and the full path, and no request reaches the vendor.
 */

import type { ConfigValue } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import { lib, withStack } from "../helpers/engine";

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
});
afterAll(async () => {
  await emu?.close();
});

/** The error of a preview of `program`, which must fail. */
async function previewError(
  program: () => Promise<void>,
  config: Record<string, ConfigValue>,
): Promise<string> {
  return withStack(
    "bad-input",
    program,
    async ({ stack }) => {
      const failed = await stack.preview().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(failed).toBeInstanceOf(Error);
      return String(failed?.message);
    },
    { config, skipDestroy: true },
  );
}

describe("bad input", () => {
  it("fails the preview naming the nested field, with no vendor request", async () => {
    const { coreapi, fynn } = lib();
    const item = { productId: EXAMPLE_IDS.fynnProduct, pricePlanId: EXAMPLE_IDS.fynnPricePlan };
    const plan = async () => {
      new coreapi.Plan("typo-plan", {
        code: "typo-plan",
        name: "Typo",
        // A misspelt optional key: before, it was dropped and the plan deployed without it.
        tiers: [{ name: "Pro", items: [item], comitmentPeriod: "P1Y" } as never],
      });
    };
    const link = async () => {
      new fynn.CheckoutLink("bad-url", {
        items: [{ ...item, quantity: 1 }],
        afterCheckout: { action: "redirect", url: "javascript:alert(1)" },
      });
    };
    const config = {
      "checkout-links:coreapi.baseUrl": { value: emu.baseUrls.coreapi },
      "checkout-links:coreapi.token": { value: emu.tokens.fynnAcme, secret: true },
      "checkout-links:fynn.baseUrl": { value: emu.baseUrls.fynn },
      "checkout-links:fynn.token": { value: emu.tokens.fynnAcme, secret: true },
    };
    emu.clearRequests();
    // The engine prints the top-level argument's value; the reason starts with the full path.
    const planText = await previewError(plan, config);
    expect(planText).toContain("coreapi:Plan resource 'typo-plan': property tiers value {");
    expect(planText).toContain("has a problem: tiers.0.comitmentPeriod: is not an argument of this resource");
    const linkText = await previewError(link, config);
    expect(linkText).toContain(
      "fynn:CheckoutLink resource 'bad-url': property afterCheckout value {map[action:{redirect} url:{javascript:alert(1)}]} has a problem: afterCheckout.url: must be an http(s) URL",
    );
    for (const text of [planText, linkText]) expect(text).not.toContain("{<nil>}");
    expect(emu.requests()).toEqual([]);
  });

  it("fails the preview of each Polar resource naming the field, with no vendor request", async () => {
    const { polar } = lib();
    const config = {
      "checkout-links:polar.baseUrl": { value: emu.baseUrls.polar },
      "checkout-links:polar.token": { value: emu.tokens.polarAcme, secret: true },
    };
    // The engine stops at the first resource that fails its check, so one program per resource.
    const cases: [string, () => void, string][] = [
      [
        "polar:Discount resource 'too-much'",
        () =>
          new polar.Discount("too-much", {
            name: "Too much",
            type: "percentage",
            basisPoints: 12000,
            duration: "once",
          }),
        "has a problem: basisPoints must be 1 to 10000",
      ],
      [
        "polar:Benefit resource 'credits'",
        () =>
          new polar.Benefit("credits", {
            type: "meter_credit",
            description: "API call credits",
            properties: { units: 1000, rollover: false },
          }),
        "has a problem: properties.meterId: ",
      ],
      [
        "polar:Meter resource 'tokens'",
        () =>
          new polar.Meter("tokens", {
            name: "Tokens",
            filter: { conjunction: "and", clauses: [] },
            aggregation: { func: "sum" },
          }),
        "has a problem: aggregation",
      ],
      [
        "polar:CustomField resource 'size'",
        () => new polar.CustomField("size", { type: "select", slug: "team-size", name: "Team size" }),
        "has a problem: properties.options: a select field needs options",
      ],
      [
        "polar:Product resource 'one-off'",
        () =>
          new polar.Product("one-off", {
            name: "One-off",
            trialInterval: "day",
            trialIntervalCount: 7,
            prices: [{ type: "fixed", amount: 900 }],
          }),
        "has a problem: trialInterval needs recurringInterval",
      ],
      [
        "polar:Product resource 'metered'",
        () =>
          new polar.Product("metered", {
            name: "Metered",
            recurringInterval: "month",
            prices: [{ type: "metered_unit", unitAmount: "0.5" } as never],
          }),
        "has a problem: prices.0.meterId: ",
      ],
    ];
    emu.clearRequests();
    for (const [resource, declare, problem] of cases) {
      const text = await previewError(async () => {
        declare();
      }, config);
      expect(text).toContain(resource);
      expect(text).toContain(problem);
    }
    expect(emu.requests()).toEqual([]);
  });
});
