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
  fynnCheckoutLinkArgs,
  fynnCheckoutLinkDiffTable,
} from "./checkoutLink";
