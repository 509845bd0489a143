/**
 * A Fynn classic checkout link as code: one product at a price plan, a 14-day trial, coupons
 * allowed, and a redirect after checkout. Exports the link's slug and public URL.
 */
import * as pulumi from "@pulumi/pulumi";
import { fynn } from "pulumi-checkout-links";

const config = new pulumi.Config();

const link = new fynn.CheckoutLink("starter", {
  items: [
    {
      productId: config.require("productId"),
      pricePlanId: config.require("pricePlanId"),
      quantity: config.getNumber("quantity") ?? 1,
    },
  ],
  options: { trialDays: 14, allowCoupons: true },
  afterCheckout: {
    action: "redirect",
    url: config.get("thankYouUrl") ?? "https://example.com/thanks",
  },
  slug: config.get("slug") ?? "starter",
  adopt: config.getBoolean("adopt") ?? false,
});

export const linkId = link.linkId;
export const slug = link.slug;
export const url = link.url;
