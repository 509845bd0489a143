/**
 * One error family for every backend. An {@link ApiError} carries what a user needs to act on a
 * failure (method, path, status, the vendor's field messages, the request id) and never the token or
 * the request body.
 */

import type { Backend, BackendDirectory, FieldError } from "./backend";
import { CheckoutLinksError } from "./failure";

export type { FieldError } from "./backend";

/** Stable machine-readable error codes, in the manner of undici's `UND_ERR_*` codes. */
export type ApiErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "UNEXPECTED_404"
  | "CONFLICT"
  | "VALIDATION"
  | "RATE_LIMITED"
  | "SERVER_ERROR"
  | "HTTP_ERROR"
  | "TIMEOUT"
  | "NETWORK"
  | "DEADLINE"
  | "BAD_RESPONSE";

export interface ApiErrorInit {
  code: ApiErrorCode;
  vendor: Backend;
  method: string;
  path: string;
  /** The base URL's host (`api.polar.sh`, `127.0.0.1:8787`): which endpoint failed, in every message. */
  host?: string;
  status?: number;
  requestId?: string;
  detail?: string;
  fieldErrors?: FieldError[];
  /** True when the request may have been applied by the server although no answer came back. */
  ambiguous?: boolean;
  retryAfterMs?: number;
  attempts?: number;
  /** Time from the first attempt to the failure. */
  elapsedMs?: number;
  /** For a `DEADLINE` error: the status of the last answer, if any came. */
  lastStatus?: number;
  cause?: unknown;
}

/**
 * A vendor's refusal or a failed exchange with it: what was asked (method, path, host), what came back
 * (status, the vendor's message and field errors, its request id) and a stable {@link ApiErrorCode}.
 * `ambiguous` says whether the request may have been applied although no clear answer came. It never
 * holds the token or the request body.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly vendor: Backend;
  readonly method: string;
  readonly path: string;
  readonly host: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly ambiguous: boolean;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;
  readonly elapsedMs: number | undefined;

  constructor(init: ApiErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ApiError";
    this.code = init.code;
    this.vendor = init.vendor;
    this.method = init.method;
    this.path = init.path;
    this.host = init.host;
    this.status = init.status;
    this.requestId = init.requestId;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? [];
    this.ambiguous = init.ambiguous ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
    this.elapsedMs = init.elapsedMs;
  }

  /** One line: what failed and the vendor's word on it, without attempts or field list. */
  get summary(): string {
    const status = this.status === undefined ? "" : `HTTP ${this.status} `;
    return `${status}${describe({ code: this.code, detail: this.detail } as ApiErrorInit)}`.trim();
  }

  /** Worth another attempt: rate limits, server errors, timeouts and network failures. */
  get retryable(): boolean {
    return (
      this.code === "RATE_LIMITED" ||
      this.code === "SERVER_ERROR" ||
      this.code === "TIMEOUT" ||
      this.code === "NETWORK" ||
      this.status === 408
    );
  }
}

function formatMessage(init: ApiErrorInit): string {
  const where = `${init.vendor} ${init.method} ${init.path}`;
  const status = init.status === undefined ? "" : ` (HTTP ${init.status})`;
  const at = init.host === undefined ? "" : ` at ${init.host}`;
  const head = `${where} failed${status}${at}: ${describe(init)}`;
  const fields = (init.fieldErrors ?? []).map((f) => `\n  - ${f.field}: ${f.message}`).join("");
  const id = init.requestId ? `\n  request id: ${init.requestId}` : "";
  const over =
    init.elapsedMs !== undefined && init.elapsedMs >= 1000
      ? ` over ${(init.elapsedMs / 1000).toFixed(1)} s`
      : "";
  const tries = init.attempts && init.attempts > 1 ? ` after ${init.attempts} attempts${over}` : "";
  return head + tries + fields + id;
}

function describe(init: ApiErrorInit): string {
  const d = init.detail ? ` ${init.detail}` : "";
  switch (init.code) {
    case "UNAUTHORIZED":
      return `the token was rejected; check the configured token.${d}`;
    case "FORBIDDEN":
      return `the token lacks a permission this call needs.${d}`;
    case "NOT_FOUND":
      return `not found.${d}`;
    case "UNEXPECTED_404":
      return (
        "answered 404 in a form that is not the vendor's not-found answer for an object, so the " +
        "route may not exist there: the vendor's API may differ from what this package expects " +
        `(README "Inferred API behaviour"; \`checkout-links doctor\` probes every route).${d}`
      );
    case "CONFLICT":
      return `conflicts with an existing object.${d}`;
    case "VALIDATION":
      return `the request was rejected.${d}`;
    case "RATE_LIMITED":
      return `rate limited.${d}`;
    case "TIMEOUT":
      return `no answer in time.${d}`;
    case "NETWORK":
      return `the connection failed.${d}`;
    case "DEADLINE":
      return `gave up at the overall deadline.${d}`;
    case "BAD_RESPONSE":
      return `the answer did not have the expected shape.${d}`;
    default:
      return d.trim() || "unexpected answer.";
  }
}

/**
 * Whether `e` is an {@link ApiError}. It checks the name and the code rather than the class, so that
 * an error from another installed copy of the package counts too.
 */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof Error && (e as { name?: string }).name === "ApiError" && "code" in e;
}

/**
 * Whether a 404's body is the vendor's own not-found answer for an object (its backend's
 * `isNotFoundBody` in `backends`), rather than a route the server does not have (a web framework's
 * "no route", an HTML page, a proxy). Only the former says that an object is gone; a backend
 * without the check, or not in `backends`, never has a 404 taken as gone.
 */
export function isVendorNotFound(vendor: Backend, body: unknown, backends?: BackendDirectory): boolean {
  return backends?.find(vendor)?.isNotFoundBody?.(body) === true;
}

/** The vendor said that the object does not exist (see {@link isVendorNotFound}). */
export function isNotFound(e: unknown): boolean {
  return isApiError(e) && e.code === "NOT_FOUND";
}

/** The request may have reached the server and been applied although the client saw a failure. */
export function isAmbiguous(e: unknown): boolean {
  return isApiError(e) && e.ambiguous;
}

function codeForStatus(
  status: number,
  vendor: Backend,
  body: unknown,
  backends: BackendDirectory | undefined,
): ApiErrorCode {
  if (status === 400) return "BAD_REQUEST";
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return isVendorNotFound(vendor, body, backends) ? "NOT_FOUND" : "UNEXPECTED_404";
  if (status === 408) return "TIMEOUT";
  if (status === 409) return "CONFLICT";
  if (status === 422) return "VALIDATION";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 500) return "SERVER_ERROR";
  return "HTTP_ERROR";
}

const MAX_TEXT = 300;

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}

/**
 * Reads the vendor's error body: the backend's own dialect first (its `parseErrorBody` in
 * `backends`, e.g. Polar's `{error, detail}` or Fynn's violations), then the other backends'
 * dialects, else the usual keys of any JSON error. Anything else keeps only a short text, so that a
 * large or odd body never floods an error message.
 */
export function parseErrorBody(
  body: unknown,
  vendor?: Backend,
  backends?: BackendDirectory,
): { detail?: string; fieldErrors: FieldError[] } {
  const fieldErrors: FieldError[] = [];
  if (body === null || typeof body !== "object") {
    return typeof body === "string" && body.trim()
      ? { detail: clip(body.trim()), fieldErrors }
      : { fieldErrors };
  }
  const b = body as Record<string, unknown>;
  // The vendor's own dialect first; a body in another's (a proxy, a misconfigured base URL) still reads.
  const own = vendor === undefined ? undefined : backends?.find(vendor);
  const dialects = [...(own === undefined ? [] : [own]), ...(backends?.all() ?? []).filter((b) => b !== own)];
  for (const d of dialects) {
    const parsed = d.parseErrorBody?.(b, clip);
    if (parsed !== undefined) return parsed;
  }
  const parts = [b.error, b.title, b.detail, b.error_description, b.message].filter(
    (p): p is string => typeof p === "string" && p.length > 0,
  );
  return parts.length > 0 ? { detail: clip([...new Set(parts)].join(": ")), fieldErrors } : { fieldErrors };
}

/**
 * What the user sees when a create collides with an existing slug: the API's message plus the way
 * out, since `pulumi import` cannot adopt dynamic resources.
 */
export function slugTakenError(vendor: Backend, slug: string, cause: unknown): CheckoutLinksError {
  return new CheckoutLinksError(
    "SLUG_TAKEN",
    `${vendor}: the slug "${slug}" is already used by another checkout link. Set \`adopt: true\` on ` +
      "this resource to take that link over (it is then changed to what you declare), or choose another " +
      "slug. A link that an interrupted run of this resource made, still as declared, is taken over " +
      "without it.",
    { cause },
  );
}

export function errorFromResponse(args: {
  vendor: Backend;
  method: string;
  path: string;
  host?: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  attempts?: number;
  retryAfterMs?: number;
  /** The backends whose error dialects and not-found answers are known. */
  backends?: BackendDirectory | undefined;
}): ApiError {
  const { detail, fieldErrors } = parseErrorBody(args.body, args.vendor, args.backends);
  const requestId = args.headers["x-request-id"] ?? args.headers["x-correlation-id"];
  const init: ApiErrorInit = {
    code: codeForStatus(args.status, args.vendor, args.body, args.backends),
    vendor: args.vendor,
    method: args.method,
    path: args.path,
    status: args.status,
    fieldErrors,
    // A 5xx may come after the server applied the change; a 4xx means it refused it.
    ambiguous: args.status >= 500,
  };
  if (detail !== undefined) init.detail = detail;
  if (args.host !== undefined) init.host = args.host;
  if (requestId !== undefined) init.requestId = requestId;
  if (args.attempts !== undefined) init.attempts = args.attempts;
  if (args.retryAfterMs !== undefined) init.retryAfterMs = args.retryAfterMs;
  return new ApiError(init);
}
