/**
 * What a `fynn.CheckoutLink` holds once checked and once applied: the shapes that the resource
 * and its wire mapping (links.ts) share, below both.
 */
import type { FynnCheckoutLinkItemInputs } from "./items";

/**
 * Inputs after `check` (defaults filled): the output of `fynnCheckoutLinkArgsSchema`, written out so
 * that the package's declarations do not load zod's (test/unit/public-types.test.ts keeps the two
 * equal).
 */
export interface FynnCheckoutLinkInputs {
  items: FynnCheckoutLinkItemInputs[];
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
export interface FynnCheckoutLinkOutputs extends Omit<FynnCheckoutLinkInputs, "slug"> {
  slug: string;
  linkId: string;
  url: string;
}
