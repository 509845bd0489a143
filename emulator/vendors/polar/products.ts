/** Polar products (`/v1/products/`) and the rules other objects check them by. */
import {
  type PolarProductUpdateParsed,
  type PolarValidationIssue,
  polarListResource,
  polarProduct,
  polarProductCreate,
  polarProductUpdate,
} from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { POLAR_SCOPES } from "../../seed";
import { newId } from "../../util";
import { polarAuth, polarBody, polarNotFound, polarValidation, polarValueError } from "../polarFamily";
import { checkPriceMix, newPrice, renderPrice } from "./prices";
import { boolFilter, listParams, pageOf, pathId, sortBy, uuidFilter } from "./query";
import { type PolarPriceRec, type PolarProductRec, polarState } from "./state";

const READ = [POLAR_SCOPES.productRead, POLAR_SCOPES.productWrite];
const WRITE = [POLAR_SCOPES.productWrite];

/** `CheckoutLinkProduct`: the product without `attached_custom_fields`, live prices only. */
export function renderLinkProduct(product: PolarProductRec) {
  const { prices, ...rest } = product;
  return {
    ...rest,
    meter_interval: null,
    meter_interval_count: null,
    is_recurring: product.recurring_interval !== null,
    prices: prices.filter((p) => !p.is_archived).map(renderPrice),
    benefits: [],
    medias: [],
  };
}

function renderProduct(product: PolarProductRec) {
  return { ...renderLinkProduct(product), attached_custom_fields: [] };
}

function productReply(status: number, product: PolarProductRec): Reply {
  return { status, body: renderProduct(product), schema: polarProduct };
}

/**
 * Checks products the way Polar's service does, aggregating every failure into one 422:
 * unknown or other organisation's ("does not exist"), archived, draft.
 */
export function validatedProducts(
  app: App,
  orgId: string,
  ids: string[],
  loc: (i: number) => (string | number)[],
): PolarProductRec[] {
  const products = polarState(app).products;
  const issues: PolarValidationIssue[] = [];
  ids.forEach((id, i) => {
    const product = products[id];
    if (!product || product.organization_id !== orgId)
      issues.push(polarValueError(loc(i), "Product does not exist.", id));
    else if (product.is_archived) issues.push(polarValueError(loc(i), "Product is archived.", id));
    else if (product.visibility === "draft") issues.push(polarValueError(loc(i), "Product is a draft.", id));
  });
  if (issues.length) throw polarValidation(issues, "PolarRequestValidationError");
  return ids.map((id) => products[id]!);
}

/**
 * Archiving a product removes it from every link that has it; a link left with no product is
 * soft-deleted (Polar's `CheckoutLinkRepository.archive_product`).
 */
function archiveCascade(app: App, productId: string, at: string): void {
  for (const link of Object.values(polarState(app).links)) {
    if (link.deleted_at || !link.product_ids.includes(productId)) continue;
    link.product_ids = link.product_ids.filter((id) => id !== productId);
    link.modified_at = at;
    if (link.product_ids.length === 0) link.deleted_at = at;
  }
}

function ownProduct(app: App, ctx: Ctx, orgId: string): PolarProductRec {
  const product = polarState(app).products[pathId(ctx, "id")];
  if (!product || product.organization_id !== orgId) throw polarNotFound();
  return product;
}

function listProducts(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, READ);
  const { page, limit, sorting } = listParams(ctx, [
    "created_at",
    "name",
    "price_amount_type",
    "price_amount",
  ]);
  const ids = uuidFilter(ctx, "id");
  const orgFilter = uuidFilter(ctx, "organization_id");
  const archived = boolFilter(ctx, "is_archived");
  const recurring = boolFilter(ctx, "is_recurring");
  const query = ctx.query.get("query")?.toLowerCase();
  const found = Object.values(polarState(app).products).filter(
    (p) =>
      p.organization_id === org.id &&
      (!ids || ids.includes(p.id)) &&
      (!orgFilter || orgFilter.includes(p.organization_id)) &&
      (archived === undefined || p.is_archived === archived) &&
      (recurring === undefined || (p.recurring_interval !== null) === recurring) &&
      (!query || p.name.toLowerCase().includes(query)),
  );
  const body = pageOf(sortBy(found, sorting), page, limit);
  return {
    status: 200,
    body: { items: body.items.map(renderProduct), pagination: body.pagination },
    schema: () => polarListResource(polarProduct()),
  };
}

function createProduct(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const body = polarBody(ctx, polarProductCreate);
  if (body.organization_id && body.organization_id !== org.id) {
    throw polarValidation(
      [
        polarValueError(
          ["body", "organization_id"],
          "Setting organization_id is disallowed when using an organization token.",
          body.organization_id,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
  checkPriceMix(body.prices.map((p) => p.amount_type));
  const at = app.now().toISOString();
  const id = newId();
  const product: PolarProductRec = {
    id,
    created_at: at,
    modified_at: null,
    trial_interval: body.trial_interval ?? null,
    trial_interval_count: body.trial_interval_count ?? null,
    name: body.name,
    description: body.description ?? null,
    visibility: body.visibility,
    recurring_interval: body.recurring_interval ?? null,
    recurring_interval_count: body.recurring_interval ? (body.recurring_interval_count ?? 1) : null,
    is_archived: false,
    organization_id: org.id,
    metadata: body.metadata,
    prices: body.prices.map((p) => newPrice(id, at, p)),
  };
  polarState(app).products[id] = product;
  return productReply(201, product);
}

/**
 * `prices` replaces the list: `{id}` keeps an existing price, new ones are created, the rest are
 * archived (kept for history, hidden from responses).
 */
function replacePrices(
  next: PolarProductRec,
  prices: NonNullable<PolarProductUpdateParsed["prices"]>,
  at: string,
): void {
  const kept = new Set<string>();
  const created: PolarPriceRec[] = [];
  const issues: PolarValidationIssue[] = [];
  prices.forEach((entry, i) => {
    if ("amount_type" in entry) {
      created.push(newPrice(next.id, at, entry));
    } else if (next.prices.some((p) => p.id === entry.id && !p.is_archived)) {
      kept.add(entry.id);
    } else {
      issues.push(polarValueError(["body", "prices", i], "Price does not exist.", entry.id));
    }
  });
  if (issues.length) throw polarValidation(issues, "PolarRequestValidationError");
  for (const price of next.prices) {
    if (!price.is_archived && !kept.has(price.id)) {
      price.is_archived = true;
      price.modified_at = at;
    }
  }
  next.prices.push(...created);
  checkPriceMix(next.prices.filter((p) => !p.is_archived).map((p) => p.amount_type));
}

function updateProduct(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const product = ownProduct(app, ctx, org.id);
  const body = polarBody(ctx, polarProductUpdate);
  const at = app.now().toISOString();
  const next: PolarProductRec = { ...product, prices: product.prices.map((p) => ({ ...p })) };
  if (body.name != null) next.name = body.name;
  if ("description" in body) next.description = body.description ?? null;
  if (body.visibility != null) next.visibility = body.visibility;
  if (body.metadata !== undefined) next.metadata = body.metadata;
  if ("trial_interval" in body || "trial_interval_count" in body) {
    next.trial_interval = body.trial_interval ?? null;
    next.trial_interval_count = body.trial_interval_count ?? null;
  }
  if (body.recurring_interval != null && body.recurring_interval !== product.recurring_interval) {
    if (product.recurring_interval !== null) {
      throw polarValidation(
        [
          polarValueError(
            ["body", "recurring_interval"],
            "The recurring interval can't be changed once set.",
            body.recurring_interval,
          ),
        ],
        "PolarRequestValidationError",
      );
    }
    next.recurring_interval = body.recurring_interval;
    next.recurring_interval_count = body.recurring_interval_count ?? 1;
  }
  if (body.prices != null) replacePrices(next, body.prices, at);
  if (body.is_archived != null && body.is_archived !== product.is_archived) {
    next.is_archived = body.is_archived;
    if (body.is_archived) archiveCascade(app, product.id, at);
  }
  if (Object.keys(body).length > 0) next.modified_at = at;
  polarState(app).products[product.id] = next;
  return productReply(200, next);
}

export function productRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/products", handler: (ctx) => listProducts(app, ctx) },
    { method: "POST", pattern: "/v1/products", handler: (ctx) => createProduct(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/products/:id",
      handler: (ctx) => productReply(200, ownProduct(app, ctx, polarAuth(app, ctx, READ).id)),
    },
    { method: "PATCH", pattern: "/v1/products/:id", handler: (ctx) => updateProduct(app, ctx) },
  ];
}
