/**
 * Field-level changes for the reports: inputs flattened into dotted leaf paths, compared old against
 * new, and each value as a reader may see it (secrets masked, values not known yet named).
 */
import { SIG_KEY, UNKNOWN } from "../provider/core/engine";
import { type FieldChange, KNOWN_AFTER_APPLY, MASKED } from "./report";

/**
 * Keys whose values are masked even when not marked secret (Polar's `client_secret` is a credential
 * of the link; tokens and passwords may sneak into custom resources).
 */
const SECRET_KEY = /secret|token|password|passphrase|api[-_]?key|authorization|credential/i;

function isSecretValue(v: unknown): boolean {
  return v !== null && typeof v === "object" && SIG_KEY in (v as Record<string, unknown>);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !isSecretValue(v);
}

/** Flattens inputs into leaf paths; secrets, unknowns, scalars and empty containers are leaves. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => {
      flatten(item, `${prefix}[${i}]`, out);
    });
    return;
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value).sort()) {
      if (prefix === "" && key === "__provider") continue;
      flatten(value[key], prefix === "" ? key : `${prefix}.${key}`, out);
    }
    return;
  }
  if (prefix !== "") out.set(prefix, value);
}

/** The leaf values of inputs or outputs by dotted path (`options.couponsAllowed`, `items[0].quantity`). */
export function leaves(inputs: Record<string, unknown> | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (inputs) flatten(inputs, "", out);
  return out;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The value as the reports show it: secrets masked, unknowns named. */
export function presentValue(path: string, value: unknown): unknown {
  if (isSecretValue(value)) return MASKED;
  const lastKey =
    path
      .replace(/\[\d+\]$/g, "")
      .split(".")
      .pop() ?? path;
  if (SECRET_KEY.test(lastKey) && value !== null && value !== undefined && value !== "") return MASKED;
  if (value === UNKNOWN) return KNOWN_AFTER_APPLY;
  return value;
}

/** The leaves that differ between old and new, in path order, with their values as shown. */
export function fieldChanges(
  oldInputs: Record<string, unknown> | undefined,
  newInputs: Record<string, unknown> | undefined,
): FieldChange[] {
  const o = leaves(oldInputs);
  const n = leaves(newInputs);
  const paths = [...new Set([...o.keys(), ...n.keys()])].sort(comparePaths);
  const out: FieldChange[] = [];
  for (const path of paths) {
    const hasOld = o.has(path);
    const hasNew = n.has(path);
    const ov = o.get(path);
    const nv = n.get(path);
    if (hasOld && hasNew && sameValue(ov, nv)) continue;
    // A missing key and an explicit null say the same thing to every provider here.
    if ((ov === undefined || ov === null) && (nv === undefined || nv === null)) continue;
    const change: FieldChange = { field: path };
    if (hasOld && ov !== undefined) change.old = presentValue(path, ov);
    if (hasNew && nv !== undefined) change.new = presentValue(path, nv);
    out.push(change);
  }
  return out;
}

/** Path order: alphabetical, with array indexes in numeric order (`items[2]` before `items[10]`). */
function comparePaths(a: string, b: string): number {
  const pad = (s: string) => s.replace(/\[(\d+)\]/g, (_, d: string) => `[${d.padStart(6, "0")}]`);
  const pa = pad(a);
  const pb = pad(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
