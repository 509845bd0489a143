/**
 * What a `polar.CheckoutLink` holds once checked and once applied: the shapes that the resource
 * and its wire mapping (checkoutLinkWire.ts) share, below both.
 */
import type { MetadataValue } from "./common";

/** The unit of a trial's length, counted by `trialIntervalCount`. */
export type TrialInterval = "day" | "week" | "month" | "year";

/** Inputs after `check()`: plain values with defaults filled in. */
export interface CheckoutLinkInputs {
  products: string[];
  label?: string | undefined;
  allowDiscountCodes: boolean;
  requireBillingAddress: boolean;
  discountId?: string | undefined;
  successUrl?: string | undefined;
  returnUrl?: string | undefined;
  trialInterval?: TrialInterval | undefined;
  trialIntervalCount?: number | undefined;
  seats?: number | undefined;
  metadata: Record<string, MetadataValue>;
  account?: string | undefined;
  adopt?: boolean | undefined;
  adoptId?: string | undefined;
  adoptionKey: string;
}

/** What the provider stores: the inputs as applied plus what Polar generated. */
export interface CheckoutLinkState extends CheckoutLinkInputs {
  /** State layout version, so later provider versions can read older state. */
  stateVersion: 1;
  linkId: string;
  url: string;
  clientSecret: string;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}
