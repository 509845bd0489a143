/**
 * `polar.Discount`: a Polar discount (`/v1/discounts/`), a share (`basisPoints`) or fixed amounts per
 * currency off, applied once, forever or for some months, redeemable with a code or only where a
 * checkout link (`polar.CheckoutLink.discountId`) or the API applies it.
 *
 * - Polar refuses to change a discount's `type` or `duration` ("cannot be changed"), and its amounts
 *   (`basisPoints`, `amounts`) once it has been redeemed: those replace the discount. The rest is a
 *   PATCH of what changed; `null` clears.
 * - Codes are unique per organization (case-insensitively), so a replacement of a discount with a
 *   code deletes the old one first.
 * - Delete is soft on Polar's side (204); a deleted discount answers 404, which counts as gone.
 * - Discounts carry metadata, so adoption and the lookup after a lost create answer use the
 *   provider's tags, as for products and links.
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
import { CheckoutLinksError } from "../core/failure";
import { jsonSafe } from "../core/json";
import { providerClassOf, type ResourceSpec, type SpecProvider, SpecResource } from "../core/spec";
import { keptWith, patchTo, taggedLookups } from "./adoption";
import {
  type MetadataValue,
  NAME_TAG,
  polarAdoptionFields,
  polarIdArgSchema,
  polarMetadataArgSchema,
} from "./common";
import { polarDiscountSchema, type PolarDiscount as WireDiscount } from "./discountSchemas";
import type { DiscountDuration, DiscountInputs, DiscountState, DiscountType } from "./discountTypes";
import {
  discountCreateBody,
  discountInputsFromWire,
  discountPatchBody,
  discountStateFromWire,
  sameInstant,
} from "./discountWire";

export type { DiscountDuration, DiscountInputs, DiscountState, DiscountType } from "./discountTypes";

/** Arguments of {@link Discount}. */
export interface DiscountArgs extends AccountArgument, AdoptArgument, AdoptionKeyArguments {
  /** Name shown to the customer when the discount applies, at least 1 character. */
  name: pulumi.Input<string>;
  /** `percentage` (with `basisPoints`) or `fixed` (with `amounts`). Changing it replaces the discount. */
  type: pulumi.Input<DiscountType>;
  /**
   * Percentage discounts: the share off in basis points, 1..10000 (2550 is 25.5 %). Changing it
   * replaces the discount. @default none (required with `type: "percentage"`)
   */
  basisPoints?: pulumi.Input<number>;
  /**
   * Fixed discounts: cents off per lower-case currency code, 0..999999999999 each, e.g.
   * `{ usd: 1000, eur: 900 }`. Changing it replaces the discount.
   * @default none (fixed discounts need `amounts` or `amount`)
   */
  amounts?: pulumi.Input<Record<string, pulumi.Input<number>>>;
  /**
   * Fixed discounts, one currency: cents off in `currency`; folded into `amounts`.
   * @default none
   */
  amount?: pulumi.Input<number>;
  /** The currency of `amount`, a lower-case ISO 4217 code. @default "usd" */
  currency?: pulumi.Input<string>;
  /**
   * For subscriptions: `once` (first invoice), `forever`, or `repeating` for `durationInMonths`
   * months. Changing it replaces the discount.
   */
  duration: pulumi.Input<DiscountDuration>;
  /** Months a `repeating` discount applies, 1..999 (24 for two years of yearly pricing). @default none */
  durationInMonths?: pulumi.Input<number>;
  /**
   * Code customers enter at checkout, 3..256 letters and digits, unique in the organization
   * (case-insensitively). @default none (the discount applies only through a link or the API)
   */
  code?: pulumi.Input<string>;
  /** ISO 8601 timestamp with an offset from which the discount is redeemable. @default none */
  startsAt?: pulumi.Input<string>;
  /** ISO 8601 timestamp with an offset after which it no longer is; after `startsAt`. @default none */
  endsAt?: pulumi.Input<string>;
  /** How many times the discount can be redeemed in all, 1..2147483647. @default unlimited */
  maxRedemptions?: pulumi.Input<number>;
  /** How many times one customer can redeem it, 1..2147483647. @default unlimited */
  maxRedemptionsPerCustomer?: pulumi.Input<number>;
  /** Ids of the products the discount is restricted to. @default [] (every product) */
  products?: pulumi.Input<pulumi.Input<string>[]>;
  /** Key-value pairs, same rules as on checkout links (at most 48). @default {} */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
}

/** How each input changes an existing discount; the README shows this table. */
export const polarDiscountDiffTable: DiffTable<Exclude<keyof DiscountInputs, "adopt" | "adoptId">> = {
  name: { change: "update", why: "PATCH" },
  code: { change: "update", why: "PATCH sets or clears (null) the code" },
  startsAt: { change: "update", why: "PATCH sets or clears (null) the start" },
  endsAt: { change: "update", why: "PATCH sets or clears (null) the end" },
  maxRedemptions: { change: "update", why: "PATCH sets or clears (null) the limit" },
  maxRedemptionsPerCustomer: { change: "update", why: "PATCH sets or clears (null) the limit" },
  durationInMonths: { change: "update", why: "PATCH (a repeating discount stays repeating)" },
  products: { change: "update", why: "PATCH replaces the restriction; an empty list lifts it" },
  metadata: { change: "update", why: "PATCH replaces the whole metadata object (tags included)" },
  adoptionKey: { change: "update", why: "PATCH rewrites the pulumi-checkout-links:name metadata tag" },
  type: { change: "replace", why: "Polar refuses to change a discount's type" },
  duration: { change: "replace", why: "Polar refuses to change a discount's duration" },
  basisPoints: {
    change: "replace",
    why: "Polar refuses to change the share once the discount has been redeemed",
  },
  amounts: {
    change: "replace",
    why: "Polar refuses to change the amounts once the discount has been redeemed",
  },
  account: { change: "replace", why: "a discount belongs to one organization" },
};

const MAX_INT32 = 2147483647;
const currencyMessage = "must be a lower-case ISO 4217 code such as usd or eur";
const currencySchema = z.string().regex(/^[a-z]{3}$/, { message: `currency ${currencyMessage}` });
const centsSchema = z
  .number()
  .int({ message: "amounts are whole cents" })
  .min(0, { message: "amounts must be 0 to 999999999999 cents" })
  .max(999_999_999_999, { message: "amounts must be 0 to 999999999999 cents" });
/** An ISO 8601 timestamp with an offset, as Polar's `date-time` takes it. */
const timestamp = (field: string) =>
  z.iso.datetime({
    offset: true,
    message: `${field} must be an ISO 8601 timestamp such as 2026-05-01T00:00:00Z`,
  });
const redemptions = (field: string) =>
  z
    .number()
    .int({ message: `${field} must be a whole number` })
    .min(1, { message: `${field} must be 1 to ${MAX_INT32}` })
    .max(MAX_INT32, { message: `${field} must be 1 to ${MAX_INT32}` });

/** The type's amounts, the duration's months and the validity window fit together. */
function consistent(a: z.infer<typeof discountFields>, ctx: z.RefinementCtx) {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (a.type === "percentage") {
    if (a.basisPoints === undefined)
      issue("basisPoints", "a percentage discount needs basisPoints (1..10000)");
    for (const k of ["amounts", "amount", "currency"] as const) {
      if (a[k] !== undefined)
        issue(k, `${k} is for fixed discounts; a percentage discount takes basisPoints`);
    }
  } else {
    if (a.basisPoints !== undefined) issue("basisPoints", "basisPoints is for percentage discounts");
    if (a.amounts === undefined && a.amount === undefined) {
      issue("amounts", "a fixed discount needs amounts (cents per currency) or amount");
    }
    if (a.amounts !== undefined && (a.amount !== undefined || a.currency !== undefined)) {
      issue("amount", "set either amounts or amount with currency, not both");
    }
    if (a.currency !== undefined && a.amount === undefined) issue("currency", "currency needs amount");
  }
  if (a.duration === "repeating" && a.durationInMonths === undefined) {
    issue("durationInMonths", "a repeating discount needs durationInMonths (1..999)");
  }
  if (a.duration !== "repeating" && a.durationInMonths !== undefined) {
    issue(
      "durationInMonths",
      `durationInMonths is only for duration "repeating" (Polar wants it omitted otherwise)`,
    );
  }
  if (
    a.startsAt !== undefined &&
    a.endsAt !== undefined &&
    !(Date.parse(a.startsAt) < Date.parse(a.endsAt))
  ) {
    issue("endsAt", "endsAt must be after startsAt");
  }
  if (new Set(a.products).size !== a.products.length) issue("products", "products must not repeat an id");
}

const discountFields = z.strictObject({
  name: z.string().min(1, { message: "name must not be empty" }),
  type: z.enum(["percentage", "fixed"]),
  basisPoints: z
    .number()
    .int({ message: "basisPoints must be a whole number" })
    .min(1, { message: "basisPoints must be 1 to 10000 (1 is 0.01 %)" })
    .max(10_000, { message: "basisPoints must be 1 to 10000 (1 is 0.01 %)" })
    .optional(),
  amounts: z
    .record(z.string(), centsSchema)
    .superRefine((m, ctx) => {
      for (const k of Object.keys(m)) {
        if (!/^[a-z]{3}$/.test(k))
          ctx.addIssue({ code: "custom", path: [k], message: `amounts keys ${currencyMessage}` });
      }
      if (Object.keys(m).length === 0)
        ctx.addIssue({ code: "custom", message: "amounts must name at least one currency" });
    })
    .optional(),
  amount: centsSchema.optional(),
  currency: currencySchema.optional(),
  duration: z.enum(["once", "forever", "repeating"]),
  durationInMonths: z
    .number()
    .int({ message: "durationInMonths must be a whole number" })
    .min(1, { message: "durationInMonths must be 1 to 999" })
    .max(999, { message: "durationInMonths must be 1 to 999" })
    .optional(),
  code: z
    .string()
    .regex(/^[A-Za-z0-9]{3,256}$/, { message: "code must be 3 to 256 letters and digits (A-Z, a-z, 0-9)" })
    .optional(),
  startsAt: timestamp("startsAt").optional(),
  endsAt: timestamp("endsAt").optional(),
  maxRedemptions: redemptions("maxRedemptions").optional(),
  maxRedemptionsPerCustomer: redemptions("maxRedemptionsPerCustomer").optional(),
  products: z.array(polarIdArgSchema).default([]),
  metadata: polarMetadataArgSchema.default({}),
  ...accountField,
  ...polarAdoptionFields,
});

/** The arguments' schema. @internal */
export const polarDiscountArgsSchema = discountFields.superRefine((a, ctx) => {
  adoptIdNeedsAdopt(a, ctx);
  consistent(a, ctx);
});

/** `amount` and `currency` folded into `amounts`, the one form state and diff know. */
function foldAmount(news: Record<string, unknown>): Record<string, unknown> {
  if (news.amount === undefined) return news;
  const { amount, currency, ...rest } = news;
  return { ...rest, amounts: { [typeof currency === "string" ? currency : "usd"]: amount } };
}

const PATH = "/v1/discounts/";

/** What a PATCH cannot put right on a discount found for adoption. */
const sameKind = (d: WireDiscount, args: DiscountInputs) =>
  d.type === args.type && d.duration === args.duration;

const discounts = taggedLookups<WireDiscount, DiscountInputs>({
  path: PATH,
  liveQuery: {},
  schema: polarDiscountSchema,
  refuse: (found, args) =>
    sameKind(found, args)
      ? undefined
      : new CheckoutLinksError(
          "ADOPT_MISMATCH",
          `adopt: discount ${found.id} is ${found.type}, ${found.duration} but the arguments say ` +
            `${args.type}, ${args.duration}; Polar cannot change a discount's type or duration`,
        ),
  fits: sameKind,
  ambiguous: (found, args) =>
    `adopt: ${found.length} Polar discounts carry ${NAME_TAG}=${JSON.stringify(args.adoptionKey)} ` +
    `(${found.map((d) => d.id).join(", ")}); delete the extra ones or set adoptionKey`,
});

/** polar.Discount as a resource spec. @internal */
export const polarDiscountSpec: ResourceSpec<DiscountInputs, DiscountState, string, WireDiscount> = {
  backend: "polar",
  type: "Discount",
  args: polarDiscountArgsSchema,
  normalize: (parsed) => jsonSafe(foldAmount(parsed as Record<string, unknown>)) as unknown as DiscountInputs,
  previewDefaults: { products: [], metadata: {} },
  diffTable: polarDiscountDiffTable,
  // `amount` with `currency` compares as the `amounts` it stands for, even while a preview has unknowns,
  // and another spelling of the same instant as the state's.
  comparable: (olds, news) => {
    const n = foldAmount(news);
    for (const k of ["startsAt", "endsAt"] as const) {
      const v = n[k];
      if (typeof v === "string" && sameInstant(olds[k], v)) n[k] = olds[k];
    }
    return n;
  },
  // A code stays taken while the old discount lives: the replacement can only be made after it goes.
  deleteBeforeReplace: (news) => news.code !== undefined && news.code !== null,
  outputKeys: ["stateVersion", "discountId", "redemptionsCount", "organizationId", "createdAt", "modifiedAt"],
  extraInputKeys: ["adopt", "adoptId", "amount", "currency"],
  marksOwner: true,

  prepare: discounts.prepare,
  stateOf: (d, args) => ({ id: d.id, state: discountStateFromWire(d, args) }),
  adoption: {
    find: discounts.find,
    earlier: discounts.earlier,
    takeOver: (ctx, found, args) =>
      patchTo(
        ctx,
        PATH,
        found.id,
        args,
        discountPatchBody(discountInputsFromWire(found, args), args),
        polarDiscountSchema,
        () => discountStateFromWire(found, args),
        (d) => discountStateFromWire(d, args),
      ),
  },
  async send(ctx, args, token) {
    const res = await ctx.client(args.account).request("POST", PATH, {
      body: discountCreateBody(args, token),
      parse: (json) => polarDiscountSchema.parse(json),
      idempotent: false,
    });
    return res.body;
  },
  madeBy: discounts.madeBy,
  findCreated: discounts.findCreated,

  async read(ctx, id, props) {
    // A deleted (soft) discount answers 404, which counts as gone.
    const res = await ctx.client(props.account).request("GET", `${PATH}${encodeURIComponent(id)}`, {
      parse: (json) => polarDiscountSchema.parse(json),
    });
    return discountStateFromWire(res.body, props);
  },

  update: (ctx, id, olds, args) =>
    patchTo(
      ctx,
      PATH,
      id,
      args,
      discountPatchBody(olds, args),
      polarDiscountSchema,
      () => keptWith(olds, args),
      (d) => discountStateFromWire(d, args),
    ),

  async remove(ctx, id, props) {
    // Soft delete on Polar's side; subscriptions that already carry the discount keep it.
    await ctx.client(props.account).request("DELETE", `${PATH}${encodeURIComponent(id)}`);
  },
};

export const DiscountProvider = providerClassOf(polarDiscountSpec, BACKENDS);
export type DiscountProvider = SpecProvider<DiscountInputs, DiscountState>;

/** The provider of {@link Discount}: one instance per process serves every discount. */
export const PolarDiscountProvider = DiscountProvider;
/** An instance of {@link PolarDiscountProvider}. */
export type PolarDiscountProvider = DiscountProvider;

/**
 * A Polar discount: a share or fixed amounts off, once, forever or for some months, with an
 * optional code, validity window, redemption limits and product restriction. Pass `.id` (or
 * `discountId`) to `polar.CheckoutLink.discountId` to apply it to every checkout of a link.
 */
export class Discount extends SpecResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<DiscountType>;
  declare readonly basisPoints: pulumi.Output<number | undefined>;
  declare readonly amounts: pulumi.Output<Record<string, number> | undefined>;
  declare readonly duration: pulumi.Output<DiscountDuration>;
  declare readonly durationInMonths: pulumi.Output<number | undefined>;
  declare readonly code: pulumi.Output<string | undefined>;
  declare readonly startsAt: pulumi.Output<string | undefined>;
  declare readonly endsAt: pulumi.Output<string | undefined>;
  declare readonly maxRedemptions: pulumi.Output<number | undefined>;
  declare readonly maxRedemptionsPerCustomer: pulumi.Output<number | undefined>;
  declare readonly products: pulumi.Output<string[]>;
  declare readonly metadata: pulumi.Output<Record<string, MetadataValue>>;
  declare readonly adoptionKey: pulumi.Output<string>;
  /** Polar's id of the discount (the same as the resource id). */
  declare readonly discountId: pulumi.Output<string>;
  /** How many times the discount has been redeemed. */
  declare readonly redemptionsCount: pulumi.Output<number>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly modifiedAt: pulumi.Output<string | null>;

  constructor(name: string, args: DiscountArgs, opts?: pulumi.CustomResourceOptions) {
    super(polarDiscountSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
