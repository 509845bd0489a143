/**
 * Responses generated from an OpenAPI 3.1 document's schemas, for the readers' tests: one instance
 * per `oneOf`/`anyOf` branch chosen at a given point, either with every documented key (`full`) or
 * only the required ones (`minimal`), optionally with an undocumented key added to every object.
 * Values come from the schema's `examples`, `const`, `enum` and `default`, else from its type and
 * format.
 */
type Schema = Record<string, unknown>;

export interface GenerateOptions {
  /** Every documented key (true) or only the required ones (false). */
  full: boolean;
  /** Add `x_unknown_key` to every object, as a newer API version might. */
  unknownKeys: boolean;
  /** For a union reached at a JSON pointer-like path (`prices[]`), the branch to take; default 0. */
  branch?: (path: string, branches: Schema[]) => number;
}

const UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

export class SchemaGenerator {
  constructor(private readonly doc: { components: { schemas: Record<string, Schema> } }) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    while (typeof s.$ref === "string") {
      const name = s.$ref.replace("#/components/schemas/", "");
      const target = this.doc.components.schemas[name];
      if (!target) throw new Error(`unresolved ${s.$ref}`);
      s = target;
    }
    return s;
  }

  /** The branches of a union schema (after resolving), flattening nested unions. */
  branches(schema: Schema): Schema[] {
    const s = this.resolve(schema);
    const list = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (!list) return [s];
    return list.flatMap((b) => this.branches(b));
  }

  generate(schema: Schema, opts: GenerateOptions, path = "$", depth = 0): unknown {
    const s = this.resolve(schema);
    if (depth > 12) return null;
    if ("const" in s) return s.const;
    if (Array.isArray(s.enum)) return s.enum[0];
    const union = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (union) {
      const all = this.branches(s);
      // A nullable value: the non-null branch, so that the value is there to read.
      const usable = all.filter((b) => b.type !== "null");
      const pool = usable.length > 0 ? usable : all;
      const i = opts.branch?.(path, pool) ?? 0;
      return this.generate(pool[Math.min(i, pool.length - 1)] as Schema, opts, path, depth + 1);
    }
    if (Array.isArray(s.examples) && s.examples.length > 0 && s.type !== "object" && s.type !== "array") {
      return s.examples[0];
    }
    switch (s.type) {
      case "object": {
        const out: Record<string, unknown> = {};
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set((s.required ?? []) as string[]);
        for (const [key, sub] of Object.entries(props)) {
          if (!opts.full && !required.has(key)) continue;
          out[key] = this.generate(sub, opts, `${path}.${key}`, depth + 1);
        }
        // A record (no documented keys, only a type for values) takes no key of another type.
        if (opts.unknownKeys && s.properties !== undefined) out.x_unknown_key = { nested: [1, "two"] };
        return out;
      }
      case "array": {
        const min = typeof s.minItems === "number" ? s.minItems : 0;
        const count = Math.max(min, 1);
        return Array.from({ length: count }, () =>
          this.generate((s.items ?? {}) as Schema, opts, `${path}[]`, depth + 1),
        );
      }
      case "integer":
        return typeof s.minimum === "number" ? s.minimum : typeof s.default === "number" ? s.default : 1;
      case "number":
        return 1.5;
      case "boolean":
        return typeof s.default === "boolean" ? s.default : false;
      case "string":
        if (typeof s.default === "string") return s.default;
        switch (s.format) {
          case "uuid":
          case "uuid4":
            return UUID;
          case "date-time":
            return "2026-04-01T12:00:00Z";
          case "date":
            return "2026-04-01";
          case "uri":
            return "https://example.com/x";
          case "email":
            return "a@example.com";
          default:
            if (typeof s.pattern === "string" && /\\d/.test(s.pattern)) return "1";
            return "text";
        }
      case "null":
        return null;
      default:
        // No type (any value): an object, the most demanding for a reader.
        return opts.unknownKeys ? { x_unknown_key: true } : {};
    }
  }
}
