/**
 * How Polar reads path ids and list queries (typed UUID4 ids, `page`/`limit`/`sorting`, repeated
 * uuid filters, booleans), each failure a Pydantic-style 422 entry.
 */
import { z } from "zod";
import type { PolarValidationIssue } from "../../../provider/polar/schemas";
import type { Ctx } from "../../app";
import { schema } from "../../util";
import { polarValidation } from "../polarFamily";

const UUID_ANY = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Path ids are typed UUID4: anything else is a 422 (`uuid_parsing` / `uuid_version`), not a 404. */
export function pathId(ctx: Ctx, name: string): string {
  const value = ctx.params[name] ?? "";
  if (!UUID_ANY.test(value)) {
    throw polarValidation([
      {
        type: "uuid_parsing",
        loc: ["path", name],
        msg: "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
        input: value,
      },
    ]);
  }
  if (!schema(z.uuidv4).safeParse(value.toLowerCase()).success) {
    throw polarValidation([
      {
        type: "uuid_version",
        loc: ["path", name],
        msg: "UUID version 4 expected",
        input: value,
        ctx: { expected_version: 4 },
      },
    ]);
  }
  return value.toLowerCase();
}

/** A positive integer query parameter; a failure is added to `issues`. */
function intParam(ctx: Ctx, name: string, fallback: number, issues: PolarValidationIssue[]): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim())) {
    issues.push({
      type: "int_parsing",
      loc: ["query", name],
      msg: "Input should be a valid integer, unable to parse string as an integer",
      input: raw,
    });
  } else if (value <= 0) {
    issues.push({
      type: "greater_than",
      loc: ["query", name],
      msg: "Input should be greater than 0",
      input: raw,
      ctx: { gt: 0 },
    });
  }
  return value;
}

/** Polar's `page`/`limit`/`sorting` query parameters; `limit` above 100 is silently clamped. */
export function listParams(ctx: Ctx, sortable: string[]) {
  const issues: PolarValidationIssue[] = [];
  const page = intParam(ctx, "page", 1, issues);
  const limit = intParam(ctx, "limit", 10, issues);
  const sorting = ctx.query.getAll("sorting");
  sorting.forEach((value, i) => {
    if (!sortable.includes(value.replace(/^-/, ""))) {
      issues.push({
        type: "enum",
        loc: ["query", "sorting", i],
        msg: `Input should be ${sortable.map((s) => `'${s}'`).join(", ")} (each optionally prefixed with '-')`,
        input: value,
      });
    }
  });
  if (issues.length) throw polarValidation(issues);
  return { page, limit: Math.min(limit, 100), sorting: sorting.length ? sorting : ["created_at"] };
}

export function sortBy<T>(items: T[], sorting: string[]): T[] {
  return [...items].sort((a, b) => {
    for (const key of sorting) {
      const desc = key.startsWith("-");
      const field = key.replace(/^-/, "");
      const av = (a as Record<string, unknown>)[field];
      const bv = (b as Record<string, unknown>)[field];
      const cmp = String(av ?? "").localeCompare(String(bv ?? ""));
      if (cmp !== 0) return desc ? -cmp : cmp;
    }
    return 0;
  });
}

export function pageOf<T>(items: T[], page: number, limit: number) {
  return {
    items: items.slice((page - 1) * limit, page * limit),
    pagination: { total_count: items.length, max_page: Math.ceil(items.length / limit) },
  };
}

/** Repeated uuid filters such as `?organization_id=a&organization_id=b`. */
export function uuidFilter(ctx: Ctx, name: string): string[] | undefined {
  const values = ctx.query.getAll(name);
  if (!values.length) return undefined;
  const bad = values.findIndex((v) => !schema(z.uuidv4).safeParse(v).success);
  if (bad >= 0) {
    throw polarValidation([
      { type: "uuid_parsing", loc: ["query", name], msg: "Input should be a valid UUID", input: values[bad] },
    ]);
  }
  return values;
}

export function boolFilter(ctx: Ctx, name: string): boolean | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  if (["true", "1"].includes(raw)) return true;
  if (["false", "0"].includes(raw)) return false;
  throw polarValidation([
    {
      type: "bool_parsing",
      loc: ["query", name],
      msg: "Input should be a valid boolean, unable to interpret input",
      input: raw,
    },
  ]);
}
