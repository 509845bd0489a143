/**
 * Wire schemas of coreapi.io, the Fynn V2 Plans API (plans, tiers and their checkout links).
 *
 * Factories, each built once per process (core/memo.ts). Names are the vendor's camelCase wire
 * names; fields the vendor does not document are marked `inferred`.
 */
import { z } from "zod";
import { once } from "../core/memo";
import { slug, timestamp, uuid } from "../core/schemas";

export { slug } from "../core/schemas";

/** Plan lifecycle: created as draft, activated, later archived. Only active plans can be sold. */
export function coreapiPlanStatus() {
  return once("provider/coreapi/schemas.ts:coreapiPlanStatus", () => {
    return z.enum(["draft", "active", "archived"]);
  });
}

/** Plan code: "Stable, Organisation unique identifier in lower kebab case", 1..64 chars. */
export function coreapiPlanCode() {
  return once("provider/coreapi/schemas.ts:coreapiPlanCode", () => {
    return z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
        message: "Code may contain only lower-case letters, digits and inner hyphens.",
      });
  });
}

/**
 * One item of a tier: a Fynn classic product sold at one of its price plans.
 * inferred: the vendor did not publish the item input schema; these are the response fields minus
 * the server-derived names and currency.
 */
export function coreapiPlanItemWrite() {
  return once("provider/coreapi/schemas.ts:coreapiPlanItemWrite", () => {
    return z.object({
      /** Give the id of an existing item to keep it stable across a PUT. */
      id: uuid().optional(),
      productId: uuid(),
      pricePlanId: uuid(),
      defaultQuantity: z.int().min(0).default(1),
      minQuantity: z.int().min(0).nullable().default(null),
      maxQuantity: z.int().min(1).nullable().default(null),
      quantityEditable: z.boolean().default(false),
    });
  });
}

/** One tier of a plan (create/PUT body). */
export function coreapiTierWrite() {
  return once("provider/coreapi/schemas.ts:coreapiTierWrite", () => {
    return z.object({
      /** Give the id of an existing tier to keep it (and links selling it) across a PUT. */
      id: uuid().optional(),
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
      items: z.array(coreapiPlanItemWrite()).default([]),
    });
  });
}

/** "Full representation of a plan": body of `POST /api/plans` and `PUT /api/plans/{id}`. */
export function coreapiPlanWrite() {
  return once("provider/coreapi/schemas.ts:coreapiPlanWrite", () => {
    return z.object({
      code: coreapiPlanCode(),
      name: z.string().min(1).max(255),
      /** inferred: not among the documented body fields; sent because the emulator and the dashboard keep one. */
      description: z.string().max(1000).nullable().default(null),
      tiers: z.array(coreapiTierWrite()).min(1, { message: "At least one tier is required." }),
    });
  });
}

/**
 * A tier's item as the provider reads it: the keys it uses (the documented ones; names and currency
 * are shown but unused, so optional). Unknown keys pass.
 */
export function coreapiPlanItem() {
  return once("provider/coreapi/schemas.ts:coreapiPlanItem", () => {
    return z.object({
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
  });
}

export function coreapiTier() {
  return once("provider/coreapi/schemas.ts:coreapiTier", () => {
    return z.object({
      id: z.string(),
      position: z.int(),
      name: z.string(),
      upgradeable: z.boolean(),
      downgradeable: z.boolean(),
      commitmentPeriod: z.string().nullish(),
      /** Documented on the write body; the response examples do not show them. */
      changeTiming: z.string().nullish(),
      creditType: z.string().nullish(),
      items: z.array(coreapiPlanItem()),
    });
  });
}

/** Plan as returned by create, PUT, activate and the (inferred) `GET /api/plans/{id}`. */
export function coreapiPlan() {
  return once("provider/coreapi/schemas.ts:coreapiPlan", () => {
    return z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      /** inferred: not in the documented plan object; absent means the vendor does not report it. */
      description: z.string().nullish(),
      status: coreapiPlanStatus(),
      /** "Currency derived from the price plans, null when the plan has no items yet." */
      currency: z.string().nullable(),
      tiers: z.array(coreapiTier()),
      createdAt: timestamp(),
      updatedAt: timestamp(),
    });
  });
}

/** Plan summary, an element of `GET /api/plans` `data`. */
export function coreapiPlanSummary() {
  return once("provider/coreapi/schemas.ts:coreapiPlanSummary", () => {
    return z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      currency: z.string().nullable(),
      tierCount: z.int(),
      updatedAt: timestamp(),
      /** Not in the documented example: optional; the provider filters with the `status` query instead. */
      status: coreapiPlanStatus().optional(),
    });
  });
}

/** `GET /api/plans`: cursor fields in cursor mode, page fields when `page` is given. */
export function coreapiPlanList() {
  return once("provider/coreapi/schemas.ts:coreapiPlanList", () => {
    return z.object({
      data: z.array(coreapiPlanSummary()),
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
  });
}

/** Body of `POST /api/plans/{planId}/checkout-links`. */
export function coreapiCheckoutLinkCreate() {
  return once("provider/coreapi/schemas.ts:coreapiCheckoutLinkCreate", () => {
    return z.object({
      /** UUID of the tier the link sells; must belong to the plan. */
      planTierId: uuid(),
      /** Custom URL slug; generated (unique per organisation) when omitted. */
      slug: slug().nullish(),
      couponsAllowed: z.boolean().default(false),
      isEnabled: z.boolean().default(true),
      /** UUID or technical name such as `default`; the organisation default channel when omitted. */
      salesChannel: z.string().min(1).nullish(),
    });
  });
}

/**
 * Body of `PUT /api/plans/{planId}/checkout-links/{linkId}`.
 * inferred: the vendor documents no single-link update. PUT carries the full representation of the
 * writable fields (omitted booleans fall back to their defaults, an omitted slug keeps the current one);
 * `planTierId` is not updatable because a link sells one tier (sending the same value is accepted).
 */
export function coreapiCheckoutLinkUpdate() {
  return once("provider/coreapi/schemas.ts:coreapiCheckoutLinkUpdate", () => {
    return z.object({
      planTierId: uuid().optional(),
      slug: slug().nullish(),
      couponsAllowed: z.boolean().default(false),
      isEnabled: z.boolean().default(true),
      salesChannel: z.string().min(1).nullish(),
    });
  });
}

export function coreapiSalesChannel() {
  return once("provider/coreapi/schemas.ts:coreapiSalesChannel", () => {
    return z.object({ id: z.string(), name: z.string(), brandName: z.string().nullish() });
  });
}

/** Checkout link as returned by create, list (bare array) and the single-link routes. */
export function coreapiCheckoutLink() {
  return once("provider/coreapi/schemas.ts:coreapiCheckoutLink", () => {
    return z.object({
      id: z.string(),
      slug: z.string(),
      planTierId: z.string(),
      planTierName: z.string(),
      couponsAllowed: z.boolean(),
      isEnabled: z.boolean(),
      /** Public checkout URL that creates a cart and redirects the buyer. */
      url: z.url(),
      createdAt: timestamp(),
      updatedAt: timestamp(),
      salesChannel: coreapiSalesChannel(),
    });
  });
}

/**
 * Body of `DELETE /api/plans/{id}` when the plan is still referenced and was archived instead of
 * deleted (200). The hard delete's answer is undocumented (204 inferred).
 */
export function coreapiPlanArchived() {
  return once("provider/coreapi/schemas.ts:coreapiPlanArchived", () => {
    return z.object({
      status: z.literal("archived"),
      references: z
        .object({
          checkoutLinks: z.int().optional(),
          subscriptions: z.int().optional(),
          schedules: z.int().optional(),
        })
        .optional(),
    });
  });
}

/** `GET /api/plans/{planId}/checkout-links` returns a bare JSON array, no pagination. */
export function coreapiCheckoutLinkList() {
  return once("provider/coreapi/schemas.ts:coreapiCheckoutLinkList", () => {
    return z.array(coreapiCheckoutLink());
  });
}

/**
 * inferred: V2 errors use the classic Fynn body (see fynnFamily.ts).
 * Re-exported under a coreapi name so callers need not know the two generations share it.
 */

export type CoreapiPlanWrite = z.input<ReturnType<typeof coreapiPlanWrite>>;
export type CoreapiPlanWriteParsed = z.infer<ReturnType<typeof coreapiPlanWrite>>;
export type CoreapiTierWrite = z.input<ReturnType<typeof coreapiTierWrite>>;
export type CoreapiPlanItemWrite = z.input<ReturnType<typeof coreapiPlanItemWrite>>;
export type CoreapiPlan = z.infer<ReturnType<typeof coreapiPlan>>;
export type CoreapiTier = z.infer<ReturnType<typeof coreapiTier>>;
export type CoreapiPlanItem = z.infer<ReturnType<typeof coreapiPlanItem>>;
export type CoreapiPlanSummary = z.infer<ReturnType<typeof coreapiPlanSummary>>;
export type CoreapiPlanList = z.infer<ReturnType<typeof coreapiPlanList>>;
export type CoreapiPlanStatus = z.infer<ReturnType<typeof coreapiPlanStatus>>;
export type CoreapiCheckoutLinkCreate = z.input<ReturnType<typeof coreapiCheckoutLinkCreate>>;
export type CoreapiCheckoutLinkCreateParsed = z.infer<ReturnType<typeof coreapiCheckoutLinkCreate>>;
export type CoreapiCheckoutLinkUpdate = z.input<ReturnType<typeof coreapiCheckoutLinkUpdate>>;
export type CoreapiCheckoutLinkUpdateParsed = z.infer<ReturnType<typeof coreapiCheckoutLinkUpdate>>;
export type CoreapiCheckoutLink = z.infer<ReturnType<typeof coreapiCheckoutLink>>;
export type CoreapiSalesChannel = z.infer<ReturnType<typeof coreapiSalesChannel>>;
