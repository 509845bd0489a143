/**
 * Plans and tiers on coreapi.io as code: one plan with two tiers, activated, and a checkout link
 * selling the Pro tier under a fixed slug. Exports the link's slug and public URL.
 */
import * as pulumi from "@pulumi/pulumi";
import { coreapi } from "pulumi-checkout-links";

const config = new pulumi.Config();
const productId = config.require("productId");
const slug = config.get("slug") ?? "pro-monthly";

const plan = new coreapi.Plan("pro-plan", {
  code: config.get("planCode") ?? "pro-plan",
  name: config.get("planName") ?? "Pro Plan",
  tiers: [
    {
      name: "Starter",
      items: [{ productId, pricePlanId: config.require("starterPricePlanId") }],
    },
    {
      name: "Pro",
      commitmentPeriod: "P1Y",
      items: [{ productId, pricePlanId: config.require("proPricePlanId"), defaultQuantity: 1 }],
    },
  ],
});

const link = new coreapi.CheckoutLink("pro", {
  planId: plan.planId,
  planTierId: plan.tierIds.apply((ids) => ids.Pro as string),
  slug,
  couponsAllowed: config.getBoolean("couponsAllowed") ?? false,
  adopt: config.getBoolean("adopt") ?? false,
});

export const planId = plan.planId;
export const tierIds = plan.tierIds;
export const linkId = link.linkId;
export const linkSlug = link.slug;
export const url = link.url;
