/**
 * Wire schemas of the Fynn classic API: checkout links, their items, products and price plans.
 *
 * Module constants named `<object>Schema`; choices the vendor does not document are
 * marked `inferred`. The list envelope and error body both generations share are in fynnFamily.ts.
 */
import { z } from "zod";
import { slugSchema, timestampSchema, uuidSchema } from "../core/schemas";

const UUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * A reference to a catalog object, normalised to its UUID.
 * inferred: the input form is undocumented, so a plain UUID, an IRI (`/products/<uuid>`) and an
 * `{id}` object are all accepted.
 */
export const fynnRefSchema = z.union([
  uuidSchema,
  z
    .string()
    .regex(new RegExp(`^/[a-z-]+/${UUID_SOURCE}$`), {
      message: "Must be a UUID or an IRI such as /products/<uuid>.",
    })
    .transform((iri) => iri.slice(iri.lastIndexOf("/") + 1)),
  z.object({ id: uuidSchema }).transform((ref) => ref.id),
]);

/** Contract/cancellation period of an item; the vendor shows only empty objects. */
export const fynnPeriodSchema = z.object({
  contractPeriod: z.record(z.string(), z.unknown()).default({}),
  cancellationPeriod: z.record(z.string(), z.unknown()).default({}),
});

/** One item of a checkout link (create/PUT body). */
export const fynnCheckoutLinkItemWriteSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("product"),
    product: fynnRefSchema,
    price: fynnRefSchema,
    quantity: z.int().min(1),
    periods: z.array(fynnPeriodSchema).default([]),
  }),
  z.object({
    type: z.literal("plan"),
    plan: fynnRefSchema,
    price: fynnRefSchema,
    periods: z.array(fynnPeriodSchema).default([]),
  }),
]);

export const fynnAfterCheckoutActionSchema = z.enum(["redirect", "confirmation_message"]);

/** `afterCheckout`: `url` is required for the `redirect` action; strings are at most 255 chars. */
export const fynnAfterCheckoutWriteSchema = z
  .object({
    action: fynnAfterCheckoutActionSchema,
    url: z.string().max(255).nullish(),
    confirmationMessage: z.string().max(255).nullish(),
    backToProviderUrl: z.string().max(255).nullish(),
  })
  .superRefine((value, ctx) => {
    if (value.action === "redirect" && !value.url) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "This value should not be blank." });
    }
  });

export const fynnOptionsWriteSchema = z.object({
  /** inferred default: no trial. */
  trialDays: z.int().min(0).nullable().default(null),
  allowCoupons: z.boolean().default(false),
  quantityEditable: z.boolean().default(false),
  forceCompany: z.boolean().default(false),
});

/**
 * Body of `POST /checkout-links` and `PUT /checkout-links/{id}` (PUT = full replacement).
 * inferred: `slug` is writable on create and PUT, generated when omitted on create and kept when
 * omitted on PUT; `afterCheckout` defaults to the default confirmation message.
 */
export const fynnCheckoutLinkWriteSchema = z.object({
  slug: slugSchema.nullish(),
  afterCheckout: fynnAfterCheckoutWriteSchema.default({ action: "confirmation_message" }),
  options: fynnOptionsWriteSchema.default({
    trialDays: null,
    allowCoupons: false,
    quantityEditable: false,
    forceCompany: false,
  }),
  isEnabled: z.boolean().default(true),
  items: z
    .array(fynnCheckoutLinkItemWriteSchema)
    .min(1, { message: "This collection should contain 1 element or more." }),
});

/** Body of `POST /products`. inferred: the classic product input is not captured; fields follow the response. */
export const fynnProductWriteSchema = z.object({
  name: z.string().min(1).max(255),
  description: z.string().max(1000).nullable().default(null),
  type: z.literal("product").default("product"),
  invoiceVisibility: z.string().min(1).default("always"),
  customFields: z.record(z.string(), z.string()).default({}),
});

export const fynnProductSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  invoiceVisibility: z.string(),
  customFields: z.record(z.string(), z.unknown()),
});

/** Body of `POST /price-plans`. inferred: input fields follow the documented response. */
export const fynnPricePlanWriteSchema = z.object({
  product: fynnRefSchema,
  internalName: z.string().min(1).max(255),
  type: z.string().min(1).default("flat_fee"),
  /** Amount in minor units (cents). */
  amount: z.int().min(0),
  currencyCode: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: "Must be an ISO-4217 code such as EUR." })
    .default("EUR"),
  billingInterval: z.string().min(1).default("1M"),
  status: z.enum(["active", "archived"]).default("active"),
  applyTrial: z.boolean().default(false),
  payInAdvance: z.boolean().default(true),
  proRata: z.boolean().default(true),
  freeUnits: z.int().min(0).default(0),
});

/** Price plan as embedded in items and returned by `/price-plans`. Loose where the docs are. */
export const fynnPricePlanSchema = z.object({
  id: z.string(),
  internalName: z.string(),
  status: z.string(),
  salesChannel: z.unknown(),
  type: z.string(),
  applyTrial: z.boolean(),
  payInAdvance: z.boolean(),
  proRata: z.boolean(),
  freeUnits: z.unknown(),
  billingInterval: z.string(),
  showPricePerInterval: z.unknown(),
  currencyCode: z.unknown(),
  price: z.object({
    amount: z.number(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    tenantId: z.string(),
  }),
  custom: z.boolean(),
  charge: z.string().nullable(),
  productSetOption: z.string().nullable(),
  product: z.unknown(),
  customer: z.unknown(),
  inUse: z.boolean(),
  checkoutLinkIds: z.array(z.string()),
});

/** A plan as embedded in a `type: "plan"` item. */
export const fynnPlanEmbeddedSchema = z.object({
  id: z.string(),
  family: z.object({ id: z.string() }),
  code: z.string(),
  originProduct: fynnProductSchema.nullable(),
  allowCheckout: z.boolean(),
  status: z.string(),
  createdAt: timestampSchema,
  name: z.string(),
  description: z.string().nullable(),
});

/** An embedded object (product, plan, price plan) as the provider reads it: by its id alone. */
function fynnRefRead() {
  return z.object({ id: z.string() });
}

/**
 * Checkout link item as embedded in a link: the provider reads the type, the ids of what it sells,
 * the quantity and the periods. The documented items carry no `id`; unknown keys pass.
 */
export const fynnCheckoutLinkItemSchema = z.object({
  id: z.string().optional(),
  type: z.enum(["product", "plan"]),
  product: fynnRefRead().nullish(),
  quantity: z.int().nullish(),
  plan: fynnRefRead().nullish(),
  price: fynnRefRead().nullish(),
  periods: z.array(z.object({ contractPeriod: z.unknown(), cancellationPeriod: z.unknown() })).default([]),
});

/** The classic link as the provider reads it (GET, PUT and POST answers). */
export const fynnCheckoutLinkSchema = z.object({
  id: z.string(),
  afterCheckout: z.object({
    url: z.string().nullish(),
    confirmationMessage: z.string().nullish(),
    action: fynnAfterCheckoutActionSchema,
    backToProviderUrl: z.string().nullish(),
  }),
  options: z.object({
    trialDays: z.int().nullish(),
    allowCoupons: z.boolean(),
    quantityEditable: z.boolean(),
    forceCompany: z.boolean(),
  }),
  slug: z.string(),
  isEnabled: z.boolean(),
  items: z.array(fynnCheckoutLinkItemSchema),
  /** Read-only public URL. The docs.fynn.dev GET example does not show it; the provider needs it. */
  url: z.string(),
});

/** Body of `POST /checkout-links/{id}/cart`. */
export const fynnCartCreateSchema = z.object({
  customerId: z.string().min(1).nullish(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** 201 response of `POST /checkout-links/{id}/cart`. */
export const fynnCartSchema = z.object({
  cartId: z.string(),
  customerId: z.string().nullable(),
  url: z.string(),
});

export type FynnRefInput = z.input<typeof fynnRefSchema>;
export type FynnCheckoutLinkItemWrite = z.input<typeof fynnCheckoutLinkItemWriteSchema>;
export type FynnCheckoutLinkItemWriteParsed = z.infer<typeof fynnCheckoutLinkItemWriteSchema>;
export type FynnCheckoutLinkWrite = z.input<typeof fynnCheckoutLinkWriteSchema>;
export type FynnCheckoutLinkWriteParsed = z.infer<typeof fynnCheckoutLinkWriteSchema>;
export type FynnCheckoutLink = z.infer<typeof fynnCheckoutLinkSchema>;
export type FynnCheckoutLinkItem = z.infer<typeof fynnCheckoutLinkItemSchema>;
export type FynnProductWrite = z.input<typeof fynnProductWriteSchema>;
export type FynnProductWriteParsed = z.infer<typeof fynnProductWriteSchema>;
export type FynnProduct = z.infer<typeof fynnProductSchema>;
export type FynnPricePlanWrite = z.input<typeof fynnPricePlanWriteSchema>;
export type FynnPricePlanWriteParsed = z.infer<typeof fynnPricePlanWriteSchema>;
export type FynnPricePlan = z.infer<typeof fynnPricePlanSchema>;
export type FynnPlanEmbedded = z.infer<typeof fynnPlanEmbeddedSchema>;
export type FynnCartCreate = z.input<typeof fynnCartCreateSchema>;
export type FynnCart = z.infer<typeof fynnCartSchema>;

// The factories of version 0.1.0, which state it wrote still calls, and which the emulator imports.
/** @deprecated use {@link fynnRefSchema} */
export const fynnRef = () => fynnRefSchema;
/** @deprecated use {@link fynnPeriodSchema} */
export const fynnPeriod = () => fynnPeriodSchema;
/** @deprecated use {@link fynnCheckoutLinkItemWriteSchema} */
export const fynnCheckoutLinkItemWrite = () => fynnCheckoutLinkItemWriteSchema;
/** @deprecated use {@link fynnAfterCheckoutActionSchema} */
export const fynnAfterCheckoutAction = () => fynnAfterCheckoutActionSchema;
/** @deprecated use {@link fynnAfterCheckoutWriteSchema} */
export const fynnAfterCheckoutWrite = () => fynnAfterCheckoutWriteSchema;
/** @deprecated use {@link fynnOptionsWriteSchema} */
export const fynnOptionsWrite = () => fynnOptionsWriteSchema;
/** @deprecated use {@link fynnCheckoutLinkWriteSchema} */
export const fynnCheckoutLinkWrite = () => fynnCheckoutLinkWriteSchema;
/** @deprecated use {@link fynnProductWriteSchema} */
export const fynnProductWrite = () => fynnProductWriteSchema;
/** @deprecated use {@link fynnProductSchema} */
export const fynnProduct = () => fynnProductSchema;
/** @deprecated use {@link fynnPricePlanWriteSchema} */
export const fynnPricePlanWrite = () => fynnPricePlanWriteSchema;
/** @deprecated use {@link fynnPricePlanSchema} */
export const fynnPricePlan = () => fynnPricePlanSchema;
/** @deprecated use {@link fynnPlanEmbeddedSchema} */
export const fynnPlanEmbedded = () => fynnPlanEmbeddedSchema;
/** @deprecated use {@link fynnCheckoutLinkItemSchema} */
export const fynnCheckoutLinkItem = () => fynnCheckoutLinkItemSchema;
/** @deprecated use {@link fynnCheckoutLinkSchema} */
export const fynnCheckoutLink = () => fynnCheckoutLinkSchema;
/** @deprecated use {@link fynnCartCreateSchema} */
export const fynnCartCreate = () => fynnCartCreateSchema;
/** @deprecated use {@link fynnCartSchema} */
export const fynnCart = () => fynnCartSchema;
