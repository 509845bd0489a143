/**
 * Polar meters (`/v1/meters/`), as Polar's OpenAPI document and server describe them: create, get,
 * list, update; no delete: `is_archived` on update archives (sets `archived_at`) or restores. An
 * archived meter is still served by GET and listed (filter `is_archived`). Archiving is refused
 * while a live product's metered price or a live `meter_credit` benefit uses the meter.
 */
import { z } from "zod";
import { polarMeterSchema } from "../../../provider/polar/meterSchemas";
import { polarId, polarListResource, polarMetadata } from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { POLAR_SCOPES } from "../../seed";
import { newId } from "../../util";
import { polarAuth, polarBody, polarNotFound, polarValidation, polarValueError } from "../polarFamily";
import { boolFilter, listParams, pageOf, pathId, sortBy, uuidFilter } from "./query";
import { polarMeters as meters, type PolarMeterRec, polarBenefits, polarState } from "./state";

const READ = [POLAR_SCOPES.meterRead, POLAR_SCOPES.meterWrite];
const WRITE = [POLAR_SCOPES.meterWrite];

const INT32 = { min: -2147483648, max: 2147483647 };

/** Polar's `FilterClause`: a property, an operator and a string, integer or boolean value. */
const clauseSchema = z.object({
  property: z.string(),
  operator: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "like", "not_like"]),
  value: z.union([z.string().max(1000), z.int().min(INT32.min).max(INT32.max), z.boolean()]),
});

/** Polar's `Filter`: a conjunction over clauses and nested filters. */
type WireFilter = { conjunction: "and" | "or"; clauses: (z.infer<typeof clauseSchema> | WireFilter)[] };
const filterSchema: z.ZodType<WireFilter> = z.lazy(() =>
  z.object({
    conjunction: z.enum(["and", "or"]),
    clauses: z.array(z.union([clauseSchema, filterSchema])),
  }),
);

/** Polar's aggregation, told apart by `func`: count, a property's sum/max/min/avg, or unique values. */
const aggregationSchema = z.discriminatedUnion("func", [
  z.object({ func: z.literal("count") }),
  z.object({ func: z.enum(["sum", "max", "min", "avg"]), property: z.string() }),
  z.object({ func: z.literal("unique"), property: z.string() }),
]);

const unitSchema = z.enum(["scalar", "token", "custom"]);

function meterCreate() {
  return z.object({
    name: z.string().min(3),
    unit: unitSchema.default("scalar"),
    custom_label: z.string().nullish(),
    custom_multiplier: z.int().min(1).nullish(),
    filter: filterSchema,
    aggregation: aggregationSchema,
    metadata: polarMetadata().default({}),
    organization_id: polarId().nullish(),
  });
}

function meterUpdate() {
  return z.object({
    name: z.string().min(3).nullish(),
    unit: unitSchema.nullish(),
    custom_label: z.string().nullish(),
    custom_multiplier: z.int().min(1).nullish(),
    filter: filterSchema.nullish(),
    aggregation: aggregationSchema.nullish(),
    is_archived: z.boolean().nullish(),
    metadata: polarMetadata().optional(),
  });
}

/** The wire `Meter`, as Polar answers it and embeds it (a metered price's `meter`). */
export function renderMeter(m: PolarMeterRec): Record<string, unknown> {
  return {
    metadata: m.metadata,
    created_at: m.created_at,
    modified_at: m.modified_at,
    id: m.id,
    name: m.name,
    unit: m.unit,
    custom_label: m.custom_label,
    custom_multiplier: m.custom_multiplier,
    filter: m.filter,
    aggregation: m.aggregation,
    organization_id: m.organization_id,
    archived_at: m.archived_at,
  };
}

/** A meter answer, checked against what the provider reads before it is sent. */
function meterReply(status: number, m: PolarMeterRec): Reply {
  return { status, body: renderMeter(m), schema: () => polarMeterSchema };
}

/** MeterCreate's model rule: `custom_label` with unit `custom` only, and required there. */
function checkUnit(unit: string, label: string | null | undefined, body: unknown): void {
  const msg =
    unit === "custom"
      ? label == null
        ? "Value error, custom_label is required when unit is 'custom'."
        : undefined
      : label != null
        ? "Value error, custom_label and custom_multiplier are only allowed when unit is 'custom'."
        : undefined;
  if (msg !== undefined) throw polarValidation([polarValueError(["body"], msg, body)]);
}

/** Archiving is refused while a live product's metered price or a live meter-credit benefit uses it. */
function checkArchivable(app: App, m: PolarMeterRec): void {
  const priced = Object.values(polarState(app).products).some(
    (p) => !p.is_archived && p.prices.some((price) => price.meter_id === m.id && !price.is_archived),
  );
  const credited = Object.values(polarBenefits(app)).some(
    (b) => b.type === "meter_credit" && !b.is_deleted && b.properties.meter_id === m.id,
  );
  const msg = priced
    ? "Cannot archive meter that is still attached to active products"
    : credited
      ? "Cannot archive meter that is still referenced by active benefits"
      : undefined;
  if (msg !== undefined) {
    throw polarValidation(
      [polarValueError(["body", "is_archived"], msg, true)],
      "PolarRequestValidationError",
    );
  }
}

/** A meter of the caller's organisation, archived or not (Polar serves archived meters). */
function ownMeter(app: App, ctx: Ctx, orgId: string): PolarMeterRec {
  const m = meters(app)[pathId(ctx, "id")];
  if (!m || m.organization_id !== orgId) throw polarNotFound();
  return m;
}

/** `?metadata[key]=value` (deepObject): every named key must hold one of the values given. */
function metadataMatch(ctx: Ctx, meta: Record<string, unknown>): boolean {
  const wanted = new Map<string, string[]>();
  for (const [k, v] of ctx.query.entries()) {
    const key = /^metadata\[(.+)\]$/.exec(k)?.[1];
    if (key !== undefined) wanted.set(key, [...(wanted.get(key) ?? []), v]);
  }
  return [...wanted].every(([k, values]) => k in meta && values.includes(String(meta[k])));
}

function listMeters(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, READ);
  const { page, limit, sorting } = listParams(ctx, ["created_at", "name"]);
  const orgFilter = uuidFilter(ctx, "organization_id");
  const archived = boolFilter(ctx, "is_archived");
  const query = ctx.query.get("query")?.toLowerCase();
  const found = Object.values(meters(app)).filter(
    (m) =>
      m.organization_id === org.id &&
      (orgFilter === undefined || orgFilter.includes(m.organization_id)) &&
      (archived === undefined || (m.archived_at !== null) === archived) &&
      (!query || m.name.toLowerCase().includes(query)) &&
      metadataMatch(ctx, m.metadata),
  );
  // Polar's default order is by name.
  const order = ctx.query.getAll("sorting").length ? sorting : ["name"];
  const { items, pagination } = pageOf(sortBy(found, order), page, limit);
  return {
    status: 200,
    body: { items: items.map(renderMeter), pagination },
    schema: () => polarListResource(polarMeterSchema),
  };
}

function createMeter(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const body = polarBody(ctx, meterCreate);
  checkUnit(body.unit, body.custom_label, ctx.body);
  const m: PolarMeterRec = {
    id: newId(),
    created_at: app.now().toISOString(),
    modified_at: null,
    organization_id: org.id,
    name: body.name,
    unit: body.unit,
    custom_label: body.custom_label ?? null,
    custom_multiplier: body.unit === "custom" ? (body.custom_multiplier ?? 1) : null,
    filter: body.filter as Record<string, unknown>,
    aggregation: body.aggregation,
    metadata: body.metadata,
    archived_at: null,
  };
  meters(app)[m.id] = m;
  return meterReply(201, m);
}

function updateMeter(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const m = ownMeter(app, ctx, org.id);
  const body = polarBody(ctx, meterUpdate);
  const next: PolarMeterRec = { ...m, modified_at: app.now().toISOString() };
  if (body.name != null) next.name = body.name;
  if (body.unit != null) next.unit = body.unit;
  if ("custom_label" in body) next.custom_label = body.custom_label ?? null;
  if ("custom_multiplier" in body) next.custom_multiplier = body.custom_multiplier ?? null;
  if (next.unit !== "custom") {
    next.custom_label = null;
    next.custom_multiplier = null;
  } else {
    // inferred: MeterUpdate documents the label as required for a custom unit.
    checkUnit(next.unit, next.custom_label, ctx.body);
    next.custom_multiplier ??= 1;
  }
  // The emulator takes no events, so a meter never "is already aggregating events" and its filter
  // and aggregation always change.
  if (body.filter != null) next.filter = body.filter as Record<string, unknown>;
  if (body.aggregation != null) next.aggregation = body.aggregation;
  if (body.metadata !== undefined) next.metadata = body.metadata;
  if (body.is_archived === true && m.archived_at === null) {
    checkArchivable(app, m);
    next.archived_at = app.now().toISOString();
  } else if (body.is_archived === false) {
    next.archived_at = null;
  }
  meters(app)[m.id] = next;
  return meterReply(200, next);
}

export function meterRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/meters", handler: (ctx) => listMeters(app, ctx) },
    { method: "POST", pattern: "/v1/meters", handler: (ctx) => createMeter(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/meters/:id",
      handler: (ctx) => meterReply(200, ownMeter(app, ctx, polarAuth(app, ctx, READ).id)),
    },
    { method: "PATCH", pattern: "/v1/meters/:id", handler: (ctx) => updateMeter(app, ctx) },
  ];
}
