#!/usr/bin/env node
// Renders every resource's diff table (from the built library) into README.md between the
// diff-tables markers, so that what the README promises is what the providers do.
// `node scripts/readme-tables.mjs` prints the section; `--write` updates README.md in place.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const repo = path.resolve(import.meta.dirname, "..");
const lib = createRequire(import.meta.url)(path.join(repo, "dist/provider/index.js"));
/** Every registered resource type's diff table (from its spec), in registry order. */
export function section() {
  const tables = {};
  for (const type of lib.registry.resourceTypes()) {
    tables[type.replace(":", ".")] = lib.registry.resourceSpec(type).diffTable;
  }
  return Object.entries(tables)
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
