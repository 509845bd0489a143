/**
 * Declarative diffs. Each resource declares, in one table, which of its inputs update in place and
 * which force a replacement, and which of them change what buyers see (a published slug or URL).
 * The README renders the same tables, so what a reviewer reads is what the provider does.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown, withoutEngineKeys } from "./check";

/** How one input changes its object, and why: a row of a {@link DiffTable}. */
export interface FieldRule {
  /** `update`: changed in place by the API. `replace`: the object is deleted and created anew. */
  change: "update" | "replace";
  /** The change alters a published slug or URL, so links already shared stop working. */
  publishes?: boolean;
  /** One line for the README and for reviewers: why the field behaves this way. */
  why: string;
}

/** Which inputs of a resource update in place and which replace the object, one {@link FieldRule} per input. */
export type DiffTable<K extends string = string> = Record<K, FieldRule>;

/** Deep equality that ignores key order and treats a missing key, `undefined` and `null` alike. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

export interface FieldChange {
  field: string;
  rule: FieldRule;
}

/** The inputs in `table` whose value differs between `olds` and `news`, in table order. */
export function changedFields(
  table: DiffTable,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): FieldChange[] {
  const o = withoutEngineKeys(olds);
  const n = withoutEngineKeys(news);
  const out: FieldChange[] = [];
  for (const [field, rule] of Object.entries(table)) {
    if (containsUnknown(n[field]) || !deepEqual(o[field], n[field])) out.push({ field, rule });
  }
  return out;
}

/**
 * The engine's `DiffResult` from the table. `olds` are the prior outputs, which carry the inputs as
 * they were applied; fields the table does not list (outputs, `__provider`) never cause a diff, so
 * a new provider version alone never shows as a change.
 */
export function diffWithTable(
  table: DiffTable,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  opts: { deleteBeforeReplace?: boolean } = {},
): pulumi.dynamic.DiffResult {
  const changes = changedFields(table, olds, news);
  if (changes.length === 0) return { changes: false };
  const replaces = changes.filter((c) => c.rule.change === "replace").map((c) => c.field);
  const result: { changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean } = { changes: true };
  if (replaces.length > 0) {
    result.replaces = replaces;
    if (opts.deleteBeforeReplace) result.deleteBeforeReplace = true;
  }
  return result;
}

/** Markdown table of a diff table, for documentation. */
export function diffTableMarkdown(table: DiffTable): string {
  const rows = Object.entries(table).map(
    ([field, r]) =>
      `| \`${field}\` | ${r.change === "replace" ? "replace" : "in place"} | ${r.publishes ? "yes" : ""} | ${r.why} |`,
  );
  return ["| input | change | alters published link | why |", "|---|---|---|---|", ...rows].join("\n");
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
