/**
 * `coreapi.CheckoutLink`: a checkout link of the Fynn V2 Plans API (coreapi.io) that sells one tier
 * of a plan.
 *
 * Routes: `POST` and `GET /api/plans/{planId}/checkout-links` (documented: create, and the plan's
 * links as a bare array, which is also how a link is read), and `PUT|DELETE
 * /api/plans/{planId}/checkout-links/{linkId}` (inferred: the vendor documents no single-link
 * route). A 404 from an inferred route in any form but Fynn's not-found answer fails as
 * UNEXPECTED_404 naming it; a not-found answer to the DELETE counts as done only when the documented
 * list no longer shows the link.
 *
 * Creating never duplicates a link: before the POST the provider lists the plan's links (a bare
 * array, one GET), and when the POST fails in a way that may have been applied (timeout, 5xx,
 * connection lost after sending) it looks for a link that was not in that list and sells the same
 * tier with the same slug. Only if there is none is the POST repeated. The same list serves
 * `adopt: true`, which takes over an existing link of the plan with the given slug (with a PUT only
 * when it differs from the arguments).
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
import { isNotFound } from "../core/errors";
import { CheckoutLinksError } from "../core/failure";
import { providerClassOf, type ResourceSpec, type SpecProvider, SpecResource } from "../core/spec";
import { slugRefusal } from "../fynnFamily";
import type { CheckoutLinkInputs, CheckoutLinkState } from "./checkoutLinkTypes";
import { asDeclared, linkBody, linkPath, listLinks, madeBy, outputsFrom } from "./links";
import {
  type CoreapiCheckoutLink,
  coreapiCheckoutLinkCreateSchema,
  coreapiCheckoutLinkListSchema,
  coreapiCheckoutLinkSchema,
} from "./schemas";

export type { CheckoutLinkInputs, CheckoutLinkOutputs, CheckoutLinkState } from "./checkoutLinkTypes";

/** Arguments of {@link CheckoutLink}. */
export interface CheckoutLinkArgs extends SlugArgument, AccountArgument, AdoptArgument {
  /** The plan the link belongs to (`Plan.planId`). The plan must be active. Changing it replaces the link. */
  planId: pulumi.Input<string>;
  /** The tier the link sells (`Plan.tierIds[name]`); must belong to the plan. Changing it replaces the link. */
  planTierId: pulumi.Input<string>;
  /**
   * Whether buyers may enter a coupon code.
   * @default false
   */
  couponsAllowed?: pulumi.Input<boolean>;
  /**
   * Whether the link is reachable; a disabled link's URL answers 404.
   * @default true
   */
  isEnabled?: pulumi.Input<boolean>;
  /**
   * Sales channel as a UUID or a technical name such as `default`.
   * @default the organisation's default channel; omitting it later keeps the current channel
   */
  salesChannel?: pulumi.Input<string>;
}

/** How each input changes the link; the README shows this table. */
export const coreapiCheckoutLinkDiffTable: DiffTable<keyof CheckoutLinkInputs> = {
  planId: { change: "replace", why: "a link belongs to one plan; the API has no route to move it" },
  planTierId: {
    change: "replace",
    why: "a link sells one tier; the update route does not change it (inferred)",
  },
  slug: { change: "update", publishes: true, why: "updated in place, but the old URL stops working" },
  couponsAllowed: { change: "update", why: "writable through the single-link PUT (inferred route)" },
  isEnabled: { change: "update", why: "writable through the single-link PUT; a disabled link answers 404" },
  salesChannel: { change: "update", why: "writable through the single-link PUT (inferred route)" },
  account: { change: "replace", why: "another account is another organisation: the link is made there anew" },
  adopt: { change: "update", why: "only consulted on create; changing it touches nothing remote" },
};

/** The resource's arguments: the documented create body plus the plan, account and adoption flag. @internal */
export const coreapiCheckoutLinkArgsSchema = coreapiCheckoutLinkCreateSchema
  .extend({
    planId: z.uuid({ message: "must be a plan id (a UUID), e.g. Plan.planId" }),
    salesChannel: z.string().min(1).optional(),
    ...slugAdoptionFields,
    ...accountField,
  })
  .superRefine(adoptNeedsSlug);

/**
 * Optional inputs the user left out are not managed: an omitted slug or sales channel keeps what the
 * link has, so they compare equal to the state. A sales channel given as a UUID equals the same
 * channel given by name.
 */
function comparable(
  olds: Partial<CheckoutLinkState>,
  news: Record<string, unknown>,
): Record<string, unknown> {
  const n = { ...news };
  if (n.slug === undefined || n.slug === null) n.slug = olds.slug;
  const ch = n.salesChannel;
  if (ch === undefined || ch === null || ch === olds.salesChannelId || ch === olds.salesChannelName) {
    n.salesChannel = olds.salesChannel;
  }
  return n;
}

/** coreapi.CheckoutLink as a resource spec; a create shares the plan's links as they were before it. @internal */
export const coreapiCheckoutLinkSpec: ResourceSpec<
  CheckoutLinkInputs,
  CheckoutLinkState,
  CoreapiCheckoutLink[],
  CoreapiCheckoutLink
> = {
  backend: "coreapi",
  type: "CheckoutLink",
  args: coreapiCheckoutLinkArgsSchema,
  diffTable: coreapiCheckoutLinkDiffTable,
  outputKeys: [
    "linkId",
    "url",
    "planTierName",
    "salesChannelId",
    "salesChannelName",
    "createdAt",
    "updatedAt",
  ],
  comparable,
  // A replaced link keeping its slug must free the slug first: slugs are unique per organisation.
  deleteBeforeReplace: (news) => typeof news.slug === "string",

  prepare: (ctx, args) => listLinks(ctx.client(args.account), args.planId),
  stateOf: (link, args) => ({ id: link.id, state: outputsFrom(link, args.planId, args) }),

  adoption: {
    /** The plan's link with the slug, if it sells the declared tier (a link's tier cannot change). */
    async find(_ctx, args, before) {
      const existing = before.find((l) => l.slug === args.slug);
      if (existing !== undefined && existing.planTierId !== args.planTierId) {
        // Taking it over would need a tier change, which the API cannot make: leave it untouched.
        throw new CheckoutLinksError(
          "ADOPT_MISMATCH",
          `coreapi: the link with slug "${args.slug}" sells tier ${existing.planTierId}, not ${args.planTierId}; ` +
            "a link's tier cannot change, so it cannot be adopted",
        );
      }
      return existing;
    },
    // The vendor has no place to mark who made a link: a link of the plan selling the tier, with the
    // declared slug if one is declared and otherwise exactly as declared, made before this run and
    // owned by no resource of it. A link with the slug that differs is left alone: the POST is then
    // refused, and the error says how to adopt it.
    async earlier(ctx, args, _meta, before) {
      return [...before]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .find((l) => l.planTierId === args.planTierId && asDeclared(l, args) && ctx.claim(l.id, l.createdAt));
    },
    /** A PUT only when the link differs from the arguments. */
    async takeOver(ctx, existing, args) {
      if (asDeclared(existing, args)) return outputsFrom(existing, args.planId, args);
      const res = await ctx.client(args.account).request("PUT", linkPath(args.planId, existing.id), {
        body: linkBody(args),
        parse: (json) => coreapiCheckoutLinkSchema.parse(json),
      });
      return outputsFrom(res.body, args.planId, args);
    },
  },

  async send(ctx, args) {
    const res = await ctx.client(args.account).request("POST", linkPath(args.planId), {
      body: linkBody(args),
      parse: (json) => coreapiCheckoutLinkSchema.parse(json),
    });
    return res.body;
  },
  madeBy: (ctx, args, before) =>
    madeBy(
      ctx.client(args.account),
      args,
      before.map((l) => l.id),
    ),
  refused: slugRefusal("coreapi"),

  async findCreated(ctx, args, known) {
    return (await madeBy(ctx.client(args.account), args, known))?.id;
  },

  /** Through the documented list of the plan's links: no single-link GET is documented. */
  async read(ctx, id, props) {
    const res = await ctx.client(props.account).request("GET", linkPath(props.planId), {
      expect: [404],
      parse: (json) => coreapiCheckoutLinkListSchema.parse(json),
    });
    // The plan is gone (Fynn's not-found answer), and its links with it; or the list lacks the link.
    const link = res.status === 404 ? undefined : res.body.find((l) => l.id === id);
    return link === undefined ? undefined : outputsFrom(link, props.planId, props);
  },

  async update(ctx, id, olds, args) {
    // PUT carries every writable field; an omitted slug or channel keeps the link's current one.
    const salesChannel = args.salesChannel ?? olds.salesChannel;
    const res = await ctx.client(args.account).request("PUT", linkPath(args.planId, id), {
      body: {
        slug: args.slug ?? olds.slug,
        couponsAllowed: args.couponsAllowed,
        isEnabled: args.isEnabled,
        salesChannel,
      },
      parse: (json) => coreapiCheckoutLinkSchema.parse(json),
    });
    return outputsFrom(res.body, args.planId, { ...args, salesChannel });
  },

  async remove(ctx, id, props) {
    const client = ctx.client(props.account);
    try {
      // inferred route; a framework 404 fails as UNEXPECTED_404 (the link may still sell).
      await client.request("DELETE", linkPath(props.planId, id));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // Fynn's not-found answer: done only if the documented list agrees.
      const still = await listLinks(client, props.planId).catch((le: unknown) => {
        if (isNotFound(le)) return [];
        throw le;
      });
      if (still.some((l) => l.id === id)) {
        throw new Error(
          `coreapi: DELETE ${linkPath(props.planId, id)} answered 404 but the plan's documented link list ` +
            `still shows link ${id}; the vendor's API may differ from what this package expects ` +
            '(README "Inferred API behaviour")',
          { cause: e },
        );
      }
    }
  },
};

/** @deprecated use {@link coreapiCheckoutLinkSpec} @internal */
export const checkoutLinkSpec = coreapiCheckoutLinkSpec;
/** @deprecated use {@link coreapiCheckoutLinkDiffTable} */
export const checkoutLinkDiffTable = coreapiCheckoutLinkDiffTable;
/** @deprecated use {@link coreapiCheckoutLinkArgsSchema} @internal */
export const coreapiCheckoutLinkArgs = () => coreapiCheckoutLinkArgsSchema;

export const CheckoutLinkProvider = providerClassOf(checkoutLinkSpec, BACKENDS);
export type CheckoutLinkProvider = SpecProvider<CheckoutLinkInputs, CheckoutLinkState>;

/** The provider of {@link CheckoutLink}: one instance per process serves every link. */
export const CoreapiCheckoutLinkProvider = CheckoutLinkProvider;
/** An instance of {@link CoreapiCheckoutLinkProvider}. */
export type CoreapiCheckoutLinkProvider = CheckoutLinkProvider;

/**
 * A coreapi.io checkout link selling one tier of a plan. Type token
 * `pulumi-nodejs:dynamic/coreapi:CheckoutLink`.
 *
 * ```ts
 * const link = new coreapi.CheckoutLink("pro", { planId: plan.planId, planTierId: plan.tierIds["Pro"], slug: "pro" });
 * export const url = link.url;
 * ```
 */
export class CheckoutLink extends SpecResource {
  declare readonly planId: pulumi.Output<string>;
  declare readonly planTierId: pulumi.Output<string>;
  /** The slug buyers see in the URL. */
  declare readonly slug: pulumi.Output<string>;
  declare readonly couponsAllowed: pulumi.Output<boolean>;
  declare readonly isEnabled: pulumi.Output<boolean>;
  /** The sales channel as given (UUID or name), or its technical name when not given. */
  declare readonly salesChannel: pulumi.Output<string>;
  declare readonly adopt: pulumi.Output<boolean>;
  /** The link's id (also the resource id). */
  declare readonly linkId: pulumi.Output<string>;
  /** Public checkout URL that creates a cart and redirects the buyer. */
  declare readonly url: pulumi.Output<string>;
  declare readonly planTierName: pulumi.Output<string>;
  declare readonly salesChannelId: pulumi.Output<string>;
  declare readonly salesChannelName: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;

  constructor(name: string, args: CheckoutLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super(coreapiCheckoutLinkSpec, name, args, opts);
  }
}
