/**
 * Wire schemas of Polar's checkout-link and product APIs (OpenAPI 2026-04), snake_case as on the wire.
 *
 * Module constants named `<object>Schema`.
 *
 * One zod schema per Polar API object (requests and responses); they share building
 * blocks, so they stay in one file.
 */
import { z } from "zod";
import { timestampSchema } from "../core/schemas";

export const POLAR_METADATA_MAX_KEYS = 50;
export const POLAR_CLIENT_SECRET_PREFIX = "polar_cl_";
export const POLAR_TRIAL_PAIR_MESSAGE = "Both trial_interval and trial_interval_count must be set together.";

/** Polar types path and body ids as UUID4: other versions are a 422, not a 404. */
export const polarIdSchema = z.uuidv4();

export const polarIntervalSchema = z.enum(["day", "week", "month", "year"]);

/** ≤50 keys; key 1..40 chars; value a string of 1..500 chars, a number (int or float) or a boolean. */
export const polarMetadataSchema = z
  .record(z.string().min(1).max(40), z.union([z.string().min(1).max(500), z.number(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= POLAR_METADATA_MAX_KEYS, {
    message: `Metadata can have at most ${POLAR_METADATA_MAX_KEYS} keys.`,
  });

/**
 * The http(s) URL a success or return URL stands for. Polar allows the literal `{CHECKOUT_ID}`
 * placeholder in them (it un-escapes it after validation), so it is substituted before parsing.
 * Undefined when the value is no http(s) URL.
 */
export function polarUrl(value: string): URL | undefined {
  try {
    const parsed = new URL(value.replaceAll("{CHECKOUT_ID}", "CHECKOUT_ID"));
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** An http(s) URL of 1..2083 chars ({@link polarUrl}). */
export const polarHttpUrlSchema = z
  .string()
  .min(1)
  .max(2083)
  .refine((value) => polarUrl(value) !== undefined, { message: "Input should be a valid URL" });

/** Polar's `trial_interval`/`trial_interval_count` rule: both set or both unset. */
function trialPairIssue(value: { trial_interval?: unknown; trial_interval_count?: unknown }): boolean {
  return (value.trial_interval == null) !== (value.trial_interval_count == null);
}

function linkWritableFields() {
  return {
    label: z.string().nullish(),
    allow_discount_codes: z.boolean().default(true),
    require_billing_address: z.boolean().default(false),
    discount_id: polarIdSchema.nullish(),
    seats: z.int().min(1).max(10000).nullish(),
    success_url: polarHttpUrlSchema.nullish(),
    return_url: polarHttpUrlSchema.nullish(),
    trial_interval: polarIntervalSchema.nullish(),
    trial_interval_count: z.int().min(1).max(1000).nullish(),
    metadata: polarMetadataSchema.default({}),
  };
}

/**
 * `CheckoutLinkCreate`: `payment_processor: "stripe"` plus exactly one of `products` (current),
 * `product_id` or `product_price_id` (both deprecated). Extra keys are ignored, as Polar does.
 */
export const polarCheckoutLinkCreateSchema = z
  .object({
    payment_processor: z.literal("stripe"),
    products: z.array(polarIdSchema).min(1).optional(),
    product_id: polarIdSchema.optional(),
    product_price_id: polarIdSchema.optional(),
    ...linkWritableFields(),
  })
  .superRefine((value, ctx) => {
    const given = [value.products, value.product_id, value.product_price_id].filter((v) => v !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["products"],
        message: "Exactly one of products, product_id or product_price_id is required.",
        params: { type: "missing" },
      });
    }
    if (trialPairIssue(value)) {
      ctx.addIssue({
        code: "custom",
        path: ["trial_interval"],
        message: POLAR_TRIAL_PAIR_MESSAGE,
        params: { type: "missing" },
      });
    }
  });

/** `CheckoutLinkUpdate` (PATCH): every key optional; only keys present are applied; null clears. */
export const polarCheckoutLinkUpdateSchema = z
  .object({
    products: z.array(polarIdSchema).min(1).nullish(),
    label: z.string().nullish(),
    allow_discount_codes: z.boolean().nullish(),
    require_billing_address: z.boolean().nullish(),
    discount_id: polarIdSchema.nullish(),
    seats: z.int().min(1).max(10000).nullish(),
    success_url: polarHttpUrlSchema.nullish(),
    return_url: polarHttpUrlSchema.nullish(),
    trial_interval: polarIntervalSchema.nullish(),
    trial_interval_count: z.int().min(1).max(1000).nullish(),
    metadata: polarMetadataSchema.optional(),
  })
  .superRefine((value, ctx) => {
    const touchesTrial = "trial_interval" in value || "trial_interval_count" in value;
    if (touchesTrial && trialPairIssue(value)) {
      ctx.addIssue({
        code: "custom",
        path: ["trial_interval"],
        message: POLAR_TRIAL_PAIR_MESSAGE,
        params: { type: "missing" },
      });
    }
  });

// ---- products and prices -------------------------------------------------------------------

/** How a seat-based price applies its tiers (`volume`: every seat at the matching tier's rate). */
export const polarSeatTierTypeSchema = z.enum(["volume", "graduated"]);

export const polarTaxBehaviorSchema = z.enum(["location", "inclusive", "exclusive"]);

function priceCommonCreate() {
  return {
    price_currency: z
      .string()
      .regex(/^[a-z]{3}$/)
      .default("usd"),
    tax_behavior: polarTaxBehaviorSchema.nullish(),
  };
}

/** A new price: fixed, custom (pay what you want), seat-based or metered (per unit of a meter). */
export const polarPriceCreateSchema = z.discriminatedUnion("amount_type", [
  z.object({ amount_type: z.literal("fixed"), price_amount: z.int().min(0), ...priceCommonCreate() }),
  z.object({
    amount_type: z.literal("custom"),
    minimum_amount: z.int().min(0).default(50),
    maximum_amount: z.int().min(1).nullish(),
    preset_amount: z.int().min(0).nullish(),
    ...priceCommonCreate(),
  }),
  z.object({
    amount_type: z.literal("seat_based"),
    seat_tiers: z.object({
      seat_tier_type: polarSeatTierTypeSchema.default("volume"),
      tiers: z
        .array(
          z.object({
            min_seats: z.int().min(1),
            max_seats: z.int().min(1).nullish(),
            price_per_seat: z.int().min(0),
          }),
        )
        .min(1),
    }),
    ...priceCommonCreate(),
  }),
  // `ProductPriceMeteredUnitCreate`: cents per unit of the meter, a decimal of at most 5 integer
  // and 12 fractional digits, sent as a string so that no digit is lost.
  z.object({
    amount_type: z.literal("metered_unit"),
    meter_id: polarIdSchema,
    unit_amount: z.union([z.number().positive(), z.string().regex(/^\d{0,5}(\.\d{0,12})?$/)]),
    cap_amount: z.int().min(0).nullish(),
    ...priceCommonCreate(),
  }),
]);

/** `AttachedCustomFieldCreate`: a custom field asked at checkout, and whether it must be filled. */
export const polarAttachedCustomFieldCreateSchema = z.object({
  custom_field_id: polarIdSchema,
  required: z.boolean(),
});

/** `ProductBenefitsUpdate`: the product's whole benefit set, in order. */
export const polarProductBenefitsUpdateSchema = z.object({ benefits: z.array(polarIdSchema) });

/** `ExistingProductPrice`: keep a price on update by giving its id. */
export const polarExistingPriceSchema = z.object({ id: polarIdSchema });

function productTrialFields() {
  return {
    trial_interval: polarIntervalSchema.nullish(),
    trial_interval_count: z.int().min(1).max(1000).nullish(),
  };
}

/**
 * `ProductCreate` (recurring when `recurring_interval` is set, one-time otherwise).
 * With an organization token `organization_id` is implied and may be omitted.
 */
export const polarProductCreateSchema = z
  .object({
    name: z.string().min(3).max(64),
    description: z.string().nullish(),
    visibility: z.enum(["draft", "private", "public"]).default("public"),
    prices: z.array(polarPriceCreateSchema).min(1),
    recurring_interval: polarIntervalSchema.nullish(),
    recurring_interval_count: z.int().min(1).max(999).nullish(),
    metadata: polarMetadataSchema.default({}),
    organization_id: polarIdSchema.nullish(),
    attached_custom_fields: z.array(polarAttachedCustomFieldCreateSchema).default([]),
    ...productTrialFields(),
  })
  .superRefine((value, ctx) => {
    if (trialPairIssue(value)) {
      ctx.addIssue({ code: "custom", path: ["trial_interval"], message: POLAR_TRIAL_PAIR_MESSAGE });
    }
  });

/** `ProductUpdate` (PATCH): archive with `is_archived: true`; `prices` replaces the list. */
export const polarProductUpdateSchema = z
  .object({
    name: z.string().min(3).max(64).nullish(),
    description: z.string().nullish(),
    visibility: z.enum(["draft", "private", "public"]).nullish(),
    is_archived: z.boolean().nullish(),
    prices: z
      .array(z.union([polarExistingPriceSchema, polarPriceCreateSchema]))
      .min(1)
      .nullish(),
    recurring_interval: polarIntervalSchema.nullish(),
    recurring_interval_count: z.int().min(1).max(999).nullish(),
    metadata: polarMetadataSchema.optional(),
    attached_custom_fields: z.array(polarAttachedCustomFieldCreateSchema).nullish(),
    ...productTrialFields(),
  })
  .superRefine((value, ctx) => {
    const touchesTrial = "trial_interval" in value || "trial_interval_count" in value;
    if (touchesTrial && trialPairIssue(value)) {
      ctx.addIssue({ code: "custom", path: ["trial_interval"], message: POLAR_TRIAL_PAIR_MESSAGE });
    }
  });

/**
 * What every price carries that the provider reads. The rest (timestamps, `source`, `product_id`)
 * may be absent or change shape without harm; `tax_behavior` absent reads as null (the
 * organisation's default), as Polar documents for null.
 */
function priceCommon() {
  return {
    created_at: timestampSchema.optional(),
    modified_at: timestampSchema.nullish(),
    id: z.string(),
    source: z.string().optional(),
    price_currency: z.string(),
    tax_behavior: polarTaxBehaviorSchema.nullish(),
    is_archived: z.boolean(),
    product_id: z.string().optional(),
  };
}

/** The price types the package manages; any other (one Polar adds later) is read as `other`. */
export const POLAR_MANAGED_PRICE_TYPES = ["fixed", "custom", "seat_based", "metered_unit"] as const;

function knownPrices() {
  return {
    fixed: z.object({ amount_type: z.literal("fixed"), price_amount: z.int(), ...priceCommon() }),
    custom: z.object({
      amount_type: z.literal("custom"),
      minimum_amount: z.int(),
      maximum_amount: z.int().nullish(),
      preset_amount: z.int().nullish(),
      ...priceCommon(),
    }),
    seat_based: z.object({
      amount_type: z.literal("seat_based"),
      seat_tiers: z.object({
        // inferred: a tier type Polar adds later is kept as it is, never sent as something else.
        seat_tier_type: z.string().optional(),
        tiers: z.array(
          z.object({ min_seats: z.int(), max_seats: z.int().nullish(), price_per_seat: z.int() }),
        ),
        minimum_seats: z.int().optional(),
        maximum_seats: z.int().nullish(),
      }),
      ...priceCommon(),
    }),
    // `ProductPriceMeteredUnit`: Polar answers the unit amount as a decimal string; a number is read
    // too. The embedded `meter` is not needed: `meter_id` names it.
    metered_unit: z.object({
      amount_type: z.literal("metered_unit"),
      unit_amount: z.union([z.string(), z.number()]),
      cap_amount: z.int().nullish(),
      meter_id: z.string(),
      ...priceCommon(),
    }),
    /** Any other type: only what an archived-or-not check and an import note need. */
    other: z
      .object({ amount_type: z.string(), ...priceCommon(), price_currency: z.string().optional() })
      .transform(({ amount_type, ...rest }) => ({
        ...rest,
        amount_type: "other" as const,
        vendor_type: amount_type,
      })),
  };
}

/**
 * `ProductPrice`, read tolerantly: a price of a type the package manages must carry what the
 * provider reads (a missing key fails naming it); a price of any other type (one Polar adds later)
 * passes as `{amount_type: "other", vendor_type}`, so a product holding one can still be listed.
 */
export const polarPriceSchema = (() => {
  const schemas = knownPrices();
  type Known = typeof schemas;
  type Out = { [K in keyof Known]: z.output<Known[K]> }[keyof Known];
  return z.unknown().transform((value, ctx): Out => {
    const type =
      value !== null && typeof value === "object"
        ? (value as { amount_type?: unknown }).amount_type
        : undefined;
    const pick =
      typeof type === "string" && (POLAR_MANAGED_PRICE_TYPES as readonly string[]).includes(type)
        ? schemas[type as (typeof POLAR_MANAGED_PRICE_TYPES)[number]]
        : schemas.other;
    const result = pick.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });
})();

function productCommon() {
  return {
    id: z.string(),
    created_at: timestampSchema,
    modified_at: timestampSchema.nullable(),
    trial_interval: polarIntervalSchema.nullable(),
    trial_interval_count: z.int().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    visibility: z.enum(["draft", "private", "public"]),
    recurring_interval: polarIntervalSchema.nullable(),
    recurring_interval_count: z.int().nullable(),
    meter_interval: polarIntervalSchema.nullish(),
    meter_interval_count: z.int().nullish(),
    is_recurring: z.boolean().optional(),
    is_archived: z.boolean(),
    organization_id: z.string(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    prices: z.array(polarPriceSchema),
    benefits: z.array(z.record(z.string(), z.unknown())),
    medias: z.array(z.record(z.string(), z.unknown())),
  };
}

/**
 * `AttachedCustomField`, read for what the provider keeps: which field, and whether it is required
 * (the embedded `custom_field` and `order` pass unread; the list's order is the order).
 */
export const polarAttachedCustomFieldSchema = z.looseObject({
  custom_field_id: z.string(),
  required: z.boolean(),
});

/** `Product` as returned by `/v1/products/`. */
export const polarProductSchema = z.object({
  ...productCommon(),
  attached_custom_fields: z.array(polarAttachedCustomFieldSchema),
});

/** `CheckoutLinkProduct`: a product as embedded in a checkout link. */
export const polarCheckoutLinkProductSchema = z.object(productCommon());

/** `CheckoutLink` response; every key is always present. */
export const polarCheckoutLinkSchema = z.object({
  id: z.string(),
  created_at: timestampSchema,
  /** null until the first update. */
  modified_at: timestampSchema.nullable(),
  trial_interval: polarIntervalSchema.nullable(),
  trial_interval_count: z.int().nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  payment_processor: z.literal("stripe"),
  // Polar's secrets start with `polar_cl_`, but nothing here depends on it, so it is not required.
  client_secret: z.string(),
  success_url: z.string().nullable(),
  return_url: z.string().nullable(),
  label: z.string().nullable(),
  allow_discount_codes: z.boolean(),
  require_billing_address: z.boolean(),
  discount_id: z.string().nullable(),
  seats: z.int().nullable(),
  /** Units locked for unit-based prices; in Polar's SDK model, absent from older answers. */
  units: z.int().nullish(),
  organization_id: z.string(),
  products: z.array(polarCheckoutLinkProductSchema),
  discount: z.record(z.string(), z.unknown()).nullable(),
  url: z.string(),
});

/** `ListResource[T]`: `{items, pagination: {total_count, max_page}}`. */
export function polarListResource<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    pagination: z.object({ total_count: z.int(), max_page: z.int() }),
  });
}

export const polarValidationIssueSchema = z.object({
  type: z.string(),
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  input: z.unknown(),
  ctx: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Every Polar error body: `{error, detail}` where detail is a message or (422) a list of issues,
 * or the RFC 6750 `{error, error_description}` of token errors.
 */
export const polarErrorSchema = z.union([
  z.object({ error: z.string(), detail: z.union([z.string(), z.array(polarValidationIssueSchema)]) }),
  z.object({ error: z.string(), error_description: z.string() }),
]);

export type PolarMetadata = z.infer<typeof polarMetadataSchema>;
export type PolarInterval = z.infer<typeof polarIntervalSchema>;
export type PolarCheckoutLinkCreate = z.input<typeof polarCheckoutLinkCreateSchema>;
export type PolarCheckoutLinkCreateParsed = z.infer<typeof polarCheckoutLinkCreateSchema>;
export type PolarCheckoutLinkUpdate = z.input<typeof polarCheckoutLinkUpdateSchema>;
export type PolarCheckoutLinkUpdateParsed = z.infer<typeof polarCheckoutLinkUpdateSchema>;
export type PolarCheckoutLink = z.infer<typeof polarCheckoutLinkSchema>;
export type PolarCheckoutLinkProduct = z.infer<typeof polarCheckoutLinkProductSchema>;
export type PolarPriceCreate = z.input<typeof polarPriceCreateSchema>;
export type PolarPriceCreateParsed = z.infer<typeof polarPriceCreateSchema>;
export type PolarPrice = z.infer<typeof polarPriceSchema>;
export type PolarProductCreate = z.input<typeof polarProductCreateSchema>;
export type PolarProductCreateParsed = z.infer<typeof polarProductCreateSchema>;
export type PolarProductUpdate = z.input<typeof polarProductUpdateSchema>;
export type PolarProductUpdateParsed = z.infer<typeof polarProductUpdateSchema>;
export type PolarProduct = z.infer<typeof polarProductSchema>;
export type PolarValidationIssue = z.infer<typeof polarValidationIssueSchema>;
export type PolarError = z.infer<typeof polarErrorSchema>;

// The factories of version 0.1.0, which state it wrote still calls, and which the emulator imports.
/** @deprecated use {@link polarPriceSchema} */
export const polarPrice = () => polarPriceSchema;
/** @deprecated use {@link polarIdSchema} */
export const polarId = () => polarIdSchema;
/** @deprecated use {@link polarIntervalSchema} */
export const polarInterval = () => polarIntervalSchema;
/** @deprecated use {@link polarMetadataSchema} */
export const polarMetadata = () => polarMetadataSchema;
/** @deprecated use {@link polarHttpUrlSchema} */
export const polarHttpUrl = () => polarHttpUrlSchema;
/** @deprecated use {@link polarCheckoutLinkCreateSchema} */
export const polarCheckoutLinkCreate = () => polarCheckoutLinkCreateSchema;
/** @deprecated use {@link polarCheckoutLinkUpdateSchema} */
export const polarCheckoutLinkUpdate = () => polarCheckoutLinkUpdateSchema;
/** @deprecated use {@link polarSeatTierTypeSchema} */
export const polarSeatTierType = () => polarSeatTierTypeSchema;
/** @deprecated use {@link polarTaxBehaviorSchema} */
export const polarTaxBehavior = () => polarTaxBehaviorSchema;
/** @deprecated use {@link polarPriceCreateSchema} */
export const polarPriceCreate = () => polarPriceCreateSchema;
/** @deprecated use {@link polarExistingPriceSchema} */
export const polarExistingPrice = () => polarExistingPriceSchema;
/** @deprecated use {@link polarProductCreateSchema} */
export const polarProductCreate = () => polarProductCreateSchema;
/** @deprecated use {@link polarProductUpdateSchema} */
export const polarProductUpdate = () => polarProductUpdateSchema;
/** @deprecated use {@link polarProductSchema} */
export const polarProduct = () => polarProductSchema;
/** @deprecated use {@link polarCheckoutLinkProductSchema} */
export const polarCheckoutLinkProduct = () => polarCheckoutLinkProductSchema;
/** @deprecated use {@link polarCheckoutLinkSchema} */
export const polarCheckoutLink = () => polarCheckoutLinkSchema;
/** @deprecated use {@link polarValidationIssueSchema} */
export const polarValidationIssue = () => polarValidationIssueSchema;
/** @deprecated use {@link polarErrorSchema} */
export const polarError = () => polarErrorSchema;
