/**
 * Prints resource declarations (provider/inventory.ts) as a Pulumi TypeScript program: one
 * `new <backend>.<Type>(name, args)` per object in the order given (objects referred to come first),
 * references as the other resource's outputs, and one `links` export with every link's slug and URL
 * (the shape `Catalog` exports). The output is deterministic: the same inventory gives the same text.
 */
import { type ArgValue, type Declaration, isRef, type Ref } from "../../provider/inventory";

export interface ProgramOptions {
  /** Add each declaration's adoption arguments, so that `up` takes the objects over. */
  adopt: boolean;
  /** A named account, written on every resource; omit for the default account. */
  account?: string;
  /** Comment lines at the top of the program. */
  header?: string[];
}

export interface RenderedResource {
  type: string;
  id: string;
  /** Logical name in the program (unique). */
  name: string;
  /** Variable holding the resource. */
  variable: string;
  /** The comment lines above it: what the resource does not manage, references left as ids. */
  notes: string[];
}

export interface Program {
  code: string;
  resources: RenderedResource[];
}

const PACKAGE = "pulumi-checkout-links";
const WIDTH = 100;

/** Words a variable cannot be named, and names the program itself uses. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with as implements interface let package private protected public static yield await async of " +
    "links pulumi undefined NaN Infinity arguments eval exports module require console process global globalThis"
  ).split(" "),
);

function camel(name: string): string {
  return name
    .replace(/[-_\s]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9_$]/g, "");
}

/** `coreapi:CheckoutLink` → `coreapi` and `CheckoutLink`. */
function splitType(type: string): { backend: string; kind: string } {
  const at = type.indexOf(":");
  return { backend: type.slice(0, at), kind: type.slice(at + 1) };
}

function unique(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}

function variableFor(name: string, kind: string, taken: Set<string>, backends: Set<string>): string {
  let base = camel(name);
  if (base === "" || /^[0-9]/.test(base))
    base = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}${camel(`-${name}`)}`;
  // A clash (another type's object of the same name, a reserved word) takes the type as a suffix.
  if (RESERVED.has(base) || backends.has(base) || taken.has(base)) base = `${base}${kind}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  taken.add(candidate);
  return candidate;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(k: string): string {
  // A plain `__proto__:` (quoted or not) would set the object's prototype instead of a key.
  if (k === "__proto__") return `[${JSON.stringify(k)}]`;
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}

class Printer {
  constructor(private readonly refs: (r: Ref) => string | undefined) {}

  /**
   * The value as TypeScript at `indent` spaces, on one line when it fits (a resource's arguments,
   * `multiline`, always get a line each).
   */
  print(v: ArgValue, indent: number, multiline = false): string {
    if (isRef(v)) return this.refs(v) ?? JSON.stringify(v.fallback);
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    const pad = " ".repeat(indent + 2);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const items = v.map((x) => this.print(x, indent + 2));
      const inline = `[${items.join(", ")}]`;
      if (!inline.includes("\n") && indent + inline.length <= WIDTH) return inline;
      return `[\n${items.map((x) => `${pad}${x},\n`).join("")}${" ".repeat(indent)}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    const parts = entries.map(([k, x]) => `${key(k)}: ${this.print(x, indent + 2)}`);
    const inline = `{ ${parts.join(", ")} }`;
    if (!multiline && !inline.includes("\n") && indent + inline.length <= WIDTH) return inline;
    return `{\n${parts.map((x) => `${pad}${x},\n`).join("")}${" ".repeat(indent)}}`;
  }
}

export function renderProgram(declarations: readonly Declaration[], opts: ProgramOptions): Program {
  const backends = new Set(declarations.map((d) => splitType(d.type).backend));
  // Logical names are unique per type (the URN holds the type); variables across the program.
  const names = new Map<string, Set<string>>();
  const variables = new Set<string>();
  const resources: RenderedResource[] = declarations.map((d) => {
    const taken = names.get(d.type) ?? new Set<string>();
    names.set(d.type, taken);
    const name = unique(d.name, taken);
    return {
      type: d.type,
      id: d.id,
      name,
      variable: variableFor(name, splitType(d.type).kind, variables, backends),
      notes: [],
    };
  });
  const byObject = new Map(resources.map((r) => [`${r.type} ${r.id}`, r]));

  const blocks: string[] = [];
  const links: string[] = [];
  declarations.forEach((d, i) => {
    const r = resources[i] as RenderedResource;
    const unresolved: string[] = [];
    const printer = new Printer((ref) => {
      const target = byObject.get(`${ref.type} ${ref.id}`);
      if (target === undefined) {
        unresolved.push(`${ref.type} ${ref.id}`);
        return undefined;
      }
      const out = `${target.variable}.${ref.output}`;
      return ref.key === undefined ? out : `${out}.apply((ids) => ids[${JSON.stringify(ref.key)}]!)`;
    });
    const args: Record<string, ArgValue> = { ...d.args };
    if (opts.account !== undefined) args.account = opts.account;
    if (opts.adopt) Object.assign(args, d.adoptArgs);
    const { backend, kind } = splitType(d.type);
    const body = printer.print(args, 0, true);
    const notes = [
      ...d.notes,
      ...[...new Set(unresolved)].map((o) => `refers to ${o} by id: that object is not in this program`),
    ];
    r.notes = notes;
    blocks.push(
      [
        ...notes.map((n) => `// ${n}`),
        `const ${r.variable} = new ${backend}.${kind}(${JSON.stringify(r.name)}, ${body});`,
      ].join("\n"),
    );
    if (d.link !== undefined) {
      const fields = d.link.slug
        ? `slug: ${r.variable}.slug, url: ${r.variable}.url`
        : `url: ${r.variable}.url`;
      links.push(`  ${JSON.stringify(`${backend}/${r.name}`)}: { ${fields} },`);
    }
  });

  const lines: string[] = [...(opts.header ?? []).map((h) => `// ${h}`)];
  if (backends.size > 0) lines.push(`import { ${[...backends].join(", ")} } from "${PACKAGE}";`);
  const parts = [lines.join("\n"), ...blocks];
  if (links.length > 0) {
    parts.push(
      [
        "/** Every checkout link's slug and public URL, by backend and name. */",
        "export const links = {",
        ...links,
        "};",
      ].join("\n"),
    );
  }
  return { code: `${parts.filter((p) => p !== "").join("\n\n")}\n`, resources };
}
