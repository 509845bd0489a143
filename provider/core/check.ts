/**
 * `check()` as a thin adapter over zod's `safeParse`: each issue becomes `{property, reason}` with a
 * dotted path, values that are not known yet (a preview of outputs of other resources) pass, and the
 * parsed inputs with their defaults filled in are returned, so that a second preview is empty.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ZodType } from "zod";

/** What the engine sends for a value that is not known until an earlier resource is created. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** Paths (as arrays) of every unknown value inside `v`. */
export function unknownPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (isUnknown(v)) return [at];
  if (Array.isArray(v)) return v.flatMap((item, i) => unknownPaths(item, [...at, i]));
  if (v !== null && typeof v === "object") {
    return Object.entries(v as Record<string, unknown>).flatMap(([k, item]) =>
      unknownPaths(item, [...at, k]),
    );
  }
  return [];
}

function startsWith(path: readonly PropertyKey[], prefix: readonly (string | number)[]): boolean {
  return prefix.every((p, i) => String(path[i]) === String(p));
}

export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * Drops the keys the engine adds to inputs (`__provider`). Module-level values are serialized with
 * the provider, and a `Set` does not survive that, hence the plain comparison.
 */
export function withoutEngineKeys(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) if (k !== "__provider" && v !== undefined) out[k] = v;
  return out;
}

/**
 * Validates `news` with `schema`. With unknown values present, issues on or below them are dropped
 * (and issues a missing value would cause cannot be told apart, so an unknown whole object passes),
 * and the inputs go back unchanged; once everything is known, the parsed and defaulted inputs go
 * back.
 */
export function checkInputs(schema: ZodType, news: Record<string, unknown>): pulumi.dynamic.CheckResult {
  const inputs = withoutEngineKeys(news);
  const unknowns = unknownPaths(inputs);
  const result = schema.safeParse(inputs);
  if (result.success) return { inputs: result.data as Record<string, unknown> };
  const failures = result.error.issues
    .filter(
      (issue) => !unknowns.some((u) => startsWith(issue.path, u) || startsWith(u, issue.path.map(String))),
    )
    .map((issue) => ({ property: dotted(issue.path) || "(inputs)", reason: issue.message }));
  if (failures.length > 0) return { inputs, failures };
  return { inputs };
}
