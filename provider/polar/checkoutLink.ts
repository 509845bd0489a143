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
 *
 * Length: past 350 lines because of the argument documentation (TSDoc) and the PATCH body that
 * sends only what changed, both particular to Polar links.
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
  keepUrl,
  type MetadataValue,
  madeByStack,
  NAME_TAG,
  newCreateToken,
  polarIdArgument,
  sameUrl,
  stripTags,
  taggedObjects,
  userMetadata,
  withTags,
} from "./common";
import { type PolarCheckoutLinkCreate, type PolarCheckoutLinkUpdate, polarCheckoutLink } from "./schemas";

export type TrialInterval = "day" | "week" | "month" | "year";

/** Arguments of {@link CheckoutLink}. */
export interface CheckoutLinkArgs {
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
  /** Named Polar account from stack config (`checkout-links:polar.<account>.token`). @default "default" */
  account?: pulumi.Input<string>;
  /**
   * Take over an existing link that carries the same label and adoption key instead of creating
   * one; the link is then brought to these arguments. @default false
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * With `adopt: true`: take over the link with this Polar id instead of looking for the label and
   * adoption key (a link made in the dashboard carries no tag). Only consulted on create.
   * @default none (adoption by label and adoption key)
   */
  adoptId?: pulumi.Input<string>;
  /** Value of the `pulumi-checkout-links:name` metadata tag used for adoption. @default the resource name */
  adoptionKey?: pulumi.Input<string>;
}

/** Inputs after `check()`: plain values with defaults filled in. */
export interface CheckoutLinkInputs {
  products: string[];
  label?: string;
  allowDiscountCodes: boolean;
  requireBillingAddress: boolean;
  discountId?: string;
  successUrl?: string;
  returnUrl?: string;
  trialInterval?: TrialInterval;
  trialIntervalCount?: number;
  seats?: number;
  metadata: Record<string, MetadataValue>;
  account?: string;
  adopt?: boolean;
  adoptId?: string;
  adoptionKey: string;
}

/** What the provider stores: the inputs as applied plus what Polar generated. */
export interface CheckoutLinkState extends CheckoutLinkInputs {
  /** State layout version, so later provider versions can read older state. */
  stateVersion: 1;
  linkId: string;
  url: string;
  clientSecret: string;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}

/** How each input changes an existing link. */
export const checkoutLinkDiffTable: DiffTable<Exclude<keyof CheckoutLinkInputs, "adopt" | "adoptId">> = {
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

const TRIAL_INTERVALS = ["day", "week", "month", "year"] as const;

function url(field: string) {
  return z
    .string()
    .min(1, { message: `${field} must be 1 to 2083 characters long` })
    .max(2083, { message: `${field} must be 1 to 2083 characters long` })
    .refine(
      (s) => {
        try {
          const u = new URL(s.replaceAll("{CHECKOUT_ID}", "CHECKOUT_ID"));
          return u.protocol === "https:" || u.protocol === "http:";
        } catch {
          return false;
        }
      },
      { message: `${field} must be an http(s) URL ({CHECKOUT_ID} is allowed)` },
    );
}

/** The arguments' schema. @internal */
export function checkoutLinkArgsSchema() {
  return once("provider/polar/checkoutLink.ts:checkoutLinkArgsSchema", () => {
    return z
      .strictObject({
        products: z.array(polarIdArgument()).min(1, { message: "products must name at least one product" }),
        label: z.string().min(1, { message: "label must not be empty (omit it instead)" }).optional(),
        allowDiscountCodes: z.boolean().default(true),
        requireBillingAddress: z.boolean().default(false),
        discountId: polarIdArgument().optional(),
        successUrl: url("successUrl").optional(),
        returnUrl: url("returnUrl").optional(),
        trialInterval: z.enum(TRIAL_INTERVALS).optional(),
        trialIntervalCount: z.number().int().min(1).max(1000).optional(),
        seats: z.number().int().min(1).max(10_000).optional(),
        metadata: userMetadata().default({}),
        account: accountName().optional(),
        adopt: z.boolean().optional(),
        adoptId: polarIdArgument().optional(),
        adoptionKey: z
          .string()
          .min(1, { message: "adoptionKey must be 1 to 500 characters long" })
          .max(500, { message: "adoptionKey must be 1 to 500 characters long" }),
      })
      .superRefine((a, ctx) => {
        if (a.adoptId !== undefined && a.adopt !== true) {
          ctx.addIssue({ code: "custom", path: ["adoptId"], message: "adoptId needs adopt: true" });
        }
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
      });
  });
}

type WireLink = ReturnType<typeof parseLink>;

function parseLink(json: unknown) {
  return polarCheckoutLink().parse(json);
}

/** The create body: only keys the user set, plus the required `payment_processor` and the tags. @internal */
export function createBody(a: CheckoutLinkInputs, createToken: string): PolarCheckoutLinkCreate {
  return jsonSafe<PolarCheckoutLinkCreate>({
    payment_processor: "stripe",
    products: a.products,
    label: a.label,
    allow_discount_codes: a.allowDiscountCodes,
    require_billing_address: a.requireBillingAddress,
    discount_id: a.discountId,
    success_url: a.successUrl,
    return_url: a.returnUrl,
    trial_interval: a.trialInterval,
    trial_interval_count: a.trialIntervalCount,
    seats: a.seats,
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/** The PATCH body: only what differs between the applied state and the new inputs; null clears. @internal */
export function patchBody(olds: Partial<CheckoutLinkInputs>, a: CheckoutLinkInputs): PolarCheckoutLinkUpdate {
  const b: PolarCheckoutLinkUpdate = {};
  if (!deepEqual(olds.products, a.products)) b.products = a.products;
  if ((olds.label ?? null) !== (a.label ?? null)) b.label = a.label ?? null;
  if (olds.allowDiscountCodes !== a.allowDiscountCodes) b.allow_discount_codes = a.allowDiscountCodes;
  if (olds.requireBillingAddress !== a.requireBillingAddress)
    b.require_billing_address = a.requireBillingAddress;
  if ((olds.discountId ?? null) !== (a.discountId ?? null)) b.discount_id = a.discountId ?? null;
  if (!sameUrl(olds.successUrl, a.successUrl)) b.success_url = a.successUrl ?? null;
  if (!sameUrl(olds.returnUrl, a.returnUrl)) b.return_url = a.returnUrl ?? null;
  if (
    (olds.trialInterval ?? null) !== (a.trialInterval ?? null) ||
    (olds.trialIntervalCount ?? null) !== (a.trialIntervalCount ?? null)
  ) {
    // Polar wants both or neither.
    b.trial_interval = a.trialInterval ?? null;
    b.trial_interval_count = a.trialIntervalCount ?? null;
  }
  if ((olds.seats ?? null) !== (a.seats ?? null)) b.seats = a.seats ?? null;
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    // Polar replaces metadata as a whole, so the tag goes along every time.
    b.metadata = withTags(a.metadata, a.adoptionKey);
  }
  return b;
}

/** Inputs the link has on Polar, in the provider's argument shape. */
function inputsFromWire(link: WireLink, mine: Partial<CheckoutLinkInputs>): CheckoutLinkInputs {
  const tag = link.metadata[NAME_TAG];
  return jsonSafe({
    products: link.products.map((p) => p.id),
    label: link.label ?? undefined,
    allowDiscountCodes: link.allow_discount_codes,
    requireBillingAddress: link.require_billing_address,
    discountId: link.discount_id ?? undefined,
    successUrl: keepUrl(link.success_url, mine.successUrl),
    returnUrl: keepUrl(link.return_url, mine.returnUrl),
    trialInterval: link.trial_interval ?? undefined,
    trialIntervalCount: link.trial_interval_count ?? undefined,
    seats: link.seats ?? undefined,
    metadata: stripTags(link.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    // A tag removed out of band shows as a change of adoptionKey, which the next update writes back.
    adoptionKey: typeof tag === "string" ? tag : "",
  }) as CheckoutLinkInputs;
}

function stateFromWire(link: WireLink, mine: Partial<CheckoutLinkInputs>): CheckoutLinkState {
  return jsonSafe({
    ...inputsFromWire(link, mine),
    stateVersion: 1 as const,
    linkId: link.id,
    url: link.url,
    clientSecret: link.client_secret,
    organizationId: link.organization_id,
    createdAt: link.created_at,
    modifiedAt: link.modified_at ?? null,
  });
}

const OUTPUT_KEYS = [
  "stateVersion",
  "linkId",
  "url",
  "clientSecret",
  "organizationId",
  "createdAt",
  "modifiedAt",
] as const;

/** Walks the link list (newest first) and returns the links `match` accepts. */
function findLinks(
  client: ApiClient,
  query: Record<string, string | undefined>,
  match: (l: WireLink) => boolean,
  stopAtFirst: boolean,
): Promise<WireLink[]> {
  return findInList(client, "/v1/checkout-links/", query, polarCheckoutLink, match, stopAtFirst);
}

/** The link with this id, as a list of zero or one: none when it is gone (deleted links answer 404). */
async function liveLink(client: ApiClient, id: string): Promise<WireLink[]> {
  const res = await client.request("GET", `/v1/checkout-links/${encodeURIComponent(id)}`, {
    expect: [404],
    parse: parseLink,
  });
  return res.status === 404 ? [] : [res.body];
}

/** Brings a found link to the arguments (a PATCH only where it differs) and returns it as created. */
async function takeOver(
  client: ApiClient,
  found: WireLink,
  args: CheckoutLinkInputs,
): Promise<{ id: string; state: CheckoutLinkState }> {
  const body = patchBody(inputsFromWire(found, args), args);
  const link =
    Object.keys(body).length === 0
      ? found
      : (await client.request("PATCH", `/v1/checkout-links/${found.id}`, { body, parse: parseLink })).body;
  return { id: link.id, state: stateFromWire(link, args) };
}

/**
 * The link an interrupted run of this stack made for this resource: live, with the resource's label
 * and adoption key and a create tag of this stack, made before this run and owned by no resource of
 * it. Read afresh, newest first.
 */
async function madeEarlier(
  ctx: SpecContext,
  client: ApiClient,
  args: CheckoutLinkInputs,
  owner: string,
): Promise<WireLink | undefined> {
  const listed = await taggedObjects(ctx, args.account, "/v1/checkout-links/", {}, polarCheckoutLink);
  for (const l of listed) {
    if (
      l.metadata[NAME_TAG] !== args.adoptionKey ||
      (l.label ?? null) !== (args.label ?? null) ||
      !madeByStack(l.metadata, owner)
    )
      continue;
    if (!ctx.claim(l.id, l.created_at)) continue;
    const [live] = await liveLink(client, l.id);
    if (live !== undefined) return live;
  }
  return undefined;
}

/** polar.CheckoutLink as a resource spec. */
export const checkoutLinkSpec: ResourceSpec<CheckoutLinkInputs, CheckoutLinkState> = {
  backend: "polar",
  type: "CheckoutLink",
  args: checkoutLinkArgsSchema,
  normalize: (parsed) => jsonSafe(parsed as CheckoutLinkInputs),
  previewDefaults: { allowDiscountCodes: true, requireBillingAddress: false, metadata: {} },
  diffTable: checkoutLinkDiffTable,
  outputKeys: OUTPUT_KEYS,
  extraInputKeys: ["adopt", "adoptId"],
  secretOutputs: ["clientSecret"],
  marksOwner: true,

  async create(ctx, args, { owner }) {
    const client = ctx.client(args.account);

    if (args.adopt) {
      const existing =
        args.adoptId !== undefined
          ? await liveLink(client, args.adoptId)
          : await findLinks(
              client,
              {},
              (l) => l.metadata[NAME_TAG] === args.adoptionKey && (l.label ?? null) === (args.label ?? null),
              false,
            );
      if (existing.length > 1) {
        throw new Error(
          `adopt: ${existing.length} Polar checkout links carry label ${JSON.stringify(args.label ?? null)} and ` +
            `${NAME_TAG}=${JSON.stringify(args.adoptionKey)} (${existing.map((l) => l.id).join(", ")}); ` +
            "delete the extra ones or set adoptionKey",
        );
      }
      const found = existing[0];
      if (found !== undefined) return takeOver(client, found, args);
    }

    const earlier = owner === undefined ? undefined : await madeEarlier(ctx, client, args, owner);
    if (earlier !== undefined) {
      try {
        return await takeOver(client, earlier, args);
      } catch (e) {
        // Taken over but not yet as declared: keep it in state; the next `up` puts it right.
        throw new PartialCreateError(earlier.id, stateFromWire(earlier, args), e);
      }
    }

    const token = newCreateToken(owner);
    const body = createBody(args, token);
    const first = args.products[0];
    const link = await ctx.createOnce(
      args.account,
      async () =>
        (await client.request("POST", "/v1/checkout-links/", { body, parse: parseLink, idempotent: false }))
          .body,
      async () =>
        (
          await findLinks(
            client,
            first === undefined ? {} : { product_id: first },
            (l) => l.metadata[CREATE_TAG] === token,
            true,
          )
        )[0],
    );
    return { id: link.id, state: stateFromWire(link, args) };
  },

  /** The newest live link with this label and adoption key tag (and this stack's mark). */
  async findCreated(ctx, args, known, { owner }) {
    const [hit] = await findLinks(
      ctx.client(args.account),
      {},
      (l) =>
        l.metadata[NAME_TAG] === args.adoptionKey &&
        (l.label ?? null) === (args.label ?? null) &&
        (owner === undefined || madeByStack(l.metadata, owner)) &&
        !known.includes(l.id),
      true,
    );
    return hit?.id;
  },

  async read(ctx, id, props) {
    // A deleted (soft) link answers 404, which counts as gone.
    const res = await ctx
      .client(props.account)
      .request("GET", `/v1/checkout-links/${encodeURIComponent(id)}`, { parse: parseLink });
    return stateFromWire(res.body, props);
  },

  async update(ctx, id, olds, args) {
    const body = patchBody(olds, args);
    if (Object.keys(body).length === 0) {
      // Nothing Polar stores changed (e.g. only `adopt`): keep what is there, with the new inputs.
      return jsonSafe<CheckoutLinkState>({
        ...olds,
        account: args.account,
        adopt: args.adopt,
        adoptId: args.adoptId,
      });
    }
    const res = await ctx
      .client(args.account)
      .request("PATCH", `/v1/checkout-links/${encodeURIComponent(id)}`, { body, parse: parseLink });
    return stateFromWire(res.body, args);
  },

  async remove(ctx, id, props) {
    // Soft delete on Polar's side.
    await ctx.client(props.account).request("DELETE", `/v1/checkout-links/${encodeURIComponent(id)}`);
  },
};

export const CheckoutLinkProvider = providerClassOf(checkoutLinkSpec, BACKENDS);
export type CheckoutLinkProvider = SpecProvider<CheckoutLinkInputs, CheckoutLinkState>;

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
    super(checkoutLinkSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
