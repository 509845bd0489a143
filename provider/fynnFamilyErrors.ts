/**
 * The error dialect both Fynn API generations share (Symfony / API Platform bodies `{title, detail,
 * violations: [{propertyPath, message}]}`), read without the wire schemas so that the list of
 * backends (provider/backends.ts) stays data.
 */
import type { FieldError } from "./core/backend";

/**
 * Reads a Fynn error body into the vendor's message and field errors; undefined when the body is not
 * in Fynn's dialect (the core then keeps a short text of it).
 */
export function parseFynnErrorBody(
  b: Record<string, unknown>,
  clip: (s: string) => string,
): { detail?: string; fieldErrors: FieldError[] } | undefined {
  if (!Array.isArray(b.violations)) return undefined;
  const fieldErrors: FieldError[] = [];
  for (const v of b.violations) {
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      fieldErrors.push({ field: String(o.propertyPath ?? ""), message: clip(String(o.message ?? "")) });
    }
  }
  let detail = typeof b.title === "string" ? b.title : undefined;
  if (fieldErrors.length === 0 && typeof b.detail === "string") detail = b.detail;
  return detail === undefined ? { fieldErrors } : { detail, fieldErrors };
}

/**
 * Fynn's answer for an object that does not exist. The docs give the classic 404 only as "Resource
 * not found" with no body schema, and none for V2; inferred: an API Platform error body (`title` and
 * `detail`, or their `hydra:` forms) whose text is not Symfony's routing message (`No route found for
 * "GET /…"`), which a path the host does not serve answers with the same status. Anything else (an
 * HTML page, a proxy's text, a routing message) is not taken as "gone".
 */
export function isFynnNotFoundBody(body: unknown): boolean {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  const title = b.title ?? b["hydra:title"];
  const detail = b.detail ?? b["hydra:description"];
  if (typeof title !== "string" || typeof detail !== "string") return false;
  return !/no route found/i.test(detail);
}
