/** Polar checkout links (`/v1/checkout-links/`): the products they sell, seats and a discount. */
import {
  type PolarCheckoutLinkCreateParsed,
  polarCheckoutLink,
  polarCheckoutLinkCreate,
  polarCheckoutLinkUpdate,
  polarListResource,
} from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { POLAR_SCOPES } from "../../seed";
import { newId, polarClientSecret } from "../../util";
import {
  polarAuth,
  polarBody,
  polarNotFound,
  polarPublicBase,
  polarValidation,
  polarValueError,
} from "../polarFamily";
import { applicableDiscount, renderDiscountBase } from "./discounts";
import { renderLinkProduct, validatedProducts } from "./products";
import { listParams, pageOf, pathId, sortBy, uuidFilter } from "./query";
import { type PolarLinkRec, type PolarProductRec, polarState } from "./state";

const READ = [POLAR_SCOPES.linkRead, POLAR_SCOPES.linkWrite];
const WRITE = [POLAR_SCOPES.linkWrite];

function renderLink(app: App, link: PolarLinkRec) {
  const { product_ids, deleted_at, ...fields } = link;
  const state = polarState(app);
  const products = product_ids
    .map((id) => state.products[id])
    .filter((p): p is PolarProductRec => p !== undefined)
    .map((p) => renderLinkProduct(app, p));
  const discount = link.discount_id ? state.discounts?.[link.discount_id] : undefined;
  return {
    ...fields,
    // `units` (a locked quantity for unit-based prices) is in Polar's SDK model, required and
    // nullable; the emulator does not lock units, so it is always null. inferred from the SDK.
    units: null,
    products,
    discount: discount && !discount.deleted_at ? renderDiscountBase(discount) : null,
    url: `${polarPublicBase(app)}/v1/checkout-links/${link.client_secret}/redirect`,
  };
}

function linkReply(app: App, status: number, link: PolarLinkRec): Reply {
  return { status, body: renderLink(app, link), schema: polarCheckoutLink };
}

function ownLink(app: App, ctx: Ctx, orgId: string): PolarLinkRec {
  const link = polarState(app).links[pathId(ctx, "id")];
  // Another organisation's link is a 404, never a 403.
  if (!link || link.organization_id !== orgId || link.deleted_at) throw polarNotFound();
  return link;
}

function seatBased(product: PolarProductRec): boolean {
  return product.prices.some((p) => !p.is_archived && p.amount_type === "seat_based");
}

/** The products of a create body (current `products` or the deprecated single-product variants). */
function productsOfCreate(app: App, orgId: string, body: PolarCheckoutLinkCreateParsed): PolarProductRec[] {
  if (body.products) return validatedProducts(app, orgId, body.products, (i) => ["body", "products", i]);
  if (body.product_id) return validatedProducts(app, orgId, [body.product_id], () => ["body", "product_id"]);
  const priceId = body.product_price_id!;
  const owner = Object.values(polarState(app).products).find(
    (p) => p.organization_id === orgId && p.prices.some((price) => price.id === priceId),
  );
  const price = owner?.prices.find((p) => p.id === priceId);
  const loc = ["body", "product_price_id"];
  if (!owner || !price)
    throw polarValidation(
      [polarValueError(loc, "Price does not exist.", priceId)],
      "PolarRequestValidationError",
    );
  if (price.is_archived)
    throw polarValidation(
      [polarValueError(loc, "Price is archived.", priceId)],
      "PolarRequestValidationError",
    );
  return validatedProducts(app, orgId, [owner.id], () => loc);
}

function checkSeats(seats: number | null | undefined, products: PolarProductRec[]): void {
  if (seats != null && !products.every(seatBased)) {
    throw polarValidation(
      [
        polarValueError(
          ["body", "seats"],
          "Seats can only be set when every product uses seat-based pricing.",
          seats,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
}

function listLinks(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, READ);
  const { page, limit, sorting } = listParams(ctx, [
    "created_at",
    "label",
    "success_url",
    "allow_discount_codes",
  ]);
  const orgFilter = uuidFilter(ctx, "organization_id");
  const productFilter = uuidFilter(ctx, "product_id");
  const found = Object.values(polarState(app).links).filter(
    (l) =>
      !l.deleted_at &&
      l.organization_id === org.id &&
      (!orgFilter || orgFilter.includes(l.organization_id)) &&
      (!productFilter || l.product_ids.some((id) => productFilter.includes(id))),
  );
  const body = pageOf(sortBy(found, sorting), page, limit);
  return {
    status: 200,
    body: { items: body.items.map((l) => renderLink(app, l)), pagination: body.pagination },
    schema: () => polarListResource(polarCheckoutLink()),
  };
}

function createLink(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const body = polarBody(ctx, polarCheckoutLinkCreate);
  const chosen = productsOfCreate(app, org.id, body);
  if (body.discount_id) {
    applicableDiscount(
      app,
      org.id,
      body.discount_id,
      chosen.map((p) => p.id),
    );
  }
  checkSeats(body.seats, chosen);
  const link: PolarLinkRec = {
    id: newId(),
    created_at: app.now().toISOString(),
    modified_at: null,
    trial_interval: body.trial_interval ?? null,
    trial_interval_count: body.trial_interval_count ?? null,
    metadata: body.metadata,
    payment_processor: "stripe",
    client_secret: polarClientSecret(),
    success_url: body.success_url ?? null,
    return_url: body.return_url ?? null,
    label: body.label ?? null,
    allow_discount_codes: body.allow_discount_codes,
    require_billing_address: body.require_billing_address,
    discount_id: body.discount_id ?? null,
    seats: body.seats ?? null,
    // The link's organisation is the first product's.
    organization_id: chosen[0]!.organization_id,
    product_ids: chosen.map((p) => p.id),
    deleted_at: null,
  };
  polarState(app).links[link.id] = link;
  return linkReply(app, 201, link);
}

/** Only keys present in the body are applied (`exclude_unset`); null clears nullable fields. */
function updateLink(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const link = ownLink(app, ctx, org.id);
  const body = polarBody(ctx, polarCheckoutLinkUpdate);
  const next: PolarLinkRec = { ...link };
  if (body.products != null) {
    const chosen = validatedProducts(app, link.organization_id, body.products, (i) => [
      "body",
      "products",
      i,
    ]);
    next.product_ids = chosen.map((p) => p.id);
    // A trial makes no sense without a recurring product, and a seat lock must still fit.
    if (!chosen.some((p) => p.recurring_interval !== null)) {
      next.trial_interval = null;
      next.trial_interval_count = null;
    }
    if (next.seats !== null && !chosen.every(seatBased)) next.seats = null;
  }
  if ("label" in body) next.label = body.label ?? null;
  // inferred: null on these NOT NULL columns is ignored (the real server would likely fail).
  if (body.allow_discount_codes != null) next.allow_discount_codes = body.allow_discount_codes;
  if (body.require_billing_address != null) next.require_billing_address = body.require_billing_address;
  if ("discount_id" in body) next.discount_id = body.discount_id ?? null;
  // The discount (kept or new) must still apply to the link's products.
  if (next.discount_id && ("discount_id" in body || body.products != null)) {
    applicableDiscount(app, link.organization_id, next.discount_id, next.product_ids);
  }
  if ("seats" in body) {
    const products = polarState(app).products;
    checkSeats(
      body.seats,
      next.product_ids.map((id) => products[id]!),
    );
    next.seats = body.seats ?? null;
  }
  if ("success_url" in body) next.success_url = body.success_url ?? null;
  if ("return_url" in body) next.return_url = body.return_url ?? null;
  if ("trial_interval" in body || "trial_interval_count" in body) {
    next.trial_interval = body.trial_interval ?? null;
    next.trial_interval_count = body.trial_interval_count ?? null;
  }
  if (body.metadata !== undefined) next.metadata = body.metadata;
  // An explicitly sent field counts as modified even when the value is unchanged.
  if (Object.keys(body).length > 0) next.modified_at = app.now().toISOString();
  polarState(app).links[link.id] = next;
  return linkReply(app, 200, next);
}

export function checkoutLinkRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/checkout-links", handler: (ctx) => listLinks(app, ctx) },
    { method: "POST", pattern: "/v1/checkout-links", handler: (ctx) => createLink(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/checkout-links/:id",
      handler: (ctx) => linkReply(app, 200, ownLink(app, ctx, polarAuth(app, ctx, READ).id)),
    },
    { method: "PATCH", pattern: "/v1/checkout-links/:id", handler: (ctx) => updateLink(app, ctx) },
    {
      method: "DELETE",
      pattern: "/v1/checkout-links/:id",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, WRITE);
        ownLink(app, ctx, org.id).deleted_at = app.now().toISOString();
        return { status: 204 };
      },
    },
  ];
}
