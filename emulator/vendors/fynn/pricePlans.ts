/** Fynn classic price plans (`/price-plans`): a product's prices, which checkout link items sell. */
import { fynnPricePlan, fynnPricePlanWrite } from "../../../provider/fynn/schemas";
import { fynnList } from "../../../provider/fynnFamily";
import type { App, Ctx, Reply, Route } from "../../app";
import { FYNN_SCOPES } from "../../seed";
import { fynnTimestamp, newId } from "../../util";
import { fynnAuth, fynnBody, fynnViolationError, owned } from "../fynnFamily";
import { paginate, readScopes } from "./paging";
import { type FynnPricePlanRec, fynnState } from "./state";

export function renderPricePlan(app: App, price: FynnPricePlanRec) {
  const checkoutLinkIds = Object.values(fynnState(app).links)
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

function createPricePlan(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, [FYNN_SCOPES.pricePlanWrite]);
  const body = fynnBody(app, ctx, fynnPricePlanWrite);
  const state = fynnState(app);
  const product = state.products[body.product];
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
  state.pricePlans[price.id] = price;
  return { status: 201, body: renderPricePlan(app, price), schema: fynnPricePlan };
}

export function pricePlanRoutes(app: App): Route[] {
  const read = readScopes(FYNN_SCOPES.pricePlanRead);
  return [
    { method: "POST", pattern: "/price-plans", handler: (ctx) => createPricePlan(app, ctx) },
    {
      method: "GET",
      pattern: "/price-plans",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read);
        const product = ctx.query.get("product");
        const prices = Object.values(fynnState(app).pricePlans).filter(
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
        const org = fynnAuth(app, ctx, read);
        const price = owned(fynnState(app).pricePlans, ctx.params["id"], org.id);
        return { status: 200, body: renderPricePlan(app, price), schema: fynnPricePlan };
      },
    },
  ];
}
