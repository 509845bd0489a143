/**
 * Polar: checkout links (`/v1/checkout-links/`) and the products they sell (`/v1/products/`),
 * served under `/polar`; what every Polar request goes through is vendors/polarFamily.ts. Facts:
 * vendor-apis.md §1.
 */
import { z } from "zod";
import {
  type PolarCheckoutLinkCreateParsed,
  type PolarPriceCreateParsed,
  type PolarValidationIssue,
  polarCheckoutLink,
  polarCheckoutLinkCreate,
  polarCheckoutLinkUpdate,
  polarListResource,
  polarProduct,
  polarProductCreate,
  polarProductUpdate,
} from "../../provider/polar/schemas";
import type { App, Ctx, Reply, Route, VendorModule } from "../app";
import { POLAR_SCOPES } from "../seed";
import type { PolarLinkRec, PolarPriceRec, PolarProductRec } from "../state";
import { newId, polarClientSecret, schema } from "../util";
import { applicableDiscount, polarDiscountRoutes, renderDiscountBase } from "./polarDiscounts";
import {
  polarAuth,
  polarBody,
  polarNotFound,
  polarPublicBase,
  polarValidation,
  polarValueError,
} from "./polarFamily";

const UUID_ANY = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Path ids are typed UUID4: anything else is a 422 (`uuid_parsing` / `uuid_version`), not a 404. */
function pathId(ctx: Ctx, name: string): string {
  const value = ctx.params[name] ?? "";
  if (!UUID_ANY.test(value)) {
    throw polarValidation([
      {
        type: "uuid_parsing",
        loc: ["path", name],
        msg: "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
        input: value,
      },
    ]);
  }
  if (!schema(z.uuidv4).safeParse(value.toLowerCase()).success) {
    throw polarValidation([
      {
        type: "uuid_version",
        loc: ["path", name],
        msg: "UUID version 4 expected",
        input: value,
        ctx: { expected_version: 4 },
      },
    ]);
  }
  return value.toLowerCase();
}

/** Polar's `page`/`limit`/`sorting` query parameters; `limit` above 100 is silently clamped. */
function listParams(ctx: Ctx, sortable: string[]) {
  const issues: PolarValidationIssue[] = [];
  const intParam = (name: string, fallback: number) => {
    const raw = ctx.query.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim())) {
      issues.push({
        type: "int_parsing",
        loc: ["query", name],
        msg: "Input should be a valid integer, unable to parse string as an integer",
        input: raw,
      });
    } else if (value <= 0) {
      issues.push({
        type: "greater_than",
        loc: ["query", name],
        msg: "Input should be greater than 0",
        input: raw,
        ctx: { gt: 0 },
      });
    }
    return value;
  };
  const page = intParam("page", 1);
  const limit = intParam("limit", 10);
  const sorting = ctx.query.getAll("sorting");
  sorting.forEach((value, i) => {
    if (!sortable.includes(value.replace(/^-/, ""))) {
      issues.push({
        type: "enum",
        loc: ["query", "sorting", i],
        msg: `Input should be ${sortable.map((s) => `'${s}'`).join(", ")} (each optionally prefixed with '-')`,
        input: value,
      });
    }
  });
  if (issues.length) throw polarValidation(issues);
  return { page, limit: Math.min(limit, 100), sorting: sorting.length ? sorting : ["created_at"] };
}

function sortBy<T>(items: T[], sorting: string[]): T[] {
  return [...items].sort((a, b) => {
    for (const key of sorting) {
      const desc = key.startsWith("-");
      const field = key.replace(/^-/, "");
      const av = (a as Record<string, unknown>)[field];
      const bv = (b as Record<string, unknown>)[field];
      const cmp = String(av ?? "").localeCompare(String(bv ?? ""));
      if (cmp !== 0) return desc ? -cmp : cmp;
    }
    return 0;
  });
}

function pageOf<T>(items: T[], page: number, limit: number) {
  return {
    items: items.slice((page - 1) * limit, page * limit),
    pagination: { total_count: items.length, max_page: Math.ceil(items.length / limit) },
  };
}

/** Repeated uuid filters such as `?organization_id=a&organization_id=b`. */
function uuidFilter(ctx: Ctx, name: string): string[] | undefined {
  const values = ctx.query.getAll(name);
  if (!values.length) return undefined;
  const bad = values.findIndex((v) => !schema(z.uuidv4).safeParse(v).success);
  if (bad >= 0) {
    throw polarValidation([
      { type: "uuid_parsing", loc: ["query", name], msg: "Input should be a valid UUID", input: values[bad] },
    ]);
  }
  return values;
}

function boolFilter(ctx: Ctx, name: string): boolean | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  if (["true", "1"].includes(raw)) return true;
  if (["false", "0"].includes(raw)) return false;
  throw polarValidation([
    {
      type: "bool_parsing",
      loc: ["query", name],
      msg: "Input should be a valid boolean, unable to interpret input",
      input: raw,
    },
  ]);
}

// ---- rendering -------------------------------------------------------------------------------------

function renderPrice(price: PolarPriceRec) {
  const {
    price_amount,
    minimum_amount,
    maximum_amount,
    preset_amount,
    seat_tiers,
    unit_amount,
    cap_amount,
    meter_id,
    ...common
  } = price;
  switch (price.amount_type) {
    case "metered_unit":
      // inferred: meters are not modelled; any meter id is taken, and named after itself.
      return {
        ...common,
        unit_amount: unit_amount ?? "0",
        cap_amount: cap_amount ?? null,
        meter_id,
        meter: {
          id: meter_id,
          name: `Meter ${meter_id?.slice(0, 8)}`,
          unit: "scalar",
          custom_label: null,
          custom_multiplier: null,
        },
      };
    case "fixed":
      return { ...common, price_amount: price_amount ?? 0 };
    case "custom":
      return {
        ...common,
        minimum_amount: minimum_amount ?? 50,
        maximum_amount: maximum_amount ?? null,
        preset_amount: preset_amount ?? null,
      };
    default: {
      // `minimum_seats` and `maximum_seats` are read-only, derived from the first and last tier.
      const tiers = seat_tiers?.tiers ?? [];
      return {
        ...common,
        seat_tiers: {
          seat_tier_type: seat_tiers?.seat_tier_type ?? "volume",
          tiers,
          minimum_seats: tiers[0]?.min_seats ?? 1,
          maximum_seats: tiers.at(-1)?.max_seats ?? null,
        },
      };
    }
  }
}

/** `CheckoutLinkProduct`: the product without `attached_custom_fields`, live prices only. */
function renderLinkProduct(product: PolarProductRec) {
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

function renderLink(app: App, link: PolarLinkRec) {
  const { product_ids, deleted_at, ...fields } = link;
  const products = product_ids
    .map((id) => app.state.polar.products[id])
    .filter((p): p is PolarProductRec => p !== undefined)
    .map(renderLinkProduct);
  const discount = link.discount_id ? app.state.polar.discounts?.[link.discount_id] : undefined;
  return {
    ...fields,
    products,
    discount: discount && !discount.deleted_at ? renderDiscountBase(discount) : null,
    url: `${polarPublicBase(app)}/v1/checkout-links/${link.client_secret}/redirect`,
  };
}

// ---- business rules -------------------------------------------------------------------------------

/**
 * Checks products the way Polar's service does, aggregating every failure into one 422:
 * unknown or other organisation's ("does not exist"), archived, draft.
 */
function validatedProducts(app: App, orgId: string, ids: string[], loc: (i: number) => (string | number)[]) {
  const issues: PolarValidationIssue[] = [];
  ids.forEach((id, i) => {
    const product = app.state.polar.products[id];
    if (!product || product.organization_id !== orgId)
      issues.push(polarValueError(loc(i), "Product does not exist.", id));
    else if (product.is_archived) issues.push(polarValueError(loc(i), "Product is archived.", id));
    else if (product.visibility === "draft") issues.push(polarValueError(loc(i), "Product is a draft.", id));
  });
  if (issues.length) throw polarValidation(issues, "PolarRequestValidationError");
  return ids.map((id) => app.state.polar.products[id]!);
}

function seatBased(product: PolarProductRec): boolean {
  return product.prices.some((p) => !p.is_archived && p.amount_type === "seat_based");
}

/** The products of a create body (current `products` or the deprecated single-product variants). */
function productsOfCreate(app: App, orgId: string, body: PolarCheckoutLinkCreateParsed): PolarProductRec[] {
  if (body.products) return validatedProducts(app, orgId, body.products, (i) => ["body", "products", i]);
  if (body.product_id) return validatedProducts(app, orgId, [body.product_id], () => ["body", "product_id"]);
  const priceId = body.product_price_id!;
  const owner = Object.values(app.state.polar.products).find(
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

function newPrice(productId: string, at: string, input: PolarPriceCreateParsed): PolarPriceRec {
  const base = {
    id: newId(),
    created_at: at,
    modified_at: null,
    source: "catalog" as const,
    price_currency: input.price_currency,
    tax_behavior: input.tax_behavior ?? null,
    is_archived: false,
    product_id: productId,
  };
  if (input.amount_type === "fixed")
    return { ...base, amount_type: "fixed", price_amount: input.price_amount };
  if (input.amount_type === "custom") {
    return {
      ...base,
      amount_type: "custom",
      minimum_amount: input.minimum_amount,
      maximum_amount: input.maximum_amount ?? null,
      preset_amount: input.preset_amount ?? null,
    };
  }
  if (input.amount_type === "metered_unit") {
    return {
      ...base,
      amount_type: "metered_unit",
      unit_amount: String(input.unit_amount),
      cap_amount: input.cap_amount ?? null,
      meter_id: input.meter_id,
    };
  }
  const tiers = input.seat_tiers.tiers.map((t) => ({ ...t, max_seats: t.max_seats ?? null }));
  return {
    ...base,
    amount_type: "seat_based",
    seat_tiers: { seat_tier_type: input.seat_tiers.seat_tier_type, tiers },
  };
}

/**
 * At most one fixed plus one seat-based price, or a single custom price; metered prices come on top
 * (inferred: Polar's docs pair them with a fixed base fee).
 */
function checkPriceMix(all: string[]): void {
  const types = all.filter((t) => t !== "metered_unit");
  const count = (t: string) => types.filter((x) => x === t).length;
  const ok = count("custom") > 0 ? types.length === 1 : count("fixed") <= 1 && count("seat_based") <= 1;
  if (!ok) {
    throw polarValidation(
      [
        polarValueError(
          ["body", "prices"],
          "Prices may combine at most one fixed price with one seat-based price, or be a single custom price.",
          types,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
}

/**
 * Archiving a product removes it from every link that has it; a link left with no product is
 * soft-deleted (Polar's `CheckoutLinkRepository.archive_product`).
 */
function archiveCascade(app: App, productId: string, at: string): void {
  for (const link of Object.values(app.state.polar.links)) {
    if (link.deleted_at || !link.product_ids.includes(productId)) continue;
    link.product_ids = link.product_ids.filter((id) => id !== productId);
    link.modified_at = at;
    if (link.product_ids.length === 0) link.deleted_at = at;
  }
}

// ---- routes ----------------------------------------------------------------------------------------

function polarRoutes(app: App): Route[] {
  const links = () => app.state.polar.links;
  const products = () => app.state.polar.products;
  const readLinks = [POLAR_SCOPES.linkRead, POLAR_SCOPES.linkWrite];
  const readProducts = [POLAR_SCOPES.productRead, POLAR_SCOPES.productWrite];
  const now = () => app.now().toISOString();
  const linkReply = (status: number, link: PolarLinkRec): Reply => ({
    status,
    body: renderLink(app, link),
    schema: polarCheckoutLink,
  });
  const productReply = (status: number, product: PolarProductRec): Reply => ({
    status,
    body: renderProduct(product),
    schema: polarProduct,
  });
  const ownLink = (ctx: Ctx, orgId: string): PolarLinkRec => {
    const link = links()[pathId(ctx, "id")];
    // Another organisation's link is a 404, never a 403.
    if (!link || link.organization_id !== orgId || link.deleted_at) throw polarNotFound();
    return link;
  };
  const ownProduct = (ctx: Ctx, orgId: string): PolarProductRec => {
    const product = products()[pathId(ctx, "id")];
    if (!product || product.organization_id !== orgId) throw polarNotFound();
    return product;
  };

  return [
    ...polarDiscountRoutes(app, (ctx) =>
      listParams(ctx, ["created_at", "name", "code", "redemptions_count", "ends_at"]),
    ),
    {
      method: "GET",
      pattern: "/v1/checkout-links",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, readLinks);
        const { page, limit, sorting } = listParams(ctx, [
          "created_at",
          "label",
          "success_url",
          "allow_discount_codes",
        ]);
        const orgFilter = uuidFilter(ctx, "organization_id");
        const productFilter = uuidFilter(ctx, "product_id");
        const found = Object.values(links()).filter(
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
      },
    },
    {
      method: "POST",
      pattern: "/v1/checkout-links",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, [POLAR_SCOPES.linkWrite]);
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
          created_at: now(),
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
        links()[link.id] = link;
        return linkReply(201, link);
      },
    },
    {
      method: "GET",
      pattern: "/v1/checkout-links/:id",
      handler: (ctx) => linkReply(200, ownLink(ctx, polarAuth(app, ctx, readLinks).id)),
    },
    {
      method: "PATCH",
      pattern: "/v1/checkout-links/:id",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, [POLAR_SCOPES.linkWrite]);
        const link = ownLink(ctx, org.id);
        const body = polarBody(ctx, polarCheckoutLinkUpdate);
        // Only keys present in the body are applied (`exclude_unset`); null clears nullable fields.
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
          checkSeats(
            body.seats,
            next.product_ids.map((id) => products()[id]!),
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
        if (Object.keys(body).length > 0) next.modified_at = now();
        links()[link.id] = next;
        return linkReply(200, next);
      },
    },
    {
      method: "DELETE",
      pattern: "/v1/checkout-links/:id",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, [POLAR_SCOPES.linkWrite]);
        ownLink(ctx, org.id).deleted_at = now();
        return { status: 204 };
      },
    },
    {
      method: "GET",
      pattern: "/v1/checkout-links/:secret/redirect",
      handler: (ctx) => {
        const secret = ctx.params["secret"];
        const link = Object.values(links()).find((l) => l.client_secret === secret && !l.deleted_at);
        if (!link) throw polarNotFound();
        // Every visit opens a new checkout session; unknown query parameters pass through.
        const checkout = {
          id: newId(),
          client_secret: `polar_c_${polarClientSecret().slice("polar_cl_".length)}`,
          checkout_link_id: link.id,
          query: Object.fromEntries(ctx.query),
          created_at: now(),
        };
        app.state.polar.checkouts[checkout.id] = checkout;
        const search = ctx.query.toString();
        const location = `${polarPublicBase(app)}/checkout/${checkout.client_secret}${search ? `?${search}` : ""}`;
        return { status: 307, headers: { location } };
      },
    },
    {
      method: "GET",
      pattern: "/checkout/:secret",
      handler: (ctx) => {
        const checkout = Object.values(app.state.polar.checkouts).find(
          (c) => c.client_secret === ctx.params["secret"],
        );
        if (!checkout) throw polarNotFound();
        return {
          status: 200,
          body: { id: checkout.id, status: "open", checkout_link_id: checkout.checkout_link_id },
        };
      },
    },
    {
      method: "GET",
      pattern: "/v1/products",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, readProducts);
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
        const found = Object.values(products()).filter(
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
      },
    },
    {
      method: "POST",
      pattern: "/v1/products",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, [POLAR_SCOPES.productWrite]);
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
        const at = now();
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
        products()[id] = product;
        return productReply(201, product);
      },
    },
    {
      method: "GET",
      pattern: "/v1/products/:id",
      handler: (ctx) => productReply(200, ownProduct(ctx, polarAuth(app, ctx, readProducts).id)),
    },
    {
      method: "PATCH",
      pattern: "/v1/products/:id",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, [POLAR_SCOPES.productWrite]);
        const product = ownProduct(ctx, org.id);
        const body = polarBody(ctx, polarProductUpdate);
        const at = now();
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
        if (body.prices != null) {
          // `prices` replaces the list: `{id}` keeps an existing price, new ones are created, the
          // rest are archived (kept for history, hidden from responses).
          const kept = new Set<string>();
          const created: PolarPriceRec[] = [];
          const issues: PolarValidationIssue[] = [];
          body.prices.forEach((entry, i) => {
            if ("amount_type" in entry) {
              created.push(newPrice(product.id, at, entry));
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
        if (body.is_archived != null && body.is_archived !== product.is_archived) {
          next.is_archived = body.is_archived;
          if (body.is_archived) archiveCascade(app, product.id, at);
        }
        if (Object.keys(body).length > 0) next.modified_at = at;
        products()[product.id] = next;
        return productReply(200, next);
      },
    },
  ];
}

/** Polar: everything below `/polar`. */
export const POLAR_VENDOR: VendorModule = { backend: "polar", routes: polarRoutes };
