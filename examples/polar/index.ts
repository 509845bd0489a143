/**
 * Plans and tiers on Polar as code: two tiers of a "Pro" plan (monthly and yearly), a "Team" tier
 * with a usage meter, benefits, a required checkout field and a trial, a one-time add-on, a launch
 * discount on Pro and Team, and the checkout links that sell them. Exports each link's public URL,
 * the launch code and the Team tier's benefit ids.
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

/** Counts the API calls a customer makes: events named "api.call" sent to Polar's event ingestion. */
const calls = new polar.Meter("api-calls", {
  name: "API calls",
  filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
  aggregation: { func: "count" },
});

/** What Team grants: a license key for up to five devices, and 10,000 API calls each month. */
const teamLicense = new polar.Benefit("team-license", {
  type: "license_keys",
  description: "Team license key",
  properties: { prefix: "TEAM", activations: { limit: 5, enableCustomerAdmin: true } },
});
const includedCalls = new polar.Benefit("included-calls", {
  type: "meter_credit",
  description: "10,000 API calls a month",
  properties: { units: 10000, rollover: false, meterId: calls.id },
});

/** Asked of every Team buyer at checkout. */
const company = new polar.CustomField("company", {
  type: "text",
  slug: "company",
  name: "Company",
  properties: { formLabel: "Company name", maxLength: 120 },
});

/**
 * Team: a monthly fee after a 14-day trial, plus 0.5 cents per API call beyond the included ones,
 * at most $200 a month.
 */
const teamMonthly = new polar.Product("team-monthly", {
  name: "Team (monthly)",
  description: "Pro for the whole team, with 10,000 API calls a month included.",
  recurringInterval: "month",
  trialInterval: "day",
  trialIntervalCount: 14,
  prices: [
    { type: "fixed", amount: 4900, currency: "usd" },
    { type: "metered_unit", meterId: calls.id, unitAmount: "0.5", capAmount: 20000, currency: "usd" },
  ],
  benefits: [teamLicense.id, includedCalls.id],
  attachedCustomFields: [{ customFieldId: company.id, required: true }],
  metadata: { plan: "team", tier: "monthly" },
});

const onboarding = new polar.Product("onboarding", {
  name: "Onboarding session",
  prices: [{ type: "custom", minimumAmount: 5000, presetAmount: 9900 }],
});

/** 20 % off the first three months of Pro or Team, also redeemable with the code LAUNCH20. */
const launch = new polar.Discount("launch", {
  name: "Launch offer",
  type: "percentage",
  basisPoints: 2000,
  duration: "repeating",
  durationInMonths: 3,
  code: "LAUNCH20",
  maxRedemptions: 500,
  products: [proMonthly.productId, proYearly.productId, teamMonthly.productId],
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

/** The Team link leaves the discount to the buyer, who enters the launch code at checkout. */
const team = new polar.CheckoutLink("team", {
  products: [teamMonthly.productId],
  label: "team plan",
  successUrl: "https://example.com/welcome?checkout_id={CHECKOUT_ID}",
  metadata: { campaign: "launch" },
});

const onboardingLink = new polar.CheckoutLink("onboarding", {
  products: [onboarding.productId],
  label: "onboarding",
  allowDiscountCodes: false,
  requireBillingAddress: true,
});

export const proUrl = pro.url;
export const teamUrl = team.url;
export const onboardingUrl = onboardingLink.url;
export const launchDiscountId = launch.discountId;
export const launchCode = launch.code;
export const teamBenefitIds = [teamLicense.id, includedCalls.id];
export const productIds = {
  proMonthly: proMonthly.productId,
  proYearly: proYearly.productId,
  teamMonthly: teamMonthly.productId,
  onboarding: onboarding.productId,
};
