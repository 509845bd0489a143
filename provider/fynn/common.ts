/**
 * Pieces shared by the Fynn resources of both API generations (coreapi.io V2 plans and links, and
 * classic checkout links): account resolution, JSON-safe outputs, the "half-created" error the
 * engine understands, the settle-and-look-again lookup after a create whose answer was lost, and
 * the checks and warnings every resource shares.
 *
 * Pulumi serializes provider code by value, so this module holds only functions and plain data;
 * zod schemas are built inside the functions that use them.
 */
import type { z } from "zod";
import { checkInputs } from "../core/check";
import { changedFields, type DiffTable } from "../core/diff";
import { isApiError } from "../core/errors";

export { AccountSource as FynnAccounts, accountName } from "../core/accounts";
export { settledLookup, settleMsFor } from "../core/http";

/**
 * `check()` for a resource: the shared zod adapter, plus a failure for each argument the resource
 * does not have, so that a misspelt optional argument (`couponAllowed`) is an error at preview
 * rather than silently ignored.
 */
export function checkArgs(
  schema: z.ZodObject,
  news: Record<string, unknown>,
): { inputs?: Record<string, unknown>; failures?: { property: string; reason: string }[] } {
  const result = checkInputs(schema, news);
  const known = new Set(Object.keys(schema.shape));
  const unknown = Object.keys(news)
    .filter((k) => k !== "__provider" && news[k] !== undefined && !known.has(k))
    .map((property) => ({ property, reason: "is not an argument of this resource" }));
  if (unknown.length === 0) return result;
  return { ...result, failures: [...(result.failures ?? []), ...unknown] };
}

/**
 * Makes a change that breaks a published link stand out: the engine's diff protocol has no room
 * for "why", so each such field (marked `publishes` in the diff table) is reported as a warning that
 * the CLI shows next to the resource in preview and up.
 */
export function warnPublishing(
  table: DiffTable,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): void {
  for (const { field, rule } of changedFields(table, olds, news)) {
    if (!rule.publishes) continue;
    const url = typeof olds.url === "string" ? ` ${olds.url}` : "";
    console.warn(
      `${field} changes from ${JSON.stringify(olds[field])} to ${JSON.stringify(news[field])}: ` +
        `the published link${url} stops working (${rule.why})`,
    );
  }
}

/** `T` with `undefined` allowed for every key: what {@link jsonSafe} takes. */
export type Loose<T> = { [K in keyof T]: T[K] | undefined };

/**
 * Drops `undefined` values so that outputs stay JSON-safe (the engine rejects `undefined`); an
 * optional key given as `undefined` is left out.
 */
export function jsonSafe<T extends object>(o: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * The error a create throws when the object exists remotely but a later step failed (activating a
 * plan, putting an adopted link into the declared state). The dynamic-provider host reports an
 * error with `id` as "resource init failed" and keeps `properties` as the resource's state, so the
 * object is neither lost nor created twice on the next `up`. `__provider` must be part of those
 * properties, or the engine could not load the provider to refresh or delete the object later.
 */
export class PartialCreateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: object, provider: unknown, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`created ${id} but could not finish: ${reason}`, { cause });
    this.name = "PartialCreateError";
    this.id = id;
    this.properties = jsonSafe<Record<string, unknown>>({ ...properties, __provider: provider });
    this.reasons = [reason];
  }
}

/**
 * A create refused because a field must be unique: a 409, or (the status is undocumented, and
 * Symfony validators answer 422) a violation on that field saying it is already used.
 */
export function isUniqueConflict(e: unknown, field: string): boolean {
  if (!isApiError(e)) return false;
  if (e.code === "CONFLICT")
    return e.fieldErrors.length === 0 || e.fieldErrors.some((f) => f.field === field);
  return e.fieldErrors.some((f) => f.field === field && /already|taken|unique/i.test(f.message));
}

/**
 * What the user sees when a create collides with an existing slug: the API's message plus the way
 * out, since `pulumi import` cannot adopt dynamic resources.
 */
export function slugTakenError(backend: string, slug: string, cause: unknown): Error {
  return new Error(
    `${backend}: the slug "${slug}" is already used by another checkout link. Set \`adopt: true\` on ` +
      "this resource to take that link over, or choose another slug. If an interrupted `pulumi up` of " +
      "this stack made it, run `checkout-links up`, which takes over what an interrupted run created.",
    { cause },
  );
}
