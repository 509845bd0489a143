#!/usr/bin/env node
// Renders every resource's diff table (from the built library) into README.md between the
// diff-tables markers, so that what the README promises is what the providers do.
// `node scripts/readme-tables.mjs` prints the section; `--write` updates README.md in place.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const repo = path.resolve(import.meta.dirname, "..");
const lib = createRequire(import.meta.url)(path.join(repo, "dist/provider/index.js"));
const { backends } = createRequire(import.meta.url)(path.join(repo, "dist/provider/backends.js"));

/**
 * The diff table of `<backend>:<Type>`: the export `<type>DiffTable` (or `<backend><Type>DiffTable`)
 * of the backend's module (`lib.<backend>`).
 */
function diffTable(backend, type) {
  const mod = lib[backend] ?? {};
  const names = [`${type[0].toLowerCase()}${type.slice(1)}DiffTable`, `${backend}${type}DiffTable`];
  const found = names.find((name) => mod[name] !== undefined);
  if (!found)
    throw new Error(
      `${backend}:${type} has no diff table: export ${names.join(" or ")} from provider/${backend}`,
    );
  return mod[found];
}

/** Every registered resource type's diff table, in registry order. */
export function section() {
  return backends()
    .flatMap((b) => Object.keys(b.resources).map((type) => [`${b.name}.${type}`, diffTable(b.name, type)]))
    .map(([name, table]) => `#### \`${name}\`\n\n${lib.core.diffTableMarkdown(table)}\n`)
    .join("\n");
}

const START = "<!-- diff-tables:start -->";
const END = "<!-- diff-tables:end -->";

if (process.argv.includes("--write")) {
  const file = path.join(repo, "README.md");
  const readme = fs.readFileSync(file, "utf8");
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error("README.md has no diff-tables markers");
  fs.writeFileSync(file, `${readme.slice(0, a + START.length)}\n${section()}${readme.slice(b)}`);
} else {
  process.stdout.write(section());
}
