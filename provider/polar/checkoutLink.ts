/**
 * `polar.CheckoutLink`: a shareable Polar checkout link selling one or more products.
 *
 * - Create sends `payment_processor: "stripe"` (required by Polar) and never duplicates a link: a
 *   create whose answer was lost is followed by a lookup of the random create tag it wrote.
 * - Update is a PATCH with only the changed keys; `null` clears a field.
 * - Delete is soft on Polar's side (204); a 404 counts as done.
 * - Polar links have no slug. The provider writes the metadata tag `pulumi-checkout-links:name`
 *   (the adoption key, by default the logical resource name); `adopt: true` finds an existing link
 *   by its label plus that tag, or with `adoptId` the link with that id (a link made in the
 *   dashboard carries no tag). The tags never show in `metadata`, so they cause no diff.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BACKENDS } from "../backends";
import {
  type AccountArgument,
  type AdoptArgument,
  type AdoptionKeyArguments,
  accountField,
  adoptIdNeedsAdopt,
} from "../core/args";
import type { DiffTable } from "../core/diff";
import { jsonSafe } from "../core/json";
import { providerClassOf, type ResourceSpec, type SpecProvider, SpecResource } from "../core/spec";
import { keptWith, patchTo, taggedLookups } from "./adoption";
import type { CheckoutLinkInputs, CheckoutLinkState, TrialInterval } from "./checkoutLinkTypes";
import { createBody, inputsFromWire, patchBody, stateFromWire } from "./checkoutLinkWire";
import {
  type MetadataValue,
  NAME_TAG,
  polarAdoptionFields,
  polarIdArgSchema,
  polarMetadataArgSchema,
} from "./common";
import { polarCheckoutLinkSchema, polarUrl, type PolarCheckoutLink as WireLink } from "./schemas";

export type { CheckoutLinkInputs, CheckoutLinkState, TrialInterval } from "./checkoutLinkTypes";
/** @internal */
export { createBody, patchBody } from "./checkoutLinkWire";

/** Arguments of {@link CheckoutLink}. */
export interface CheckoutLinkArgs extends AccountArgument, AdoptArgument, AdoptionKeyArguments {
  /** Ids of the products the link sells, in the order the checkout shows them (at least one). */
  products: pulumi.Input<pulumi.Input<string>[]>;
  /** Internal label to tell links apart; also half of the adoption lookup. @default none */
  label?: pulumi.Input<string>;
  /** Whether buyers may enter discount codes. @default true */
  allowDiscountCodes?: pulumi.Input<boolean>;
  /** Whether the checkout asks for a full billing address. @default false */
  requireBillingAddress?: pulumi.Input<boolean>;
  /** Discount applied to every checkout from this link. @default none */
  discountId?: pulumi.Input<string>;
  /** Where the buyer goes after paying; may contain `{CHECKOUT_ID}`. 1..2083 characters. @default none */
  successUrl?: pulumi.Input<string>;
  /** Where the checkout's back button leads. 1..2083 characters. @default none */
  returnUrl?: pulumi.Input<string>;
  /** Trial unit; set together with `trialIntervalCount`. @default none */
  trialInterval?: pulumi.Input<TrialInterval>;
  /** Trial length in `trialInterval` units, 1..1000; set together with `trialInterval`. @default none */
  trialIntervalCount?: pulumi.Input<number>;
  /** Fixed seat count for seat-based products, 1..10000. @default none */
  seats?: pulumi.Input<number>;
  /**
   * Key-value pairs: at most 48 (Polar allows 50, the provider keeps 2 for its tags); keys 1..40
   * characters; values a string of 1..500 characters, a number or a boolean. @default {}
   */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
}

/** How each input changes an existing link. */
export const polarCheckoutLinkDiffTable: DiffTable<Exclude<keyof CheckoutLinkInputs, "adopt" | "adoptId">> = {
  products: { change: "update", why: "PATCH replaces the product list in the given order" },
  label: { change: "update", why: "PATCH sets or clears (null) the label" },
  allowDiscountCodes: { change: "update", why: "PATCH" },
  requireBillingAddress: { change: "update", why: "PATCH" },
  discountId: { change: "update", why: "PATCH sets or clears (null) the discount" },
  successUrl: { change: "update", why: "PATCH sets or clears (null) the URL" },
  returnUrl: { change: "update", why: "PATCH sets or clears (null) the URL" },
  trialInterval: { change: "update", why: "PATCH, always sent together with trialIntervalCount" },
  trialIntervalCount: { change: "update", why: "PATCH, always sent together with trialInterval" },
  seats: { change: "update", why: "PATCH sets or clears (null) the seat count" },
  metadata: { change: "update", why: "PATCH replaces the whole metadata object (tags included)" },
  adoptionKey: { change: "update", why: "PATCH rewrites the pulumi-checkout-links:name metadata tag" },
  account: {
    change: "replace",
    publishes: true,
    why: "a link belongs to one organization; another account means a new link with a new URL",
  },
};

/** A success or return URL: Polar's rule ({@link polarUrl}) with messages naming the field. */
function url(field: string) {
  const message = `${field} must be 1 to 2083 characters long`;
  return z
    .string()
    .min(1, { message })
    .max(2083, { message })
    .refine((s) => polarUrl(s) !== undefined, {
      message: `${field} must be an http(s) URL ({CHECKOUT_ID} is allowed)`,
    });
}

/** The two halves of the trial must be set together. */
function trialPair(a: { trialInterval?: unknown; trialIntervalCount?: unknown }, ctx: z.RefinementCtx) {
  if (a.trialInterval !== undefined && a.trialIntervalCount === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["trialIntervalCount"],
      message: "trialIntervalCount must be set together with trialInterval",
    });
  }
  if (a.trialIntervalCount !== undefined && a.trialInterval === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["trialInterval"],
      message: "trialInterval must be set together with trialIntervalCount",
    });
  }
}

/** The arguments' schema. @internal */
export const polarCheckoutLinkArgsSchema = z
  .strictObject({
    products: z.array(polarIdArgSchema).min(1, { message: "products must name at least one product" }),
    label: z.string().min(1, { message: "label must not be empty (omit it instead)" }).optional(),
    allowDiscountCodes: z.boolean().default(true),
    requireBillingAddress: z.boolean().default(false),
    discountId: polarIdArgSchema.optional(),
    successUrl: url("successUrl").optional(),
    returnUrl: url("returnUrl").optional(),
    trialInterval: z.enum(["day", "week", "month", "year"]).optional(),
    trialIntervalCount: z.number().int().min(1).max(1000).optional(),
    seats: z.number().int().min(1).max(10_000).optional(),
    metadata: polarMetadataArgSchema.default({}),
    ...accountField,
    ...polarAdoptionFields,
  })
  .superRefine((a, ctx) => {
    adoptIdNeedsAdopt(a, ctx);
    trialPair(a, ctx);
  });

const PATH = "/v1/checkout-links/";

const links = taggedLookups<WireLink, CheckoutLinkInputs>({
  path: PATH,
  liveQuery: {},
  schema: polarCheckoutLinkSchema,
  sameKey: (l, args) => (l.label ?? null) === (args.label ?? null),
  ambiguous: (found, args) =>
    `adopt: ${found.length} Polar checkout links carry label ${JSON.stringify(args.label ?? null)} and ` +
    `${NAME_TAG}=${JSON.stringify(args.adoptionKey)} (${found.map((l) => l.id).join(", ")}); ` +
    "delete the extra ones or set adoptionKey",
  createdQuery: (args) => (args.products[0] === undefined ? {} : { product_id: args.products[0] }),
});

/** polar.CheckoutLink as a resource spec. @internal */
export const polarCheckoutLinkSpec: ResourceSpec<CheckoutLinkInputs, CheckoutLinkState, string, WireLink> = {
  backend: "polar",
  type: "CheckoutLink",
  args: polarCheckoutLinkArgsSchema,
  normalize: (parsed) => jsonSafe(parsed as CheckoutLinkInputs),
  previewDefaults: { allowDiscountCodes: true, requireBillingAddress: false, metadata: {} },
  diffTable: polarCheckoutLinkDiffTable,
  outputKeys: ["stateVersion", "linkId", "url", "clientSecret", "organizationId", "createdAt", "modifiedAt"],
  extraInputKeys: ["adopt", "adoptId"],
  secretOutputs: ["clientSecret"],
  marksOwner: true,

  prepare: links.prepare,
  stateOf: (link, args) => ({ id: link.id, state: stateFromWire(link, args) }),
  adoption: {
    find: links.find,
    earlier: links.earlier,
    takeOver: (ctx, found, args) =>
      patchTo(
        ctx,
        PATH,
        found.id,
        args,
        patchBody(inputsFromWire(found, args), args),
        polarCheckoutLinkSchema,
        () => stateFromWire(found, args),
        (link) => stateFromWire(link, args),
      ),
  },
  async send(ctx, args, token) {
    const res = await ctx.client(args.account).request("POST", PATH, {
      body: createBody(args, token),
      parse: (json) => polarCheckoutLinkSchema.parse(json),
      idempotent: false,
    });
    return res.body;
  },
  madeBy: links.madeBy,
  findCreated: links.findCreated,

  async read(ctx, id, props) {
    // A deleted (soft) link answers 404, which counts as gone.
    const res = await ctx.client(props.account).request("GET", `${PATH}${encodeURIComponent(id)}`, {
      parse: (json) => polarCheckoutLinkSchema.parse(json),
    });
    return stateFromWire(res.body, props);
  },

  update: (ctx, id, olds, args) =>
    patchTo(
      ctx,
      PATH,
      id,
      args,
      patchBody(olds, args),
      polarCheckoutLinkSchema,
      () => keptWith(olds, args),
      (link) => stateFromWire(link, args),
    ),

  async remove(ctx, id, props) {
    // Soft delete on Polar's side.
    await ctx.client(props.account).request("DELETE", `${PATH}${encodeURIComponent(id)}`);
  },
};

/** @deprecated use {@link polarCheckoutLinkSpec} @internal */
export const checkoutLinkSpec = polarCheckoutLinkSpec;
/** @deprecated use {@link polarCheckoutLinkDiffTable} */
export const checkoutLinkDiffTable = polarCheckoutLinkDiffTable;
/** @deprecated use {@link polarCheckoutLinkArgsSchema} @internal */
export const checkoutLinkArgsSchema = () => polarCheckoutLinkArgsSchema;

export const CheckoutLinkProvider = providerClassOf(checkoutLinkSpec, BACKENDS);
export type CheckoutLinkProvider = SpecProvider<CheckoutLinkInputs, CheckoutLinkState>;

/** The provider of {@link CheckoutLink}: one instance per process serves every link. */
export const PolarCheckoutLinkProvider = CheckoutLinkProvider;
/** An instance of {@link PolarCheckoutLinkProvider}. */
export type PolarCheckoutLinkProvider = CheckoutLinkProvider;

/**
 * A Polar checkout link. `url` is the public link to share (it embeds the client secret, which is
 * how Polar addresses links publicly); `clientSecret` is stored encrypted in state.
 */
export class CheckoutLink extends SpecResource {
  declare readonly products: pulumi.Output<string[]>;
  declare readonly label: pulumi.Output<string | undefined>;
  declare readonly allowDiscountCodes: pulumi.Output<boolean>;
  declare readonly requireBillingAddress: pulumi.Output<boolean>;
  declare readonly discountId: pulumi.Output<string | undefined>;
  declare readonly successUrl: pulumi.Output<string | undefined>;
  declare readonly returnUrl: pulumi.Output<string | undefined>;
  declare readonly trialInterval: pulumi.Output<TrialInterval | undefined>;
  declare readonly trialIntervalCount: pulumi.Output<number | undefined>;
  declare readonly seats: pulumi.Output<number | undefined>;
  declare readonly metadata: pulumi.Output<Record<string, MetadataValue>>;
  declare readonly adoptionKey: pulumi.Output<string>;
  /** Polar's id of the link (the same as the resource id). */
  declare readonly linkId: pulumi.Output<string>;
  /** The public checkout URL. */
  declare readonly url: pulumi.Output<string>;
  /** Polar's client secret of the link; a secret output. */
  declare readonly clientSecret: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly modifiedAt: pulumi.Output<string | null>;

  constructor(name: string, args: CheckoutLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super(polarCheckoutLinkSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
