/**
 * Plans and tiers on Polar as code: two tiers of a "Pro" plan (monthly and yearly), a one-time
 * add-on, a launch discount on Pro, and the checkout links that sell them. Exports each link's
 * public URL.
 */
import { polar } from "pulumi-checkout-links";

const proMonthly = new polar.Product("pro-monthly", {
  name: "Pro (monthly)",
  description: "Everything in Pro, billed every month.",
  recurringInterval: "month",
  prices: [{ type: "fixed", amount: 1900, currency: "usd" }],
  metadata: { plan: "pro", tier: "monthly" },
});

const proYearly = new polar.Product("pro-yearly", {
  name: "Pro (yearly)",
  description: "Everything in Pro, billed once a year: two months free.",
  recurringInterval: "year",
  prices: [{ type: "fixed", amount: 19000, currency: "usd" }],
  metadata: { plan: "pro", tier: "yearly" },
});

const onboarding = new polar.Product("onboarding", {
  name: "Onboarding session",
  prices: [{ type: "custom", minimumAmount: 5000, presetAmount: 9900 }],
});

/** 20 % off the first three months of Pro, also redeemable with the code LAUNCH20. */
const launch = new polar.Discount("launch", {
  name: "Launch offer",
  type: "percentage",
  basisPoints: 2000,
  duration: "repeating",
  durationInMonths: 3,
  code: "LAUNCH20",
  maxRedemptions: 500,
  products: [proMonthly.productId, proYearly.productId],
});

/** One link offering both Pro tiers, with the launch discount applied; the buyer picks monthly or yearly. */
const pro = new polar.CheckoutLink("pro", {
  products: [proMonthly.productId, proYearly.productId],
  discountId: launch.id,
  label: "pro plan",
  successUrl: "https://example.com/welcome?checkout_id={CHECKOUT_ID}",
  trialInterval: "day",
  trialIntervalCount: 14,
  metadata: { campaign: "launch" },
});

const onboardingLink = new polar.CheckoutLink("onboarding", {
  products: [onboarding.productId],
  label: "onboarding",
  allowDiscountCodes: false,
  requireBillingAddress: true,
});

export const proUrl = pro.url;
export const onboardingUrl = onboardingLink.url;
export const launchDiscountId = launch.discountId;
export const productIds = {
  proMonthly: proMonthly.productId,
  proYearly: proYearly.productId,
  onboarding: onboarding.productId,
};
