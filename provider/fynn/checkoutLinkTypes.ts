/**
 * What a `fynn.CheckoutLink` holds once checked and once applied: the shapes that the resource
 * and its wire mapping (links.ts) share, below both.
 */
import type { CheckoutLinkItemInputs } from "./items";

/**
 * Inputs after `check` (defaults filled): the output of `fynnCheckoutLinkArgsSchema`, written out so
 * that the package's declarations do not load zod's (test/unit/public-types.test.ts keeps the two
 * equal).
 */
export interface CheckoutLinkInputs {
  items: CheckoutLinkItemInputs[];
  options: {
    trialDays: number | null;
    allowCoupons: boolean;
    quantityEditable: boolean;
    forceCompany: boolean;
  };
  afterCheckout: {
    action: "redirect" | "confirmation_message";
    url?: string | null | undefined;
    confirmationMessage?: string | null | undefined;
    backToProviderUrl?: string | null | undefined;
  };
  isEnabled: boolean;
  adopt: boolean;
  slug?: string | undefined;
  account?: string | undefined;
}

/** What the provider stores for a link: the inputs as applied plus what Fynn generated. */
export interface CheckoutLinkState extends Omit<CheckoutLinkInputs, "slug"> {
  slug: string;
  linkId: string;
  url: string;
}

/** @deprecated use {@link CheckoutLinkInputs} */
export type FynnCheckoutLinkInputs = CheckoutLinkInputs;
/** @deprecated use {@link CheckoutLinkState} */
export type FynnCheckoutLinkOutputs = CheckoutLinkState;
