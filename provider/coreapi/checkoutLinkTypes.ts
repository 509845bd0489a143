/**
 * What a `coreapi.CheckoutLink` holds once checked and once applied: the shapes that the resource
 * and its wire mapping (links.ts) share, below both.
 */
/** Inputs after `check` (defaults filled); test/unit/public-types.test.ts keeps it equal to the schema. */
export interface CheckoutLinkInputs {
  planId: string;
  planTierId: string;
  slug?: string | undefined;
  couponsAllowed: boolean;
  isEnabled: boolean;
  salesChannel?: string | undefined;
  account?: string | undefined;
  adopt: boolean;
}

/** State kept by the engine: the inputs as applied plus what coreapi.io reports. */
export interface CheckoutLinkState extends CheckoutLinkInputs {
  slug: string;
  salesChannel: string;
  linkId: string;
  url: string;
  planTierName: string;
  salesChannelId: string;
  salesChannelName: string;
  createdAt: string;
  updatedAt: string;
}

/** @deprecated use {@link CheckoutLinkState} */
export type CheckoutLinkOutputs = CheckoutLinkState;
