#!/usr/bin/env node
// Renders REFERENCE.md, every resource's arguments and outputs, from the code: the resource classes
// of the registry, the interfaces of their constructors' arguments (type, required, `@default`, the
// first sentence of their TSDoc, nested fields as `tiers[].items[].productId`) and their declared
// outputs. `node scripts/reference.mjs` prints it; `--write` updates REFERENCE.md.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import ts from "typescript";

const repo = path.resolve(import.meta.dirname, "..");
const lib = createRequire(import.meta.url)(path.join(repo, "dist/provider/index.js"));

const program = ts.createProgram([path.join(repo, "provider/index.ts")], {
  strict: true,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
});
const checker = program.getTypeChecker();
const entry = checker.getSymbolAtLocation(program.getSourceFile(path.join(repo, "provider/index.ts")));

/** `pulumi.Input<T>` and `pulumi.Output<T>` read as `T`, at any depth; whitespace folded. */
function plain(text) {
  let t = text.replace(/\s+/g, " ").trim();
  for (let prev = ""; prev !== t; ) {
    prev = t;
    t = t.replace(/pulumi\.(Input|Output)<((?:[^<>]|<[^<>]*>)*)>/g, "$2");
  }
  return t;
}

function doc(symbol) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
  const first = /^(.*?[.:])(?=\s+[A-Z(]|$)/.exec(text)?.[1] ?? text;
  return first.replace(/\|/g, "\\|");
}

function defaultOf(symbol) {
  const tag = symbol.getJsDocTags(checker).find((t) => t.name === "default");
  return tag ? ts.displayPartsToString(tag.text).replace(/\s+/g, " ").trim() : "";
}

/** The object types a type annotation names or writes out (for nested rows), e.g. `PlanTierArgs` in `PlanTierArgs[]`. */
function namedInterfaces(typeNode) {
  const out = [];
  const visit = (n) => {
    // An object type written inline (a member of a union such as Polar's `PriceArgs`).
    if (ts.isTypeLiteralNode(n)) {
      out.push(n);
      return;
    }
    if (ts.isTypeReferenceNode(n)) {
      const s = checker.getSymbolAtLocation(n.typeName);
      const target = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const decl = target?.declarations?.[0];
      if (decl && ts.isInterfaceDeclaration(decl)) out.push(decl);
      else if (decl && ts.isTypeAliasDeclaration(decl)) visit(decl.type);
    }
    ts.forEachChild(n, visit);
  };
  visit(typeNode);
  return out;
}

/**
 * Rows of an object type's fields, nested ones after their parent. A field that several members of
 * a union have (Polar's price variants) is one row whose type lists each variant's type.
 */
function rows(iface, prefix, seen = new Map(), out = [], within = new Set()) {
  // A type that holds itself (a meter's nested filters) is listed once, at its first level.
  if (within.has(iface)) return out;
  const inner = new Set(within).add(iface);
  for (const member of iface.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = `${prefix}${member.name.getText()}`;
    const symbol = checker.getSymbolAtLocation(member.name);
    const type = plain(member.type.getText());
    const earlier = seen.get(name);
    if (earlier) {
      if (!earlier.types.includes(type)) earlier.types.push(type);
      if (member.questionToken) earlier.required = "";
      continue;
    }
    const row = { name, types: [type], required: member.questionToken ? "" : "yes", symbol };
    seen.set(name, row);
    out.push(row);
    const array = /\[\]$/.test(type);
    for (const nested of namedInterfaces(member.type))
      rows(nested, `${name}${array ? "[]" : ""}.`, seen, out, inner);
  }
  // Fields an argument interface takes from the shared ones it extends (`AccountArgument`, ...).
  for (const clause of iface.heritageClauses ?? []) {
    for (const base of clause.types) {
      const s = checker.getSymbolAtLocation(base.expression);
      const target = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const parent = target?.declarations?.find(ts.isInterfaceDeclaration);
      if (parent) rows(parent, prefix, seen, out, inner);
    }
  }
  return out;
}

const cell = (text) => text.replace(/\|/g, "\\|");

function argumentLines(iface) {
  return rows(iface, "").map(
    (r) =>
      `| \`${r.name}\` | \`${cell(r.types.join(" | "))}\` | ${r.required} | ${cell(defaultOf(r.symbol))} | ${doc(r.symbol)} |`,
  );
}

function resourceSection(backend, className) {
  const ns = checker.getExportsOfModule(entry).find((s) => s.name === backend);
  const nsModule = checker.getAliasedSymbol(ns);
  const cls = checker.getExportsOfModule(nsModule).find((s) => s.name === className);
  const decl = checker.getAliasedSymbol(cls).declarations.find(ts.isClassDeclaration);
  const ctor = decl.members.find(ts.isConstructorDeclaration);
  const argsType = ctor.parameters[1].type;
  const [argsIface] = namedInterfaces(argsType);
  const lines = [`## \`${backend}.${className}\``, "", doc(checker.getAliasedSymbol(cls)), ""];
  lines.push("### Arguments", "", "| argument | type | required | default | |", "|---|---|---|---|---|");
  lines.push(...argumentLines(argsIface));
  lines.push("", "### Outputs", "", "| output | type | |", "|---|---|---|");
  for (const m of decl.members) {
    if (!ts.isPropertyDeclaration(m) || !m.type?.getText().startsWith("pulumi.Output")) continue;
    if (!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    const symbol = checker.getSymbolAtLocation(m.name);
    lines.push(
      `| \`${m.name.getText()}\` | \`${plain(m.type.getText()).replace(/\|/g, "\\|")}\` | ${doc(symbol)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function reference() {
  const header = [
    "# Reference",
    "",
    "Every resource's arguments and outputs, generated from the code (`node scripts/reference.mjs",
    "--write`; a test keeps it current). Arguments take plain values or Pulumi outputs; nested fields",
    "are listed under their argument (`tiers[].items[].productId`). Which arguments update in place",
    'and which replace: the diff tables of the README\'s "How changes behave". A field of a union',
    "(a Polar price's variants, a Fynn item's) is required in the variants that have it.",
    "",
  ].join("\n");
  const sections = lib.registry.resourceTypes().map((type) => {
    const [backend, className] = type.split(":");
    return resourceSection(backend, className);
  });
  return `${header}\n${sections.join("\n")}`;
}

if (process.argv.includes("--write")) {
  fs.writeFileSync(path.join(repo, "REFERENCE.md"), reference());
} else {
  process.stdout.write(reference());
}
