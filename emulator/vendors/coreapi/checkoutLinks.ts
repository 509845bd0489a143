/**
 * coreapi checkout links: each sells one tier of an active plan, listed and created below the plan
 * (`/api/plans/{id}/checkout-links`), read, updated and deleted where `coreapiLinkRoutes` puts the
 * single-link routes, and opened at `/checkout-link/{slug}/cart`.
 */
import {
  coreapiCheckoutLink,
  coreapiCheckoutLinkCreate,
  coreapiCheckoutLinkList,
  coreapiCheckoutLinkUpdate,
} from "../../../provider/coreapi/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { FYNN_SCOPES, type OrganizationSeed } from "../../seed";
import { fynnTimestamp, newId, uniqueSlug } from "../../util";
import {
  cartUrl,
  createCart,
  findBySlug,
  fynnAuth,
  fynnBody,
  fynnNotFound,
  fynnPublicBase,
  fynnViolationError,
  owned,
  SYMFONY_CODES,
  slugConflict,
  slugTaken,
  takenSlugs,
} from "../fynnFamily";
import { type CoreapiLinkRec, coreapiState } from "./state";

const READ = [FYNN_SCOPES.linkRead, FYNN_SCOPES.linkWrite];
const WRITE = [FYNN_SCOPES.linkWrite];

function salesChannelOf(org: OrganizationSeed, id: string) {
  const channel = org.salesChannels.find((c) => c.id === id) ?? org.salesChannels[0]!;
  return { id: channel.id, name: channel.name, brandName: channel.brandName };
}

function renderLink(app: App, link: CoreapiLinkRec) {
  const plan = coreapiState(app).plans[link.planId];
  const tier = plan?.tiers.find((t) => t.id === link.planTierId);
  const org = app.orgsById.get(link.orgId)!;
  return {
    id: link.id,
    slug: link.slug,
    planTierId: link.planTierId,
    planTierName: tier?.name ?? "",
    couponsAllowed: link.couponsAllowed,
    isEnabled: link.isEnabled,
    url: `${fynnPublicBase(app)}/checkout-link/${link.slug}/cart`,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
    salesChannel: salesChannelOf(org, link.salesChannelId),
  };
}

function linkReply(app: App, status: number, link: CoreapiLinkRec): Reply {
  return { status, body: renderLink(app, link), schema: coreapiCheckoutLink };
}

/** A channel given as UUID or technical name; the organisation default when omitted. */
function resolveSalesChannel(app: App, org: OrganizationSeed, value: string | null | undefined): string {
  if (value === undefined || value === null) return org.salesChannels[0]!.id;
  const channel = org.salesChannels.find((c) => c.id === value || c.name === value);
  if (!channel) {
    throw fynnViolationError(app.options.fynnValidationStatus, [
      {
        propertyPath: "salesChannel",
        message: `Sales channel "${value}" does not exist.`,
        code: SYMFONY_CODES.choice,
      },
    ]);
  }
  return channel.id;
}

function createLink(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, WRITE);
  const plan = owned(coreapiState(app).plans, ctx.params["id"], org.id);
  const body = fynnBody(app, ctx, coreapiCheckoutLinkCreate);
  const tier = plan.tiers.find((t) => t.id === body.planTierId);
  if (!tier) {
    throw fynnViolationError(app.options.fynnValidationStatus, [
      { propertyPath: "planTierId", message: "The tier does not belong to this plan.", code: null },
    ]);
  }
  if (plan.status !== "active") {
    // inferred: "Only active plans can be sold".
    throw fynnViolationError(app.options.fynnValidationStatus, [
      {
        propertyPath: "",
        message: "The plan must be active to sell it through a checkout link.",
        code: null,
      },
    ]);
  }
  if (body.slug && slugTaken(app, org.id, body.slug)) throw slugConflict(app, body.slug);
  const salesChannelId = resolveSalesChannel(app, org, body.salesChannel);
  // inferred: generated slugs look like `{planCode}-{tierName}` (the docs' `pro-plan-pro`).
  const taken = takenSlugs(app, org.id);
  const slug = body.slug || uniqueSlug(`${plan.code}-${tier.name}`, (s) => taken.has(s));
  const at = fynnTimestamp(app.now());
  const link: CoreapiLinkRec = {
    id: newId(),
    orgId: org.id,
    planId: plan.id,
    planTierId: tier.id,
    slug,
    couponsAllowed: body.couponsAllowed,
    isEnabled: body.isEnabled,
    salesChannelId,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  coreapiState(app).links[link.id] = link;
  // inferred: 201 ("The created checkout link").
  return linkReply(app, 201, link);
}

/** The link addressed by a single-link route, checked against the plan when the path names one. */
function linkFor(app: App, ctx: Ctx, orgId: string): CoreapiLinkRec {
  const link = owned(coreapiState(app).links, ctx.params["linkId"], orgId);
  if (ctx.params["planId"] !== undefined && link.planId !== ctx.params["planId"]) throw fynnNotFound();
  return link;
}

function updateLink(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, WRITE);
  const link = linkFor(app, ctx, org.id);
  const body = fynnBody(app, ctx, coreapiCheckoutLinkUpdate);
  if (body.planTierId !== undefined && body.planTierId !== link.planTierId) {
    // inferred: a link sells one tier; selling another is a new link.
    throw fynnViolationError(app.options.fynnValidationStatus, [
      {
        propertyPath: "planTierId",
        message: "The tier of a checkout link cannot be changed; create a new link instead.",
        code: null,
      },
    ]);
  }
  if (body.slug && slugTaken(app, org.id, body.slug, link.id)) throw slugConflict(app, body.slug);
  link.salesChannelId = resolveSalesChannel(app, org, body.salesChannel);
  if (body.slug) link.slug = body.slug;
  link.couponsAllowed = body.couponsAllowed;
  link.isEnabled = body.isEnabled;
  link.updatedAt = fynnTimestamp(app.now());
  return linkReply(app, 200, link);
}

function singleLinkRoutes(app: App, pattern: string): Route[] {
  return [
    {
      method: "GET",
      pattern,
      handler: (ctx) => linkReply(app, 200, linkFor(app, ctx, fynnAuth(app, ctx, READ).id)),
    },
    { method: "PUT", pattern, handler: (ctx) => updateLink(app, ctx) },
    {
      method: "DELETE",
      pattern,
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, WRITE);
        linkFor(app, ctx, org.id).deletedAt = fynnTimestamp(app.now());
        return { status: 204 };
      },
    },
  ];
}

export function checkoutLinkRoutes(app: App): Route[] {
  const routes: Route[] = [
    {
      method: "GET",
      pattern: "/api/plans/:id/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, READ);
        const { plans, links } = coreapiState(app);
        const plan = owned(plans, ctx.params["id"], org.id);
        const list = Object.values(links)
          .filter((l) => l.planId === plan.id && !l.deletedAt)
          .map((l) => renderLink(app, l));
        return { status: 200, body: list, schema: coreapiCheckoutLinkList };
      },
    },
    { method: "POST", pattern: "/api/plans/:id/checkout-links", handler: (ctx) => createLink(app, ctx) },
    {
      method: "GET",
      pattern: "/checkout-link/:slug/cart",
      handler: (ctx) => {
        const { plans, links } = coreapiState(app);
        const link = findBySlug(app, ctx, links, ctx.params["slug"]);
        const plan = link ? plans[link.planId] : undefined;
        // A disabled link, or one whose plan is no longer active, is not reachable.
        if (!link?.isEnabled || plan?.status !== "active") throw fynnNotFound();
        const cart = createCart(app, link.orgId, "coreapi", link.id, null, Object.fromEntries(ctx.query));
        return { status: 302, headers: { location: cartUrl(app, cart) } };
      },
    },
  ];
  if (app.options.coreapiLinkRoutes.includes("plan")) {
    routes.push(...singleLinkRoutes(app, "/api/plans/:planId/checkout-links/:linkId"));
  }
  if (app.options.coreapiLinkRoutes.includes("root")) {
    routes.push(...singleLinkRoutes(app, "/api/checkout-links/:linkId"));
  }
  return routes;
}
