/**
 * Fynn classic API: checkout links, their items, carts, and the products and price plans items
 * point at. Served under `/fynn` next to coreapi V2 (same host, same tokens, one slug namespace:
 * what both share is vendors/fynnFamily.ts).
 */
import {
  type FynnCheckoutLinkWriteParsed,
  fynnCart,
  fynnCartCreate,
  fynnCheckoutLink,
  fynnCheckoutLinkItem,
  fynnCheckoutLinkWrite,
  fynnPricePlan,
  fynnPricePlanWrite,
  fynnProduct,
  fynnProductWrite,
} from "../../provider/fynn/schemas";
import { fynnList } from "../../provider/fynnFamily";
import type { App, Ctx, Reply, Route, VendorModule } from "../app";
import { FYNN_SCOPES } from "../seed";
import type { CoreapiPlanRec, FynnItemRec, FynnLinkRec, FynnPricePlanRec, FynnProductRec } from "../state";
import { fynnTimestamp, newId, uniqueSlug } from "../util";
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
  type Violation,
} from "./fynnFamily";

/** Classic `page`/`limit` paging (limit 0..100; inferred: larger values are clamped, not rejected). */
export function paginate<T>(app: App, ctx: Ctx, items: T[], defaultLimit = 30) {
  const page = ctx.query.has("page") ? Number(ctx.query.get("page")) : 1;
  const limit = ctx.query.has("limit") ? Number(ctx.query.get("limit")) : defaultLimit;
  const violations: Violation[] = [];
  if (!Number.isInteger(page) || page < 1) {
    violations.push({
      propertyPath: "page",
      message: "Page should be a positive integer.",
      code: SYMFONY_CODES.range,
    });
  }
  if (!Number.isInteger(limit) || limit < 0) {
    violations.push({
      propertyPath: "limit",
      message: "Limit should be 0 or more.",
      code: SYMFONY_CODES.range,
    });
  }
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  const perPage = Math.min(limit, 100);
  const data = perPage === 0 ? [] : items.slice((page - 1) * perPage, page * perPage);
  return {
    data,
    meta: {
      pagination: {
        totalItems: items.length,
        itemsPerPage: perPage,
        currentPage: page,
        lastPage: perPage === 0 ? 1 : Math.max(1, Math.ceil(items.length / perPage)),
        pageTotalItems: data.length,
      },
    },
  };
}

// ---- rendering -----------------------------------------------------------------------------------

export function renderProduct(product: FynnProductRec) {
  return {
    id: product.id,
    type: product.type,
    name: product.name,
    description: product.description,
    invoiceVisibility: product.invoiceVisibility,
    customFields: product.customFields,
  };
}

function renderPricePlan(app: App, price: FynnPricePlanRec) {
  const checkoutLinkIds = Object.values(app.state.fynn.links)
    .filter((link) => !link.deletedAt && link.items.some((item) => item.priceId === price.id))
    .map((link) => link.id);
  return {
    id: price.id,
    internalName: price.internalName,
    status: price.status,
    salesChannel: null,
    type: price.type,
    applyTrial: price.applyTrial,
    payInAdvance: price.payInAdvance,
    proRata: price.proRata,
    freeUnits: price.freeUnits,
    billingInterval: price.billingInterval,
    showPricePerInterval: price.billingInterval,
    currencyCode: price.currencyCode,
    price: {
      amount: price.amount,
      createdAt: price.createdAt,
      updatedAt: price.updatedAt,
      tenantId: price.orgId,
    },
    custom: false,
    charge: null,
    productSetOption: null,
    /** inferred: the product as an IRI (the docs show a placeholder). */
    product: `/products/${price.productId}`,
    customer: null,
    inUse: checkoutLinkIds.length > 0,
    checkoutLinkIds,
  };
}

/** A coreapi (V2) plan in the classic embedded-plan shape. inferred: family = the plan itself. */
function renderEmbeddedPlan(app: App, plan: CoreapiPlanRec) {
  const firstItem = plan.tiers[0]?.items[0];
  const origin = firstItem ? app.state.fynn.products[firstItem.productId] : undefined;
  return {
    id: plan.id,
    family: { id: plan.id },
    code: plan.code,
    originProduct: origin ? renderProduct(origin) : null,
    allowCheckout: plan.status === "active",
    status: plan.status,
    createdAt: plan.createdAt,
    name: plan.name,
    description: plan.description,
  };
}

function renderItem(app: App, item: FynnItemRec) {
  const product = item.productId ? app.state.fynn.products[item.productId] : undefined;
  const plan = item.planId ? app.state.coreapi.plans[item.planId] : undefined;
  const price = app.state.fynn.pricePlans[item.priceId];
  return {
    // The documented link items carry no id.
    ...(app.options.docsOnly ? {} : { id: item.id }),
    type: item.type,
    product: product ? renderProduct(product) : null,
    quantity: item.quantity,
    plan: plan ? renderEmbeddedPlan(app, plan) : null,
    price: price ? renderPricePlan(app, price) : null,
    periods: item.periods,
  };
}

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

// ---- writes ----------------------------------------------------------------------------------------

/** Resolves item references against the organisation's catalog, collecting every violation. */
function resolveItems(
  app: App,
  orgId: string,
  body: FynnCheckoutLinkWriteParsed,
  previous: FynnItemRec[],
): FynnItemRec[] {
  const violations: Violation[] = [];
  const notFound = (path: string, iri: string) =>
    violations.push({ propertyPath: path, message: `Item not found for "${iri}".`, code: null });
  const items = body.items.map((item, i): FynnItemRec => {
    const price = app.state.fynn.pricePlans[item.price];
    if (!price || price.orgId !== orgId) notFound(`items[${i}].price`, `/price-plans/${item.price}`);
    if (item.type === "product") {
      const product = app.state.fynn.products[item.product];
      if (!product || product.orgId !== orgId) notFound(`items[${i}].product`, `/products/${item.product}`);
      else if (price && price.orgId === orgId && price.productId !== product.id) {
        violations.push({
          propertyPath: `items[${i}].price`,
          message: "The price plan does not belong to the product.",
          code: SYMFONY_CODES.choice,
        });
      }
    } else {
      const plan = app.state.coreapi.plans[item.plan];
      if (!plan || plan.orgId !== orgId) notFound(`items[${i}].plan`, `/plans/${item.plan}`);
    }
    // Keep item ids stable when a PUT leaves an item in place (same position, same references).
    const old = previous[i];
    const same =
      old &&
      old.type === item.type &&
      old.priceId === item.price &&
      old.productId === (item.type === "product" ? item.product : null) &&
      old.planId === (item.type === "plan" ? item.plan : null);
    return {
      id: same ? old.id : newId(),
      type: item.type,
      productId: item.type === "product" ? item.product : null,
      planId: item.type === "plan" ? item.plan : null,
      priceId: item.price,
      quantity: item.type === "product" ? item.quantity : null,
      periods: item.periods.map((p) => ({
        contractPeriod: p.contractPeriod,
        cancellationPeriod: p.cancellationPeriod,
      })),
    };
  });
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  return items;
}

function defaultSlugBase(app: App, items: FynnItemRec[]): string {
  const first = items[0];
  if (first?.productId) return app.state.fynn.products[first.productId]?.name ?? "checkout";
  if (first?.planId) return app.state.coreapi.plans[first.planId]?.code ?? "checkout";
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

// ---- routes ------------------------------------------------------------------------------------------

function fynnRoutes(app: App): Route[] {
  const state = () => app.state.fynn;
  const read = (scope: string) => [scope, scope.replace(":read", ":write")];
  const linkReply = (status: number, link: FynnLinkRec): Reply => ({
    status,
    body: renderLink(app, link),
    schema: fynnCheckoutLink,
  });

  return [
    {
      method: "POST",
      pattern: "/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.linkWrite]);
        const link = writeLink(app, org.id, fynnBody(app, ctx, fynnCheckoutLinkWrite));
        state().links[link.id] = link;
        // inferred: API Platform answers a create with 201.
        return linkReply(201, link);
      },
    },
    {
      method: "GET",
      pattern: "/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.linkRead));
        const slug = ctx.query.get("slug");
        const links = Object.values(state().links).filter(
          (l) => l.orgId === org.id && !l.deletedAt && (slug === null || l.slug === slug),
        );
        return {
          status: 200,
          body: paginate(
            app,
            ctx,
            links.map((l) => renderLink(app, l)),
          ),
          schema: () => fynnList(fynnCheckoutLink()),
        };
      },
    },
    {
      method: "GET",
      pattern: "/checkout-links/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.linkRead));
        return linkReply(200, owned(state().links, ctx.params["id"], org.id));
      },
    },
    {
      method: "PUT",
      pattern: "/checkout-links/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.linkWrite]);
        const existing = owned(state().links, ctx.params["id"], org.id);
        // inferred: PUT is a full replacement (API Platform >= 3); omitted fields take their defaults.
        // `slug` is not a field of the documented PUT body: API Platform ignores it, so it keeps.
        const body = { ...fynnBody(app, ctx, fynnCheckoutLinkWrite), slug: undefined };
        const link = writeLink(app, org.id, body, existing);
        state().links[link.id] = link;
        return linkReply(200, link);
      },
    },
    {
      method: "DELETE",
      pattern: "/checkout-links/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.linkWrite]);
        const link = owned(state().links, ctx.params["id"], org.id);
        link.deletedAt = fynnTimestamp(app.now());
        return { status: 204 };
      },
    },
    {
      method: "POST",
      pattern: "/checkout-links/:id/cart",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.cartWrite]);
        const link = owned(state().links, ctx.params["id"], org.id);
        const body = fynnBody(app, ctx, fynnCartCreate);
        if (!link.isEnabled) {
          // inferred: a disabled link cannot start a cart.
          throw fynnViolationError(app.options.fynnValidationStatus, [
            { propertyPath: "", message: "The checkout link is disabled.", code: null },
          ]);
        }
        const cart = createCart(app, org.id, "fynn", link.id, body.customerId ?? null, body.metadata);
        return {
          status: 201,
          body: { cartId: cart.id, customerId: cart.customerId, url: cartUrl(app, cart) },
          schema: fynnCart,
        };
      },
    },
    {
      method: "GET",
      pattern: "/checkout-link-items/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.linkRead));
        const id = ctx.params["id"];
        for (const link of Object.values(state().links)) {
          if (link.orgId !== org.id || link.deletedAt) continue;
          const item = link.items.find((i) => i.id === id);
          if (item) return { status: 200, body: renderItem(app, item), schema: fynnCheckoutLinkItem };
        }
        throw fynnNotFound();
      },
    },
    // -- catalog: products and price plans, so items have something to point at --
    {
      method: "POST",
      pattern: "/products",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.productWrite]);
        const body = fynnBody(app, ctx, fynnProductWrite);
        const at = fynnTimestamp(app.now());
        const product: FynnProductRec = { id: newId(), orgId: org.id, ...body, createdAt: at, updatedAt: at };
        state().products[product.id] = product;
        return { status: 201, body: renderProduct(product), schema: fynnProduct };
      },
    },
    {
      method: "GET",
      pattern: "/products",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.productRead));
        const products = Object.values(state().products).filter((p) => p.orgId === org.id);
        return {
          status: 200,
          body: paginate(app, ctx, products.map(renderProduct)),
          schema: () => fynnList(fynnProduct()),
        };
      },
    },
    {
      method: "GET",
      pattern: "/products/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.productRead));
        return {
          status: 200,
          body: renderProduct(owned(state().products, ctx.params["id"], org.id)),
          schema: fynnProduct,
        };
      },
    },
    {
      method: "POST",
      pattern: "/price-plans",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.pricePlanWrite]);
        const body = fynnBody(app, ctx, fynnPricePlanWrite);
        const product = state().products[body.product];
        if (!product || product.orgId !== org.id) {
          throw fynnViolationError(app.options.fynnValidationStatus, [
            {
              propertyPath: "product",
              message: `Item not found for "/products/${body.product}".`,
              code: null,
            },
          ]);
        }
        const at = fynnTimestamp(app.now());
        const { product: productId, ...rest } = body;
        const price: FynnPricePlanRec = {
          id: newId(),
          orgId: org.id,
          productId,
          ...rest,
          createdAt: at,
          updatedAt: at,
        };
        state().pricePlans[price.id] = price;
        return { status: 201, body: renderPricePlan(app, price), schema: fynnPricePlan };
      },
    },
    {
      method: "GET",
      pattern: "/price-plans",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.pricePlanRead));
        const product = ctx.query.get("product");
        const prices = Object.values(state().pricePlans).filter(
          (p) => p.orgId === org.id && (product === null || p.productId === product),
        );
        return {
          status: 200,
          body: paginate(
            app,
            ctx,
            prices.map((p) => renderPricePlan(app, p)),
          ),
          schema: () => fynnList(fynnPricePlan()),
        };
      },
    },
    {
      method: "GET",
      pattern: "/price-plans/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read(FYNN_SCOPES.pricePlanRead));
        const price = owned(state().pricePlans, ctx.params["id"], org.id);
        return { status: 200, body: renderPricePlan(app, price), schema: fynnPricePlan };
      },
    },
    // -- public URLs --
    {
      method: "GET",
      pattern: "/checkout/:slug",
      handler: (ctx) => {
        const link = findBySlug(app, ctx, state().links, ctx.params["slug"]);
        if (!link?.isEnabled) throw fynnNotFound();
        // inferred: opening a classic link starts a cart, like coreapi's `/checkout-link/{slug}/cart`.
        const cart = createCart(app, link.orgId, "fynn", link.id, null, Object.fromEntries(ctx.query));
        return { status: 302, headers: { location: cartUrl(app, cart) } };
      },
    },
    {
      method: "GET",
      pattern: "/carts/:id",
      handler: (ctx) => {
        const cart = ctx.params["id"] ? state().carts[ctx.params["id"]] : undefined;
        if (!cart) throw fynnNotFound();
        return { status: 200, body: { cartId: cart.id, source: cart.source, checkoutLinkId: cart.linkId } };
      },
    },
  ];
}

/** The Fynn classic backend: every path below `/fynn` that coreapi does not claim. */
export const FYNN_VENDOR: VendorModule = { backend: "fynn", routes: fynnRoutes };
