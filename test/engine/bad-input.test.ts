/**
 * Bad input through the real engine: misspelt keys deep inside an argument and URLs that are not
 * http(s) fail the preview with a line that names the argument and the full path, and no request
 * reaches the vendor.
 */
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
    const previewError = async (program: () => Promise<void>) =>
      withStack(
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
    // The engine prints the top-level argument's value; the reason starts with the full path.
    const planText = await previewError(plan);
    expect(planText).toContain("coreapi:Plan resource 'typo-plan': property tiers value {");
    expect(planText).toContain("has a problem: tiers.0.comitmentPeriod: is not an argument of this resource");
    const linkText = await previewError(link);
    expect(linkText).toContain(
      "fynn:CheckoutLink resource 'bad-url': property afterCheckout value {map[action:{redirect} url:{javascript:alert(1)}]} has a problem: afterCheckout.url: must be an http(s) URL",
    );
    for (const text of [planText, linkText]) expect(text).not.toContain("{<nil>}");
    expect(emu.requests()).toEqual([]);
  });
});
