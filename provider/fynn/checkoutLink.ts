/**
 * `fynn.CheckoutLink`: a checkout link of the Fynn classic API, selling products (at a price plan and
 * quantity) and plans (at a price plan).
 *
 * Routes: `POST /checkout-links`, `GET|PUT /checkout-links/{id}` (documented; PUT is a full
 * replacement whose body has no `slug`, so a new slug is a new link), `DELETE /checkout-links/{id}`
 * and `GET /checkout-links?slug=` (inferred: neither is documented; a 404 from them in any form but
 * Fynn's not-found answer fails as UNEXPECTED_404 naming the route).
 *
 * Creating never duplicates a link: before the POST the provider notes which links already exist
 * (by slug when one is given: one GET; otherwise every page of the list), and when the POST fails
 * in a way that may have been applied it looks for a link that was not there before and sells the
 * same items. Only if there is none is the POST repeated. `adopt: true` takes over an existing link
 * with the given slug (with a PUT only when it differs from the arguments).
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BACKENDS } from "../backends";
import {
  type AccountArgument,
  type AdoptArgument,
  accountField,
  adoptNeedsSlug,
  type SlugArgument,
  slugAdoptionFields,
} from "../core/args";
import type { DiffTable } from "../core/diff";
import { httpUrlSchema } from "../core/schemas";
import { providerClassOf, type ResourceSpec, type SpecProvider, SpecResource } from "../core/spec";
import { slugRefusal } from "../fynnFamily";
import type { CheckoutLinkInputs, CheckoutLinkState } from "./checkoutLinkTypes";
import {
  type CheckoutLinkItemArgs,
  type CheckoutLinkItemInputs,
  fynnItemArgSchema,
  sameItems,
} from "./items";
import { asDeclared, fynnBody, fynnPutBody, linkPath, listLinks, outputsFrom } from "./links";
import {
  type FynnCheckoutLink,
  fynnAfterCheckoutActionSchema,
  fynnCheckoutLinkSchema,
  fynnOptionsWriteSchema,
} from "./schemas";

export type {
  CheckoutLinkInputs,
  CheckoutLinkState,
  FynnCheckoutLinkInputs,
  FynnCheckoutLinkOutputs,
} from "./checkoutLinkTypes";
export type {
  CheckoutLinkItemArgs,
  CheckoutLinkItemInputs,
  CheckoutLinkPeriodArgs,
  CheckoutLinkPeriodInputs,
  CheckoutLinkPlanItemArgs,
  CheckoutLinkProductItemArgs,
  FynnCheckoutLinkItemInputs,
  FynnCheckoutLinkPeriodInputs,
} from "./items";
/** @internal */
export { fynnBody } from "./links";

/** Checkout options. */
export interface CheckoutLinkOptionsArgs {
  /** Trial days; ignored when the price excludes trials. @default null (no trial) */
  trialDays?: number | null;
  /** Show the discount-code field. @default false */
  allowCoupons?: boolean;
  /** The buyer may change quantities. @default false */
  quantityEditable?: boolean;
  /** Require company details. @default false */
  forceCompany?: boolean;
}

/** What happens after a purchase. Strings are at most 255 characters. */
export interface CheckoutLinkAfterCheckoutArgs {
  /** `redirect` (needs `url`) or `confirmation_message`. */
  action: "redirect" | "confirmation_message";
  /** Where to redirect; required for `redirect`. @default null */
  url?: string | null;
  /** @default null (Fynn's default message) */
  confirmationMessage?: string | null;
  /** Target of the "Zurück zum Anbieter" button; hidden when null. @default null */
  backToProviderUrl?: string | null;
}

/** Arguments of {@link CheckoutLink}. */
export interface CheckoutLinkArgs extends SlugArgument, AccountArgument, AdoptArgument {
  /** What the link sells; at least one item. */
  items: pulumi.Input<pulumi.Input<CheckoutLinkItemArgs>[]>;
  /** @default { trialDays: null, allowCoupons: false, quantityEditable: false, forceCompany: false } */
  options?: pulumi.Input<CheckoutLinkOptionsArgs>;
  /** @default { action: "confirmation_message" } */
  afterCheckout?: pulumi.Input<CheckoutLinkAfterCheckoutArgs>;
  /** Whether the link is reachable; a disabled link's URL answers 404. @default true */
  isEnabled?: pulumi.Input<boolean>;
}

/** How each input changes the link; the README shows this table. */
export const fynnCheckoutLinkDiffTable: DiffTable<
  "items" | "options" | "afterCheckout" | "isEnabled" | "slug" | "account" | "adopt"
> = {
  items: { change: "update", why: "the PUT replaces the whole link, items included" },
  options: { change: "update", why: "part of the full-replacement PUT" },
  afterCheckout: { change: "update", why: "part of the full-replacement PUT" },
  isEnabled: { change: "update", why: "part of the full-replacement PUT; a disabled link answers 404" },
  slug: {
    change: "replace",
    publishes: true,
    why: "not a field of the documented PUT body: a new slug is a new link, and the old URL stops working",
  },
  account: { change: "replace", why: "another account is another organisation: the link is made there anew" },
  adopt: { change: "update", why: "only consulted on create; changing it touches nothing remote" },
};

/**
 * `afterCheckout` as the wire takes it, except that its URLs must be http(s) URLs: buyers are sent
 * there, so `javascript:` or a bare word is refused at preview.
 */
const afterCheckoutArgsSchema = z
  .object({
    action: fynnAfterCheckoutActionSchema,
    url: httpUrlSchema.max(255).nullish(),
    confirmationMessage: z.string().max(255).nullish(),
    backToProviderUrl: httpUrlSchema.max(255).nullish(),
  })
  .superRefine((value, ctx) => {
    if (value.action === "redirect" && !value.url) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "This value should not be blank." });
    }
  });

/** The resource's arguments: the wire body with ids instead of references, plus account and adoption. @internal */
export const fynnCheckoutLinkArgsSchema = z
  .object({
    items: z.array(fynnItemArgSchema).min(1, { message: "at least one item is required" }),
    options: fynnOptionsWriteSchema.default({
      trialDays: null,
      allowCoupons: false,
      quantityEditable: false,
      forceCompany: false,
    }),
    afterCheckout: afterCheckoutArgsSchema.default({ action: "confirmation_message" }),
    isEnabled: z.boolean().default(true),
    ...slugAdoptionFields,
    ...accountField,
  })
  .superRefine(adoptNeedsSlug);

/** fynn.CheckoutLink as a resource spec; a create shares the links as they were before it. @internal */
export const fynnCheckoutLinkSpec: ResourceSpec<
  CheckoutLinkInputs,
  CheckoutLinkState,
  FynnCheckoutLink[],
  FynnCheckoutLink
> = {
  backend: "fynn",
  type: "CheckoutLink",
  args: fynnCheckoutLinkArgsSchema,
  diffTable: fynnCheckoutLinkDiffTable,
  outputKeys: ["linkId", "url"],
  // An omitted slug is not managed: it keeps the link's current slug.
  comparable: (olds, news) => ({ ...news, slug: news.slug ?? olds.slug }),
  // A replaced link keeping its slug must free the slug first: slugs are unique per organisation.
  deleteBeforeReplace: (news) => typeof news.slug === "string",

  prepare: (ctx, args) => listLinks(ctx.client(args.account), args.slug),
  stateOf: (link, args) => ({ id: link.id, state: outputsFrom(link, args) }),
  adoption: {
    find: async (_ctx, args, before) => before.find((l) => l.slug === args.slug),
    // The vendor has no place to mark who made a link: the link with the declared slug, exactly as
    // declared and owned by no resource of this run. No other resource of the run can hold the slug,
    // so the link is not one this run made (Fynn gives links no creation time to check). A link with
    // the slug that differs is left alone: the POST is then refused, and the error says how to adopt
    // it. Without a declared slug nothing tells an interrupted run's link from another resource's
    // identical one, so none is taken over.
    earlier: async (ctx, args, _meta, before) =>
      args.slug === undefined
        ? undefined
        : before.find((l) => l.slug === args.slug && asDeclared(l, args) && ctx.claim(l.id, null)),
    /** A PUT only when the link differs from the arguments. */
    async takeOver(ctx, existing, args) {
      if (asDeclared(existing, args)) return outputsFrom(existing, args);
      const res = await ctx.client(args.account).request("PUT", linkPath(existing.id), {
        body: fynnPutBody(args),
        parse: (json) => fynnCheckoutLinkSchema.parse(json),
      });
      return outputsFrom(res.body, args);
    },
  },
  async send(ctx, args) {
    const res = await ctx.client(args.account).request("POST", "/checkout-links", {
      body: fynnBody(args, args.slug),
      parse: (json) => fynnCheckoutLinkSchema.parse(json),
    });
    return res.body;
  },
  // A link this create made: not there before, and selling the same items.
  madeBy: async (ctx, args, before) =>
    (await listLinks(ctx.client(args.account), args.slug)).find(
      (l) => !before.some((b) => b.id === l.id) && sameItems(l, args.items),
    ),
  refused: slugRefusal("fynn"),

  /** The declared slug, or with none the same items. */
  async findCreated(ctx, args, known) {
    const hits = (await listLinks(ctx.client(args.account), args.slug)).filter(
      (l) =>
        !known.includes(l.id) && (args.slug !== undefined ? l.slug === args.slug : sameItems(l, args.items)),
    );
    return hits[hits.length - 1]?.id;
  },

  async read(ctx, id, props) {
    const res = await ctx.client(props.account).request("GET", linkPath(id), {
      expect: [404],
      parse: (json) => fynnCheckoutLinkSchema.parse(json),
    });
    return res.status === 404 ? undefined : outputsFrom(res.body, props);
  },

  async update(ctx, id, _olds, args) {
    // Full replacement of everything but the slug (a slug change replaces the link).
    const res = await ctx.client(args.account).request("PUT", linkPath(id), {
      body: fynnPutBody(args),
      parse: (json) => fynnCheckoutLinkSchema.parse(json),
    });
    return outputsFrom(res.body, args);
  },

  async remove(ctx, id, props) {
    await ctx.client(props.account).request("DELETE", linkPath(id));
  },
};

/** @deprecated use {@link fynnCheckoutLinkArgsSchema} @internal */
export const fynnCheckoutLinkArgs = () => fynnCheckoutLinkArgsSchema;

/** The provider of {@link CheckoutLink}: one instance per process serves every link. */
export const FynnCheckoutLinkProvider = providerClassOf(fynnCheckoutLinkSpec, BACKENDS);
/** An instance of {@link FynnCheckoutLinkProvider}. */
export type FynnCheckoutLinkProvider = SpecProvider<CheckoutLinkInputs, CheckoutLinkState>;

/**
 * A Fynn classic checkout link. Type token `pulumi-nodejs:dynamic/fynn:CheckoutLink`.
 *
 * ```ts
 * const link = new fynn.CheckoutLink("starter", {
 *   items: [{ productId, pricePlanId, quantity: 1 }],
 *   afterCheckout: { action: "redirect", url: "https://example.com/thanks" },
 *   slug: "starter",
 * });
 * export const url = link.url;
 * ```
 */
export class CheckoutLink extends SpecResource {
  declare readonly items: pulumi.Output<CheckoutLinkItemInputs[]>;
  declare readonly options: pulumi.Output<Required<CheckoutLinkOptionsArgs>>;
  declare readonly afterCheckout: pulumi.Output<CheckoutLinkAfterCheckoutArgs>;
  declare readonly isEnabled: pulumi.Output<boolean>;
  /** The slug buyers see in the URL. */
  declare readonly slug: pulumi.Output<string>;
  declare readonly adopt: pulumi.Output<boolean>;
  /** The link's id (also the resource id). */
  declare readonly linkId: pulumi.Output<string>;
  /** Public URL `{base}/checkout/{slug}`. */
  declare readonly url: pulumi.Output<string>;

  constructor(name: string, args: CheckoutLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super(fynnCheckoutLinkSpec, name, args, opts);
  }
}
