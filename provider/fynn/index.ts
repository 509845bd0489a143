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
  type FynnCheckoutLinkInputs,
  type FynnCheckoutLinkOutputs,
  FynnCheckoutLinkProvider,
  fynnCheckoutLinkDiffTable,
} from "./checkoutLink";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { fynnCheckoutLinkArgs } from "./checkoutLink";
