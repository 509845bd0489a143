/**
 * Fynn classic checkout links (`/checkout-links`): a slug in the organisation's one slug namespace
 * (shared with coreapi), what happens after checkout, options, and the items sold.
 */
import {
  type FynnCheckoutLinkWriteParsed,
  fynnCheckoutLink,
  fynnCheckoutLinkWrite,
} from "../../../provider/fynn/schemas";
import { fynnList } from "../../../provider/fynnFamily";
import type { App, Reply, Route } from "../../app";
import { FYNN_SCOPES } from "../../seed";
import { fynnTimestamp, newId, uniqueSlug } from "../../util";
import { coreapiState } from "../coreapi/state";
import {
  fynnAuth,
  fynnBody,
  fynnPublicBase,
  owned,
  slugConflict,
  slugTaken,
  takenSlugs,
} from "../fynnFamily";
import { renderItem, resolveItems } from "./checkoutLinkItems";
import { paginate, readScopes } from "./paging";
import { type FynnItemRec, type FynnLinkRec, fynnState } from "./state";

function renderLink(app: App, link: FynnLinkRec) {
  return {
    id: link.id,
    afterCheckout: link.afterCheckout,
    options: link.options,
    slug: link.slug,
    isEnabled: link.isEnabled,
    items: link.items.map((item) => renderItem(app, item)),
    url: `${fynnPublicBase(app)}/checkout/${link.slug}`,
  };
}

function linkReply(app: App, status: number, link: FynnLinkRec): Reply {
  return { status, body: renderLink(app, link), schema: fynnCheckoutLink };
}

function defaultSlugBase(app: App, items: FynnItemRec[]): string {
  const first = items[0];
  if (first?.productId) return fynnState(app).products[first.productId]?.name ?? "checkout";
  if (first?.planId) return coreapiState(app).plans[first.planId]?.code ?? "checkout";
  return "checkout";
}

function writeLink(
  app: App,
  orgId: string,
  body: FynnCheckoutLinkWriteParsed,
  existing?: FynnLinkRec,
): FynnLinkRec {
  const items = resolveItems(app, orgId, body, existing?.items ?? []);
  let slug: string;
  if (body.slug) {
    if (slugTaken(app, orgId, body.slug, existing?.id)) throw slugConflict(app, body.slug);
    slug = body.slug;
  } else {
    // inferred: an omitted slug keeps the current one on PUT (the public URL must not move).
    const taken = takenSlugs(app, orgId);
    slug = existing?.slug ?? uniqueSlug(defaultSlugBase(app, items), (s) => taken.has(s));
  }
  const at = fynnTimestamp(app.now());
  return {
    id: existing?.id ?? newId(),
    orgId,
    slug,
    afterCheckout: {
      action: body.afterCheckout.action,
      url: body.afterCheckout.url ?? null,
      confirmationMessage: body.afterCheckout.confirmationMessage ?? null,
      backToProviderUrl: body.afterCheckout.backToProviderUrl ?? null,
    },
    options: { ...body.options },
    isEnabled: body.isEnabled,
    items,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
    deletedAt: null,
  };
}

export function checkoutLinkRoutes(app: App): Route[] {
  const links = () => fynnState(app).links;
  const read = readScopes(FYNN_SCOPES.linkRead);
  const write = [FYNN_SCOPES.linkWrite];
  return [
    {
      method: "POST",
      pattern: "/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, write);
        const link = writeLink(app, org.id, fynnBody(app, ctx, fynnCheckoutLinkWrite));
        links()[link.id] = link;
        // inferred: API Platform answers a create with 201.
        return linkReply(app, 201, link);
      },
    },
    {
      method: "GET",
      pattern: "/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read);
        const slug = ctx.query.get("slug");
        const found = Object.values(links()).filter(
          (l) => l.orgId === org.id && !l.deletedAt && (slug === null || l.slug === slug),
        );
        return {
          status: 200,
          body: paginate(
            app,
            ctx,
            found.map((l) => renderLink(app, l)),
          ),
          schema: () => fynnList(fynnCheckoutLink()),
        };
      },
    },
    {
      method: "GET",
      pattern: "/checkout-links/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read);
        return linkReply(app, 200, owned(links(), ctx.params["id"], org.id));
      },
    },
    {
      method: "PUT",
      pattern: "/checkout-links/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, write);
        const existing = owned(links(), ctx.params["id"], org.id);
        // inferred: PUT is a full replacement (API Platform >= 3); omitted fields take their defaults.
        // `slug` is not a field of the documented PUT body: API Platform ignores it, so it keeps.
        const body = { ...fynnBody(app, ctx, fynnCheckoutLinkWrite), slug: undefined };
        const link = writeLink(app, org.id, body, existing);
        links()[link.id] = link;
        return linkReply(app, 200, link);
      },
    },
    {
      method: "DELETE",
      pattern: "/checkout-links/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, write);
        const link = owned(links(), ctx.params["id"], org.id);
        link.deletedAt = fynnTimestamp(app.now());
        return { status: 204 };
      },
    },
  ];
}
