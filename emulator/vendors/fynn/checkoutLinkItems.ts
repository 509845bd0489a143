/**
 * Fynn classic checkout link items (`/checkout-link-items/{id}`): what a link sells, a product with
 * its price plan or a coreapi (V2) plan, resolved against the organisation's catalog on every write.
 */
import { type FynnCheckoutLinkWriteParsed, fynnCheckoutLinkItem } from "../../../provider/fynn/schemas";
import type { App, Route } from "../../app";
import { FYNN_SCOPES } from "../../seed";
import { newId } from "../../util";
import { type CoreapiPlanRec, coreapiState } from "../coreapi/state";
import { fynnAuth, fynnNotFound, fynnViolationError, SYMFONY_CODES, type Violation } from "../fynnFamily";
import { readScopes } from "./paging";
import { renderPricePlan } from "./pricePlans";
import { renderProduct } from "./products";
import { type FynnItemRec, fynnState } from "./state";

/** A coreapi (V2) plan in the classic embedded-plan shape. inferred: family = the plan itself. */
function renderEmbeddedPlan(app: App, plan: CoreapiPlanRec) {
  const firstItem = plan.tiers[0]?.items[0];
  const origin = firstItem ? fynnState(app).products[firstItem.productId] : undefined;
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

export function renderItem(app: App, item: FynnItemRec) {
  const state = fynnState(app);
  const product = item.productId ? state.products[item.productId] : undefined;
  const plan = item.planId ? coreapiState(app).plans[item.planId] : undefined;
  const price = state.pricePlans[item.priceId];
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

/** Resolves item references against the organisation's catalog, collecting every violation. */
export function resolveItems(
  app: App,
  orgId: string,
  body: FynnCheckoutLinkWriteParsed,
  previous: FynnItemRec[],
): FynnItemRec[] {
  const { products, pricePlans } = fynnState(app);
  const plans = coreapiState(app).plans;
  const violations: Violation[] = [];
  const notFound = (path: string, iri: string) =>
    violations.push({ propertyPath: path, message: `Item not found for "${iri}".`, code: null });
  const items = body.items.map((item, i): FynnItemRec => {
    const price = pricePlans[item.price];
    if (!price || price.orgId !== orgId) notFound(`items[${i}].price`, `/price-plans/${item.price}`);
    if (item.type === "product") {
      const product = products[item.product];
      if (!product || product.orgId !== orgId) notFound(`items[${i}].product`, `/products/${item.product}`);
      else if (price && price.orgId === orgId && price.productId !== product.id) {
        violations.push({
          propertyPath: `items[${i}].price`,
          message: "The price plan does not belong to the product.",
          code: SYMFONY_CODES.choice,
        });
      }
    } else {
      const plan = plans[item.plan];
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

export function checkoutLinkItemRoutes(app: App): Route[] {
  return [
    {
      method: "GET",
      pattern: "/checkout-link-items/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, readScopes(FYNN_SCOPES.linkRead));
        const id = ctx.params["id"];
        for (const link of Object.values(fynnState(app).links)) {
          if (link.orgId !== org.id || link.deletedAt) continue;
          const item = link.items.find((i) => i.id === id);
          if (item) return { status: 200, body: renderItem(app, item), schema: fynnCheckoutLinkItem };
        }
        throw fynnNotFound();
      },
    },
  ];
}
