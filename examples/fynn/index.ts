/**
 * A Fynn classic checkout link as code: one product at a price plan, a 14-day trial, coupons
 * allowed, and a redirect after checkout. Exports the link's slug and public URL.
 */
import * as pulumi from "@pulumi/pulumi";
import { fynn } from "pulumi-checkout-links";

const config = new pulumi.Config();
/** A named account (`checkout-links:fynn.<account>.token`); unset means the default account. */
const account = config.get("account");

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
  ...(account === undefined ? {} : { account }),
});

export const linkId = link.linkId;
export const slug = link.slug;
export const url = link.url;
