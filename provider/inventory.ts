/**
 * What `checkout-links import` needs of a backend: list what an account has at the vendor, and
 * describe each object as the arguments of the resource that would declare it. Each backend's part
 * lives in `provider/<backend>/inventory.ts` and is reached through its registry entry
 * (`BackendEntry.inventory` in provider/registry.ts), so the command names no backend itself.
 *
 * Arguments are plain JSON values with {@link Ref}s where one object points at another (a link's
 * plan, a Polar link's products); the command prints them as TypeScript, a reference as the other
 * resource's output (`plan.planId`) when that resource is in the program, else as the literal id.
 */
import type { z } from "zod";
import type { ApiClient } from "./core/http";

/** A reference to an output of another declared object. */
export interface Ref {
  kind: "ref";
  /** Resource type (`<backend>:<Type>`) and vendor id of the object referred to. */
  type: string;
  id: string;
  /** The output of that resource: `planId` prints `plan.planId`. */
  output: string;
  /** A key into a map output: output `tierIds`, key `Pro` prints the id of tier "Pro". */
  key?: string;
  /** The literal value, used when the object referred to is not in the program. */
  fallback: string;
}

export type ArgValue = string | number | boolean | null | Ref | ArgValue[] | { [key: string]: ArgValue };

/** One object at the vendor as a resource declaration. */
export interface Declaration {
  /** Resource type, `<backend>:<Type>` (e.g. `coreapi:Plan`). */
  type: string;
  /** The vendor's id of the object. */
  id: string;
  /** Proposed logical name (lower kebab case); the program makes names unique. */
  name: string;
  /** How the summary names the object, e.g. `plan "team-plan"`. */
  title: string;
  /** The resource's arguments; arguments at their default are left out. */
  args: Record<string, ArgValue>;
  /** Arguments that make `up` take the existing object over (`adopt: true`, `adoptId`). */
  adoptArgs: Record<string, ArgValue>;
  /** Set for checkout links: the program exports their URL, and their slug when they have one. */
  link?: { slug: boolean };
  /** What the vendor has on the object that the resource does not manage (a comment in the program). */
  notes: string[];
}

/** An object left out of the program, with the reason. */
export interface Skipped {
  type: string;
  id: string;
  title: string;
  reason: string;
}

export interface InventoryResult {
  declarations: Declaration[];
  skipped: Skipped[];
}

/** A backend's listing part. */
export interface Inventory {
  /** Every live (not archived, not deleted) object of the account `client` talks to, all pages. */
  list(client: ApiClient): Promise<InventoryResult>;
}

/**
 * A reference to `output` of the object `type`/`id`, e.g. `ref("polar:Product", id, "productId")`;
 * with `key`, to one entry of a map output, whose literal value is `fallback`.
 */
export function ref(type: string, id: string, output: string, key?: { key: string; fallback: string }): Ref {
  return key === undefined
    ? { kind: "ref", type, id, output, fallback: id }
    : { kind: "ref", type, id, output, key: key.key, fallback: key.fallback };
}

export function isRef(v: unknown): v is Ref {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "ref";
}

/** The arguments with every reference replaced by its literal value, as the provider would see them. */
export function resolved(v: ArgValue): unknown {
  if (isRef(v)) return v.fallback;
  if (Array.isArray(v)) return v.map(resolved);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolved(x)]));
  }
  return v;
}

/**
 * Why the provider would refuse these arguments (its own argument schema, the one `check()` uses),
 * or undefined when it accepts them: an object it cannot express is left out with this reason.
 * @internal
 */
export function refusal(schema: z.ZodType, args: Record<string, ArgValue>): string | undefined {
  const r = schema.safeParse(resolved(args));
  if (r.success) return undefined;
  return r.error.issues
    .map((i) => `${i.path.map(String).join(".") || "(arguments)"}: ${i.message}`)
    .join("; ");
}

/**
 * Puts `d` in the program when the provider would accept its arguments (with its adopt arguments
 * and any `implied` ones the provider fills in itself), else lists it as skipped with the reason.
 * @internal
 */
export function declareOrSkip(
  result: InventoryResult,
  schema: z.ZodType,
  d: Declaration,
  implied: Record<string, ArgValue> = {},
): void {
  const why = refusal(schema, { ...implied, ...d.args, ...d.adoptArgs });
  if (why === undefined) result.declarations.push(d);
  else result.skipped.push({ type: d.type, id: d.id, title: d.title, reason: why });
}

/** A logical name from a vendor's text: lower kebab case, at most 40 characters. */
export function nameFrom(text: string | null | undefined, fallback: string): string {
  const name = (text ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return name === "" ? fallback : name;
}

/** Adds `key: value` unless the value is the argument's default (or absent). */
export function unlessDefault(
  args: Record<string, ArgValue>,
  key: string,
  value: ArgValue | undefined,
  byDefault?: ArgValue,
): void {
  if (value === undefined) return;
  if (value === byDefault || (byDefault === undefined && value === null)) return;
  args[key] = value;
}
