/**
 * `polar.CheckoutLink.discountId` end to end: a discount made through the emulator's Polar API
 * (as a user makes one in the dashboard), a program that sells a product through a link carrying
 * it, run by the real engine. The link is created with the discount, a preview finds nothing to
 * do, and taking the discount off updates the link in place. Then `polar.Discount` itself: declared
 * in the program and applied by its id, updated in place, replaced (the old one deleted first, its
 * code being unique) with the link moved to the new id, changed out of band, and destroyed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import type { polar } from "../../provider/index";
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

describe("polar.Discount", () => {
  it("is applied by id, updates in place, replaces with the link following, shows drift on refresh, and is destroyed", async () => {
    const args: polar.DiscountArgs = {
      name: "Launch",
      type: "percentage",
      basisPoints: 2000,
      duration: "repeating",
      durationInMonths: 3,
      code: "LAUNCH20",
    };
    const program = async () => {
      const { polar } = lib();
      const product = new polar.Product("pro", {
        name: "Pro",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 2900 }],
      });
      const launch = new polar.Discount("launch", {
        ...args,
        products: [product.productId],
      });
      const link = new polar.CheckoutLink("pro-link", {
        products: [product.productId],
        label: "launch",
        discountId: launch.id,
      });
      return { linkId: link.id, discountId: launch.discountId };
    };
    const discounts = async () => ((await polarApi("GET", "/v1/discounts/")).body as { items: any[] }).items;
    await withStack("polar-discount-resource", program, async ({ stack }) => {
      await stack.setAllConfig(emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }));
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ create: 4 });
      const linkId = up.outputs.linkId?.value as string;
      const first = up.outputs.discountId?.value as string;
      expect((await polarApi("GET", `/v1/checkout-links/${linkId}`)).body.discount_id).toBe(first);
      expect((await stack.preview()).changeSummary).toEqual({ same: 4 });

      args.name = "Launch week";
      const renamed = await stack.up();
      expect(renamed.summary.resourceChanges).toEqual({ same: 3, update: 1 });
      expect(renamed.outputs.discountId?.value).toBe(first);

      // A new share replaces the discount: deleted first (its code is unique), the link follows.
      args.basisPoints = 2500;
      const replaced = await stack.up();
      expect(replaced.summary.resourceChanges).toEqual({ same: 2, replace: 1, update: 1 });
      const second = replaced.outputs.discountId?.value as string;
      expect(second).not.toBe(first);
      expect((await discounts()).map((d) => [d.id, d.code, d.basis_points])).toEqual([
        [second, "LAUNCH20", 2500],
      ]);
      expect((await polarApi("GET", `/v1/checkout-links/${linkId}`)).body.discount_id).toBe(second);

      // Changed in the dashboard: refresh records it, and up puts the declaration back.
      await polarApi("PATCH", `/v1/discounts/${second}`, { name: "Edited", max_redemptions: 5 });
      expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 3, update: 1 });
      expect((await stack.up()).summary.resourceChanges).toEqual({ same: 3, update: 1 });
      expect((await polarApi("GET", `/v1/discounts/${second}`)).body).toMatchObject({
        name: "Launch week",
        max_redemptions: null,
      });

      expect((await stack.destroy()).summary.resourceChanges).toEqual({ delete: 4 });
      expect(await discounts()).toEqual([]);
    });
  });
});
