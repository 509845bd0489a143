/**
 * The Polar oracle: checks the exchanges the emulator recorded (emulator/recorder.ts) against Polar's
 * published OpenAPI document (test/fixtures/polar/openapi-2026-04.json), with Ajv's JSON Schema
 * 2020-12 validator (OpenAPI 3.1 schemas are JSON Schema 2020-12). Neither the provider's nor the
 * emulator's schemas take part, so a difference between our reading of Polar and Polar's own
 * description fails the run.
 *
 * What is checked, per exchange of the `polar` family whose route Polar documents:
 * - the query: every parameter is one the operation declares and its value fits the declared schema;
 * - the request body, when the emulator accepted the request (2xx): the operation's request schema;
 * - the response body, when the operation documents that status with a JSON body.
 * Answers shaped by a fault (status, corrupt, drop) are the test's, not Polar's, and are skipped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Exchange } from "../../emulator/recorder";

export const POLAR_OPENAPI = path.resolve(__dirname, "../fixtures/polar/openapi-2026-04.json");

export interface Violation {
  operationId: string;
  /** `request`, `response 200`, `query`. */
  part: string;
  /** JSON path inside the body (`$.prices[0].tax_behavior`) or the query parameter. */
  at: string;
  /** The rule broken, in the validator's words (`must have required property 'seat_tier_type'`). */
  rule: string;
  /** One example request, to find the test that sent it. */
  example: string;
}

export interface OracleReport {
  exchanges: number;
  /** Operation id -> exchanges checked against it. */
  covered: Record<string, number>;
  /** Polar-family routes the document does not describe (the emulator's own helpers). */
  undocumented: Record<string, number>;
  violations: Violation[];
}

interface Operation {
  id: string;
  method: string;
  regex: RegExp;
  pointer: string;
  hasBody: boolean;
  responses: Set<string>;
  params: Map<string, { pointer: string; array: boolean }>;
}

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function jsonPath(instancePath: string): string {
  if (!instancePath) return "$";
  return `$${instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join("")}`;
}

function ruleOf(error: ErrorObject): string {
  if (error.keyword === "additionalProperties")
    return `must NOT have additional property '${(error.params as { additionalProperty: string }).additionalProperty}'`;
  if (error.keyword === "enum" || error.keyword === "const")
    return `${error.message} (${JSON.stringify(error.params)})`;
  return error.message ?? error.keyword;
}

/**
 * The errors that say what is wrong: an anyOf's or oneOf's own "must match a schema", and a
 * discriminator's "tag must be in oneOf" when its branch has errors of its own, add nothing.
 */
function telling(errors: ErrorObject[]): ErrorObject[] {
  const leaf = errors.filter((e) => !["oneOf", "anyOf", "if", "discriminator"].includes(e.keyword));
  return leaf.length === 0 ? errors : leaf;
}

export class PolarOpenApi {
  private readonly ajv: Ajv2020;
  /** Without the discriminator, for unions whose tag is optional (a default), which Ajv's refuses. */
  private readonly plain: Ajv2020;
  private readonly query: Ajv2020;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file = POLAR_OPENAPI) {
    // Ajv's discriminator finds each branch by its `const` and rejects OpenAPI's `mapping`, which
    // says the same thing again, so the mappings are left out. A `oneOf` without a discriminator is
    // Pydantic's plain union, which takes a value fitting any branch: its branches overlap (a
    // repeating percentage discount also fits the once-or-forever one; a legacy price also fits
    // the current one), so JSON Schema's "exactly one" would refuse what Polar sends; it is read
    // as `anyOf`.
    const doc = JSON.parse(fs.readFileSync(file, "utf8"), (key, value) => {
      if (key === "discriminator" && value && typeof value === "object")
        return { propertyName: (value as { propertyName: string }).propertyName };
      if (
        value &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        "oneOf" in value &&
        !("discriminator" in value)
      ) {
        const { oneOf, ...rest } = value as Record<string, unknown>;
        return { ...rest, anyOf: oneOf };
      }
      return value;
    }) as Doc;
    const make = (coerce: boolean, discriminator = true) => {
      // strict: false because OpenAPI adds keywords (example, xml) JSON Schema lacks. The
      // discriminator picks the oneOf branch, so errors are the chosen branch's only.
      const ajv = new Ajv2020({
        strict: false,
        allErrors: true,
        discriminator,
        coerceTypes: coerce ? "array" : false,
      });
      addFormats(ajv);
      // Pydantic's URL types (what `format: uri` stands for in Polar's document) take any URL the
      // WHATWG parser takes, the `{CHECKOUT_ID}` placeholder of success URLs included; RFC 3986's
      // stricter grammar is not what Polar checks.
      ajv.addFormat("uri", (value: string) => URL.canParse(value));
      // Polar's (Pydantic's) own formats.
      ajv.addFormat("uuid4", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i);
      ajv.addFormat("ipvanyaddress", true);
      ajv.addFormat("color", true);
      ajv.addSchema(doc as object, "polar.json");
      return ajv;
    };
    this.ajv = make(false);
    this.plain = make(false, false);
    this.query = make(true);
    for (const [route, methods] of Object.entries(doc.paths)) {
      const regex = new RegExp(
        `^${route
          .replace(/\/$/, "")
          .split("/")
          .map((s) => (s.startsWith("{") ? "[^/]+" : s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
          .join("/")}$`,
      );
      for (const [method, op] of Object.entries(methods)) {
        if (typeof op !== "object" || !op || typeof op.operationId !== "string") continue;
        const pointer = `polar.json#/paths/${escapePointer(route)}/${method}`;
        const params = new Map<string, { pointer: string; array: boolean }>();
        ((op.parameters as { name: string; in: string; schema: unknown }[] | undefined) ?? []).forEach(
          (p, i) => {
            if (p.in !== "query") return;
            params.set(p.name, {
              pointer: `${pointer}/parameters/${i}/schema`,
              array: JSON.stringify(p.schema).includes('"type":"array"'),
            });
          },
        );
        const body = (op.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
        this.operations.push({
          id: op.operationId,
          method: method.toUpperCase(),
          regex,
          pointer,
          hasBody: body?.["application/json"] !== undefined,
          responses: new Set(
            Object.entries((op.responses as Record<string, { content?: Record<string, unknown> }>) ?? {})
              .filter(([, r]) => r.content?.["application/json"] !== undefined)
              .map(([status]) => status),
          ),
          params,
        });
      }
    }
  }

  private validator(ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (!v) {
      try {
        v = this.ajv.compile({ $ref: ref });
      } catch {
        // e.g. `DiscountCreate`: its tag `type` has a default, so it is not required.
        v = this.plain.compile({ $ref: ref });
      }
      this.compiled.set(ref, v);
    }
    return v;
  }

  /** A query parameter's schema around a `value` property: Ajv coerces properties of objects only. */
  private queryValidator(ref: string): ValidateFunction {
    const key = `query:${ref}`;
    let v = this.compiled.get(key);
    if (!v) {
      v = this.query.compile({ type: "object", properties: { value: { $ref: ref } } });
      this.compiled.set(key, v);
    }
    return v;
  }

  /** The documented operation for a method and a path inside `/polar`, if any. */
  operation(method: string, p: string): Operation | undefined {
    const target = p.length > 1 ? p.replace(/\/$/, "") : p;
    return this.operations.find((o) => o.method === method && o.regex.test(target));
  }

  /** The violations of one exchange against the document (empty when it conforms or is not Polar's). */
  check(x: Exchange): { operationId?: string; violations: Violation[] } {
    const op = this.operation(x.method, x.path);
    if (!op) return { violations: [] };
    const example = `${x.method} ${x.path}${x.query} -> ${x.status ?? "dropped"}`;
    const out: Violation[] = [];
    const add = (part: string, errors: ErrorObject[] | null | undefined, prefix = "") => {
      for (const e of telling(errors ?? [])) {
        out.push({
          operationId: op.id,
          part,
          at: prefix || jsonPath(e.instancePath),
          rule: ruleOf(e),
          example,
        });
      }
    };
    // Query parameters of an accepted request: each one declared (Polar ignores the others, so a
    // misspelt filter would silently list everything), each value of the declared type.
    const accepted = x.status !== null && x.status >= 200 && x.status < 300;
    const search = new URLSearchParams(accepted ? x.query : "");
    for (const name of new Set(search.keys())) {
      const declared =
        op.params.get(name) ?? (name.startsWith("metadata[") ? op.params.get("metadata") : undefined);
      if (!declared) {
        out.push({
          operationId: op.id,
          part: "query",
          at: name,
          rule: "is not a parameter of the operation",
          example,
        });
        continue;
      }
      if (name.startsWith("metadata[")) continue;
      const values = search.getAll(name);
      const holder = { value: declared.array && values.length > 1 ? values : values[0] };
      const v = this.queryValidator(declared.pointer);
      if (!v(holder)) add("query", v.errors, name);
    }
    if (op.hasBody && accepted && x.request !== undefined) {
      const v = this.validator(`${op.pointer}/requestBody/content/application~1json/schema`);
      if (!v(x.request)) add("request", v.errors);
    }
    if (!x.fault && x.status !== null && op.responses.has(String(x.status))) {
      const v = this.validator(`${op.pointer}/responses/${x.status}/content/application~1json/schema`);
      if (!v(x.response)) add(`response ${x.status}`, v.errors);
    }
    return { operationId: op.id, violations: out };
  }

  /** Checks every exchange recorded in `dir`; violations deduplicated by operation, part, path and rule. */
  checkDir(dir: string): OracleReport {
    const report: OracleReport = { exchanges: 0, covered: {}, undocumented: {}, violations: [] };
    if (!fs.existsSync(dir)) return report;
    const seen = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
      for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
        if (!line) continue;
        const x = JSON.parse(line) as Exchange;
        if (x.family !== "polar") continue;
        report.exchanges += 1;
        const { operationId, violations } = this.check(x);
        if (!operationId) {
          const key = `${x.method} ${x.path.replace(/[0-9a-f-]{36}|polar_c(l)?_\w+/g, "{id}")}`;
          report.undocumented[key] = (report.undocumented[key] ?? 0) + 1;
          continue;
        }
        report.covered[operationId] = (report.covered[operationId] ?? 0) + 1;
        for (const v of violations) {
          const key = `${v.operationId}|${v.part}|${v.at.replace(/\[\d+\]/g, "[]")}|${v.rule}`;
          if (seen.has(key)) continue;
          seen.add(key);
          report.violations.push(v);
        }
      }
    }
    return report;
  }
}

/** One line per violation: operation, part, JSON path, rule, and an example request. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => `  ${v.operationId} ${v.part} ${v.at}: ${v.rule}  (e.g. ${v.example})`)
    .join("\n");
}
