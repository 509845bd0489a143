/**
 * What the two Fynn generations share on the emulator: coreapi.io (V2, `/api/...`) and the Fynn
 * classic API are one host with one organisation token, so they share the error dialect (Symfony
 * violations, API Platform's framework errors), authentication, record ownership, one slug
 * namespace per organisation, and carts. The vendor modules vendors/coreapi/ and vendors/fynn/
 * hold what is each generation's own.
 */
import type { z } from "zod";
import type { App, Ctx, FamilyModule } from "../app";
import {
  allowHeader,
  type ErrorDialect,
  HttpError,
  injectedFaultDetail,
  PAYLOAD_TOO_LARGE_HEADERS,
  payloadTooLargeDetail,
  unsupportedMediaTypeDetail,
  valueAt,
} from "../errors";
import type { OrganizationSeed } from "../seed";
import { fynnTimestamp, newId, schema } from "../util";
import { coreapiState } from "./coreapi/state";
import { type CartRec, fynnState } from "./fynn/state";

/** The family's name in provider/backends.ts, and its path prefix. */
const FAMILY = "fynn";

/** Root of the Fynn host's public URLs on the emulator (links and carts of both generations). */
export function fynnPublicBase(app: App): string {
  return app.publicBase(FAMILY);
}

// ---- errors --------------------------------------------------------------------------------------

/**
 * Symfony constraint codes, so clients can tell violations apart the way they would on the real API.
 * inferred: the vendor shows only NotBlank (`c1051bb4-…`); the others are Symfony's published codes.
 */
export const SYMFONY_CODES = {
  notBlank: "c1051bb4-d103-4f74-8988-acbcafc7fdc3",
  type: "ba785a8c-82cb-4283-967c-3cf342181b40",
  tooShort: "9ff3fdc4-b214-49db-8718-39c315e33d45",
  tooLong: "d94b19cc-114f-4f44-9cc4-4138e80a87b9",
  regex: "de1e3db3-5ed4-4941-aae4-59f3667cc3a3",
  tooFew: "bef8e338-6ae5-4caf-b8e2-50e7b0579e69",
  choice: "8e179f1b-97aa-4560-a02f-2a8b42e49df7",
  range: "2d28afcb-e32e-45fb-a815-01c431a86a69",
  unique: "23bd9dbf-6b9b-41cd-a99e-4844bcf3077f",
  uuid: "51120b12-a2bc-41bf-aa53-cd73daf330d0",
} as const;

export interface Violation {
  propertyPath: string;
  message: string;
  code: string | null;
}

/** Symfony property paths: `items[0].product`. */
export function propertyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function fynnViolationError(status: number, violations: Violation[]): HttpError {
  const detail = violations
    .map((v) => (v.propertyPath ? `${v.propertyPath}: ${v.message}` : v.message))
    .join("\n");
  return new HttpError(status, { title: "An error occurred", detail, violations });
}

/** A Fynn error answer: `{title, detail}` (the schema of such a body is provider/fynnFamily.ts `fynnErrorBody`). */
function fynnHttpError(status: number, title: string, detail: string): HttpError {
  return new HttpError(status, { title, detail });
}

export function fynnNotFound(): HttpError {
  return fynnHttpError(404, "Not Found", "Resource not found");
}

function zodToViolations(error: z.ZodError, input: unknown): Violation[] {
  return error.issues.map((issue) => {
    const value = valueAt(input, issue.path);
    const path = propertyPath(issue.path);
    if (value === undefined && issue.code !== "custom") {
      return { propertyPath: path, message: "This value should not be blank.", code: SYMFONY_CODES.notBlank };
    }
    return { propertyPath: path, message: issue.message, code: symfonyCode(issue) };
  });
}

function symfonyCode(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return SYMFONY_CODES.type;
    case "too_small":
      if (issue.origin === "array") return SYMFONY_CODES.tooFew;
      return issue.origin === "string" ? SYMFONY_CODES.tooShort : SYMFONY_CODES.range;
    case "too_big":
      return issue.origin === "string" ? SYMFONY_CODES.tooLong : SYMFONY_CODES.range;
    case "invalid_format":
      return issue.format === "uuid" ? SYMFONY_CODES.uuid : SYMFONY_CODES.regex;
    case "invalid_value":
    case "invalid_union":
      return SYMFONY_CODES.choice;
    default:
      return SYMFONY_CODES.notBlank;
  }
}

/** API Platform's answers to what the server refuses before a handler runs. */
const FYNN_DIALECT: ErrorDialect = {
  // API Platform answers a syntax error with 400.
  malformedJson: () => fynnHttpError(400, "An error occurred", "Syntax error"),
  unsupportedMediaType: (contentType) =>
    fynnHttpError(415, "Unsupported Media Type", unsupportedMediaTypeDetail(contentType)),
  payloadTooLarge: (limit) =>
    new HttpError(
      413,
      { title: "Payload Too Large", detail: payloadTooLargeDetail(limit) },
      PAYLOAD_TOO_LARGE_HEADERS,
    ),
  // Symfony names the route it missed.
  routeNotFound: (method, path) => fynnHttpError(404, "Not Found", `No route found for "${method} ${path}"`),
  methodNotAllowed: (allowed) =>
    new HttpError(
      405,
      { title: "Method Not Allowed", detail: `Allowed methods: ${allowed.join(", ")}` },
      allowHeader(allowed),
    ),
  internalError: (detail) => fynnHttpError(500, "Internal Server Error", detail),
  // An injected 404 is the object's not-found answer; a missing route is the `routeMissing` fault.
  injectedError: (status) =>
    status === 404
      ? { title: "Not Found", detail: "Resource not found" }
      : {
          title: status === 429 ? "Too Many Requests" : "An error occurred",
          detail: injectedFaultDetail(status),
        },
};

// ---- auth and bodies -----------------------------------------------------------------------------

/**
 * The caller's organisation, if its token is a Fynn one holding one of `scopes`: 401 without a
 * usable token, 403 without the scope.
 */
export function fynnAuth(app: App, ctx: Ctx, scopes: string[]): OrganizationSeed {
  const principal = app.principalOf(ctx, FAMILY);
  if (!principal) {
    // inferred: Fynn's 401 is undocumented; Symfony's security messages in the classic error body.
    const detail =
      ctx.bearer === undefined
        ? "Full authentication is required to access this resource."
        : "Invalid API token.";
    throw new HttpError(401, { title: "Unauthorized", detail }, { "www-authenticate": "Bearer" });
  }
  if (!scopes.some((scope) => principal.token.scopes.includes(scope))) {
    throw fynnHttpError(403, "Forbidden", `Missing permission "${scopes[scopes.length - 1]}".`);
  }
  return principal.org;
}

/** The request body parsed with its shared schema; violations in Fynn's shape otherwise. */
export function fynnBody<T extends z.ZodType>(app: App, ctx: Ctx, factory: () => T): z.infer<T> {
  const result = schema(factory).safeParse(ctx.body ?? {});
  if (!result.success) {
    throw fynnViolationError(app.options.fynnValidationStatus, zodToViolations(result.error, ctx.body));
  }
  return result.data;
}

// ---- records, slugs and carts ----------------------------------------------------------------------

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Looks up a record owned by `orgId`; anything else (missing, other org, deleted, bad id) is a 404. */
export function owned<T extends { orgId: string; deletedAt?: string | null }>(
  collection: Record<string, T>,
  id: string | undefined,
  orgId: string,
): T {
  const record = id !== undefined && UUID_RE.test(id) ? collection[id] : undefined;
  if (!record || record.orgId !== orgId || record.deletedAt) throw fynnNotFound();
  return record;
}

/** Live slugs of an organisation, across both API generations (inferred: one link table). */
export function takenSlugs(app: App, orgId: string, exceptId?: string): Set<string> {
  const taken = new Set<string>();
  for (const links of [fynnState(app).links, coreapiState(app).links]) {
    for (const link of Object.values(links)) {
      if (link.orgId === orgId && !link.deletedAt && link.id !== exceptId) taken.add(link.slug);
    }
  }
  return taken;
}

/** Slugs are unique per organisation across both API generations. */
export function slugTaken(app: App, orgId: string, slug: string, exceptId?: string): boolean {
  return takenSlugs(app, orgId, exceptId).has(slug);
}

export function conflict(app: App, propertyPath: string, message: string): HttpError {
  return fynnViolationError(app.options.fynnConflictStatus, [
    { propertyPath, message, code: SYMFONY_CODES.unique },
  ]);
}

export function slugConflict(app: App, slug: string): HttpError {
  return conflict(
    app,
    "slug",
    `The slug "${slug}" is already used by another checkout link of this organisation.`,
  );
}

/**
 * Public link resolution. Slugs are unique per organisation while the public URL carries no tenant
 * (inferred: the real host is the tenant's), so `?tenant=<org key>` picks the organisation when two
 * share a slug; otherwise the oldest live link wins.
 */
export function findBySlug<
  T extends { orgId: string; slug: string; deletedAt: string | null; createdAt: string },
>(app: App, ctx: Ctx, links: Record<string, T>, slug: string | undefined): T | undefined {
  const tenant = ctx.query.get("tenant");
  const orgId = tenant ? app.orgsByKey.get(tenant)?.id : undefined;
  return Object.values(links)
    .filter((l) => l.slug === slug && !l.deletedAt && (orgId === undefined || l.orgId === orgId))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
}

export function createCart(
  app: App,
  orgId: string,
  source: CartRec["source"],
  linkId: string,
  customerId: string | null,
  metadata: Record<string, unknown>,
): CartRec {
  const cart: CartRec = {
    id: newId(),
    orgId,
    source,
    linkId,
    customerId,
    metadata,
    createdAt: fynnTimestamp(app.now()),
  };
  fynnState(app).carts[cart.id] = cart;
  return cart;
}

export function cartUrl(app: App, cart: CartRec): string {
  return `${fynnPublicBase(app)}/carts/${cart.id}`;
}

/** The Fynn family: served under `/fynn`, with its error dialect. */
export const FYNN_FAMILY: FamilyModule = { family: FAMILY, dialect: FYNN_DIALECT };
