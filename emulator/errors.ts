/**
 * Error answers. Handlers throw {@link HttpError}; the server turns it into a response. What the
 * server itself refuses (bad JSON, wrong content type, unknown route, ...) is answered in the error
 * dialect of the backend family the path belongs to: each family module gives one
 * ({@link ErrorDialect}), and the control routes and a family without one use {@link CONTROL_DIALECT}.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** JSON body, or undefined for an empty body (Polar's 429). */
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** How one family of backends words the errors the server answers before any handler runs. */
export interface ErrorDialect {
  malformedJson(message: string): HttpError;
  unsupportedMediaType(contentType: string): HttpError;
  payloadTooLarge(limit: number): HttpError;
  routeNotFound(method: string, path: string): HttpError;
  methodNotAllowed(allowed: string[]): HttpError;
  internalError(detail: string): HttpError;
  /** Body of an injected status fault, shaped like the vendor's own; undefined for an empty body. */
  injectedError(status: number): unknown;
}

// Texts every dialect shares.
export const unsupportedMediaTypeDetail = (contentType: string) =>
  `The content-type "${contentType}" is not supported. Supported MIME types are "application/json".`;
export const payloadTooLargeDetail = (limit: number) => `Request body is larger than ${limit} bytes.`;
export const injectedFaultDetail = (status: number) => `Injected fault: HTTP ${status}`;
/** A body too large closes the connection: the rest of it is not read. */
export const PAYLOAD_TOO_LARGE_HEADERS = { connection: "close" } as const;
export const allowHeader = (allowed: string[]) => ({ allow: allowed.join(", ") });

export function controlError(status: number, detail: string): HttpError {
  return new HttpError(status, { error: "emulator_error", detail });
}

/** The emulator's own routes (`/_emulator/...`), and any family that brings no dialect. */
export const CONTROL_DIALECT: ErrorDialect = {
  malformedJson: (message) => controlError(400, message),
  unsupportedMediaType: (contentType) => controlError(415, unsupportedMediaTypeDetail(contentType)),
  payloadTooLarge: (limit) =>
    new HttpError(
      413,
      { error: "payload_too_large", detail: payloadTooLargeDetail(limit) },
      PAYLOAD_TOO_LARGE_HEADERS,
    ),
  routeNotFound: (method, path) => controlError(404, `No route ${method} ${path}`),
  methodNotAllowed: (allowed) =>
    new HttpError(
      405,
      { error: "method_not_allowed", detail: `Allowed: ${allowed.join(", ")}` },
      allowHeader(allowed),
    ),
  internalError: (detail) => controlError(500, detail),
  injectedError: (status) => ({ error: "injected_fault", detail: injectedFaultDetail(status) }),
};

/** The value at a zod issue's path in the request, for the vendors' "input" fields. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
