/**
 * What a `polar.Product` holds once checked and once applied: the shapes that the resource and its
 * wire mapping (productWire.ts) share, below both.
 */
import type { MetadataValue } from "./common";
import type { Price } from "./prices";

/** How often a recurring product bills, counted by `recurringIntervalCount`. */
export type Interval = "day" | "week" | "month" | "year";
/** Who can see a product in Polar. */
export type Visibility = "draft" | "private" | "public";

/** A custom field asked at checkout: Polar's id of the field, and whether the buyer must fill it. */
export interface AttachedCustomField {
  customFieldId: string;
  required: boolean;
}

/** Inputs after `check()`: plain values with defaults filled in. */
export interface ProductInputs {
  name: string;
  description?: string;
  visibility: Visibility;
  recurringInterval?: Interval;
  recurringIntervalCount?: number;
  /** A free trial before the first charge; recurring products only. */
  trialInterval?: Interval;
  trialIntervalCount?: number;
  prices: Price[];
  /** Benefit ids in order; undefined: the benefits are left as Polar has them. */
  benefits?: string[];
  /** Undefined: the attached custom fields are left as Polar has them. */
  attachedCustomFields?: AttachedCustomField[];
  metadata: Record<string, MetadataValue>;
  account?: string;
  adopt?: boolean;
  adoptId?: string;
  adoptionKey: string;
}

/** What the provider stores for a product: the inputs as applied plus what Polar generated. */
export interface ProductState extends ProductInputs {
  stateVersion: 1;
  productId: string;
  /** Polar's price ids, in the order of `prices`. */
  priceIds: string[];
  isArchived: boolean;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}
