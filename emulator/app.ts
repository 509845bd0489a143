/**
 * What the vendor modules share: options, state, organisations and tokens, the clock and public
 * URLs; and the contract of a vendor module (the routes of one backend) and of a family module
 * (what the backends of one family share: their error dialect, headers and checks).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import type { ErrorDialect } from "./errors";
import type { RateLimiter } from "./ratelimit";
import type { OrganizationSeed, TokenSeed } from "./seed";
import type { StateContainer, StateSlice } from "./state";

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
  /**
   * Answer coreapi and Fynn classic with only the keys their docs show (no plan `description`, no
   * summary `status`, no item `quantityEditable`, no classic link item `id`): shows the provider
   * needs nothing more.
   */
  docsOnly: boolean;
  selfCheck: boolean;
  /**
   * Folder that receives every API exchange (request and response) as JSON lines, one file per
   * process, so a test run can check them against the vendors' published API descriptions.
   */
  recordDir: string | undefined;
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

/**
 * The emulator side of one backend of provider/backends.ts: its routes, served below its family's
 * prefix (`/<family>`), next to the other backends of that family, and the slice of the state its
 * objects live in.
 */
export interface VendorModule<S = unknown> {
  /** The backend's name in provider/backends.ts. */
  backend: string;
  /**
   * The backend's objects, stored under its name: handlers reach them with `app.slice(backend)`.
   * Kept there, they are cleared by reset, shown by `GET /_emulator/state` and kept by the data
   * file; a vendor without one keeps nothing across requests.
   */
  state?: StateSlice<S>;
  routes(app: App): Route[];
  /**
   * Which paths below the family prefix the request log attributes to this backend, when the
   * family has several (coreapi: `/api/...`). A path no backend claims goes to the backend named
   * like the family, else to the family's first backend.
   */
  claims?(path: string): boolean;
}

/** What a request looks like to a family's {@link FamilyModule.gate}. */
export interface GateCtx {
  /** Path below the family prefix. */
  path: string;
  headers: IncomingHttpHeaders;
  principal: Principal | undefined;
  clientAddress: string;
}

/** What the backends of one family (one host, one token kind) share on the emulator. */
export interface FamilyModule {
  /** The family's name in provider/backends.ts, and its path prefix. */
  family: string;
  /** How the server's own refusals are worded; default: the control routes' plain dialect. */
  dialect?: ErrorDialect;
  /** Headers every answer carries unless the reply sets them. */
  headers?: Record<string, string>;
  /**
   * Checked after faults and before the body is read: an answer to give instead of routing the
   * request (Polar: an unsupported API version, the rate limit).
   */
  gate?(ctx: GateCtx, limiter: RateLimiter): Reply | undefined;
}

export class App {
  state: StateContainer;
  readonly orgsByKey: Map<string, OrganizationSeed>;
  readonly orgsById: Map<string, OrganizationSeed>;
  readonly tokens: Map<string, TokenSeed>;
  /** Set once the server listens. */
  serverUrl = "";

  constructor(
    readonly options: ResolvedOptions,
    organizations: readonly OrganizationSeed[],
    tokens: readonly TokenSeed[],
    state: StateContainer,
  ) {
    this.state = state;
    this.orgsByKey = new Map(organizations.map((org) => [org.key, org]));
    this.orgsById = new Map(organizations.map((org) => [org.id, org]));
    this.tokens = new Map(tokens.map((token) => [token.token, token]));
  }

  now(): Date {
    return this.options.now();
  }

  /** The state slice of `backend` (see {@link VendorModule.state}), as it is now: reset replaces it. */
  slice<S>(backend: string): S {
    return this.state[backend] as S;
  }

  /**
   * Root of a family's public link URLs (its path prefix, `/<family>`): the configured public base,
   * else the emulator itself.
   */
  publicBase(family: string): string {
    const root = (this.options.publicBaseUrl ?? this.serverUrl).replace(/\/+$/, "");
    return `${root}/${family}`;
  }

  principalFor(bearer: string | undefined): Principal | undefined {
    if (bearer === undefined) return undefined;
    const token = this.tokens.get(bearer);
    if (!token) return undefined;
    const org = this.orgsByKey.get(token.org);
    return org ? { token, org } : undefined;
  }

  /**
   * The caller, when its token belongs to `family`. The family modules turn a missing one into
   * their vendor's 401 (see `fynnAuth` in vendors/fynnFamily.ts, `polarAuth` in vendors/polarFamily.ts).
   */
  principalOf(ctx: Ctx, family: string): Principal | undefined {
    const principal = ctx.principal;
    return principal && principal.token.family === family ? principal : undefined;
  }
}
