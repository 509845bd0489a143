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
import { type DiffTable, deepEqual, diffWithTable } from "../core/diff";
import { isNotFound } from "../core/errors";
import { type ApiClient, clientFor, createOnce } from "../core/http";
import { once } from "../core/memo";
import { DynamicResource } from "../core/resource";
import { polarCheckoutLink, polarListResource } from "../schemas/polar";
import {
  AccountSource,
  accountName,
  CREATE_TAG,
  checkArgs,
  jsonSafe,
  keepUrl,
  type MetadataValue,
  NAME_TAG,
  newCreateToken,
  polarId,
  sameUrl,
  settledLookup,
  settleMsFor,
  stripTags,
  userMetadata,
  withTags,
} from "./common";

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

/** The arguments' schema (a factory: zod objects cannot be serialized with the provider). */
export function checkoutLinkArgsSchema() {
  return once("provider/polar/checkoutLink.ts:checkoutLinkArgsSchema", () => {
    return z
      .strictObject({
        products: z.array(polarId()).min(1, { message: "products must name at least one product" }),
        label: z.string().min(1, { message: "label must not be empty (omit it instead)" }).optional(),
        allowDiscountCodes: z.boolean().default(true),
        requireBillingAddress: z.boolean().default(false),
        discountId: polarId().optional(),
        successUrl: url("successUrl").optional(),
        returnUrl: url("returnUrl").optional(),
        trialInterval: z.enum(TRIAL_INTERVALS).optional(),
        trialIntervalCount: z.number().int().min(1).max(1000).optional(),
        seats: z.number().int().min(1).max(10_000).optional(),
        metadata: userMetadata().default({}),
        account: accountName().optional(),
        adopt: z.boolean().optional(),
        adoptId: polarId().optional(),
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

/** The create body: only keys the user set, plus the required `payment_processor` and the tags. */
export function createBody(a: CheckoutLinkInputs, createToken: string): Record<string, unknown> {
  return jsonSafe({
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

/** The PATCH body: only what differs between the applied state and the new inputs; null clears. */
export function patchBody(olds: Partial<CheckoutLinkInputs>, a: CheckoutLinkInputs): Record<string, unknown> {
  const b: Record<string, unknown> = {};
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

function inputsOf(state: CheckoutLinkState): CheckoutLinkInputs {
  const out: Record<string, unknown> = { ...state };
  for (const k of OUTPUT_KEYS) delete out[k];
  return out as unknown as CheckoutLinkInputs;
}

const LIST_PAGE_LIMIT = 100;
const LIST_MAX_PAGES = 50;

/** Walks the link list (newest first) and returns the links `match` accepts. */
async function findLinks(
  client: ApiClient,
  query: Record<string, string | undefined>,
  match: (l: WireLink) => boolean,
  stopAtFirst: boolean,
): Promise<WireLink[]> {
  const found: WireLink[] = [];
  for (let page = 1; page <= LIST_MAX_PAGES; page++) {
    const res = await client.request("GET", "/v1/checkout-links/", {
      query: { ...query, page, limit: LIST_PAGE_LIMIT, sorting: "-created_at" },
      parse: (j) => polarListResource(polarCheckoutLink()).parse(j),
    });
    for (const item of res.body.items) {
      if (match(item)) {
        found.push(item);
        if (stopAtFirst) return found;
      }
    }
    if (page >= res.body.pagination.max_page) break;
  }
  return found;
}

/** The link with this id, as a list of zero or one: none when it is gone (deleted links answer 404). */
async function liveLink(client: ApiClient, id: string): Promise<WireLink[]> {
  const res = await client.request("GET", `/v1/checkout-links/${encodeURIComponent(id)}`, {
    expect: [404],
    parse: parseLink,
  });
  return res.status === 404 ? [] : [res.body];
}

export class CheckoutLinkProvider implements pulumi.dynamic.ResourceProvider {
  private readonly accounts = new AccountSource();

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.accounts.setConfig((key) => req.config.get(key));
  }

  async check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    const result = checkArgs(checkoutLinkArgsSchema(), news);
    if (result.failures && result.failures.length > 0) return result;
    // With unknown values present the inputs come back unparsed; fill in the defaults anyway so that
    // a preview does not show them as changes.
    const inputs = result.inputs as Record<string, unknown>;
    return {
      inputs: {
        ...inputs,
        allowDiscountCodes: inputs.allowDiscountCodes ?? true,
        requireBillingAddress: inputs.requireBillingAddress ?? false,
        metadata: inputs.metadata ?? {},
      },
    };
  }

  async diff(
    _id: string,
    olds: CheckoutLinkState,
    news: CheckoutLinkInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    return diffWithTable(
      checkoutLinkDiffTable,
      olds as unknown as Record<string, unknown>,
      news as unknown as Record<string, unknown>,
    );
  }

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult<CheckoutLinkState>> {
    const args = parseArgs(inputs);
    const account = this.accounts.account("polar", args.account);
    const client = clientFor(account);

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
      if (found !== undefined) {
        const body = patchBody(inputsFromWire(found, args), args);
        const link =
          Object.keys(body).length === 0
            ? found
            : (await client.request("PATCH", `/v1/checkout-links/${found.id}`, { body, parse: parseLink }))
                .body;
        return { id: link.id, outs: stateFromWire(link, args) };
      }
    }

    const token = newCreateToken();
    const body = createBody(args, token);
    const first = args.products[0];
    const link = await createOnce({
      deadlineMs: client.deadlineMs,
      timing: client.timing,
      create: async () =>
        (await client.request("POST", "/v1/checkout-links/", { body, parse: parseLink, idempotent: false }))
          .body,
      lookup: () =>
        settledLookup(
          async () =>
            (
              await findLinks(
                client,
                first === undefined ? {} : { product_id: first },
                (l) => l.metadata[CREATE_TAG] === token,
                true,
              )
            )[0],
          settleMsFor(account),
        ),
    });
    return { id: link.id, outs: stateFromWire(link, args) };
  }

  /**
   * After an interrupted run: the newest live link with this label and adoption key tag that no
   * resource in `known` owns.
   */
  async findCreated(inputs: Record<string, unknown>, known: readonly string[]): Promise<string | undefined> {
    const args = parseArgs(inputs);
    const client = clientFor(this.accounts.account("polar", args.account));
    const [hit] = await findLinks(
      client,
      {},
      (l) =>
        l.metadata[NAME_TAG] === args.adoptionKey &&
        (l.label ?? null) === (args.label ?? null) &&
        !known.includes(l.id),
      true,
    );
    return hit?.id;
  }

  async read(id: string, props: CheckoutLinkState): Promise<pulumi.dynamic.ReadResult> {
    const client = this.accounts.client("polar", props.account);
    let link: WireLink;
    try {
      link = (
        await client.request("GET", `/v1/checkout-links/${encodeURIComponent(id)}`, { parse: parseLink })
      ).body;
    } catch (e) {
      // Deleted (soft) or gone: an empty id drops the link from state; the next `up` creates it anew.
      if (isNotFound(e)) return { id: "" };
      throw e;
    }
    const state = stateFromWire(link, props);
    return { id: link.id, props: state, inputs: inputsOf(state) };
  }

  async update(
    id: string,
    olds: CheckoutLinkState,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult<CheckoutLinkState>> {
    const args = parseArgs(news);
    const client = this.accounts.client("polar", args.account);
    const body = patchBody(olds, args);
    if (Object.keys(body).length === 0) {
      // Nothing Polar stores changed (e.g. only `adopt`): keep what is there, with the new inputs.
      return { outs: jsonSafe({ ...olds, account: args.account, adopt: args.adopt, adoptId: args.adoptId }) };
    }
    const res = await client.request("PATCH", `/v1/checkout-links/${encodeURIComponent(id)}`, {
      body,
      parse: parseLink,
    });
    return { outs: stateFromWire(res.body, args) };
  }

  async delete(id: string, props: CheckoutLinkState): Promise<void> {
    const client = this.accounts.client("polar", props.account);
    // Soft delete on Polar's side; a link already gone is what we want.
    await client.request("DELETE", `/v1/checkout-links/${encodeURIComponent(id)}`, { expect: [404] });
  }
}

function parseArgs(inputs: Record<string, unknown>): CheckoutLinkInputs {
  const { __provider: _, ...rest } = inputs;
  const r = checkoutLinkArgsSchema().safeParse(rest);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(inputs)"}: ${i.message}`);
    throw new Error(`invalid polar.CheckoutLink arguments:\n  - ${lines.join("\n  - ")}`);
  }
  return jsonSafe(r.data) as CheckoutLinkInputs;
}

/**
 * A Polar checkout link. `url` is the public link to share (it embeds the client secret, which is
 * how Polar addresses links publicly); `clientSecret` is stored encrypted in state.
 */
export class CheckoutLink extends DynamicResource {
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
    super(
      "polar",
      "CheckoutLink",
      name,
      {
        label: undefined,
        discountId: undefined,
        successUrl: undefined,
        returnUrl: undefined,
        trialInterval: undefined,
        trialIntervalCount: undefined,
        seats: undefined,
        allowDiscountCodes: undefined,
        requireBillingAddress: undefined,
        metadata: undefined,
        ...args,
        adoptionKey: args.adoptionKey ?? name,
        stateVersion: undefined,
        linkId: undefined,
        url: undefined,
        clientSecret: undefined,
        organizationId: undefined,
        createdAt: undefined,
        modifiedAt: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "clientSecret"] },
    );
  }
}
