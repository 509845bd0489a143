/**
 * Polar discounts (`/v1/discounts/`), as Polar's OpenAPI document describes them: create, get,
 * list, update, delete; fixed (cents per currency) or percentage (basis points); once, forever or
 * repeating for some months; an optional code; restricted to some products or not. Checkout links
 * check their `discount_id` against them (`applicableDiscount`).
 */
import { z } from "zod";
import { polarId, polarMetadata } from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { POLAR_SCOPES } from "../../seed";
import { newId } from "../../util";
import { polarAuth, polarBody, polarNotFound, polarValidation, polarValueError } from "../polarFamily";
import { listParams, sortBy } from "./query";
import {
  polarDiscounts as discounts,
  type PolarDiscountRec,
  type PolarProductRec,
  polarState,
} from "./state";

const READ = [POLAR_SCOPES.discountRead, POLAR_SCOPES.discountWrite];
const WRITE = [POLAR_SCOPES.discountWrite];

const timestamp = () => z.iso.datetime({ offset: true }).nullish();
const MAX_INT32 = 2147483647;
const cents = () => z.int().min(0).max(999999999999);
/** PresentmentCurrency: lower-case ISO 4217 codes (the enum's pattern, not its 130 members). */
const currency = () => z.string().regex(/^[a-z]{3}$/);
/** `amounts`: at least one currency (`minProperties: 1`). */
const amounts = () =>
  z
    .record(currency(), cents())
    .refine((m) => Object.keys(m).length > 0, { message: "Dictionary should have at least 1 item" });

/**
 * Polar's `Code`: "between 3 and 256 characters long and contain only alphanumeric characters";
 * an empty string reads as none (`EmptyStrToNone`).
 */
const code = () =>
  z
    .string()
    .transform((v) => (v === "" ? null : v))
    .pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9]*$/, { message: "Value error, Code must contain only alphanumeric characters." })
        .min(3, { message: "Value error, Code must be between 3 and 256 characters long." })
        .max(256, { message: "Value error, Code must be between 3 and 256 characters long." })
        .nullable(),
    )
    .nullish();

/** `starts_at must be before ends_at`, a model validator of both DiscountCreate and DiscountUpdate. */
function window(v: { starts_at?: string | null | undefined; ends_at?: string | null | undefined }): boolean {
  return !v.starts_at || !v.ends_at || Date.parse(v.starts_at) < Date.parse(v.ends_at);
}
const WINDOW = { message: "Value error, starts_at must be before ends_at", path: [] as string[] };

function commonCreate() {
  return {
    name: z.string().min(1),
    code: code(),
    starts_at: timestamp(),
    ends_at: timestamp(),
    max_redemptions: z.int().min(1).max(MAX_INT32).nullish(),
    max_redemptions_per_customer: z.int().min(1).max(MAX_INT32).nullish(),
    products: z.array(polarId()).nullish(),
    metadata: polarMetadata().default({}),
    organization_id: polarId().nullish(),
    duration: z.enum(["once", "forever", "repeating"]),
    duration_in_months: z.int().min(1).max(999).nullish(),
  };
}

/** "Required when `duration` is `repeating`" (Polar's repeat variants require it). */
function monthsWithRepeating(v: {
  duration: string;
  duration_in_months?: number | null | undefined;
}): boolean {
  return v.duration !== "repeating" || (v.duration_in_months ?? null) !== null;
}
const MONTHS = { message: "Field required", path: ["duration_in_months"] };

function discountCreate() {
  return z.discriminatedUnion("type", [
    z
      .object({
        type: z.literal("fixed"),
        amount: cents().nullish(),
        currency: currency().nullish(),
        amounts: amounts().nullish(),
        ...commonCreate(),
      })
      .refine(window, WINDOW)
      .refine(monthsWithRepeating, MONTHS),
    z
      .object({ type: z.literal("percentage"), basis_points: z.int().min(1).max(10000), ...commonCreate() })
      .refine(window, WINDOW)
      .refine(monthsWithRepeating, MONTHS),
  ]);
}

function discountUpdate() {
  return z
    .object({
      name: z.string().min(1).nullish(),
      code: code(),
      starts_at: timestamp(),
      ends_at: timestamp(),
      max_redemptions: z.int().min(1).max(MAX_INT32).nullish(),
      max_redemptions_per_customer: z.int().min(1).max(MAX_INT32).nullish(),
      duration: z.enum(["once", "forever", "repeating"]).nullish(),
      duration_in_months: z.int().min(1).max(999).nullish(),
      type: z.enum(["fixed", "percentage"]).nullish(),
      amount: cents().nullish(),
      currency: currency().nullish(),
      amounts: amounts().nullish(),
      basis_points: z.int().min(1).max(10000).nullish(),
      products: z.array(polarId()).nullish(),
      metadata: polarMetadata().optional(),
    })
    .refine(window, WINDOW);
}

/** The discount as embedded in a checkout link (`…DurationBase`: no products). */
export function renderDiscountBase(d: PolarDiscountRec): Record<string, unknown> {
  const { product_ids, deleted_at, basis_points, amounts, duration_in_months, ...rest } = d;
  const out: Record<string, unknown> = { ...rest };
  if (d.duration === "repeating") out.duration_in_months = duration_in_months ?? 1;
  if (d.type === "percentage") out.basis_points = basis_points ?? 0;
  else {
    const all = amounts ?? {};
    const [currency, amount] = Object.entries(all)[0] ?? ["usd", 0];
    // `amount` and `currency` are deprecated: the first of `amounts`.
    Object.assign(out, { amounts: all, amount, currency });
  }
  return out;
}

function renderDiscount(app: App, d: PolarDiscountRec): Record<string, unknown> {
  const products = d.product_ids
    .map((id) => polarState(app).products[id])
    .filter((p): p is PolarProductRec => p !== undefined)
    // `DiscountProduct`: the product's own fields only, none of its prices, benefits or fields.
    .map((p) => ({
      metadata: p.metadata,
      id: p.id,
      created_at: p.created_at,
      modified_at: p.modified_at,
      trial_interval: p.trial_interval,
      trial_interval_count: p.trial_interval_count,
      name: p.name,
      description: p.description,
      visibility: p.visibility,
      recurring_interval: p.recurring_interval,
      recurring_interval_count: p.recurring_interval_count,
      meter_interval: null,
      meter_interval_count: null,
      is_recurring: p.recurring_interval !== null,
      is_archived: p.is_archived,
      organization_id: p.organization_id,
    }));
  return { ...renderDiscountBase(d), products };
}

/**
 * The first unknown or another organisation's product of a restriction: a 422 naming it, as Polar's
 * DiscountService stops at the first. An archived product counts as unknown (inferred).
 */
function checkProducts(app: App, orgId: string, ids: string[]): void {
  const i = ids.findIndex((id) => {
    const p = polarState(app).products[id];
    return !p || p.organization_id !== orgId || p.is_archived;
  });
  if (i >= 0) {
    throw polarValidation(
      [polarValueError(["body", "products", i], "Product not found.", ids[i])],
      "PolarRequestValidationError",
    );
  }
}

function checkCode(app: App, orgId: string, code: string | null | undefined, except?: string): void {
  if (!code) return;
  // Codes are unique per organisation, case-insensitively.
  const taken = Object.values(discounts(app)).some(
    (d) =>
      d.id !== except &&
      !d.deleted_at &&
      d.organization_id === orgId &&
      d.code?.toLowerCase() === code.toLowerCase(),
  );
  if (taken) {
    throw polarValidation(
      [polarValueError(["body", "code"], "Discount with this code already exists.", code)],
      "PolarRequestValidationError",
    );
  }
}

/**
 * The discount a checkout link may carry: of the link's organisation, not deleted, and (when it is
 * restricted to products) covering every product of the link. inferred: Polar's message is the
 * same for every case.
 */
export function applicableDiscount(
  app: App,
  orgId: string,
  id: string,
  productIds: string[],
): PolarDiscountRec {
  const d = discounts(app)[id];
  const ok =
    d !== undefined &&
    !d.deleted_at &&
    d.organization_id === orgId &&
    (d.product_ids.length === 0 || productIds.every((p) => d.product_ids.includes(p)));
  if (!ok) {
    throw polarValidation(
      [
        polarValueError(
          ["body", "discount_id"],
          "Discount does not exist or is not applicable to this product.",
          id,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
  return d;
}

function ownDiscount(app: App, ctx: Ctx, orgId: string): PolarDiscountRec {
  const d = discounts(app)[(ctx.params.id ?? "").toLowerCase()];
  if (!d || d.organization_id !== orgId || d.deleted_at) throw polarNotFound();
  return d;
}

function discountReply(app: App, status: number, d: PolarDiscountRec): Reply {
  return { status, body: renderDiscount(app, d) };
}

function listDiscounts(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, READ);
  const { page, limit, sorting } = listParams(ctx, [
    "created_at",
    "name",
    "code",
    "redemptions_count",
    "ends_at",
  ]);
  const query = ctx.query.get("query")?.toLowerCase();
  // Polar's list matches the name or the code, newest first unless `sorting` says otherwise.
  const found = sortBy(
    Object.values(discounts(app))
      .filter((d) => !d.deleted_at && d.organization_id === org.id)
      .filter(
        (d) => !query || d.name.toLowerCase().includes(query) || !!d.code?.toLowerCase().includes(query),
      ),
    ctx.query.getAll("sorting").length > 0 ? sorting : ["-created_at"],
  );
  return {
    status: 200,
    body: {
      items: found.slice((page - 1) * limit, page * limit).map((d) => renderDiscount(app, d)),
      pagination: { total_count: found.length, max_page: Math.ceil(found.length / limit) },
    },
  };
}

function createDiscount(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const body = polarBody(ctx, discountCreate);
  checkProducts(app, org.id, body.products ?? []);
  checkCode(app, org.id, body.code);
  const fixedAmounts =
    body.type === "fixed" ? (body.amounts ?? { [body.currency ?? "usd"]: body.amount ?? 0 }) : null;
  const d: PolarDiscountRec = {
    id: newId(),
    created_at: app.now().toISOString(),
    modified_at: null,
    organization_id: org.id,
    name: body.name,
    code: body.code ?? null,
    type: body.type,
    duration: body.duration,
    duration_in_months: body.duration === "repeating" ? (body.duration_in_months ?? 1) : null,
    basis_points: body.type === "percentage" ? body.basis_points : null,
    amounts: fixedAmounts,
    starts_at: body.starts_at ?? null,
    ends_at: body.ends_at ?? null,
    max_redemptions: body.max_redemptions ?? null,
    max_redemptions_per_customer: body.max_redemptions_per_customer ?? null,
    redemptions_count: 0,
    metadata: body.metadata,
    product_ids: body.products ?? [],
    deleted_at: null,
  };
  discounts(app)[d.id] = d;
  return discountReply(app, 201, d);
}

/**
 * Polar's DiscountService.update: `duration` and `type` never change, and once the discount has been
 * redeemed neither do its amounts (`basis_points`, or `amount`/`currency`/`amounts`).
 */
function checkFrozen(d: PolarDiscountRec, body: z.infer<ReturnType<typeof discountUpdate>>): void {
  const refuse = (field: string, msg: string, input: unknown) => {
    throw polarValidation([polarValueError(["body", field], msg, input)], "PolarRequestValidationError");
  };
  if (body.duration != null && body.duration !== d.duration) {
    refuse("duration", "Duration cannot be changed.", body.duration);
  }
  if (body.type != null && body.type !== d.type) refuse("type", "Type cannot be changed.", body.type);
  if (d.redemptions_count === 0) return;
  const redeemed = "This field cannot be changed because the discount has already been redeemed.";
  if (d.type === "percentage") {
    if (body.basis_points != null && body.basis_points !== d.basis_points) {
      refuse("basis_points", redeemed, d.basis_points);
    }
    return;
  }
  const [currency, amount] = Object.entries(d.amounts ?? {})[0] ?? [null, null];
  if (body.amounts != null && JSON.stringify(body.amounts) !== JSON.stringify(d.amounts)) {
    refuse("amounts", redeemed, d.amounts);
  }
  if (body.amount != null && body.amount !== amount) refuse("amount", redeemed, amount);
  if (body.currency != null && body.currency !== currency) refuse("currency", redeemed, currency);
}

function updateDiscount(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const d = ownDiscount(app, ctx, org.id);
  const body = polarBody(ctx, discountUpdate);
  checkFrozen(d, body);
  if (body.products != null) checkProducts(app, org.id, body.products);
  if ("code" in body) checkCode(app, org.id, body.code, d.id);
  const next: PolarDiscountRec = { ...d, modified_at: app.now().toISOString() };
  if (body.name != null) next.name = body.name;
  if ("code" in body) next.code = body.code ?? null;
  if ("starts_at" in body) next.starts_at = body.starts_at ?? null;
  if ("ends_at" in body) next.ends_at = body.ends_at ?? null;
  if ("max_redemptions" in body) next.max_redemptions = body.max_redemptions ?? null;
  if ("max_redemptions_per_customer" in body)
    next.max_redemptions_per_customer = body.max_redemptions_per_customer ?? null;
  next.duration_in_months =
    next.duration === "repeating" ? (body.duration_in_months ?? d.duration_in_months ?? 1) : null;
  if (next.type === "percentage") next.basis_points = body.basis_points ?? d.basis_points ?? 1;
  else if (body.amounts != null) next.amounts = body.amounts;
  else if (body.amount != null) next.amounts = { [body.currency ?? "usd"]: body.amount };
  if (body.products != null) next.product_ids = body.products;
  if (body.metadata !== undefined) next.metadata = body.metadata;
  discounts(app)[d.id] = next;
  return discountReply(app, 200, next);
}

export function discountRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/discounts", handler: (ctx) => listDiscounts(app, ctx) },
    { method: "POST", pattern: "/v1/discounts", handler: (ctx) => createDiscount(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/discounts/:id",
      handler: (ctx) => discountReply(app, 200, ownDiscount(app, ctx, polarAuth(app, ctx, READ).id)),
    },
    { method: "PATCH", pattern: "/v1/discounts/:id", handler: (ctx) => updateDiscount(app, ctx) },
    {
      method: "DELETE",
      pattern: "/v1/discounts/:id",
      handler: (ctx) => {
        const org = polarAuth(app, ctx, WRITE);
        ownDiscount(app, ctx, org.id).deleted_at = app.now().toISOString();
        return { status: 204 };
      },
    },
  ];
}
