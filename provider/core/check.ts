import type { ZodType } from "zod";
import { UNKNOWN } from "./engine";

export { UNKNOWN };

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

/** A check failure as the engine takes it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * One failure at `path`. The engine looks `property` up as a top-level argument to print its value,
 * so a nested failure names its top-level argument there and the full dotted path in the reason:
 * `property 'tiers' value {...} has a problem: tiers.0.comitmentPeriod: is not an argument ...`.
 * A failure of the inputs as a whole has no property; the engine then prints the reason alone.
 */
export function failureAt(path: readonly PropertyKey[], reason: string): CheckFailure {
  const [top] = path;
  if (top === undefined) return { property: "", reason };
  if (path.length === 1) return { property: String(top), reason };
  return { property: String(top), reason: `${dotted(path)}: ${reason}` };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Paths of the keys of `given` that parsing dropped from `parsed`, at any depth: misspelt or
 * unsupported arguments, which zod strips silently from objects that are not strict.
 */
export function droppedKeys(
  given: unknown,
  parsed: unknown,
  at: (string | number)[] = [],
): (string | number)[][] {
  if (Array.isArray(given) && Array.isArray(parsed)) {
    return given.flatMap((v, i) => (i < parsed.length ? droppedKeys(v, parsed[i], [...at, i]) : []));
  }
  if (isPlainObject(given) && isPlainObject(parsed)) {
    return Object.entries(given).flatMap(([k, v]) => {
      if (v === undefined || (k === "__provider" && at.length === 0)) return [];
      if (!(k in parsed)) return [[...at, k]];
      return droppedKeys(v, parsed[k], [...at, k]);
    });
  }
  return [];
}

/** What {@link checkArgs} found: the inputs to hand back, failures, and whether every value was known. */
export interface CheckedArgs {
  inputs: Record<string, unknown>;
  failures?: CheckFailure[];
  /** True when `inputs` are the parsed, defaulted arguments; false when unknown values kept them raw. */
  complete: boolean;
}

const NOT_AN_ARGUMENT = "is not an argument of this resource";

/**
 * `check()` for every resource: validates `news` with `schema` and returns the parsed inputs with
 * their defaults filled in, so that a second preview is empty. One rule at every nesting level: a
 * key the schema does not have (a misspelt `couponAllowed`, `tiers[0].comitmentPeriod` or
 * `options.trailDays`) is a failure at preview rather than silently dropped. Issues on or below a
 * value that is not known yet (a preview of another resource's outputs) are left for later, and the
 * inputs then go back unparsed.
 * @internal
 */
export function checkArgs(schema: ZodType, news: Record<string, unknown>): CheckedArgs {
  const inputs = withoutEngineKeys(news);
  const unknowns = unknownPaths(inputs);
  const result = schema.safeParse(inputs);
  if (result.success) {
    const data = result.data as Record<string, unknown>;
    const failures = droppedKeys(inputs, data).map((path) => failureAt(path, NOT_AN_ARGUMENT));
    if (failures.length > 0) return { inputs, failures, complete: false };
    return { inputs: data, complete: true };
  }
  const failures = result.error.issues
    .filter(
      (issue) => !unknowns.some((u) => startsWith(issue.path, u) || startsWith(u, issue.path.map(String))),
    )
    .flatMap((issue) =>
      // Name each misspelt or unsupported key itself rather than the object holding it.
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => failureAt([...issue.path, k], NOT_AN_ARGUMENT))
        : [failureAt(issue.path, issue.message)],
    );
  if (failures.length > 0) return { inputs, failures, complete: false };
  return { inputs, complete: false };
}
