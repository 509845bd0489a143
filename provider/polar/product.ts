/**
 * `polar.Product`: a plan or tier as code — a Polar product with its prices, one-time or recurring.
 *
 * - Polar has no product delete: deleting the resource archives the product (PATCH
 *   `is_archived: true`), which also removes it from every checkout link that sells it.
 * - A product archived out of band counts as gone: refresh drops it from state, `up` creates a new one.
 * - Price changes follow Polar's ProductUpdate: the new list keeps an unchanged price by sending
 *   `{id}` and adds a changed or new one as a full price object; prices left out are archived.
 * - The billing interval cannot change once set, so `recurringInterval(Count)` replace the product.
 *
 * Length: past 350 lines because of the argument documentation (TSDoc) and the price-id
 * bookkeeping of Polar's product PATCH; the price shapes themselves live in prices.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BACKENDS } from "../backends";
import { accountName } from "../core/accounts";
import { type DiffTable, deepEqual } from "../core/diff";
import type { ApiClient } from "../core/http";
import { jsonSafe } from "../core/json";
import { once } from "../core/memo";
import {
  PartialCreateError,
  providerClassOf,
  type ResourceSpec,
  type SpecContext,
  type SpecProvider,
  SpecResource,
} from "../core/spec";
import {
  CREATE_TAG,
  findInList,
  type MetadataValue,
  madeByStack,
  NAME_TAG,
  newCreateToken,
  polarIdArgument,
  stripTags,
  taggedObjects,
  userMetadata,
  withTags,
} from "./common";
import {
  isManagedPrice,
  keepVendorFields,
  keepVendorPriceFields,
  type ManagedWirePrice,
  normalizePrice,
  type Price,
  type PriceArgs,
  priceArgsSchema,
  priceFromWire,
  priceToWire,
  type SeatTier,
  type WirePrice,
} from "./prices";
import { POLAR_MANAGED_PRICE_TYPES, polarProduct } from "./schemas";

export type { Price, PriceArgs, SeatTier };

export type Interval = "day" | "week" | "month" | "year";
export type Visibility = "draft" | "private" | "public";

/** Arguments of {@link Product}. */
export interface ProductArgs {
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
  /**
   * Prices (at least one): at most one fixed plus one seat-based price, or a single custom or free
   * price. Order is kept.
   */
  prices: pulumi.Input<pulumi.Input<PriceArgs>[]>;
  /** Key-value pairs, same rules as on checkout links (at most 48). @default {} */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
  /** Named Polar account from stack config. @default "default" */
  account?: pulumi.Input<string>;
  /** Take over an existing, unarchived product carrying the same adoption key. @default false */
  adopt?: pulumi.Input<boolean>;
  /**
   * With `adopt: true`: take over the unarchived product with this Polar id instead of looking for the
   * adoption key (a product made in the dashboard carries none). Only consulted on create.
   * @default none (adoption by the adoption key)
   */
  adoptId?: pulumi.Input<string>;
  /** Value of the `pulumi-checkout-links:name` metadata tag. @default the resource name */
  adoptionKey?: pulumi.Input<string>;
}

export interface ProductInputs {
  name: string;
  description?: string;
  visibility: Visibility;
  recurringInterval?: Interval;
  recurringIntervalCount?: number;
  prices: Price[];
  metadata: Record<string, MetadataValue>;
  account?: string;
  adopt?: boolean;
  adoptId?: string;
  adoptionKey: string;
}

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

export const productDiffTable: DiffTable<Exclude<keyof ProductInputs, "adopt" | "adoptId">> = {
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
  account: { change: "replace", why: "a product belongs to one organization" },
};

const INTERVALS = ["day", "week", "month", "year"] as const;

/** @internal */
export function productArgsSchema() {
  return once("provider/polar/product.ts:productArgsSchema", () => {
    return z
      .strictObject({
        name: z
          .string()
          .min(3, { message: "name must be 3 to 64 characters long" })
          .max(64, { message: "name must be 3 to 64 characters long" }),
        description: z.string().optional(),
        visibility: z.enum(["draft", "private", "public"]).default("public"),
        recurringInterval: z.enum(INTERVALS).optional(),
        recurringIntervalCount: z.number().int().min(1).max(999).optional(),
        prices: z.array(priceArgsSchema()).min(1, { message: "prices must hold at least one price" }),
        metadata: userMetadata().default({}),
        account: accountName().optional(),
        adopt: z.boolean().optional(),
        adoptId: polarIdArgument().optional(),
        adoptionKey: z.string().min(1).max(500),
      })
      .superRefine((a, ctx) => {
        if (a.adoptId !== undefined && a.adopt !== true) {
          ctx.addIssue({ code: "custom", path: ["adoptId"], message: "adoptId needs adopt: true" });
        }
        if (a.recurringIntervalCount !== undefined && a.recurringInterval === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["recurringIntervalCount"],
            message: "recurringIntervalCount needs recurringInterval (a one-time product has no interval)",
          });
        }
        const count = (t: string) => a.prices.filter((p) => p.type === t).length;
        const single = count("custom") + count("free");
        if (single > 0 && a.prices.length > 1) {
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
      });
  });
}

type WireProduct = ReturnType<typeof parseProduct>;

function parseProduct(json: unknown) {
  return polarProduct().parse(json);
}

/**
 * The product's unarchived prices, all of types polar.Product manages. A price of another type
 * (a metered one added in Polar) fails loudly: the next PATCH of the price list would archive it.
 */
function managedLivePrices(product: WireProduct): ManagedWirePrice[] {
  const live = product.prices.filter((p) => !p.is_archived);
  const other = live.find((p) => !isManagedPrice(p));
  if (other !== undefined && !isManagedPrice(other)) {
    throw new Error(
      `Polar product ${product.id} holds a ${other.vendor_type} price (${other.id}), which polar.Product does ` +
        `not manage (it manages ${POLAR_MANAGED_PRICE_TYPES.join(", ")}); changing its prices would archive that ` +
        "price, so remove it in Polar or leave this product out of the stack",
    );
  }
  return live as ManagedWirePrice[];
}

/**
 * The product's live prices, ordered as `preferredIds` lists them (ids Polar no longer has are
 * skipped); prices not listed follow in Polar's order.
 */
function orderedPrices(
  product: WireProduct,
  preferredIds: (string | undefined)[],
): { prices: Price[]; ids: string[] } {
  const live = managedLivePrices(product);
  const byId = new Map(live.map((p) => [p.id, p]));
  const ordered: ManagedWirePrice[] = [];
  for (const id of preferredIds) {
    const p = id === undefined ? undefined : byId.get(id);
    if (p !== undefined && !ordered.includes(p)) ordered.push(p);
  }
  for (const p of live) if (!ordered.includes(p)) ordered.push(p);
  return { prices: ordered.map(priceFromWire), ids: ordered.map((p) => p.id) };
}

function stateFromWire(
  product: WireProduct,
  mine: Partial<ProductInputs>,
  preferredIds: (string | undefined)[],
): ProductState {
  const { prices, ids } = orderedPrices(product, preferredIds);
  const tag = product.metadata[NAME_TAG];
  return jsonSafe({
    name: product.name,
    description: product.description ?? undefined,
    visibility: product.visibility,
    recurringInterval: product.recurring_interval ?? undefined,
    recurringIntervalCount:
      product.recurring_interval === null ? undefined : (product.recurring_interval_count ?? 1),
    prices,
    metadata: stripTags(product.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    adoptionKey: typeof tag === "string" ? tag : "",
    stateVersion: 1 as const,
    productId: product.id,
    priceIds: ids,
    isArchived: product.is_archived,
    organizationId: product.organization_id,
    createdAt: product.created_at,
    modifiedAt: product.modified_at ?? null,
  });
}

const OUTPUT_KEYS = [
  "stateVersion",
  "productId",
  "priceIds",
  "isArchived",
  "organizationId",
  "createdAt",
  "modifiedAt",
];

export function productCreateBody(a: ProductInputs, createToken: string): Record<string, unknown> {
  return jsonSafe({
    name: a.name,
    description: a.description,
    visibility: a.visibility,
    recurring_interval: a.recurringInterval,
    recurring_interval_count: a.recurringInterval === undefined ? undefined : (a.recurringIntervalCount ?? 1),
    prices: a.prices.map(priceToWire),
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/**
 * The PATCH body (only changed keys) and, for each new price, the id of the existing price it keeps
 * (undefined for a price sent as a new object).
 */
export function productPatch(
  olds: Partial<ProductState>,
  a: ProductInputs,
): { body: Record<string, unknown>; keptIds: (string | undefined)[] } {
  const body: Record<string, unknown> = {};
  if (olds.name !== a.name) body.name = a.name;
  if ((olds.description ?? null) !== (a.description ?? null)) body.description = a.description ?? null;
  if (olds.visibility !== a.visibility) body.visibility = a.visibility;
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    body.metadata = withTags(a.metadata, a.adoptionKey);
  }
  const oldPrices = olds.prices ?? [];
  const oldIds = olds.priceIds ?? [];
  const used = new Set<number>();
  // What the program leaves out (tax behaviour, seat tier type) stays as Polar has it.
  const prices = keepVendorPriceFields(oldPrices, a.prices);
  const keptIds = prices.map((p) => {
    const j = oldPrices.findIndex((q, i) => !used.has(i) && oldIds[i] !== undefined && deepEqual(q, p));
    if (j < 0) return undefined;
    used.add(j);
    return oldIds[j];
  });
  if (!deepEqual(oldPrices, prices)) {
    body.prices = prices.map((p, i) => {
      const id = keptIds[i];
      return id === undefined ? priceToWire(p) : { id };
    });
  }
  return { body, keptIds };
}

/**
 * Ids of the prices in `a.prices` order after an update: kept prices by id, new ones matched by
 * content among the prices Polar created.
 */
function idsAfterUpdate(
  product: WireProduct,
  a: ProductInputs,
  keptIds: (string | undefined)[],
): (string | undefined)[] {
  const live = managedLivePrices(product);
  const taken = new Set(keptIds.filter((x): x is string => x !== undefined));
  return a.prices.map((p, i) => {
    const kept = keptIds[i];
    if (kept !== undefined) return kept;
    // A key the program leaves out matches whatever Polar chose for it.
    const match = live.find((w) => {
      const wire = priceFromWire(w);
      return !taken.has(w.id) && deepEqual(wire, keepVendorFields(p, wire));
    });
    if (match === undefined) return undefined;
    taken.add(match.id);
    return match.id;
  });
}

/** Walks the unarchived products (newest first) and returns those `match` accepts. */
function findProducts(
  client: ApiClient,
  match: (p: WireProduct) => boolean,
  stopAtFirst: boolean,
): Promise<WireProduct[]> {
  return findInList(
    client,
    "/v1/products/",
    { is_archived: false },
    polarProduct,
    (p) => !p.is_archived && match(p),
    stopAtFirst,
  );
}

/** The product with this id, as a list of zero or one: none when it is gone or archived. */
async function liveProduct(client: ApiClient, id: string): Promise<WireProduct[]> {
  const res = await client.request("GET", `/v1/products/${encodeURIComponent(id)}`, {
    expect: [404],
    parse: parseProduct,
  });
  return res.status === 404 || res.body.is_archived ? [] : [res.body];
}

function sameInterval(product: WireProduct, args: ProductInputs): boolean {
  return (
    (product.recurring_interval ?? null) === (args.recurringInterval ?? null) &&
    (product.recurring_interval === null ||
      (product.recurring_interval_count ?? 1) === (args.recurringIntervalCount ?? 1))
  );
}

/** Brings a found product to the arguments (a PATCH only where it differs) and returns it as created. */
async function takeOver(
  client: ApiClient,
  found: WireProduct,
  args: ProductInputs,
): Promise<{ id: string; state: ProductState }> {
  const current = stateFromWire(found, args, []);
  const { body, keptIds } = productPatch(current, args);
  if (Object.keys(body).length === 0)
    return { id: found.id, state: stateFromWire(found, args, current.priceIds) };
  const res = await client.request("PATCH", `/v1/products/${found.id}`, { body, parse: parseProduct });
  return { id: found.id, state: stateFromWire(res.body, args, idsAfterUpdate(res.body, args, keptIds)) };
}

/**
 * The product an interrupted run of this stack made for this resource: unarchived, tagged with the
 * resource's adoption key and a create tag of this stack, billing at the declared interval (the one
 * thing a PATCH cannot put right), made before this run and owned by no resource of it. Read afresh,
 * newest first.
 */
async function madeEarlier(
  ctx: SpecContext,
  client: ApiClient,
  args: ProductInputs,
  owner: string,
): Promise<WireProduct | undefined> {
  const listed = await taggedObjects(
    ctx,
    args.account,
    "/v1/products/",
    { is_archived: false },
    polarProduct,
  );
  for (const p of listed) {
    if (
      p.metadata[NAME_TAG] !== args.adoptionKey ||
      !madeByStack(p.metadata, owner) ||
      !sameInterval(p, args)
    )
      continue;
    if (!ctx.claim(p.id, p.created_at)) continue;
    const [live] = await liveProduct(client, p.id);
    if (live !== undefined) return live;
  }
  return undefined;
}

function normalizeArgs(parsed: unknown): ProductInputs {
  const a = parsed as z.infer<ReturnType<typeof productArgsSchema>>;
  return jsonSafe({
    ...a,
    recurringIntervalCount: a.recurringInterval === undefined ? undefined : (a.recurringIntervalCount ?? 1),
    prices: a.prices.map(normalizePrice),
  }) as ProductInputs;
}

/** polar.Product as a resource spec: archived on delete, prices kept by content. */
export const productSpec: ResourceSpec<ProductInputs, ProductState> = {
  backend: "polar",
  type: "Product",
  args: productArgsSchema,
  // The normalised form (defaults, `free` as fixed 0, interval count 1), so that the diff against
  // what Polar stores is empty.
  normalize: normalizeArgs,
  previewDefaults: { visibility: "public", metadata: {} },
  diffTable: productDiffTable,
  // A price key the program leaves out (tax behaviour, seat tier type) compares as Polar has it.
  comparable: (olds, news) =>
    Array.isArray(news.prices)
      ? { ...news, prices: keepVendorPriceFields(olds.prices, news.prices as Price[]) }
      : news,
  outputKeys: OUTPUT_KEYS,
  extraInputKeys: ["adopt", "adoptId"],
  marksOwner: true,

  async create(ctx, args, { owner }) {
    const client = ctx.client(args.account);

    if (args.adopt) {
      const existing =
        args.adoptId !== undefined
          ? await liveProduct(client, args.adoptId)
          : await findProducts(client, (p) => p.metadata[NAME_TAG] === args.adoptionKey, false);
      if (existing.length > 1) {
        throw new Error(
          `adopt: ${existing.length} unarchived Polar products carry ${NAME_TAG}=${JSON.stringify(args.adoptionKey)} ` +
            `(${existing.map((p) => p.id).join(", ")}); archive the extra ones or set adoptionKey`,
        );
      }
      const found = existing[0];
      if (found !== undefined) {
        if (!sameInterval(found, args)) {
          throw new Error(
            `adopt: product ${found.id} bills ${found.recurring_interval ?? "once"} but recurringInterval is ` +
              `${args.recurringInterval ?? "unset"}; Polar cannot change a product's interval`,
          );
        }
        return takeOver(client, found, args);
      }
    }

    const earlier = owner === undefined ? undefined : await madeEarlier(ctx, client, args, owner);
    if (earlier !== undefined) {
      try {
        return await takeOver(client, earlier, args);
      } catch (e) {
        // Taken over but not yet as declared: keep it in state; the next `up` puts it right.
        throw new PartialCreateError(earlier.id, stateFromWire(earlier, args, []), e);
      }
    }

    const token = newCreateToken(owner);
    const body = productCreateBody(args, token);
    const product = await ctx.createOnce(
      args.account,
      async () =>
        (await client.request("POST", "/v1/products/", { body, parse: parseProduct, idempotent: false }))
          .body,
      async () => (await findProducts(client, (p) => p.metadata[CREATE_TAG] === token, true))[0],
    );
    // Match prices by content rather than trusting the order Polar lists them in.
    const ids = idsAfterUpdate(
      product,
      args,
      args.prices.map(() => undefined),
    );
    return { id: product.id, state: stateFromWire(product, args, ids) };
  },

  /** The newest unarchived product tagged with this resource's adoption key (and this stack's mark). */
  async findCreated(ctx, args, known, { owner }) {
    const [hit] = await findProducts(
      ctx.client(args.account),
      (p) =>
        p.metadata[NAME_TAG] === args.adoptionKey &&
        (owner === undefined || madeByStack(p.metadata, owner)) &&
        !known.includes(p.id),
      true,
    );
    return hit?.id;
  },

  async read(ctx, id, props) {
    const product = (
      await ctx
        .client(props.account)
        .request("GET", `/v1/products/${encodeURIComponent(id)}`, { parse: parseProduct })
    ).body;
    // Archived is Polar's "deleted": drop it from state so the next `up` makes a new product.
    if (product.is_archived) return undefined;
    return stateFromWire(product, props, props.priceIds ?? []);
  },

  async update(ctx, id, olds, args) {
    const { body, keptIds } = productPatch(olds, args);
    if (Object.keys(body).length === 0) {
      return jsonSafe<ProductState>({
        ...olds,
        account: args.account,
        adopt: args.adopt,
        adoptId: args.adoptId,
      });
    }
    const res = await ctx.client(args.account).request("PATCH", `/v1/products/${encodeURIComponent(id)}`, {
      body,
      parse: parseProduct,
    });
    return stateFromWire(res.body, args, idsAfterUpdate(res.body, args, keptIds));
  },

  async remove(ctx, id, props) {
    // Polar has no product delete; archiving is the closest (and removes it from checkout links).
    await ctx
      .client(props.account)
      .request("PATCH", `/v1/products/${encodeURIComponent(id)}`, { body: { is_archived: true } });
  },
};

export const ProductProvider = providerClassOf(productSpec, BACKENDS);
export type ProductProvider = SpecProvider<ProductInputs, ProductState>;

/** A Polar product with its prices: a plan or a tier that checkout links sell. */
export class Product extends SpecResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly visibility: pulumi.Output<Visibility>;
  declare readonly recurringInterval: pulumi.Output<Interval | undefined>;
  declare readonly recurringIntervalCount: pulumi.Output<number | undefined>;
  declare readonly prices: pulumi.Output<Price[]>;
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
    super(productSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
