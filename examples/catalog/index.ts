/**
 * The example catalog, deployed by the root project: one product line sold on all three backends.
 *
 * - coreapi.io: the "team-plan" plan with a Starter and a Pro tier, and a link for each tier.
 * - Fynn classic: a link selling the Basic product at its partner price, redirecting after checkout.
 * - Polar: a monthly and a yearly Pro tier as products, one link offering both, and an add-on link.
 *
 * Fynn catalog objects (products and price plans) are referenced by id. On the emulator they are the
 * objects of the vendors' documentation examples; elsewhere set `fynnProductId` and
 * `fynnPricePlanId` in the stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { Catalog } from "pulumi-checkout-links";

const config = new pulumi.Config();
const product = config.get("fynnProductId") ?? "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b";
const pricePlan = config.get("fynnPricePlanId") ?? "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b";
const item = { productId: product, pricePlanId: pricePlan };

const catalog = new Catalog("shop", {
  coreapi: {
    plans: {
      "team-plan": {
        name: "Team Plan",
        description: "Collaboration for growing teams.",
        tiers: [
          { name: "Starter", items: [{ ...item, defaultQuantity: 1 }] },
          {
            name: "Pro",
            commitmentPeriod: "P1Y",
            items: [{ ...item, defaultQuantity: 5, quantityEditable: true }],
          },
        ],
        links: {
          "team-starter": { tier: "Starter", slug: "team-starter" },
          "team-pro": { tier: "Pro", slug: "team-pro", couponsAllowed: true },
        },
      },
    },
  },
  fynn: {
    links: {
      "basic-partners": {
        slug: "basic-partners",
        items: [{ ...item, quantity: 1 }],
        options: { trialDays: 14, allowCoupons: true },
        afterCheckout: { action: "redirect", url: "https://example.com/welcome" },
      },
    },
  },
  polar: {
    products: {
      "pro-monthly": {
        name: "Pro (monthly)",
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 1900, currency: "usd" }],
      },
      "pro-yearly": {
        name: "Pro (yearly)",
        recurringInterval: "year",
        prices: [{ type: "fixed", amount: 19000, currency: "usd" }],
      },
      onboarding: {
        name: "Onboarding session",
        prices: [{ type: "custom", minimumAmount: 5000, presetAmount: 9900 }],
      },
    },
    links: {
      pro: {
        products: ["pro-monthly", "pro-yearly"],
        label: "pro launch",
        successUrl: "https://example.com/thanks?checkout_id={CHECKOUT_ID}",
        metadata: { campaign: "launch" },
      },
      onboarding: { products: ["onboarding"], label: "onboarding", allowDiscountCodes: false },
    },
  },
});

/** Every link's backend, slug and public URL, keyed `<backend>/<name>`. */
export const links = catalog.links;
