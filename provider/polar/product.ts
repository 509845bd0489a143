/**
 * `polar.Product`: a plan or tier as code — a Polar product with its prices, one-time or recurring.
 *
 * - Polar has no product delete: deleting the resource archives the product (PATCH
 *   `is_archived: true`), which also removes it from every checkout link that sells it.
 * - A product archived out of band counts as gone: refresh drops it from state, `up` creates a new one.
 * - Price changes follow Polar's ProductUpdate: the new list keeps an unchanged price by sending
 *   `{id}` and adds a changed or new one as a full price object; prices left out are archived.
 * - The billing interval cannot change once set, so `recurringInterval(Count)` replace the product.
 * - Benefits are set with `POST /v1/products/{id}/benefits`, which replaces the set: after a create
 *   and whenever the list differs. Left out, benefits (and attached custom fields) are not managed:
 *   what the dashboard attached stays.
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
import {
  providerClassOf,
  type ResourceSpec,
  type SpecContext,
  type SpecProvider,
  SpecResource,
} from "../core/spec";
import { keptWith, patchTo, taggedLookups } from "./adoption";
import {
  type MetadataValue,
  NAME_TAG,
  polarAdoptionFields,
  polarIdArgSchema,
  polarMetadataArgSchema,
} from "./common";
import {
  idsAfterUpdate,
  keepVendorPriceFields,
  normalizePrice,
  type Price,
  type PriceArgs,
  polarPriceArgsSchema,
  type SeatTier,
} from "./prices";
import type { AttachedCustomField, Interval, ProductInputs, ProductState, Visibility } from "./productTypes";
import { listDiffers, productCreateBody, productPatch, stateFromWire } from "./productWire";
import { polarProductSchema, type PolarProduct as WireProduct } from "./schemas";

export type {
  AttachedCustomField,
  Interval,
  ProductInputs,
  ProductState,
  Visibility,
} from "./productTypes";
export { productCreateBody, productPatch } from "./productWire";
export type { Price, PriceArgs, SeatTier };

/** A custom field asked at checkout, as {@link ProductArgs.attachedCustomFields} lists it. */
export interface AttachedCustomFieldArgs {
  /** Polar's id of the custom field (`customField.id`). */
  customFieldId: pulumi.Input<string>;
  /** Whether the buyer must fill it in. */
  required: pulumi.Input<boolean>;
}

/** Arguments of {@link Product}. */
export interface ProductArgs extends AccountArgument, AdoptArgument, AdoptionKeyArguments {
  /** Product name shown at checkout, 3..64 characters. */
  name: pulumi.Input<string>;
  /** Description shown at checkout. @default none */
  description?: pulumi.Input<string>;
  /** Who can see the product. @default "public" */
  visibility?: pulumi.Input<Visibility>;
  /** Billing interval of a subscription; omit for a one-time purchase. Changing it replaces the product. @default one-time */
  recurringInterval?: pulumi.Input<Interval>;
  /** Interval units per billing cycle, 1..999; only with `recurringInterval`. @default 1 */
  recurringIntervalCount?: pulumi.Input<number>;
  /** A free trial before the first charge, counted by `trialIntervalCount`; recurring products only. @default no trial */
  trialInterval?: pulumi.Input<Interval>;
  /** Trial length in `trialInterval` units, 1..1000; only with `trialInterval`. @default 1 */
  trialIntervalCount?: pulumi.Input<number>;
  /**
   * Prices (at least one): at most one fixed plus one seat-based price, or a single custom or free
   * price; any number of metered prices (one per meter) on top, on a recurring product. Order is kept.
   */
  prices: pulumi.Input<pulumi.Input<PriceArgs>[]>;
  /**
   * The benefits the product grants, as Polar benefit ids (`benefit.id`), in order; the list replaces
   * the product's whole set. Left out, the provider does not manage benefits: those attached in the
   * dashboard stay. `[]` removes them all. @default not managed
   */
  benefits?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Custom fields asked at checkout, in order; the list replaces the attached set. Left out, the
   * provider does not manage them. @default not managed
   */
  attachedCustomFields?: pulumi.Input<pulumi.Input<AttachedCustomFieldArgs>[]>;
  /** Key-value pairs, same rules as on checkout links (at most 48). @default {} */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
}

/** How each input changes the product; the README shows this table. */
export const polarProductDiffTable: DiffTable<Exclude<keyof ProductInputs, "adopt" | "adoptId">> = {
  name: { change: "update", why: "PATCH" },
  description: { change: "update", why: "PATCH sets or clears (null) the description" },
  visibility: { change: "update", why: "PATCH" },
  prices: {
    change: "update",
    why: "PATCH with the full list: unchanged prices kept by id, changed ones added anew, the rest archived",
  },
  metadata: { change: "update", why: "PATCH replaces the whole metadata object (tags included)" },
  adoptionKey: { change: "update", why: "PATCH rewrites the pulumi-checkout-links:name metadata tag" },
  recurringInterval: {
    change: "replace",
    why: "Polar does not let a product's billing interval change once set",
  },
  recurringIntervalCount: { change: "replace", why: "part of the billing interval, fixed at creation" },
  trialInterval: { change: "update", why: "PATCH sets both trial keys, or clears both (null)" },
  trialIntervalCount: { change: "update", why: "PATCH, together with trialInterval" },
  benefits: {
    change: "update",
    why: "POST /v1/products/{id}/benefits replaces the set; left out, Polar's benefits are not managed",
  },
  attachedCustomFields: {
    change: "update",
    why: "PATCH replaces the attached list; left out, Polar's attached fields are not managed",
  },
  account: { change: "replace", why: "a product belongs to one organization" },
};

/**
 * How many prices of each type a product may hold (Polar's `get_validated_prices`): metered prices
 * come on top of the others, only on a recurring product, one per meter and currency.
 */
function priceMix(
  a: {
    recurringInterval?: string | undefined;
    prices: readonly { type: string; meterId?: string; currency?: string }[];
  },
  ctx: z.RefinementCtx,
) {
  const count = (t: string) => a.prices.filter((p) => p.type === t).length;
  const unmetered = a.prices.length - count("metered_unit");
  if (count("custom") + count("free") > 0 && unmetered > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["prices"],
      message: "a custom or free price must be the product's only price",
    });
  }
  if (count("fixed") > 1 || count("seat_based") > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["prices"],
      message: "a product has at most one fixed and one seat-based price",
    });
  }
  const meters = new Set<string>();
  a.prices.forEach((p, i) => {
    if (p.type !== "metered_unit") return;
    if (a.recurringInterval === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["prices", i],
        message: "a metered_unit price needs recurringInterval (Polar bills meters on subscriptions only)",
      });
    }
    const key = `${p.currency}:${p.meterId}`;
    if (meters.has(key)) {
      ctx.addIssue({
        code: "custom",
        path: ["prices", i, "meterId"],
        message: "a meter may price a product only once per currency",
      });
    }
    meters.add(key);
  });
}

/** An issue at each entry whose key repeats an earlier one's. */
function noRepeats<T>(
  list: readonly T[] | undefined,
  key: (x: T) => string,
  path: (i: number) => (string | number)[],
  what: string,
  ctx: z.RefinementCtx,
) {
  const seen = new Set<string>();
  (list ?? []).forEach((x, i) => {
    const k = key(x);
    if (seen.has(k)) ctx.addIssue({ code: "custom", path: path(i), message: `${what} ${k} is listed twice` });
    seen.add(k);
  });
}

/** @internal */
export const polarProductArgsSchema = z
  .strictObject({
    name: z
      .string()
      .min(3, { message: "name must be 3 to 64 characters long" })
      .max(64, { message: "name must be 3 to 64 characters long" }),
    description: z.string().optional(),
    visibility: z.enum(["draft", "private", "public"]).default("public"),
    recurringInterval: z.enum(["day", "week", "month", "year"]).optional(),
    recurringIntervalCount: z.number().int().min(1).max(999).optional(),
    trialInterval: z.enum(["day", "week", "month", "year"]).optional(),
    trialIntervalCount: z.number().int().min(1).max(1000).optional(),
    prices: z.array(polarPriceArgsSchema).min(1, { message: "prices must hold at least one price" }),
    benefits: z.array(polarIdArgSchema).optional(),
    attachedCustomFields: z
      .array(z.strictObject({ customFieldId: polarIdArgSchema, required: z.boolean() }))
      .optional(),
    metadata: polarMetadataArgSchema.default({}),
    ...accountField,
    ...polarAdoptionFields,
  })
  .superRefine((a, ctx) => {
    adoptIdNeedsAdopt(a, ctx);
    if (a.recurringIntervalCount !== undefined && a.recurringInterval === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["recurringIntervalCount"],
        message: "recurringIntervalCount needs recurringInterval (a one-time product has no interval)",
      });
    }
    if (a.trialInterval !== undefined && a.recurringInterval === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["trialInterval"],
        message: "trialInterval needs recurringInterval (Polar offers trials on subscriptions only)",
      });
    }
    if (a.trialIntervalCount !== undefined && a.trialInterval === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["trialIntervalCount"],
        message: "trialIntervalCount needs trialInterval",
      });
    }
    priceMix(a, ctx);
    noRepeats(
      a.benefits,
      (id) => id,
      (i) => ["benefits", i],
      "benefit",
      ctx,
    );
    noRepeats(
      a.attachedCustomFields,
      (f) => f.customFieldId,
      (i) => ["attachedCustomFields", i, "customFieldId"],
      "custom field",
      ctx,
    );
  });

function sameInterval(product: WireProduct, args: ProductInputs): boolean {
  return (
    (product.recurring_interval ?? null) === (args.recurringInterval ?? null) &&
    (product.recurring_interval === null ||
      (product.recurring_interval_count ?? 1) === (args.recurringIntervalCount ?? 1))
  );
}

const PATH = "/v1/products/";

/**
 * Sets the product's benefit set (the whole set, in order) and returns the product Polar answers.
 * Sending the same set twice leaves the same set, so a retry is safe.
 */
async function setBenefits(ctx: SpecContext, id: string, args: ProductInputs): Promise<WireProduct> {
  const res = await ctx.client(args.account).request("POST", `${PATH}${encodeURIComponent(id)}/benefits`, {
    body: { benefits: args.benefits ?? [] },
    parse: (json) => polarProductSchema.parse(json),
    idempotent: true,
  });
  return res.body;
}

/** `state` without the lists the program leaves out, so that a later diff sees nothing there. */
function managedOnly(state: ProductState, args: ProductInputs): ProductState {
  return jsonSafe({
    ...state,
    benefits: args.benefits === undefined ? undefined : state.benefits,
    attachedCustomFields: args.attachedCustomFields === undefined ? undefined : state.attachedCustomFields,
  });
}

/**
 * Brings a product to the arguments (a PATCH only where it differs, then the benefit set where it
 * differs); `current` is its state now.
 */
async function patchProduct(
  ctx: SpecContext,
  id: string,
  current: ProductState,
  args: ProductInputs,
  unchanged: () => ProductState,
): Promise<ProductState> {
  const { body, keptIds } = productPatch(current, args);
  const patched = await patchTo(ctx, PATH, id, args, body, polarProductSchema, unchanged, (product) =>
    stateFromWire(product, args, idsAfterUpdate(product, args, keptIds)),
  );
  if (!listDiffers(current.benefits, args.benefits)) return managedOnly(patched, args);
  return stateFromWire(await setBenefits(ctx, id, args), args, patched.priceIds);
}

const products = taggedLookups<WireProduct, ProductInputs>({
  path: PATH,
  liveQuery: { is_archived: false },
  schema: polarProductSchema,
  gone: (p) => p.is_archived,
  refuse: (found, args) =>
    sameInterval(found, args)
      ? undefined
      : new CheckoutLinksError(
          "ADOPT_MISMATCH",
          `adopt: product ${found.id} bills ${found.recurring_interval ?? "once"} but recurringInterval is ` +
            `${args.recurringInterval ?? "unset"}; Polar cannot change a product's interval`,
        ),
  // The billing interval is the one thing a PATCH cannot put right.
  fits: sameInterval,
  ambiguous: (found, args) =>
    `adopt: ${found.length} unarchived Polar products carry ${NAME_TAG}=${JSON.stringify(args.adoptionKey)} ` +
    `(${found.map((p) => p.id).join(", ")}); archive the extra ones or set adoptionKey`,
});

function normalizeArgs(parsed: unknown): ProductInputs {
  const a = parsed as z.infer<typeof polarProductArgsSchema>;
  return jsonSafe({
    ...a,
    recurringIntervalCount: a.recurringInterval === undefined ? undefined : (a.recurringIntervalCount ?? 1),
    trialIntervalCount: a.trialInterval === undefined ? undefined : (a.trialIntervalCount ?? 1),
    prices: a.prices.map(normalizePrice),
  }) as ProductInputs;
}

/** polar.Product as a resource spec: archived on delete, prices kept by content. @internal */
export const polarProductSpec: ResourceSpec<ProductInputs, ProductState, string, WireProduct> = {
  backend: "polar",
  type: "Product",
  args: polarProductArgsSchema,
  // The normalised form (defaults, `free` as fixed 0, interval count 1), so that the diff against
  // what Polar stores is empty.
  normalize: normalizeArgs,
  previewDefaults: { visibility: "public", metadata: {} },
  diffTable: polarProductDiffTable,
  // A price key the program leaves out (tax behaviour, seat tier type) compares as Polar has it.
  comparable: (olds, news) =>
    Array.isArray(news.prices)
      ? { ...news, prices: keepVendorPriceFields(olds.prices, news.prices as Price[]) }
      : news,
  outputKeys: [
    "stateVersion",
    "productId",
    "priceIds",
    "isArchived",
    "organizationId",
    "createdAt",
    "modifiedAt",
  ],
  extraInputKeys: ["adopt", "adoptId"],
  marksOwner: true,

  prepare: products.prepare,
  stateOf: (product, args) => ({ id: product.id, state: stateFromWire(product, args, []) }),
  adoption: {
    find: products.find,
    earlier: products.earlier,
    takeOver(ctx, found, args) {
      const current = stateFromWire(found, args, []);
      return patchProduct(ctx, found.id, current, args, () => stateFromWire(found, args, current.priceIds));
    },
  },
  async send(ctx, args, token) {
    const res = await ctx.client(args.account).request("POST", PATH, {
      body: productCreateBody(args, token),
      parse: (json) => polarProductSchema.parse(json),
      idempotent: false,
    });
    return res.body;
  },
  madeBy: products.madeBy,
  // Match prices by content rather than trusting the order Polar lists them in. A new product has
  // no benefits: the set is sent only when the program lists some.
  finish: async (ctx, created, args) => {
    const product = (args.benefits ?? []).length > 0 ? await setBenefits(ctx, created.id, args) : created;
    return {
      id: product.id,
      state: stateFromWire(
        product,
        args,
        idsAfterUpdate(
          product,
          args,
          args.prices.map(() => undefined),
        ),
      ),
    };
  },
  findCreated: products.findCreated,

  async read(ctx, id, props) {
    const res = await ctx.client(props.account).request("GET", `${PATH}${encodeURIComponent(id)}`, {
      parse: (json) => polarProductSchema.parse(json),
    });
    // Archived is Polar's "deleted": drop it from state so the next `up` makes a new product.
    if (res.body.is_archived) return undefined;
    return stateFromWire(res.body, props, props.priceIds ?? []);
  },

  update: (ctx, id, olds, args) => patchProduct(ctx, id, olds, args, () => keptWith(olds, args)),

  async remove(ctx, id, props) {
    // Polar has no product delete; archiving is the closest (and removes it from checkout links).
    await ctx
      .client(props.account)
      .request("PATCH", `${PATH}${encodeURIComponent(id)}`, { body: { is_archived: true } });
  },
};

/** @deprecated use {@link polarProductSpec} @internal */
export const productSpec = polarProductSpec;
/** @deprecated use {@link polarProductDiffTable} */
export const productDiffTable = polarProductDiffTable;
/** @deprecated use {@link polarProductArgsSchema} @internal */
export const productArgsSchema = () => polarProductArgsSchema;

export const ProductProvider = providerClassOf(productSpec, BACKENDS);
export type ProductProvider = SpecProvider<ProductInputs, ProductState>;

/** The provider of {@link Product}: one instance per process serves every product. */
export const PolarProductProvider = ProductProvider;
/** An instance of {@link PolarProductProvider}. */
export type PolarProductProvider = ProductProvider;

/** A Polar product with its prices: a plan or a tier that checkout links sell. */
export class Product extends SpecResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly visibility: pulumi.Output<Visibility>;
  declare readonly recurringInterval: pulumi.Output<Interval | undefined>;
  declare readonly recurringIntervalCount: pulumi.Output<number | undefined>;
  declare readonly trialInterval: pulumi.Output<Interval | undefined>;
  declare readonly trialIntervalCount: pulumi.Output<number | undefined>;
  declare readonly prices: pulumi.Output<Price[]>;
  /** Benefit ids in order; undefined when the program leaves benefits out. */
  declare readonly benefits: pulumi.Output<string[] | undefined>;
  declare readonly attachedCustomFields: pulumi.Output<AttachedCustomField[] | undefined>;
  declare readonly metadata: pulumi.Output<Record<string, MetadataValue>>;
  declare readonly adoptionKey: pulumi.Output<string>;
  /** Polar's id of the product (the same as the resource id). */
  declare readonly productId: pulumi.Output<string>;
  /** Price ids in the order of `prices`. */
  declare readonly priceIds: pulumi.Output<string[]>;
  declare readonly isArchived: pulumi.Output<boolean>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly modifiedAt: pulumi.Output<string | null>;

  constructor(name: string, args: ProductArgs, opts?: pulumi.CustomResourceOptions) {
    super(polarProductSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
