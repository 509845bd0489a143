/**
 * What a `polar.Discount` holds once checked and once applied: the shapes that the resource and its
 * wire mapping (discountWire.ts) share, below both.
 */
import type { MetadataValue } from "./common";

/** How a discount reduces the price: by a share (`basisPoints`) or by fixed amounts per currency. */
export type DiscountType = "percentage" | "fixed";
/** For subscriptions: on the first invoice, on every invoice, or for `durationInMonths` months. */
export type DiscountDuration = "once" | "forever" | "repeating";

/** Inputs after `check()`: plain values with defaults filled in (`amount`/`currency` folded into `amounts`). */
export interface DiscountInputs {
  name: string;
  type: DiscountType;
  basisPoints?: number | undefined;
  amounts?: Record<string, number> | undefined;
  duration: DiscountDuration;
  durationInMonths?: number | undefined;
  code?: string | undefined;
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  maxRedemptions?: number | undefined;
  maxRedemptionsPerCustomer?: number | undefined;
  /** Products the discount is restricted to; empty: every product. */
  products: string[];
  metadata: Record<string, MetadataValue>;
  account?: string | undefined;
  adopt?: boolean | undefined;
  adoptId?: string | undefined;
  adoptionKey: string;
}

/** What the provider stores for a discount: the inputs as applied plus what Polar generated. */
export interface DiscountState extends DiscountInputs {
  /** State layout version, so later provider versions can read older state. */
  stateVersion: 1;
  discountId: string;
  redemptionsCount: number;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}
