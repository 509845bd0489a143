/**
 * Each vendor's error bodies, and the conversion of zod issues into them. Handlers throw
 * {@link HttpError}; the server turns it into a response.
 */
import type { z } from "zod";
import type { PolarValidationIssue } from "../provider/polar/schemas";

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

/** Which error dialect a request gets: decided by the path prefix. */
export type Dialect = "fynn" | "polar" | "control";

// ---- Fynn (classic and, inferred, V2) ---------------------------------------------------------

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

export function fynnError(status: number, title: string, detail: string): HttpError {
  return new HttpError(status, { title, detail });
}

export function fynnNotFound(): HttpError {
  return fynnError(404, "Not Found", "Resource not found");
}

export function zodToViolations(error: z.ZodError, input: unknown): Violation[] {
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

// ---- Polar ---------------------------------------------------------------------------------------

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
export function zodToPolarIssues(error: z.ZodError, input: unknown, root: string): PolarValidationIssue[] {
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

export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

// ---- framework-level errors in each dialect -------------------------------------------------------

export function malformedJson(dialect: Dialect, message: string): HttpError {
  if (dialect === "polar") {
    // FastAPI answers an undecodable body with a 422 `json_invalid` entry.
    return polarValidation([
      {
        type: "json_invalid",
        loc: ["body", 0],
        msg: "JSON decode error",
        input: {},
        ctx: { error: message },
      },
    ]);
  }
  // API Platform answers a syntax error with 400.
  return dialect === "fynn"
    ? fynnError(400, "An error occurred", "Syntax error")
    : controlError(400, message);
}

export function unsupportedMediaType(dialect: Dialect, contentType: string): HttpError {
  const detail = `The content-type "${contentType}" is not supported. Supported MIME types are "application/json".`;
  if (dialect === "polar") return new HttpError(415, { error: "UnsupportedMediaType", detail });
  return dialect === "fynn" ? fynnError(415, "Unsupported Media Type", detail) : controlError(415, detail);
}

export function payloadTooLarge(dialect: Dialect, limit: number): HttpError {
  const detail = `Request body is larger than ${limit} bytes.`;
  const headers = { connection: "close" };
  if (dialect === "polar") return new HttpError(413, { error: "RequestEntityTooLarge", detail }, headers);
  if (dialect === "fynn") return new HttpError(413, { title: "Payload Too Large", detail }, headers);
  return new HttpError(413, { error: "payload_too_large", detail }, headers);
}

export function routeNotFound(dialect: Dialect, method: string, path: string): HttpError {
  // Starlette's unknown route body is `{"detail": "Not Found"}`; Symfony names the route it missed.
  if (dialect === "polar") return new HttpError(404, { detail: "Not Found" });
  if (dialect === "fynn") return fynnError(404, "Not Found", `No route found for "${method} ${path}"`);
  return controlError(404, `No route ${method} ${path}`);
}

export function methodNotAllowed(dialect: Dialect, allowed: string[]): HttpError {
  const headers = { allow: allowed.join(", ") };
  if (dialect === "polar") return new HttpError(405, { detail: "Method Not Allowed" }, headers);
  if (dialect === "fynn") {
    return new HttpError(
      405,
      { title: "Method Not Allowed", detail: `Allowed methods: ${allowed.join(", ")}` },
      headers,
    );
  }
  return new HttpError(
    405,
    { error: "method_not_allowed", detail: `Allowed: ${allowed.join(", ")}` },
    headers,
  );
}

export function internalError(dialect: Dialect, detail: string): HttpError {
  if (dialect === "polar") return new HttpError(500, { error: "InternalServerError", detail });
  if (dialect === "fynn") return fynnError(500, "Internal Server Error", detail);
  return controlError(500, detail);
}

/** Body of an injected status fault, shaped like the vendor's own. */
export function injectedError(dialect: Dialect, status: number): unknown {
  const detail = `Injected fault: HTTP ${status}`;
  if (dialect === "polar")
    return { error: status === 429 ? "TooManyRequests" : "InternalServerError", detail };
  if (dialect === "fynn")
    return { title: status === 429 ? "Too Many Requests" : "An error occurred", detail };
  return { error: "injected_fault", detail };
}

export function controlError(status: number, detail: string): HttpError {
  return new HttpError(status, { error: "emulator_error", detail });
}
