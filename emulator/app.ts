/**
 * What the vendor modules share: options, state, organisations and tokens, the clock, public URLs,
 * and the request-context helpers (auth, body parsing) that turn failures into each vendor's errors.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import {
  fynnError,
  fynnViolationError,
  HttpError,
  polarValidation,
  zodToPolarIssues,
  zodToViolations,
} from "./errors";
import type { OrganizationSeed, TokenFamily, TokenSeed } from "./seed";
import type { EmulatorState } from "./state";
import { schema } from "./util";

export interface ResolvedOptions {
  host: string;
  port: number;
  dataFile: string | undefined;
  polarRateLimitPerMinute: number;
  polarRateLimitWindowMs: number;
  publicBaseUrl: string | undefined;
  seed: "demo" | "examples";
  /** inferred: Fynn's validation status is undocumented (API Platform: 422; legacy SDK: 400). */
  fynnValidationStatus: number;
  /** inferred: status of a duplicate slug or plan code on Fynn/coreapi. */
  fynnConflictStatus: number;
  /** inferred: where coreapi's single-link routes live (`plan`: under the plan; `root`: /api/checkout-links). */
  coreapiLinkRoutes: ("plan" | "root")[];
  selfCheck: boolean;
  maxBodyBytes: number;
  requestLogLimit: number;
  now: () => Date;
}

export interface Principal {
  token: TokenSeed;
  org: OrganizationSeed;
}

export interface Ctx {
  method: string;
  /** Path below the vendor prefix, trailing slash removed. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The bearer token as sent, undefined when absent or not a Bearer header. */
  bearer: string | undefined;
  principal: Principal | undefined;
  clientAddress: string;
}

export interface Reply {
  status: number;
  /** Omitted for 204 and redirects. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Response schema the body must satisfy before it is sent (the self-check). */
  schema?: () => z.ZodType;
}

export interface Route {
  method: string;
  /** Vendor-relative pattern with `:name` parameters, e.g. `/api/plans/:id`. */
  pattern: string;
  handler: (ctx: Ctx) => Reply;
}

export class App {
  state: EmulatorState;
  readonly orgsByKey: Map<string, OrganizationSeed>;
  readonly orgsById: Map<string, OrganizationSeed>;
  readonly tokens: Map<string, TokenSeed>;
  /** Set once the server listens. */
  serverUrl = "";

  constructor(
    readonly options: ResolvedOptions,
    organizations: readonly OrganizationSeed[],
    tokens: readonly TokenSeed[],
    state: EmulatorState,
  ) {
    this.state = state;
    this.orgsByKey = new Map(organizations.map((org) => [org.key, org]));
    this.orgsById = new Map(organizations.map((org) => [org.id, org]));
    this.tokens = new Map(tokens.map((token) => [token.token, token]));
  }

  now(): Date {
    return this.options.now();
  }

  /** Root of public link URLs: the configured public base, else the emulator itself. */
  publicBase(prefix: "fynn" | "polar"): string {
    const root = (this.options.publicBaseUrl ?? this.serverUrl).replace(/\/+$/, "");
    return `${root}/${prefix}`;
  }

  principalFor(bearer: string | undefined): Principal | undefined {
    if (bearer === undefined) return undefined;
    const token = this.tokens.get(bearer);
    if (!token) return undefined;
    const org = this.orgsByKey.get(token.org);
    return org ? { token, org } : undefined;
  }

  // ---- auth: 401 without a usable token, 403 without the scope (each vendor's body) ----

  /** Fynn (classic and V2): the caller's organisation, if the token holds one of `scopes`. */
  fynnAuth(ctx: Ctx, scopes: string[]): OrganizationSeed {
    const principal = this.authenticate(ctx, "fynn");
    if (!scopes.some((scope) => principal.token.scopes.includes(scope))) {
      throw fynnError(403, "Forbidden", `Missing permission "${scopes[scopes.length - 1]}".`);
    }
    return principal.org;
  }

  /** Polar: reads accept the read or the write scope (any intersection), as Polar checks. */
  polarAuth(ctx: Ctx, scopes: string[]): OrganizationSeed {
    const principal = this.authenticate(ctx, "polar");
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

  private authenticate(ctx: Ctx, family: TokenFamily): Principal {
    const principal = ctx.principal;
    if (principal && principal.token.family === family) return principal;
    if (family === "polar") {
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
    // inferred: Fynn's 401 is undocumented; Symfony's security messages in the classic error body.
    const detail =
      ctx.bearer === undefined
        ? "Full authentication is required to access this resource."
        : "Invalid API token.";
    throw new HttpError(401, { title: "Unauthorized", detail }, { "www-authenticate": "Bearer" });
  }

  // ---- request bodies validated with the shared schemas ----

  fynnBody<T extends z.ZodType>(ctx: Ctx, factory: () => T): z.infer<T> {
    const result = schema(factory).safeParse(ctx.body ?? {});
    if (!result.success) {
      throw fynnViolationError(this.options.fynnValidationStatus, zodToViolations(result.error, ctx.body));
    }
    return result.data;
  }

  polarBody<T extends z.ZodType>(ctx: Ctx, factory: () => T): z.infer<T> {
    if (ctx.body === undefined) {
      throw polarValidation([{ type: "missing", loc: ["body"], msg: "Field required", input: null }]);
    }
    const result = schema(factory).safeParse(ctx.body);
    if (!result.success) throw polarValidation(zodToPolarIssues(result.error, ctx.body, "body"));
    return result.data;
  }
}
