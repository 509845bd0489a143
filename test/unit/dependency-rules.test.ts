/**
 * Dependencies point down, and a test keeps them so (`.dependency-cruiser.cjs`, run here through
 * dependency-cruiser's API): no import cycle anywhere in provider/, cli/ and emulator/, and the
 * provider core imports nothing of the package above it (no backend folder, no list of backends, no
 * registry). A tree that breaks each rule once shows that the rules catch what they are for.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

interface Violation {
  rule: string;
  from: string;
  to: string;
  cycle?: string[];
}

/** Cruises `dirs` under `baseDir` with the repository's rules; the violations found. */
async function violations(baseDir: string, dirs: string[]): Promise<Violation[]> {
  // dependency-cruiser is an ECMAScript module only.
  const { cruise } = await import("dependency-cruiser");
  const { default: extractDepcruiseOptions } = await import(
    "dependency-cruiser/config-utl/extract-depcruise-options"
  );
  const { default: extractTSConfig } = await import("dependency-cruiser/config-utl/extract-ts-config");
  const options = await extractDepcruiseOptions(path.join(ROOT, ".dependency-cruiser.cjs"));
  const result = await cruise(
    dirs,
    { ...options, baseDir, validate: true },
    {},
    { tsConfig: extractTSConfig(path.join(ROOT, "tsconfig.json")) },
  );
  if (typeof result.output === "string")
    throw new Error(`dependency-cruiser answered text: ${result.output}`);
  const found = result.output.summary.violations.map((v) => {
    const out: Violation = { rule: v.rule.name, from: v.from, to: v.to };
    if (v.cycle !== undefined) out.cycle = v.cycle.map((c) => c.name);
    return out;
  });
  return found.sort((a, b) => `${a.rule} ${a.from}`.localeCompare(`${b.rule} ${b.from}`));
}

describe("the dependency rules", () => {
  it("hold for the package: no cycle in provider/, cli/, emulator/; the core imports no backend", async () => {
    const found = await violations(ROOT, ["provider", "cli", "emulator"]);
    expect(found).toEqual([]);
  }, 60_000);

  it("catch a core module importing a backend, a cycle, and a cycle through a type-only import", async () => {
    const found = await violations(path.join(ROOT, "test/fixtures/dependency-rules"), [
      "provider",
      "cli",
      "emulator",
    ]);
    // A cycle is reported once, from the first of its modules.
    expect(found).toEqual([
      { rule: "core-knows-no-backend", from: "provider/core/client.ts", to: "provider/polar/errors.ts" },
      {
        rule: "no-circular",
        from: "cli/report.ts",
        to: "cli/run.ts",
        cycle: ["cli/run.ts", "cli/report.ts"],
      },
      {
        rule: "no-circular",
        from: "emulator/state.ts",
        to: "emulator/vendor.ts",
        cycle: ["emulator/vendor.ts", "emulator/state.ts"],
      },
    ]);
  }, 60_000);
});
