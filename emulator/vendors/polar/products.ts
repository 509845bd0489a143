/** Polar products (`/v1/products/`) and the rules other objects check them by. */
import {
  type PolarProductUpdateParsed,
  type PolarValidationIssue,
  polarListResource,
  polarProduct,
  polarProductBenefitsUpdateSchema,
  polarProductCreate,
  polarProductUpdate,
} from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { POLAR_SCOPES } from "../../seed";
import { newId } from "../../util";
import { polarAuth, polarBody, polarNotFound, polarValidation, polarValueError } from "../polarFamily";
import { renderBenefit, renderPublicBenefit } from "./benefits";
import { renderCustomField } from "./customFields";
import { checkMeteredPrices, checkPriceMix, newPrice, renderPrice } from "./prices";
import { boolFilter, listParams, pageOf, pathId, sortBy, uuidFilter } from "./query";
import {
  type PolarBenefitRec,
  type PolarPriceRec,
  type PolarProductRec,
  polarBenefits,
  polarCustomFields,
  polarDiscounts,
  polarMeters,
  polarState,
} from "./state";

const READ = [POLAR_SCOPES.productRead, POLAR_SCOPES.productWrite];
const WRITE = [POLAR_SCOPES.productWrite];

/** The fields `Product` and `CheckoutLinkProduct` share: live prices only (metered ones with their meter). */
function renderProductCommon(app: App, product: PolarProductRec) {
  const { prices, benefit_ids: _benefits, attached_custom_fields: _fields, ...rest } = product;
  const meters = polarMeters(app);
  return {
    ...rest,
    meter_interval: null,
    meter_interval_count: null,
    is_recurring: product.recurring_interval !== null,
    prices: prices.filter((p) => !p.is_archived).map((p) => renderPrice(p, meters)),
    medias: [],
  };
}

/** The product's live benefits, in order. inferred: a deleted benefit no longer shows on the products that had it. */
function liveBenefits(app: App, product: PolarProductRec): PolarBenefitRec[] {
  const benefits = polarBenefits(app);
  return (product.benefit_ids ?? []).flatMap((id) => {
    const b = benefits[id];
    return b === undefined || b.is_deleted ? [] : [b];
  });
}

/**
 * `CheckoutLinkProduct`: the product without `attached_custom_fields` or `is_deletable`, its benefits
 * in their public form (`BenefitPublic`: no metadata, no configuration).
 */
export function renderLinkProduct(app: App, product: PolarProductRec) {
  return {
    ...renderProductCommon(app, product),
    benefits: liveBenefits(app, product).map(renderPublicBenefit),
  };
}

/**
 * Polar's `is_deletable`: "Products referenced by an order, subscription, trial or discount cannot be
 * deleted." The emulator has no orders, subscriptions or trials, so a discount restricted to the
 * product is what can hold it. inferred: a deleted discount no longer counts.
 */
function isDeletable(app: App, product: PolarProductRec): boolean {
  return !Object.values(polarDiscounts(app)).some(
    (d) => d.deleted_at === null && d.product_ids.includes(product.id),
  );
}

/**
 * `Product`: its benefits as full `Benefit` objects in order, `is_deletable`, and
 * `attached_custom_fields` as `AttachedCustomField` (the field embedded, `order` by position).
 */
function renderProduct(app: App, product: PolarProductRec) {
  const fields = polarCustomFields(app);
  return {
    ...renderProductCommon(app, product),
    is_deletable: isDeletable(app, product),
    benefits: liveBenefits(app, product).map(renderBenefit),
    attached_custom_fields: (product.attached_custom_fields ?? []).flatMap((a, order) => {
      const field = fields[a.custom_field_id];
      // inferred: a deleted custom field is no longer asked, so it no longer shows.
      return field === undefined || field.deleted_at !== null
        ? []
        : [
            {
              custom_field_id: a.custom_field_id,
              custom_field: renderCustomField(field),
              order,
              required: a.required,
            },
          ];
    }),
  };
}

function productReply(app: App, status: number, product: PolarProductRec): Reply {
  return { status, body: renderProduct(app, product), schema: polarProduct };
}

/**
 * `attached_custom_fields` as Polar's create and update check them: each field must be a live
 * custom field of the organisation ("Custom field does not exist.", at its position).
 */
function attachedFields(
  app: App,
  orgId: string,
  attached: readonly { custom_field_id: string; required: boolean }[],
): { custom_field_id: string; required: boolean }[] {
  const fields = polarCustomFields(app);
  const issues: PolarValidationIssue[] = [];
  attached.forEach((a, i) => {
    const field = fields[a.custom_field_id];
    if (field === undefined || field.organization_id !== orgId || field.deleted_at !== null) {
      issues.push(
        polarValueError(
          ["body", "attached_custom_fields", i],
          "Custom field does not exist.",
          a.custom_field_id,
        ),
      );
    }
  });
  if (issues.length) throw polarValidation(issues, "PolarRequestValidationError");
  return attached.map((a) => ({ custom_field_id: a.custom_field_id, required: a.required }));
}

/** Polar's "Trial configuration is only supported on recurring products." at both trial keys. */
function trialOnOneTime(body: { trial_interval?: unknown; trial_interval_count?: unknown }) {
  return polarValidation(
    [
      polarValueError(
        ["body", "trial_interval"],
        "Trial configuration is only supported on recurring products.",
        body.trial_interval,
      ),
      polarValueError(
        ["body", "trial_interval_count"],
        "Trial configuration is only supported on recurring products.",
        body.trial_interval_count,
      ),
    ],
    "PolarRequestValidationError",
  );
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
    body: { items: body.items.map((p) => renderProduct(app, p)), pagination: body.pagination },
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
  // inferred: ProductCreateOneTime has no trial keys; Polar's update refuses a trial on a one-time
  // product with this message, and the emulator gives the create the same answer.
  if (!body.recurring_interval && (body.trial_interval != null || body.trial_interval_count != null)) {
    throw trialOnOneTime(body);
  }
  checkMeteredPrices(
    body.prices.map((price, index) => ({ index, price, isNew: true })),
    body.recurring_interval != null,
    polarMeters(app),
    org.id,
  );
  checkPriceMix(body.prices.map((p) => p.amount_type));
  const attached = attachedFields(app, org.id, body.attached_custom_fields);
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
    benefit_ids: [],
    attached_custom_fields: attached,
  };
  polarState(app).products[id] = product;
  return productReply(app, 201, product);
}

/**
 * `prices` replaces the list: `{id}` keeps an existing price, new ones are created, the rest are
 * archived (kept for history, hidden from responses).
 */
function replacePrices(
  app: App,
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
  checkMeteredPrices(
    prices.flatMap((entry, index): Parameters<typeof checkMeteredPrices>[0] => {
      if ("amount_type" in entry) return [{ index, price: entry, isNew: true }];
      const kept = next.prices.find((p) => p.id === entry.id);
      return kept === undefined ? [] : [{ index, price: kept, isNew: false }];
    }),
    next.recurring_interval !== null,
    polarMeters(app),
    next.organization_id,
  );
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
  if (body.attached_custom_fields != null) {
    next.attached_custom_fields = attachedFields(app, org.id, body.attached_custom_fields);
  }
  if (
    (body.trial_interval != null || body.trial_interval_count != null) &&
    product.recurring_interval === null
  ) {
    throw trialOnOneTime(body);
  }
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
  if (body.prices != null) replacePrices(app, next, body.prices, at);
  if (body.is_archived != null && body.is_archived !== product.is_archived) {
    next.is_archived = body.is_archived;
    if (body.is_archived) archiveCascade(app, product.id, at);
  }
  if (Object.keys(body).length > 0) next.modified_at = at;
  polarState(app).products[product.id] = next;
  return productReply(app, 200, next);
}

/**
 * `POST /v1/products/{id}/benefits` (products:update_benefits): replaces the benefit set, in the
 * order given. Each benefit must exist in the organisation and not be deleted; Polar's service has
 * no rule for an archived product, so its benefits can still be set. Benefits that are not
 * selectable (Polar's built-in ones) are not modelled: every stored benefit is selectable; a
 * repeated id counts once (inferred).
 */
function updateBenefits(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const product = ownProduct(app, ctx, org.id);
  const body = polarBody(ctx, () => polarProductBenefitsUpdateSchema);
  const benefits = polarBenefits(app);
  const issues: PolarValidationIssue[] = [];
  body.benefits.forEach((id, i) => {
    const b = benefits[id];
    if (b === undefined || b.is_deleted) {
      issues.push(polarValueError(["body", "benefits", i], "Benefit does not exist.", id));
    } else if (b.organization_id !== product.organization_id) {
      issues.push(
        polarValueError(
          ["body", "benefits", i],
          "Benefit must be on the same organization as the product.",
          id,
        ),
      );
    }
  });
  if (issues.length) throw polarValidation(issues, "PolarRequestValidationError");
  const next: PolarProductRec = { ...product, benefit_ids: [...new Set(body.benefits)] };
  polarState(app).products[product.id] = next;
  return productReply(app, 200, next);
}

export function productRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/products", handler: (ctx) => listProducts(app, ctx) },
    { method: "POST", pattern: "/v1/products", handler: (ctx) => createProduct(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/products/:id",
      handler: (ctx) => productReply(app, 200, ownProduct(app, ctx, polarAuth(app, ctx, READ).id)),
    },
    { method: "PATCH", pattern: "/v1/products/:id", handler: (ctx) => updateProduct(app, ctx) },
    { method: "POST", pattern: "/v1/products/:id/benefits", handler: (ctx) => updateBenefits(app, ctx) },
  ];
}
