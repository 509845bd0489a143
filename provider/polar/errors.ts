/** Polar's error dialect: `{error, detail}` where detail is a string or a list of `{loc, msg}`. */
import type { FieldError } from "../core/backend";

/** Reads a Polar validation body into field errors; undefined when the body is not one. */
export function parsePolarErrorBody(
  b: Record<string, unknown>,
  clip: (s: string) => string,
): { detail?: string; fieldErrors: FieldError[] } | undefined {
  if (!Array.isArray(b.detail)) return undefined;
  const fieldErrors: FieldError[] = [];
  for (const d of b.detail) {
    if (d && typeof d === "object") {
      const o = d as Record<string, unknown>;
      const loc = Array.isArray(o.loc) ? o.loc.filter((p) => p !== "body").join(".") : "";
      fieldErrors.push({ field: loc, message: clip(String(o.msg ?? "")) });
    }
  }
  return typeof b.error === "string" ? { detail: b.error, fieldErrors } : { fieldErrors };
}

/**
 * Polar's answer for an object that does not exist: `{"error": "ResourceNotFound", "detail": …}` (its
 * `ResourceNotFound` error). A path Polar does not route answers FastAPI's bare `{"detail": "Not
 * Found"}`, which says nothing about the object.
 */
export function isPolarNotFoundBody(body: unknown): boolean {
  return (
    body !== null &&
    typeof body === "object" &&
    (body as Record<string, unknown>).error === "ResourceNotFound"
  );
}
