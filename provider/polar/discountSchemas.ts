/**
 * A Polar discount as the provider reads it (`Discount` of Polar's OpenAPI: fixed or percentage,
 * once/forever or repeating). Tolerant: unknown keys pass, and only what the provider needs is
 * required, so that a field Polar adds or drops elsewhere does not break a refresh.
 */
import { z } from "zod";

const timestamp = z.string();

/** `Discount` response, any of its four variants. @internal */
export const polarDiscountSchema = z.object({
  id: z.string(),
  created_at: timestamp,
  modified_at: timestamp.nullish(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  name: z.string(),
  type: z.enum(["fixed", "percentage"]),
  duration: z.enum(["once", "forever", "repeating"]),
  /** Present on repeating discounts only. */
  duration_in_months: z.int().nullish(),
  /** Percentage discounts. */
  basis_points: z.int().nullish(),
  /** Fixed discounts: cents per currency. */
  amounts: z.record(z.string(), z.int()).nullish(),
  /** Fixed discounts, deprecated: the first of `amounts`. */
  amount: z.int().nullish(),
  currency: z.string().nullish(),
  code: z.string().nullish(),
  starts_at: timestamp.nullish(),
  ends_at: timestamp.nullish(),
  max_redemptions: z.int().nullish(),
  max_redemptions_per_customer: z.int().nullish(),
  redemptions_count: z.int().default(0),
  organization_id: z.string(),
  products: z.array(z.object({ id: z.string() })).default([]),
});

/** A discount as Polar returns it. */
export type PolarDiscount = z.infer<typeof polarDiscountSchema>;
