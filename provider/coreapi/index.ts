// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/** coreapi.io (Fynn V2 Plans API): plans with tiers, and the checkout links that sell a tier. */
export {
  CheckoutLink,
  type CheckoutLinkArgs,
  type CheckoutLinkInputs,
  type CheckoutLinkOutputs,
  CheckoutLinkProvider,
  checkoutLinkDiffTable,
} from "./checkoutLink";
export {
  Plan,
  type PlanArgs,
  type PlanInputs,
  type PlanItemArgs,
  type PlanItemInputs,
  type PlanOutputs,
  PlanProvider,
  type PlanTierArgs,
  type PlanTierInputs,
  planDiffTable,
  tierMissing,
} from "./plan";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { coreapiCheckoutLinkArgs } from "./checkoutLink";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { coreapiPlanArgs } from "./plan";
