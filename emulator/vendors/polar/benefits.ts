/**
 * Polar benefits (`/v1/benefits/`), as Polar's OpenAPI document and server describe them: list,
 * create, get, update (the type never changes) and delete. Deleting is soft: the benefit stays
 * stored with `is_deleted`, leaves every product's benefit set, and is answered 404 afterwards.
 * Types that need an account connected outside the API (Discord's guild token, a GitHub app
 * installation, a Slack integration) are refused as Polar refuses them for an organization token.
 */

import type { z } from "zod";
import {
  POLAR_BENEFIT_TYPES,
  POLAR_VISIBILITY_CONFIGURABLE,
  polarBenefitCreateSchema,
  polarBenefitDefaultVisibility,
  polarBenefitUpdateSchema,
} from "../../../provider/polar/benefitSchemas";
import type { PolarValidationIssue } from "../../../provider/polar/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { HttpError } from "../../errors";
import { POLAR_SCOPES } from "../../seed";
import { newId } from "../../util";
import { polarAuth, polarBody, polarNotFound, polarValidation, polarValueError } from "../polarFamily";
import { listParams, pageOf, pathId, sortBy, uuidFilter } from "./query";
import { polarBenefits as benefits, type PolarBenefitRec, polarMeters, polarState } from "./state";

const READ = [POLAR_SCOPES.benefitRead, POLAR_SCOPES.benefitWrite];
const WRITE = [POLAR_SCOPES.benefitWrite];

/** A benefit as Polar answers it (`Benefit<Type>`): the stored record plus the derived flags. */
export function renderBenefit(rec: PolarBenefitRec): Record<string, unknown> {
  return {
    id: rec.id,
    created_at: rec.created_at,
    modified_at: rec.modified_at,
    type: rec.type,
    description: rec.description,
    selectable: true,
    deletable: true,
    is_deleted: rec.is_deleted,
    organization_id: rec.organization_id,
    metadata: rec.metadata,
    visibility: rec.visibility,
    properties: rec.properties,
    visibility_configurable: POLAR_VISIBILITY_CONFIGURABLE.includes(rec.type),
  };
}

/**
 * `BenefitPublic`, the form a checkout link's products carry: the benefit without its metadata,
 * visibility or configuration. Only a meter credit shows properties, its units and meter
 * (`BenefitMeterCreditPublicProperties`); Polar's SDK types each variant this way.
 */
export function renderPublicBenefit(rec: PolarBenefitRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: rec.id,
    created_at: rec.created_at,
    modified_at: rec.modified_at,
    type: rec.type,
    description: rec.description,
    selectable: true,
    deletable: true,
    is_deleted: rec.is_deleted,
    organization_id: rec.organization_id,
  };
  if (rec.type === "meter_credit") {
    out.properties = { units: rec.properties.units, meter_id: rec.properties.meter_id };
  }
  return out;
}

/** The properties as Polar stores them: every key of `Benefit<Type>Properties`, defaults filled. */
function storedProperties(type: string, p: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "custom":
      return { note: p.note ?? null };
    case "license_keys":
      return {
        prefix: p.prefix ?? null,
        expires: p.expires ?? null,
        activations: p.activations ?? null,
        limit_usage: p.limit_usage ?? null,
      };
    case "downloadables":
      return { archived: p.archived ?? {}, files: p.files };
    default:
      return { ...p };
  }
}

/**
 * Polar's per-type `validate_properties`, each failure under `body.properties`. Discord, GitHub
 * repository and Slack benefits cannot pass with an organization token and no connected account.
 */
function validateProperties(app: App, orgId: string, type: string, p: Record<string, unknown>): void {
  const refuse = (issue: PolarValidationIssue) => polarValidation([issue], "PolarRequestValidationError");
  switch (type) {
    case "meter_credit": {
      const meter = polarMeters(app)[String(p.meter_id)];
      if (!meter || meter.organization_id !== orgId) {
        throw refuse(
          polarValueError(["body", "properties", "meter_id"], "This meter does not exist.", p.meter_id),
        );
      }
      return;
    }
    case "downloadables":
      // inferred: the emulator has no file uploads (`/v1/files/`), so every file id is taken as one
      // of the organization's; Polar answers "File not found." at `files.<i>` for the others.
      return;
    case "github_repository":
      throw refuse({
        type: "invalid_auth_subject",
        loc: ["body", "properties", "repository_owner"],
        msg: "We do not yet support creating this benefit with an organization token.",
        input: p.repository_owner,
      });
    case "discord":
      // inferred: the guild token is what Polar's Discord bot flow hands the dashboard; none is
      // valid here.
      throw refuse(polarValueError(["body", "properties", "guild_token"], "Invalid token.", p.guild_token));
    default:
      return;
  }
}

function checkVisibility(type: string, visibility: string | null | undefined): void {
  if (visibility != null && visibility !== "public" && !POLAR_VISIBILITY_CONFIGURABLE.includes(type)) {
    throw polarValidation(
      [
        polarValueError(
          ["body", "visibility"],
          "Visibility is not configurable for this benefit type and must be public.",
          visibility,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
}

function ownBenefit(app: App, ctx: Ctx, orgId: string): PolarBenefitRec {
  const b = benefits(app)[pathId(ctx, "id")];
  if (!b || b.organization_id !== orgId || b.is_deleted) throw polarNotFound();
  return b;
}

const TYPES: ReadonlySet<string> = new Set(POLAR_BENEFIT_TYPES);
const createSchema = () => polarBenefitCreateSchema;
const updateSchema = () => polarBenefitUpdateSchema;

/**
 * The body parsed with its tagged union: Pydantic names the variant after `body` in the location of
 * an issue inside it (`body.meter_credit.properties.units`).
 */
function taggedBody<T extends z.ZodType>(ctx: Ctx, factory: () => T): z.infer<T> {
  try {
    return polarBody(ctx, factory);
  } catch (e) {
    const tag = (ctx.body as { type?: unknown } | undefined)?.type;
    const detail = e instanceof HttpError ? (e.body as { detail?: unknown } | undefined)?.detail : undefined;
    if (typeof tag !== "string" || !TYPES.has(tag) || !Array.isArray(detail)) throw e;
    const tagged = (detail as PolarValidationIssue[]).map((issue) =>
      issue.loc[0] === "body" && issue.loc.length > 1 && issue.loc[1] !== "type"
        ? { ...issue, loc: ["body", tag, ...issue.loc.slice(1)] }
        : issue,
    );
    throw polarValidation(tagged);
  }
}

/**
 * `?metadata[key]=value` (deepObject): every key must match, any of a key's repeated values will do
 * (Polar's `apply_metadata_clause`).
 */
function metadataFilter(ctx: Ctx): (m: PolarBenefitRec["metadata"]) => boolean {
  const wanted = new Map<string, string[]>();
  for (const [name, value] of ctx.query.entries()) {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
    if (key !== undefined) wanted.set(key, [...(wanted.get(key) ?? []), value]);
  }
  return (m) => [...wanted].every(([k, values]) => k in m && values.includes(String(m[k])));
}

function listBenefits(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, READ);
  const { page, limit, sorting } = listParams(ctx, ["created_at", "description", "type", "user_order"]);
  const orgFilter = uuidFilter(ctx, "organization_id");
  const ids = uuidFilter(ctx, "id");
  const excluded = uuidFilter(ctx, "exclude_id");
  const types = ctx.query.getAll("type");
  const badType = types.findIndex((t) => !TYPES.has(t));
  if (badType >= 0) {
    throw polarValidation([
      {
        type: "enum",
        loc: ["query", "type"],
        msg: `Input should be ${[...TYPES].map((t) => `'${t}'`).join(", ")}`,
        input: types[badType],
      },
    ]);
  }
  const query = ctx.query.get("query")?.toLowerCase();
  const metadata = metadataFilter(ctx);
  const found = Object.values(benefits(app)).filter(
    (b) =>
      !b.is_deleted &&
      b.organization_id === org.id &&
      (!orgFilter || orgFilter.includes(b.organization_id)) &&
      (!ids || ids.includes(b.id)) &&
      !excluded?.includes(b.id) &&
      (!types.length || types.includes(b.type)) &&
      (!query || b.description.toLowerCase().includes(query)) &&
      metadata(b.metadata),
  );
  // `user_order` orders by the `id` filter's order; without one it leaves the creation order.
  const keys = sorting.filter((s) => !s.endsWith("user_order"));
  const sorted = sortBy(found, keys.length ? keys : ["created_at"]);
  const { items, pagination } = pageOf(sorted, page, limit);
  return { status: 200, body: { items: items.map(renderBenefit), pagination } };
}

function createBenefit(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const body = taggedBody(ctx, createSchema);
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
  if (body.type === "slack_shared_channel") {
    // Polar's `slack_benefit_enabled` feature setting, off for every organization here.
    throw polarValidation(
      [
        polarValueError(
          ["body", "type"],
          "Slack shared channel benefit is not enabled for this organization.",
          body.type,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
  validateProperties(app, org.id, body.type, body.properties);
  checkVisibility(body.type, body.visibility);
  const rec: PolarBenefitRec = {
    id: newId(),
    created_at: app.now().toISOString(),
    modified_at: null,
    organization_id: org.id,
    type: body.type,
    description: body.description,
    visibility: POLAR_VISIBILITY_CONFIGURABLE.includes(body.type)
      ? (body.visibility ?? polarBenefitDefaultVisibility(body.type))
      : "public",
    metadata: body.metadata ?? {},
    properties: storedProperties(body.type, body.properties),
    is_deleted: false,
  };
  benefits(app)[rec.id] = rec;
  return { status: 201, body: renderBenefit(rec) };
}

function updateBenefit(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const b = ownBenefit(app, ctx, org.id);
  const body = taggedBody(ctx, updateSchema);
  if (body.type !== b.type) {
    throw polarValidation(
      [polarValueError(["body", "type"], "Benefit type cannot be changed.", b.type)],
      "PolarRequestValidationError",
    );
  }
  if ("visibility" in body) checkVisibility(b.type, body.visibility);
  const next: PolarBenefitRec = { ...b, modified_at: app.now().toISOString() };
  if (body.description != null) next.description = body.description;
  if ("visibility" in body) {
    next.visibility = POLAR_VISIBILITY_CONFIGURABLE.includes(b.type)
      ? (body.visibility ?? polarBenefitDefaultVisibility(b.type))
      : "public";
  }
  if (body.metadata !== undefined) next.metadata = body.metadata;
  if (body.properties != null) {
    validateProperties(app, org.id, b.type, body.properties);
    next.properties = storedProperties(b.type, body.properties);
  }
  benefits(app)[b.id] = next;
  return { status: 200, body: renderBenefit(next) };
}

function deleteBenefit(app: App, ctx: Ctx): Reply {
  const org = polarAuth(app, ctx, WRITE);
  const b = ownBenefit(app, ctx, org.id);
  b.is_deleted = true;
  b.modified_at = app.now().toISOString();
  // Polar drops the benefit from every product's benefit set (`ProductBenefit` rows).
  for (const p of Object.values(polarState(app).products)) {
    if (p.benefit_ids?.includes(b.id)) p.benefit_ids = p.benefit_ids.filter((id) => id !== b.id);
  }
  return { status: 204 };
}

export function benefitRoutes(app: App): Route[] {
  return [
    { method: "GET", pattern: "/v1/benefits", handler: (ctx) => listBenefits(app, ctx) },
    { method: "POST", pattern: "/v1/benefits", handler: (ctx) => createBenefit(app, ctx) },
    {
      method: "GET",
      pattern: "/v1/benefits/:id",
      handler: (ctx) => ({
        status: 200,
        body: renderBenefit(ownBenefit(app, ctx, polarAuth(app, ctx, READ).id)),
      }),
    },
    { method: "PATCH", pattern: "/v1/benefits/:id", handler: (ctx) => updateBenefit(app, ctx) },
    { method: "DELETE", pattern: "/v1/benefits/:id", handler: (ctx) => deleteBenefit(app, ctx) },
  ];
}
