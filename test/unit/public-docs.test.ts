/**
 * What a user's editor shows for the package: every name `import "pulumi-checkout-links"` exports,
 * and every name in its namespaces (`coreapi`, `fynn`, `polar`, `kit`), has a TSDoc comment on the
 * declaration the editor finds behind it; and no declaration file the entry point reaches carries
 * notes about the code's upkeep. Reads the declarations in dist/provider, so needs `npm run build`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
const DIST = path.join(REPO, "dist/provider");
const ENTRY = path.join(DIST, "index.d.ts");

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let source = parsed.get(file);
  if (!source) {
    source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    parsed.set(file, source);
  }
  return source;
}

/** The declaration file a relative module specifier in `from` names. */
function resolveModule(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) throw new Error(`${rel(from)} re-exports from package ${specifier}`);
  const base = path.resolve(path.dirname(from), specifier);
  const file = [`${base}.d.ts`, path.join(base, "index.d.ts")].find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${rel(from)} re-exports ${specifier}, which has no declaration file`);
  return file;
}

const rel = (file: string) => path.relative(REPO, file);
const specifierOf = (node: ts.ExportDeclaration | ts.ImportDeclaration) =>
  (node.moduleSpecifier as ts.StringLiteral | undefined)?.text;
const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The statements of `source` that declare `name` (a value and a type of one name are two). */
function declarationsIn(source: ts.SourceFile, name: string, exportedOnly: boolean): ts.Statement[] {
  return source.statements.filter((s) => {
    if (exportedOnly && !isExported(s)) return false;
    if (ts.isVariableStatement(s))
      return s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (
      ts.isFunctionDeclaration(s) ||
      ts.isClassDeclaration(s) ||
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isEnumDeclaration(s) ||
      ts.isModuleDeclaration(s)
    )
      return s.name?.text === name;
    return false;
  });
}

/** A statement as the user finds it: a declaration, or a namespace re-export (`export * as ns`). */
interface Found {
  statements: ts.Statement[];
  file: string;
}

/**
 * The declarations of what `file` exports as `name`, found by following `export { A as B } from`,
 * `export type { … } from`, `export *` and imports re-exported with `export { A }`.
 */
function findExport(file: string, name: string, seen = new Set<string>()): Found | undefined {
  const key = `${file}#${name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const source = parse(file);
  const own = declarationsIn(source, name, true);
  if (own.length > 0) return { statements: own, file };
  for (const s of source.statements) {
    if (!ts.isExportDeclaration(s)) continue;
    const from = specifierOf(s);
    const clause = s.exportClause;
    if (clause && ts.isNamespaceExport(clause)) {
      if (clause.name.text === name) return { statements: [s], file };
      continue;
    }
    if (!clause) {
      if (from) {
        const found = findExport(resolveModule(file, from), name, seen);
        if (found) return found;
      }
      continue;
    }
    for (const element of clause.elements) {
      if (element.name.text !== name) continue;
      const original = (element.propertyName ?? element.name).text;
      if (from) return findExport(resolveModule(file, from), original, seen);
      return findLocal(file, original, seen);
    }
  }
  return undefined;
}

/** A name `export { A }` exports without `from`: declared in the file, or imported into it. */
function findLocal(file: string, name: string, seen: Set<string>): Found | undefined {
  const source = parse(file);
  const own = declarationsIn(source, name, false);
  if (own.length > 0) return { statements: own, file };
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !s.importClause) continue;
    const bindings = s.importClause.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === name);
    const from = specifierOf(s);
    if (element && from)
      return findExport(resolveModule(file, from), (element.propertyName ?? element.name).text, seen);
  }
  return undefined;
}

/** Every name a declaration file exports, whatever the form of its export. */
function exportedNames(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const names: string[] = [];
  for (const s of parse(file).statements) {
    if (ts.isExportDeclaration(s)) {
      const clause = s.exportClause;
      const from = specifierOf(s);
      if (clause && ts.isNamespaceExport(clause)) names.push(clause.name.text);
      else if (clause) names.push(...clause.elements.map((e) => e.name.text));
      else if (from) names.push(...exportedNames(resolveModule(file, from), seen));
    } else if (isExported(s)) {
      if (ts.isVariableStatement(s))
        names.push(
          ...s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : [])),
        );
      else if ("name" in s && s.name && ts.isIdentifier(s.name as ts.Node))
        names.push((s.name as ts.Identifier).text);
    }
  }
  return [...new Set(names)];
}

/** Whether the comment right before `node` (the last one in its leading trivia) is a `/** … *\/` one. */
function hasDocComment(source: ts.SourceFile, node: ts.Node): boolean {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const last = ranges.at(-1);
  return (
    last !== undefined &&
    last.kind === ts.SyntaxKind.MultiLineCommentTrivia &&
    /^\/\*\*[^/]/.test(source.text.slice(last.pos, last.end))
  );
}

const lineOf = (source: ts.SourceFile, node: ts.Node) =>
  source.getLineAndCharacterOfPosition(node.getStart()).line + 1;

/** Where the source behind a declaration file declares `name`, for a message that says what to edit. */
function sourceLine(declarationFile: string, name: string): string {
  const tsFile = path.join(REPO, "provider", path.relative(DIST, declarationFile).replace(/\.d\.ts$/, ".ts"));
  if (!fs.existsSync(tsFile)) return "";
  const source = ts.createSourceFile(tsFile, fs.readFileSync(tsFile, "utf8"), ts.ScriptTarget.Latest, true);
  const [decl] = declarationsIn(source, name, false);
  return decl ? `${rel(tsFile)}:${lineOf(source, decl)}` : rel(tsFile);
}

/** The public names: the entry's own, then `ns.Name` for each name of the namespaces it re-exports. */
function publicNames(): { label: string; file: string; name: string }[] {
  const out: { label: string; file: string; name: string }[] = [];
  for (const name of exportedNames(ENTRY)) {
    out.push({ label: name, file: ENTRY, name });
    const found = findExport(ENTRY, name);
    const [statement] = found?.statements ?? [];
    if (
      found &&
      statement &&
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamespaceExport(statement.exportClause)
    ) {
      const nsFile = resolveModule(found.file, specifierOf(statement) as string);
      for (const member of exportedNames(nsFile))
        out.push({ label: `${name}.${member}`, file: nsFile, name: member });
    }
  }
  return out;
}

/** Every declaration file `entry` reaches by relative imports and re-exports. */
function reachable(entry: string): string[] {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = parse(file).text;
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]*)"/g))
      visit(resolveModule(file, m[1] as string));
  };
  visit(entry);
  return [...files];
}

/** Notes about the code's upkeep rather than about the product: file lengths, tickets, to-dos. */
const UPKEEP_NOTES = [/\b\d+ lines\b/i, /\bLength:/, /\bissue #?\d+\b/i, /\b(TODO|FIXME|XXX|HACK)\b/];

describe("public declarations", () => {
  it("give every export of the package and of its namespaces a TSDoc comment", () => {
    const names = publicNames();
    // The namespaces, Catalog, the errors and their codes, and the namespaces' resources are all here.
    for (const label of ["coreapi", "fynn", "polar", "kit", "Catalog", "ApiError", "CheckoutLinksErrorCode"])
      expect(names.map((n) => n.label)).toContain(label);
    expect(names.length).toBeGreaterThan(80);

    const undocumented: string[] = [];
    for (const { label, file, name } of names) {
      const found = findExport(file, name);
      if (!found) {
        undocumented.push(`${label}: no declaration found from ${rel(file)}`);
        continue;
      }
      const source = parse(found.file);
      for (const statement of found.statements.filter((s) => !hasDocComment(source, s))) {
        const where = `${rel(found.file)}:${lineOf(source, statement)}`;
        const original = ts.isExportDeclaration(statement) ? "" : sourceLine(found.file, name);
        undocumented.push(`${label} (${original ? `${original}, ` : ""}${where})`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("carry no notes about the code's upkeep in any file the entry points reach", () => {
    const files = [...new Set([ENTRY, path.join(DIST, "dynamic.d.ts")].flatMap((entry) => reachable(entry)))];
    expect(files.length).toBeGreaterThan(20);
    const notes: string[] = [];
    for (const file of files) {
      const lines = parse(file).text.split("\n");
      lines.forEach((line, i) => {
        if (UPKEEP_NOTES.some((re) => re.test(line))) notes.push(`${rel(file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(notes).toEqual([]);
  });
});
