/**
 * `polar.CheckoutLink.discountId` end to end: a discount made through the emulator's Polar API
 * (as a user makes one in the dashboard), a program that sells a product through a link carrying
 * it, run by the real engine. The link is created with the discount, a preview finds nothing to
 * do, and taking the discount off updates the link in place.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { lib, withStack } from "../helpers/engine";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let polarApi: ReturnType<typeof vendorApi>;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 1000 });
  polarApi = vendorApi(emu, "polar", DEMO_TOKENS.polarAcme);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
});

describe("polar.CheckoutLink with a discount", () => {
  it("deploys a link carrying a discount made in Polar, previews empty, and takes it off in place", async () => {
    const discount = await polarApi("POST", "/v1/discounts/", {
      type: "percentage",
      name: "Launch",
      basis_points: 2000,
      duration: "once",
    });
    expect(discount.status).toBe(201);
    let discountId: string | undefined = discount.body.id;
    const program = async () => {
      const { polar } = lib();
      const product = new polar.Product("pro", {
        name: "Pro",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 2900 }],
      });
      const link = new polar.CheckoutLink("pro-link", {
        products: [product.productId],
        label: "launch",
        ...(discountId === undefined ? {} : { discountId }),
      });
      return { linkId: link.id };
    };
    await withStack("polar-discount", program, async ({ stack }) => {
      await stack.setAllConfig(emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }));
      const up = await stack.up();
      // The product, the link and the stack itself.
      expect(up.summary.resourceChanges).toEqual({ create: 3 });
      const linkId = up.outputs.linkId?.value as string;
      const live = await polarApi("GET", `/v1/checkout-links/${linkId}`);
      expect(live.body.discount_id).toBe(discount.body.id);
      expect(live.body.discount).toMatchObject({ id: discount.body.id, basis_points: 2000 });

      expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

      discountId = undefined;
      const off = await stack.up();
      expect(off.summary.resourceChanges).toEqual({ same: 2, update: 1 });
      const after = await polarApi("GET", `/v1/checkout-links/${linkId}`);
      expect([after.body.discount_id, after.body.discount]).toEqual([null, null]);
    });
  });
});
