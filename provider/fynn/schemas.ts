/**
 * Wire schemas of the Fynn classic API: checkout links, their items, products and price plans.
 *
 * Factories, each built once per process (core/memo.ts); choices the vendor does not document are
 * marked `inferred`. The list envelope and error body both generations share are in fynnFamily.ts.
 */
import { z } from "zod";
import { once } from "../core/memo";
import { slug, timestamp, uuid } from "../core/schemas";

const UUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * A reference to a catalog object, normalised to its UUID.
 * inferred: the input form is undocumented, so a plain UUID, an IRI (`/products/<uuid>`) and an
 * `{id}` object are all accepted.
 */
export function fynnRef() {
  return once("provider/fynn/schemas.ts:fynnRef", () => {
    return z.union([
      uuid(),
      z
        .string()
        .regex(new RegExp(`^/[a-z-]+/${UUID_SOURCE}$`), {
          message: "Must be a UUID or an IRI such as /products/<uuid>.",
        })
        .transform((iri) => iri.slice(iri.lastIndexOf("/") + 1)),
      z.object({ id: uuid() }).transform((ref) => ref.id),
    ]);
  });
}

/** Contract/cancellation period of an item; the vendor shows only empty objects. */
export function fynnPeriod() {
  return once("provider/fynn/schemas.ts:fynnPeriod", () => {
    return z.object({
      contractPeriod: z.record(z.string(), z.unknown()).default({}),
      cancellationPeriod: z.record(z.string(), z.unknown()).default({}),
    });
  });
}

/** One item of a checkout link (create/PUT body). */
export function fynnCheckoutLinkItemWrite() {
  return once("provider/fynn/schemas.ts:fynnCheckoutLinkItemWrite", () => {
    return z.discriminatedUnion("type", [
      z.object({
        type: z.literal("product"),
        product: fynnRef(),
        price: fynnRef(),
        quantity: z.int().min(1),
        periods: z.array(fynnPeriod()).default([]),
      }),
      z.object({
        type: z.literal("plan"),
        plan: fynnRef(),
        price: fynnRef(),
        periods: z.array(fynnPeriod()).default([]),
      }),
    ]);
  });
}

export function fynnAfterCheckoutAction() {
  return once("provider/fynn/schemas.ts:fynnAfterCheckoutAction", () => {
    return z.enum(["redirect", "confirmation_message"]);
  });
}

/** `afterCheckout`: `url` is required for the `redirect` action; strings are at most 255 chars. */
export function fynnAfterCheckoutWrite() {
  return once("provider/fynn/schemas.ts:fynnAfterCheckoutWrite", () => {
    return z
      .object({
        action: fynnAfterCheckoutAction(),
        url: z.string().max(255).nullish(),
        confirmationMessage: z.string().max(255).nullish(),
        backToProviderUrl: z.string().max(255).nullish(),
      })
      .superRefine((value, ctx) => {
        if (value.action === "redirect" && !value.url) {
          ctx.addIssue({ code: "custom", path: ["url"], message: "This value should not be blank." });
        }
      });
  });
}

export function fynnOptionsWrite() {
  return once("provider/fynn/schemas.ts:fynnOptionsWrite", () => {
    return z.object({
      /** inferred default: no trial. */
      trialDays: z.int().min(0).nullable().default(null),
      allowCoupons: z.boolean().default(false),
      quantityEditable: z.boolean().default(false),
      forceCompany: z.boolean().default(false),
    });
  });
}

/**
 * Body of `POST /checkout-links` and `PUT /checkout-links/{id}` (PUT = full replacement).
 * inferred: `slug` is writable on create and PUT, generated when omitted on create and kept when
 * omitted on PUT; `afterCheckout` defaults to the default confirmation message.
 */
export function fynnCheckoutLinkWrite() {
  return once("provider/fynn/schemas.ts:fynnCheckoutLinkWrite", () => {
    return z.object({
      slug: slug().nullish(),
      afterCheckout: fynnAfterCheckoutWrite().default({ action: "confirmation_message" }),
      options: fynnOptionsWrite().default({
        trialDays: null,
        allowCoupons: false,
        quantityEditable: false,
        forceCompany: false,
      }),
      isEnabled: z.boolean().default(true),
      items: z
        .array(fynnCheckoutLinkItemWrite())
        .min(1, { message: "This collection should contain 1 element or more." }),
    });
  });
}

/** Body of `POST /products`. inferred: the classic product input is not captured; fields follow the response. */
export function fynnProductWrite() {
  return once("provider/fynn/schemas.ts:fynnProductWrite", () => {
    return z.object({
      name: z.string().min(1).max(255),
      description: z.string().max(1000).nullable().default(null),
      type: z.literal("product").default("product"),
      invoiceVisibility: z.string().min(1).default("always"),
      customFields: z.record(z.string(), z.string()).default({}),
    });
  });
}

export function fynnProduct() {
  return once("provider/fynn/schemas.ts:fynnProduct", () => {
    return z.object({
      id: z.string(),
      type: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      invoiceVisibility: z.string(),
      customFields: z.record(z.string(), z.unknown()),
    });
  });
}

/** Body of `POST /price-plans`. inferred: input fields follow the documented response. */
export function fynnPricePlanWrite() {
  return once("provider/fynn/schemas.ts:fynnPricePlanWrite", () => {
    return z.object({
      product: fynnRef(),
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
  });
}

/** Price plan as embedded in items and returned by `/price-plans`. Loose where the docs are. */
export function fynnPricePlan() {
  return once("provider/fynn/schemas.ts:fynnPricePlan", () => {
    return z.object({
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
        createdAt: timestamp(),
        updatedAt: timestamp(),
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
  });
}

/** A plan as embedded in a `type: "plan"` item. */
export function fynnPlanEmbedded() {
  return once("provider/fynn/schemas.ts:fynnPlanEmbedded", () => {
    return z.object({
      id: z.string(),
      family: z.object({ id: z.string() }),
      code: z.string(),
      originProduct: fynnProduct().nullable(),
      allowCheckout: z.boolean(),
      status: z.string(),
      createdAt: timestamp(),
      name: z.string(),
      description: z.string().nullable(),
    });
  });
}

/** An embedded object (product, plan, price plan) as the provider reads it: by its id alone. */
function fynnRefRead() {
  return z.object({ id: z.string() });
}

/**
 * Checkout link item as embedded in a link: the provider reads the type, the ids of what it sells,
 * the quantity and the periods. The documented items carry no `id`; unknown keys pass.
 */
export function fynnCheckoutLinkItem() {
  return once("provider/fynn/schemas.ts:fynnCheckoutLinkItem", () => {
    return z.object({
      id: z.string().optional(),
      type: z.enum(["product", "plan"]),
      product: fynnRefRead().nullish(),
      quantity: z.int().nullish(),
      plan: fynnRefRead().nullish(),
      price: fynnRefRead().nullish(),
      periods: z
        .array(z.object({ contractPeriod: z.unknown(), cancellationPeriod: z.unknown() }))
        .default([]),
    });
  });
}

/** The classic link as the provider reads it (GET, PUT and POST answers). */
export function fynnCheckoutLink() {
  return once("provider/fynn/schemas.ts:fynnCheckoutLink", () => {
    return z.object({
      id: z.string(),
      afterCheckout: z.object({
        url: z.string().nullish(),
        confirmationMessage: z.string().nullish(),
        action: fynnAfterCheckoutAction(),
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
      items: z.array(fynnCheckoutLinkItem()),
      /** Read-only public URL. The docs.fynn.dev GET example does not show it; the provider needs it. */
      url: z.string(),
    });
  });
}

/** Body of `POST /checkout-links/{id}/cart`. */
export function fynnCartCreate() {
  return once("provider/fynn/schemas.ts:fynnCartCreate", () => {
    return z.object({
      customerId: z.string().min(1).nullish(),
      metadata: z.record(z.string(), z.unknown()).default({}),
    });
  });
}

/** 201 response of `POST /checkout-links/{id}/cart`. */
export function fynnCart() {
  return once("provider/fynn/schemas.ts:fynnCart", () => {
    return z.object({ cartId: z.string(), customerId: z.string().nullable(), url: z.string() });
  });
}

export type FynnRefInput = z.input<ReturnType<typeof fynnRef>>;
export type FynnCheckoutLinkItemWrite = z.input<ReturnType<typeof fynnCheckoutLinkItemWrite>>;
export type FynnCheckoutLinkItemWriteParsed = z.infer<ReturnType<typeof fynnCheckoutLinkItemWrite>>;
export type FynnCheckoutLinkWrite = z.input<ReturnType<typeof fynnCheckoutLinkWrite>>;
export type FynnCheckoutLinkWriteParsed = z.infer<ReturnType<typeof fynnCheckoutLinkWrite>>;
export type FynnCheckoutLink = z.infer<ReturnType<typeof fynnCheckoutLink>>;
export type FynnCheckoutLinkItem = z.infer<ReturnType<typeof fynnCheckoutLinkItem>>;
export type FynnProductWrite = z.input<ReturnType<typeof fynnProductWrite>>;
export type FynnProductWriteParsed = z.infer<ReturnType<typeof fynnProductWrite>>;
export type FynnProduct = z.infer<ReturnType<typeof fynnProduct>>;
export type FynnPricePlanWrite = z.input<ReturnType<typeof fynnPricePlanWrite>>;
export type FynnPricePlanWriteParsed = z.infer<ReturnType<typeof fynnPricePlanWrite>>;
export type FynnPricePlan = z.infer<ReturnType<typeof fynnPricePlan>>;
export type FynnPlanEmbedded = z.infer<ReturnType<typeof fynnPlanEmbedded>>;
export type FynnCartCreate = z.input<ReturnType<typeof fynnCartCreate>>;
export type FynnCart = z.infer<ReturnType<typeof fynnCart>>;
