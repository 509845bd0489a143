/**
 * What Polar's API does to every request on the emulator, whichever object it is about: its error
 * dialect (FastAPI/Starlette bodies, Pydantic-style validation entries), authentication (Authlib's
 * RFC 6750 answers), the `polar-version` header, and the per-organisation rate limit. The routes are
 * in vendors/polar/, one file per object type.
 */
import type { z } from "zod";
import type { PolarValidationIssue } from "../../provider/polar/schemas";
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
import { schema } from "../util";

/** The family's name in provider/backends.ts, and its path prefix. */
const FAMILY = "polar";
const SUPPORTED_VERSIONS = new Set(["2026-04", "2026-10"]);

/** Root of Polar's public URLs on the emulator. */
export function polarPublicBase(app: App): string {
  return app.publicBase(FAMILY);
}

// ---- errors --------------------------------------------------------------------------------------

export function polarNotFound(): HttpError {
  return new HttpError(404, { error: "ResourceNotFound", detail: "Not found" });
}

export function polarValidation(
  issues: PolarValidationIssue[],
  kind: "RequestValidationError" | "PolarRequestValidationError" = "RequestValidationError",
): HttpError {
  return new HttpError(422, { error: kind, detail: issues });
}

/** Service-level (business rule) validation errors, which Polar types `value_error`. */
export function polarValueError(loc: (string | number)[], msg: string, input: unknown): PolarValidationIssue {
  return { type: "value_error", loc, msg, input };
}

/** Converts zod issues to Pydantic-style entries, located under `root` (`body` or `query`). */
function zodToPolarIssues(error: z.ZodError, input: unknown, root: string): PolarValidationIssue[] {
  return error.issues.map((issue) => {
    const value = valueAt(input, issue.path);
    const loc = [root, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))];
    const custom =
      issue.code === "custom" ? (issue.params as { type?: string } | undefined)?.type : undefined;
    if (value === undefined && issue.code !== "custom") {
      // Pydantic reports the enclosing object as the input of a missing field.
      return {
        type: "missing",
        loc,
        msg: "Field required",
        input: valueAt(input, issue.path.slice(0, -1)) ?? null,
      };
    }
    return { type: custom ?? pydanticType(issue), loc, msg: issue.message, input: value ?? null };
  });
}

function pydanticType(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `${issue.expected}_type`;
    case "too_small":
      return issue.origin === "string"
        ? "string_too_short"
        : issue.origin === "array"
          ? "too_short"
          : "greater_than_equal";
    case "too_big":
      return issue.origin === "string"
        ? "string_too_long"
        : issue.origin === "array"
          ? "too_long"
          : "less_than_equal";
    case "invalid_format":
      return issue.format === "uuid" ? "uuid_parsing" : "string_pattern_mismatch";
    case "invalid_value":
      return "literal_error";
    case "invalid_union":
      return "union_tag_invalid";
    default:
      return "value_error";
  }
}

/** Starlette's and FastAPI's answers to what the server refuses before a handler runs. */
const POLAR_DIALECT: ErrorDialect = {
  // FastAPI answers an undecodable body with a 422 `json_invalid` entry.
  malformedJson: (message) =>
    polarValidation([
      {
        type: "json_invalid",
        loc: ["body", 0],
        msg: "JSON decode error",
        input: {},
        ctx: { error: message },
      },
    ]),
  unsupportedMediaType: (contentType) =>
    new HttpError(415, { error: "UnsupportedMediaType", detail: unsupportedMediaTypeDetail(contentType) }),
  payloadTooLarge: (limit) =>
    new HttpError(
      413,
      { error: "RequestEntityTooLarge", detail: payloadTooLargeDetail(limit) },
      PAYLOAD_TOO_LARGE_HEADERS,
    ),
  // Starlette's unknown route body.
  routeNotFound: () => new HttpError(404, { detail: "Not Found" }),
  methodNotAllowed: (allowed) => new HttpError(405, { detail: "Method Not Allowed" }, allowHeader(allowed)),
  internalError: (detail) => new HttpError(500, { error: "InternalServerError", detail }),
  // Polar's 429 has an empty body; an injected 404 is the object's not-found answer.
  injectedError: (status) =>
    status === 429
      ? undefined
      : status === 404
        ? { error: "ResourceNotFound", detail: "Not found" }
        : { error: "InternalServerError", detail: injectedFaultDetail(status) },
};

// ---- auth and bodies -----------------------------------------------------------------------------

/**
 * The caller's organisation, if its token is a Polar one holding one of `scopes` (reads accept the
 * read or the write scope, as Polar checks any intersection).
 */
export function polarAuth(app: App, ctx: Ctx, scopes: string[]): OrganizationSeed {
  const principal = app.principalOf(ctx, FAMILY);
  if (!principal) {
    if (ctx.bearer === undefined) {
      throw new HttpError(
        401,
        { error: "Unauthorized", detail: "Unauthorized" },
        { "www-authenticate": 'Bearer realm="polar"' },
      );
    }
    // inferred: Authlib's RFC 6750 body for a token it does not know.
    throw new HttpError(
      401,
      {
        error: "invalid_token",
        error_description:
          "The access token provided is expired, revoked, malformed, or invalid for other reasons.",
      },
      { "www-authenticate": 'Bearer realm="polar", error="invalid_token"' },
    );
  }
  if (!scopes.some((scope) => principal.token.scopes.includes(scope))) {
    const required = scopes[scopes.length - 1] ?? "";
    throw new HttpError(
      403,
      {
        error: "insufficient_scope",
        error_description: "The request requires higher privileges than provided by the access token.",
      },
      { "www-authenticate": `Bearer error="insufficient_scope", scope="${required}"` },
    );
  }
  return principal.org;
}

/** The request body parsed with its shared schema; Pydantic-style entries otherwise. */
export function polarBody<T extends z.ZodType>(ctx: Ctx, factory: () => T): z.infer<T> {
  if (ctx.body === undefined) {
    throw polarValidation([{ type: "missing", loc: ["body"], msg: "Field required", input: null }]);
  }
  const result = schema(factory).safeParse(ctx.body);
  if (!result.success) throw polarValidation(zodToPolarIssues(result.error, ctx.body, "body"));
  return result.data;
}

// ---- the family ------------------------------------------------------------------------------------

/**
 * The Polar family: served under `/polar`; every answer names the API version; an unknown
 * `polar-version` is a 404 and requests to `/v1` over the organisation's rate limit (anonymous ones:
 * the client address's) a 429 with `Retry-After` and an empty body.
 */
export const POLAR_FAMILY: FamilyModule = {
  family: FAMILY,
  dialect: POLAR_DIALECT,
  headers: { "polar-version": "2026-04" },
  gate(ctx, limiter) {
    const version = ctx.headers["polar-version"];
    if (typeof version === "string" && !SUPPORTED_VERSIONS.has(version)) {
      return { status: 404, body: { detail: "Not Found" } };
    }
    if (ctx.path.startsWith("/v1")) {
      const key = ctx.principal ? `org:${ctx.principal.org.key}` : `ip:${ctx.clientAddress || "?"}`;
      const wait = limiter.take(key);
      if (wait !== undefined) return { status: 429, headers: { "retry-after": String(wait) } };
    }
    return undefined;
  },
};
