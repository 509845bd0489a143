/** coreapi.io (Fynn V2 Plans API): plans with tiers, and the checkout links that sell a tier. */
export {
  CheckoutLink,
  type CheckoutLinkArgs,
  type CheckoutLinkInputs,
  type CheckoutLinkOutputs,
  CheckoutLinkProvider,
  checkoutLinkDiffTable,
  coreapiCheckoutLinkArgs,
} from "./checkoutLink";
export {
  coreapiPlanArgs,
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
