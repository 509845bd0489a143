/**
 * `polar.Product`: a plan or tier as code — a Polar product with its prices, one-time or recurring.
 *
 * - Polar has no product delete: deleting the resource archives the product (PATCH
 *   `is_archived: true`), which also removes it from every checkout link that sells it.
 * - A product archived out of band counts as gone: refresh drops it from state, `up` creates a new one.
 * - Price changes follow Polar's ProductUpdate: the new list keeps an unchanged price by sending
 *   `{id}` and adds a changed or new one as a full price object; prices left out are archived.
 * - The billing interval cannot change once set, so `recurringInterval(Count)` replace the product.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type DiffTable, deepEqual, diffWithTable } from "../core/diff";
import { isNotFound } from "../core/errors";
import { type ApiClient, clientFor, createOnce } from "../core/http";
import { once } from "../core/memo";
import { DynamicResource } from "../core/resource";
import { polarListResource, polarProduct } from "../schemas/polar";
import {
  AccountSource,
  accountName,
  CREATE_TAG,
  checkArgs,
  jsonSafe,
  type MetadataValue,
  NAME_TAG,
  newCreateToken,
  polarId,
  settledLookup,
  settleMsFor,
  stripTags,
  userMetadata,
  withTags,
} from "./common";

export type Interval = "day" | "week" | "month" | "year";
export type Visibility = "draft" | "private" | "public";

/** One tier of a seat-based price; amounts in cents. */
export interface SeatTier {
  /** Lowest seat count of the tier (inclusive). */
  minSeats: number;
  /** Highest seat count (inclusive). @default unlimited */
  maxSeats?: number;
  /** Price per seat in cents. */
  pricePerSeat: number;
}

/**
 * A price of a product. Amounts are in cents of `currency` (lower-case ISO code, @default "usd").
 * `free` is stored by Polar as a fixed price of 0 and shows as such in outputs.
 */
export type PriceArgs =
  | { type: "fixed"; amount: number; currency?: string }
  | { type: "free"; currency?: string }
  | {
      type: "custom";
      minimumAmount?: number;
      maximumAmount?: number;
      presetAmount?: number;
      currency?: string;
    }
  | { type: "seat_based"; tiers: SeatTier[]; currency?: string };

/** A price after `check()`: defaults filled in, `free` written as fixed 0. */
export type Price =
  | { type: "fixed"; amount: number; currency: string }
  | { type: "custom"; minimumAmount: number; maximumAmount?: number; presetAmount?: number; currency: string }
  | { type: "seat_based"; tiers: SeatTier[]; currency: string };

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

function currency() {
  return z
    .string()
    .regex(/^[a-z]{3}$/, { message: "currency must be a lower-case ISO 4217 code such as usd or eur" })
    .default("usd");
}

function cents(min: number) {
  return z.number().int({ message: "amounts are whole cents" }).min(min);
}

export function priceArgsSchema() {
  return once("provider/polar/product.ts:priceArgsSchema", () => {
    return z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("fixed"), amount: cents(0), currency: currency() }),
      z.strictObject({ type: z.literal("free"), currency: currency() }),
      z.strictObject({
        type: z.literal("custom"),
        minimumAmount: cents(0).default(50),
        maximumAmount: cents(1).optional(),
        presetAmount: cents(0).optional(),
        currency: currency(),
      }),
      z.strictObject({
        type: z.literal("seat_based"),
        tiers: z
          .array(
            z.strictObject({
              minSeats: z.number().int().min(1),
              maxSeats: z.number().int().min(1).optional(),
              pricePerSeat: cents(0),
            }),
          )
          .min(1, { message: "a seat-based price needs at least one tier" }),
        currency: currency(),
      }),
    ]);
  });
}

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
        adoptId: polarId().optional(),
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

/** Normalised form of a price (what Polar stores): `free` becomes fixed 0. */
function normalizePrice(p: z.infer<ReturnType<typeof priceArgsSchema>>): Price {
  if (p.type === "free") return { type: "fixed", amount: 0, currency: p.currency };
  if (p.type === "seat_based") {
    return { type: "seat_based", currency: p.currency, tiers: p.tiers.map((t) => jsonSafe({ ...t })) };
  }
  return jsonSafe({ ...p }) as Price;
}

function priceToWire(p: Price): Record<string, unknown> {
  switch (p.type) {
    case "fixed":
      return { amount_type: "fixed", price_amount: p.amount, price_currency: p.currency };
    case "custom":
      return jsonSafe({
        amount_type: "custom",
        minimum_amount: p.minimumAmount,
        maximum_amount: p.maximumAmount,
        preset_amount: p.presetAmount,
        price_currency: p.currency,
      });
    case "seat_based":
      return {
        amount_type: "seat_based",
        price_currency: p.currency,
        seat_tiers: {
          tiers: p.tiers.map((t) =>
            jsonSafe({ min_seats: t.minSeats, max_seats: t.maxSeats, price_per_seat: t.pricePerSeat }),
          ),
        },
      };
  }
}

type WireProduct = ReturnType<typeof parseProduct>;
type WirePrice = WireProduct["prices"][number];

function parseProduct(json: unknown) {
  return polarProduct().parse(json);
}

function priceFromWire(p: WirePrice): Price {
  switch (p.amount_type) {
    case "fixed":
      return { type: "fixed", amount: p.price_amount, currency: p.price_currency };
    case "custom":
      return jsonSafe({
        type: "custom" as const,
        minimumAmount: p.minimum_amount,
        maximumAmount: p.maximum_amount ?? undefined,
        presetAmount: p.preset_amount ?? undefined,
        currency: p.price_currency,
      });
    case "seat_based":
      return {
        type: "seat_based",
        currency: p.price_currency,
        tiers: p.seat_tiers.tiers.map((t) =>
          jsonSafe({
            minSeats: t.min_seats,
            maxSeats: t.max_seats ?? undefined,
            pricePerSeat: t.price_per_seat,
          }),
        ),
      };
  }
}

/**
 * The product's live prices, ordered as `preferredIds` lists them (ids Polar no longer has are
 * skipped); prices not listed follow in Polar's order.
 */
function orderedPrices(
  product: WireProduct,
  preferredIds: (string | undefined)[],
): { prices: Price[]; ids: string[] } {
  const live = product.prices.filter((p) => !p.is_archived);
  const byId = new Map(live.map((p) => [p.id, p]));
  const ordered: WirePrice[] = [];
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

function inputsOf(state: ProductState): ProductInputs {
  const out: Record<string, unknown> = { ...state };
  for (const k of OUTPUT_KEYS) delete out[k];
  return out as unknown as ProductInputs;
}

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
  const keptIds = a.prices.map((p) => {
    const j = oldPrices.findIndex((q, i) => !used.has(i) && oldIds[i] !== undefined && deepEqual(q, p));
    if (j < 0) return undefined;
    used.add(j);
    return oldIds[j];
  });
  if (!deepEqual(oldPrices, a.prices)) {
    body.prices = a.prices.map((p, i) => {
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
  const live = product.prices.filter((p) => !p.is_archived);
  const taken = new Set(keptIds.filter((x): x is string => x !== undefined));
  return a.prices.map((p, i) => {
    const kept = keptIds[i];
    if (kept !== undefined) return kept;
    const match = live.find((w) => !taken.has(w.id) && deepEqual(priceFromWire(w), p));
    if (match === undefined) return undefined;
    taken.add(match.id);
    return match.id;
  });
}

const LIST_PAGE_LIMIT = 100;
const LIST_MAX_PAGES = 50;

async function findProducts(
  client: ApiClient,
  match: (p: WireProduct) => boolean,
  stopAtFirst: boolean,
): Promise<WireProduct[]> {
  const found: WireProduct[] = [];
  for (let page = 1; page <= LIST_MAX_PAGES; page++) {
    const res = await client.request("GET", "/v1/products/", {
      query: { is_archived: false, page, limit: LIST_PAGE_LIMIT, sorting: "-created_at" },
      parse: (j) => polarListResource(polarProduct()).parse(j),
    });
    for (const item of res.body.items) {
      if (!item.is_archived && match(item)) {
        found.push(item);
        if (stopAtFirst) return found;
      }
    }
    if (page >= res.body.pagination.max_page) break;
  }
  return found;
}

/** The product with this id, as a list of zero or one: none when it is gone or archived. */
async function liveProduct(client: ApiClient, id: string): Promise<WireProduct[]> {
  const res = await client.request("GET", `/v1/products/${encodeURIComponent(id)}`, {
    expect: [404],
    parse: parseProduct,
  });
  return res.status === 404 || res.body.is_archived ? [] : [res.body];
}

function parseArgs(inputs: Record<string, unknown>): ProductInputs {
  const { __provider: _, ...rest } = inputs;
  const r = productArgsSchema().safeParse(rest);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(inputs)"}: ${i.message}`);
    throw new Error(`invalid polar.Product arguments:\n  - ${lines.join("\n  - ")}`);
  }
  const a = r.data;
  return jsonSafe({
    ...a,
    recurringIntervalCount: a.recurringInterval === undefined ? undefined : (a.recurringIntervalCount ?? 1),
    prices: a.prices.map(normalizePrice),
  }) as ProductInputs;
}

export class ProductProvider implements pulumi.dynamic.ResourceProvider {
  private readonly accounts = new AccountSource();

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.accounts.setConfig((key) => req.config.get(key));
  }

  async check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    const result = checkArgs(productArgsSchema(), news);
    if (result.failures && result.failures.length > 0) return result;
    const inputs = result.inputs as Record<string, unknown>;
    // Return the normalised form (defaults, `free` as fixed 0, interval count 1) so that the diff
    // against what Polar stores is empty; with unknowns present only the known parts are touched.
    try {
      return { inputs: parseArgs(inputs) as unknown as Record<string, unknown> };
    } catch {
      return {
        inputs: { ...inputs, visibility: inputs.visibility ?? "public", metadata: inputs.metadata ?? {} },
      };
    }
  }

  async diff(_id: string, olds: ProductState, news: ProductInputs): Promise<pulumi.dynamic.DiffResult> {
    return diffWithTable(
      productDiffTable,
      olds as unknown as Record<string, unknown>,
      news as unknown as Record<string, unknown>,
    );
  }

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult<ProductState>> {
    const args = parseArgs(inputs);
    const account = this.accounts.account("polar", args.account);
    const client = clientFor(account);

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
        const current = stateFromWire(found, args, []);
        if ((current.recurringInterval ?? null) !== (args.recurringInterval ?? null)) {
          throw new Error(
            `adopt: product ${found.id} bills ${current.recurringInterval ?? "once"} but recurringInterval is ` +
              `${args.recurringInterval ?? "unset"}; Polar cannot change a product's interval`,
          );
        }
        const { body, keptIds } = productPatch(current, args);
        if (Object.keys(body).length === 0)
          return { id: found.id, outs: stateFromWire(found, args, current.priceIds) };
        const res = await client.request("PATCH", `/v1/products/${found.id}`, { body, parse: parseProduct });
        return { id: found.id, outs: stateFromWire(res.body, args, idsAfterUpdate(res.body, args, keptIds)) };
      }
    }

    const token = newCreateToken();
    const body = productCreateBody(args, token);
    const product = await createOnce({
      deadlineMs: client.deadlineMs,
      timing: client.timing,
      create: async () =>
        (await client.request("POST", "/v1/products/", { body, parse: parseProduct, idempotent: false }))
          .body,
      lookup: () =>
        settledLookup(
          async () => (await findProducts(client, (p) => p.metadata[CREATE_TAG] === token, true))[0],
          settleMsFor(account),
        ),
    });
    // Match prices by content rather than trusting the order Polar lists them in.
    const ids = idsAfterUpdate(
      product,
      args,
      args.prices.map(() => undefined),
    );
    return { id: product.id, outs: stateFromWire(product, args, ids) };
  }

  /**
   * After an interrupted run: the newest unarchived product tagged with this resource's adoption key
   * that no resource in `known` owns.
   */
  async findCreated(inputs: Record<string, unknown>, known: readonly string[]): Promise<string | undefined> {
    const args = parseArgs(inputs);
    const client = clientFor(this.accounts.account("polar", args.account));
    const [hit] = await findProducts(
      client,
      (p) => p.metadata[NAME_TAG] === args.adoptionKey && !known.includes(p.id),
      true,
    );
    return hit?.id;
  }

  async read(id: string, props: ProductState): Promise<pulumi.dynamic.ReadResult> {
    const client = this.accounts.client("polar", props.account);
    let product: WireProduct;
    try {
      product = (
        await client.request("GET", `/v1/products/${encodeURIComponent(id)}`, { parse: parseProduct })
      ).body;
    } catch (e) {
      if (isNotFound(e)) return { id: "" };
      throw e;
    }
    // Archived is Polar's "deleted": drop it from state so the next `up` makes a new product.
    if (product.is_archived) return { id: "" };
    const state = stateFromWire(product, props, props.priceIds ?? []);
    return { id: product.id, props: state, inputs: inputsOf(state) };
  }

  async update(
    id: string,
    olds: ProductState,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult<ProductState>> {
    const args = parseArgs(news);
    const client = this.accounts.client("polar", args.account);
    const { body, keptIds } = productPatch(olds, args);
    if (Object.keys(body).length === 0) {
      return { outs: jsonSafe({ ...olds, account: args.account, adopt: args.adopt, adoptId: args.adoptId }) };
    }
    const res = await client.request("PATCH", `/v1/products/${encodeURIComponent(id)}`, {
      body,
      parse: parseProduct,
    });
    return { outs: stateFromWire(res.body, args, idsAfterUpdate(res.body, args, keptIds)) };
  }

  async delete(id: string, props: ProductState): Promise<void> {
    const client = this.accounts.client("polar", props.account);
    // Polar has no product delete; archiving is the closest (and removes it from checkout links).
    await client.request("PATCH", `/v1/products/${encodeURIComponent(id)}`, {
      body: { is_archived: true },
      expect: [404],
    });
  }
}

/** A Polar product with its prices: a plan or a tier that checkout links sell. */
export class Product extends DynamicResource {
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
    super(
      "polar",
      "Product",
      name,
      {
        description: undefined,
        visibility: undefined,
        recurringInterval: undefined,
        recurringIntervalCount: undefined,
        metadata: undefined,
        ...args,
        adoptionKey: args.adoptionKey ?? name,
        stateVersion: undefined,
        productId: undefined,
        priceIds: undefined,
        isArchived: undefined,
        organizationId: undefined,
        createdAt: undefined,
        modifiedAt: undefined,
      },
      opts,
    );
  }
}
