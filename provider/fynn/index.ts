// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/** Fynn classic API: checkout links selling products and plans. */
export {
  CheckoutLink,
  type CheckoutLinkAfterCheckoutArgs,
  type CheckoutLinkArgs,
  type CheckoutLinkItemArgs,
  type CheckoutLinkOptionsArgs,
  type CheckoutLinkPeriodArgs,
  type CheckoutLinkPlanItemArgs,
  type CheckoutLinkProductItemArgs,
  type CheckoutLinkInputs,
  type CheckoutLinkItemInputs,
  type CheckoutLinkState,
  type CheckoutLinkPeriodInputs,
  type FynnCheckoutLinkInputs,
  type FynnCheckoutLinkItemInputs,
  type FynnCheckoutLinkOutputs,
  type FynnCheckoutLinkPeriodInputs,
  FynnCheckoutLinkProvider,
  fynnCheckoutLinkDiffTable,
} from "./checkoutLink";
export type { AccountArgument, AdoptArgument, SlugArgument } from "../core/args";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { fynnCheckoutLinkArgs, fynnCheckoutLinkArgsSchema } from "./checkoutLink";
