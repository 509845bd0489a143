/**
 * Polar custom fields (`/v1/custom-fields/`), as Polar's OpenAPI document and server describe them:
 * create, get, list, update, delete, of the types text, number, date, checkbox and select, each
 * with its own `properties`. Slugs are lower-cased and unique per organisation among live fields;
 * the type never changes; a delete is soft (the field answers 404 afterwards) and detaches the field
 * from every product that asked it at checkout.
 */
import { z } from "zod";
import { polarCustomFieldSchema } from "../../../provider/polar/customFieldSchemas";
import { polarId, polarListResource, polarMetadata } from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { POLAR_SCOPES } from "../../seed";
import { newId } from "../../util";
import { polarAuth, polarBody, polarNotFound, polarValidation, polarValueError } from "../polarFamily";
import { listParams, pageOf, pathId, sortBy, uuidFilter } from "./query";
import { polarCustomFields as fields, type PolarCustomFieldRec, polarState } from "./state";

const READ = [POLAR_SCOPES.customFieldRead, POLAR_SCOPES.customFieldWrite];
const WRITE = [POLAR_SCOPES.customFieldWrite];

const TYPES = ["text", "number", "date", "checkbox", "select"] as const;
const int32 = (min: number) => z.int().min(min).max(2147483647);

/** Slugs are lower-cased before the pattern is checked (`to_lower=True`). */
const slugSchema = z
  .string()
  .min(1)
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9-_]+$/));

const form = {
  form_label: z.string().min(1).optional(),
  form_help_text: z.string().min(1).optional(),
  form_placeholder: z.string().min(1).optional(),
};

/** Each type's `properties`. */
const PROPERTIES = {
  text: z.object({
    ...form,
    textarea: z.boolean().optional(),
    min_length: int32(0).optional(),
    max_length: int32(0).optional(),
  }),
  number: z.object({ ...form, ge: int32(-2147483648).optional(), le: int32(-2147483648).optional() }),
  date: z.object({ ...form, ge: int32(-2147483648).optional(), le: int32(-2147483648).optional() }),
  checkbox: z.object(form),
  select: z.object({
    ...form,
    options: z.array(z.object({ value: z.string().min(1), label: z.string().min(1) })).min(1),
  }),
};

function fieldCreate() {
  return z.discriminatedUnion(
    "type",
    TYPES.map((type) =>
      z.object({
        type: z.literal(type),
        slug: slugSchema,
        name: z.string().min(1),
        properties: PROPERTIES[type],
        metadata: polarMetadata().default({}),
        organization_id: polarId().nullish(),
      }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  );
}

function fieldUpdate() {
  return z.discriminatedUnion(
    "type",
    TYPES.map((type) =>
      z.object({
        type: z.literal(type),
        slug: slugSchema.nullish(),
        name: z.string().min(1).nullish(),
        properties: PROPERTIES[type].nullish(),
        metadata: polarMetadata().optional(),
      }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  );
}

interface FieldBody {
  type: PolarCustomFieldRec["type"];
  slug?: string | null;
  name?: string | null;
  properties?: Record<string, unknown> | null;
  metadata?: Record<string, string | number | boolean>;
}

/** The wire `CustomField`, as Polar answers it and embeds it (`attached_custom_fields[].custom_field`). */
export function renderCustomField(f: PolarCustomFieldRec): Record<string, unknown> {
  return {
    created_at: f.created_at,
    modified_at: f.modified_at,
    id: f.id,
    metadata: f.metadata,
    type: f.type,
    slug: f.slug,
    name: f.name,
    organization_id: f.organization_id,
    properties: f.properties,
  };
}

/** A custom field answer, checked against what the provider reads before it is sent. */
function fieldReply(status: number, f: PolarCustomFieldRec): Reply {
  return { status, body: renderCustomField(f), schema: () => polarCustomFieldSchema };
}

function checkSlug(app: App, orgId: string, slug: string, except?: string): void {
  const taken = Object.values(fields(app)).some(
    (f) => f.id !== except && !f.deleted_at && f.organization_id === orgId && f.slug === slug,
  );
  if (taken) {
    throw polarValidation(
      [polarValueError(["body", "slug"], "Custom field with this slug already exists.", slug)],
      "PolarRequestValidationError",
    );
  }
}

function ownField(app: App, ctx: Ctx, orgId: string): PolarCustomFieldRec {
  const f = fields(app)[pathId(ctx, "id")];
  if (!f || f.organization_id !== orgId || f.deleted_at) throw polarNotFound();
  return f;
}

function listFields(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, READ);
  const { page, limit, sorting } = listParams(ctx, ["created_at", "slug", "name", "type"]);
  const orgFilter = uuidFilter(ctx, "organization_id");
  const types = ctx.query.getAll("type");
  const bad = types.findIndex((t) => !(TYPES as readonly string[]).includes(t));
  if (bad >= 0) {
    throw polarValidation([
      {
        type: "enum",
        loc: ["query", "type"],
        msg: `Input should be ${TYPES.map((t) => `'${t}'`).join(", ")}`,
        input: types[bad],
      },
    ]);
  }
  const query = ctx.query.get("query")?.toLowerCase();
  const found = Object.values(fields(app)).filter(
    (f) =>
      !f.deleted_at &&
      f.organization_id === org.id &&
      (orgFilter === undefined || orgFilter.includes(f.organization_id)) &&
      (types.length === 0 || types.includes(f.type)) &&
      (!query || f.name.toLowerCase().includes(query) || f.slug.includes(query)),
  );
  // Polar's default order is by slug.
  const order = ctx.query.getAll("sorting").length ? sorting : ["slug"];
  const { items, pagination } = pageOf(sortBy(found, order), page, limit);
  return {
    status: 200,
    body: { items: items.map(renderCustomField), pagination },
    schema: () => polarListResource(polarCustomFieldSchema),
  };
}

function createField(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const body = polarBody(ctx, fieldCreate) as unknown as FieldBody & { slug: string; name: string };
  checkSlug(app, org.id, body.slug);
  const f: PolarCustomFieldRec = {
    id: newId(),
    created_at: app.now().toISOString(),
    modified_at: null,
    organization_id: org.id,
    type: body.type,
    slug: body.slug,
    name: body.name,
    metadata: body.metadata ?? {},
    properties: body.properties ?? {},
    deleted_at: null,
  };
  fields(app)[f.id] = f;
  return fieldReply(201, f);
}

function updateField(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const f = ownField(app, ctx, org.id);
  const body = polarBody(ctx, fieldUpdate) as unknown as FieldBody;
  if (body.type !== f.type) {
    throw polarValidation(
      [polarValueError(["body", "type"], "The type of a custom field can't be changed.", body.type)],
      "PolarRequestValidationError",
    );
  }
  if (body.slug != null && body.slug !== f.slug) checkSlug(app, org.id, body.slug, f.id);
  const next: PolarCustomFieldRec = { ...f, modified_at: app.now().toISOString() };
  if (body.slug != null) next.slug = body.slug;
  if (body.name != null) next.name = body.name;
  if (body.properties != null) next.properties = body.properties;
  if (body.metadata !== undefined) next.metadata = body.metadata;
  fields(app)[f.id] = next;
  return fieldReply(200, next);
}

function deleteField(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const f = ownField(app, ctx, org.id);
  f.deleted_at = app.now().toISOString();
  // Polar deletes the field's rows from every attachment table: products no longer ask it.
  for (const p of Object.values(polarState(app).products)) {
    if (p.attached_custom_fields?.some((a) => a.custom_field_id === f.id)) {
      p.attached_custom_fields = p.attached_custom_fields.filter((a) => a.custom_field_id !== f.id);
    }
  }
  return { status: 204 };
}

export function customFieldRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/custom-fields", handler: (ctx) => listFields(app, ctx) },
    { method: "POST", pattern: "/v1/custom-fields", handler: (ctx) => createField(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/custom-fields/:id",
      handler: (ctx) => fieldReply(200, ownField(app, ctx, polarAuth(app, ctx, READ).id)),
    },
    { method: "PATCH", pattern: "/v1/custom-fields/:id", handler: (ctx) => updateField(app, ctx) },
    { method: "DELETE", pattern: "/v1/custom-fields/:id", handler: (ctx) => deleteField(app, ctx) },
  ];
}
