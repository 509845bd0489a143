// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/** coreapi.io (Fynn V2 Plans API): plans with tiers, and the checkout links that sell a tier. */
import { CoreapiCheckoutLinkProvider } from "./checkoutLink";
import { CoreapiPlanProvider } from "./plan";

export {
  CheckoutLink,
  type CheckoutLinkArgs,
  type CheckoutLinkInputs,
  type CheckoutLinkOutputs,
  type CheckoutLinkState,
  CoreapiCheckoutLinkProvider,
  checkoutLinkDiffTable,
  coreapiCheckoutLinkDiffTable,
} from "./checkoutLink";
export {
  CoreapiPlanProvider,
  coreapiPlanDiffTable,
  Plan,
  type PlanArgs,
  type PlanInputs,
  type PlanItemArgs,
  type PlanItemInputs,
  type PlanOutputs,
  type PlanState,
  type PlanTierArgs,
  type PlanTierInputs,
  planDiffTable,
  tierMissing,
} from "./plan";
export type { AccountArgument, AdoptArgument, SlugArgument } from "../core/args";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { coreapiCheckoutLinkArgs, coreapiCheckoutLinkArgsSchema } from "./checkoutLink";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { coreapiPlanArgs, coreapiPlanArgsSchema } from "./plan";

/** @deprecated use {@link CoreapiCheckoutLinkProvider} */
export const CheckoutLinkProvider = CoreapiCheckoutLinkProvider;
/** @deprecated use {@link CoreapiCheckoutLinkProvider} */
export type CheckoutLinkProvider = CoreapiCheckoutLinkProvider;

/** @deprecated use {@link CoreapiPlanProvider} */
export const PlanProvider = CoreapiPlanProvider;
/** @deprecated use {@link CoreapiPlanProvider} */
export type PlanProvider = CoreapiPlanProvider;
