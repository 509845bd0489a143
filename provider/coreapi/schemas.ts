/**
 * Wire schemas of coreapi.io, the Fynn V2 Plans API (plans, tiers and their checkout links).
 *
 * Module constants named `<object>Schema`. Names are the vendor's camelCase wire
 * names; fields the vendor does not document are marked `inferred`.
 */
import { z } from "zod";
import { slugSchema, timestampSchema, uuidSchema } from "../core/schemas";

export { slug } from "../core/schemas";

/** Plan lifecycle: created as draft, activated, later archived. Only active plans can be sold. */
export const coreapiPlanStatusSchema = z.enum(["draft", "active", "archived"]);

/** Plan code: "Stable, Organisation unique identifier in lower kebab case", 1..64 chars. */
export const coreapiPlanCodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
    message: "Code may contain only lower-case letters, digits and inner hyphens.",
  });

/**
 * One item of a tier: a Fynn classic product sold at one of its price plans.
 * inferred: the vendor did not publish the item input schema; these are the response fields minus
 * the server-derived names and currency.
 */
export const coreapiPlanItemWriteSchema = z.object({
  /** Give the id of an existing item to keep it stable across a PUT. */
  id: uuidSchema.optional(),
  productId: uuidSchema,
  pricePlanId: uuidSchema,
  defaultQuantity: z.int().min(0).default(1),
  minQuantity: z.int().min(0).nullable().default(null),
  maxQuantity: z.int().min(1).nullable().default(null),
  quantityEditable: z.boolean().default(false),
});

/** One tier of a plan (create/PUT body). */
export const coreapiTierWriteSchema = z.object({
  /** Give the id of an existing tier to keep it (and links selling it) across a PUT. */
  id: uuidSchema.optional(),
  /** inferred: defaults to the index in `tiers` when omitted. */
  position: z.int().min(0).optional(),
  name: z.string().min(1).max(255),
  upgradeable: z.boolean().default(true),
  downgradeable: z.boolean().default(true),
  /** ISO-8601 duration such as `P1Y`, or null for no commitment. */
  commitmentPeriod: z
    .string()
    .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, {
      message: "Must be an ISO-8601 duration such as P1Y.",
    })
    .nullable()
    .default(null),
  /**
   * When a switch into this tier takes effect. Documented values seen: `immediately`,
   * `end_of_period`; the full enum is undocumented, so any non-empty string passes. Omitted: the
   * vendor's default, left unmanaged.
   */
  changeTiming: z.string().min(1).max(64).optional(),
  /**
   * How a switch into this tier credits the old one. Documented values seen: `pro_rata`, `none`
   * (classic product groups also name `full`, `last_invoiced`). Omitted: the vendor's default.
   */
  creditType: z.string().min(1).max(64).optional(),
  items: z.array(coreapiPlanItemWriteSchema).default([]),
});

/** "Full representation of a plan": body of `POST /api/plans` and `PUT /api/plans/{id}`. */
export const coreapiPlanWriteSchema = z.object({
  code: coreapiPlanCodeSchema,
  name: z.string().min(1).max(255),
  /** inferred: not among the documented body fields; sent because the emulator and the dashboard keep one. */
  description: z.string().max(1000).nullable().default(null),
  tiers: z.array(coreapiTierWriteSchema).min(1, { message: "At least one tier is required." }),
});

/**
 * A tier's item as the provider reads it: the keys it uses (the documented ones; names and currency
 * are shown but unused, so optional). Unknown keys pass.
 */
export const coreapiPlanItemSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productName: z.string().optional(),
  pricePlanId: z.string(),
  pricePlanName: z.string().optional(),
  currency: z.string().nullish(),
  defaultQuantity: z.int(),
  minQuantity: z.int().nullish(),
  maxQuantity: z.int().nullish(),
  /** inferred: not in the documented item; absent means the vendor does not report it. */
  quantityEditable: z.boolean().optional(),
});

export const coreapiTierSchema = z.object({
  id: z.string(),
  position: z.int(),
  name: z.string(),
  upgradeable: z.boolean(),
  downgradeable: z.boolean(),
  commitmentPeriod: z.string().nullish(),
  /** Documented on the write body; the response examples do not show them. */
  changeTiming: z.string().nullish(),
  creditType: z.string().nullish(),
  items: z.array(coreapiPlanItemSchema),
});

/** Plan as returned by create, PUT, activate and the (inferred) `GET /api/plans/{id}`. */
export const coreapiPlanSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  /** inferred: not in the documented plan object; absent means the vendor does not report it. */
  description: z.string().nullish(),
  status: coreapiPlanStatusSchema,
  /** "Currency derived from the price plans, null when the plan has no items yet." */
  currency: z.string().nullable(),
  tiers: z.array(coreapiTierSchema),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

/** Plan summary, an element of `GET /api/plans` `data`. */
export const coreapiPlanSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  currency: z.string().nullable(),
  tierCount: z.int(),
  updatedAt: timestampSchema,
  /** Not in the documented example: optional; the provider filters with the `status` query instead. */
  status: coreapiPlanStatusSchema.optional(),
});

/** `GET /api/plans`: cursor fields in cursor mode, page fields when `page` is given. */
export const coreapiPlanListSchema = z.object({
  data: z.array(coreapiPlanSummarySchema),
  meta: z.object({ count: z.int(), total: z.int() }).optional(),
  pagination: z.object({
    limit: z.int().optional(),
    cursor: z.string().nullable().optional(),
    hasMore: z.boolean().optional(),
    nextCursor: z.string().nullable().optional(),
    prevCursor: z.string().nullable().optional(),
    totalItems: z.int().optional(),
    itemsPerPage: z.int().optional(),
    currentPage: z.int().optional(),
    totalPages: z.int().optional(),
    pageTotalItems: z.int().optional(),
  }),
});

/** Body of `POST /api/plans/{planId}/checkout-links`. */
export const coreapiCheckoutLinkCreateSchema = z.object({
  /** UUID of the tier the link sells; must belong to the plan. */
  planTierId: uuidSchema,
  /** Custom URL slug; generated (unique per organisation) when omitted. */
  slug: slugSchema.nullish(),
  couponsAllowed: z.boolean().default(false),
  isEnabled: z.boolean().default(true),
  /** UUID or technical name such as `default`; the organisation default channel when omitted. */
  salesChannel: z.string().min(1).nullish(),
});

/**
 * Body of `PUT /api/plans/{planId}/checkout-links/{linkId}`.
 * inferred: the vendor documents no single-link update. PUT carries the full representation of the
 * writable fields (omitted booleans fall back to their defaults, an omitted slug keeps the current one);
 * `planTierId` is not updatable because a link sells one tier (sending the same value is accepted).
 */
export const coreapiCheckoutLinkUpdateSchema = z.object({
  planTierId: uuidSchema.optional(),
  slug: slugSchema.nullish(),
  couponsAllowed: z.boolean().default(false),
  isEnabled: z.boolean().default(true),
  salesChannel: z.string().min(1).nullish(),
});

export const coreapiSalesChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  brandName: z.string().nullish(),
});

/** Checkout link as returned by create, list (bare array) and the single-link routes. */
export const coreapiCheckoutLinkSchema = z.object({
  id: z.string(),
  slug: z.string(),
  planTierId: z.string(),
  planTierName: z.string(),
  couponsAllowed: z.boolean(),
  isEnabled: z.boolean(),
  /** Public checkout URL that creates a cart and redirects the buyer. */
  url: z.url(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  salesChannel: coreapiSalesChannelSchema,
});

/**
 * Body of `DELETE /api/plans/{id}` when the plan is still referenced and was archived instead of
 * deleted (200). The hard delete's answer is undocumented (204 inferred).
 */
export const coreapiPlanArchivedSchema = z.object({
  status: z.literal("archived"),
  references: z
    .object({
      checkoutLinks: z.int().optional(),
      subscriptions: z.int().optional(),
      schedules: z.int().optional(),
    })
    .optional(),
});

/** `GET /api/plans/{planId}/checkout-links` returns a bare JSON array, no pagination. */
export const coreapiCheckoutLinkListSchema = z.array(coreapiCheckoutLinkSchema);

/**
 * inferred: V2 errors use the classic Fynn body (see fynnFamily.ts).
 * Re-exported under a coreapi name so callers need not know the two generations share it.
 */

export type CoreapiPlanWrite = z.input<typeof coreapiPlanWriteSchema>;
export type CoreapiPlanWriteParsed = z.infer<typeof coreapiPlanWriteSchema>;
export type CoreapiTierWrite = z.input<typeof coreapiTierWriteSchema>;
export type CoreapiPlanItemWrite = z.input<typeof coreapiPlanItemWriteSchema>;
export type CoreapiPlan = z.infer<typeof coreapiPlanSchema>;
export type CoreapiTier = z.infer<typeof coreapiTierSchema>;
export type CoreapiPlanItem = z.infer<typeof coreapiPlanItemSchema>;
export type CoreapiPlanSummary = z.infer<typeof coreapiPlanSummarySchema>;
export type CoreapiPlanList = z.infer<typeof coreapiPlanListSchema>;
export type CoreapiPlanStatus = z.infer<typeof coreapiPlanStatusSchema>;
export type CoreapiCheckoutLinkCreate = z.input<typeof coreapiCheckoutLinkCreateSchema>;
export type CoreapiCheckoutLinkCreateParsed = z.infer<typeof coreapiCheckoutLinkCreateSchema>;
export type CoreapiCheckoutLinkUpdate = z.input<typeof coreapiCheckoutLinkUpdateSchema>;
export type CoreapiCheckoutLinkUpdateParsed = z.infer<typeof coreapiCheckoutLinkUpdateSchema>;
export type CoreapiCheckoutLink = z.infer<typeof coreapiCheckoutLinkSchema>;
export type CoreapiSalesChannel = z.infer<typeof coreapiSalesChannelSchema>;

// The factories of version 0.1.0, which state it wrote still calls, and which the emulator imports.
/** @deprecated use {@link coreapiPlanStatusSchema} */
export const coreapiPlanStatus = () => coreapiPlanStatusSchema;
/** @deprecated use {@link coreapiPlanCodeSchema} */
export const coreapiPlanCode = () => coreapiPlanCodeSchema;
/** @deprecated use {@link coreapiPlanItemWriteSchema} */
export const coreapiPlanItemWrite = () => coreapiPlanItemWriteSchema;
/** @deprecated use {@link coreapiTierWriteSchema} */
export const coreapiTierWrite = () => coreapiTierWriteSchema;
/** @deprecated use {@link coreapiPlanWriteSchema} */
export const coreapiPlanWrite = () => coreapiPlanWriteSchema;
/** @deprecated use {@link coreapiPlanItemSchema} */
export const coreapiPlanItem = () => coreapiPlanItemSchema;
/** @deprecated use {@link coreapiTierSchema} */
export const coreapiTier = () => coreapiTierSchema;
/** @deprecated use {@link coreapiPlanSchema} */
export const coreapiPlan = () => coreapiPlanSchema;
/** @deprecated use {@link coreapiPlanSummarySchema} */
export const coreapiPlanSummary = () => coreapiPlanSummarySchema;
/** @deprecated use {@link coreapiPlanListSchema} */
export const coreapiPlanList = () => coreapiPlanListSchema;
/** @deprecated use {@link coreapiCheckoutLinkCreateSchema} */
export const coreapiCheckoutLinkCreate = () => coreapiCheckoutLinkCreateSchema;
/** @deprecated use {@link coreapiCheckoutLinkUpdateSchema} */
export const coreapiCheckoutLinkUpdate = () => coreapiCheckoutLinkUpdateSchema;
/** @deprecated use {@link coreapiSalesChannelSchema} */
export const coreapiSalesChannel = () => coreapiSalesChannelSchema;
/** @deprecated use {@link coreapiCheckoutLinkSchema} */
export const coreapiCheckoutLink = () => coreapiCheckoutLinkSchema;
/** @deprecated use {@link coreapiPlanArchivedSchema} */
export const coreapiPlanArchived = () => coreapiPlanArchivedSchema;
/** @deprecated use {@link coreapiCheckoutLinkListSchema} */
export const coreapiCheckoutLinkList = () => coreapiCheckoutLinkListSchema;
