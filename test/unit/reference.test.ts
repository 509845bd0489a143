/** REFERENCE.md is what scripts/reference.mjs generates from the code now. Needs `npm run build`. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "../..");

describe("REFERENCE.md", () => {
  it("is current: every resource's arguments and outputs as the code declares them", () => {
    const generated = execFileSync("node", [path.join(repo, "scripts/reference.mjs")], { encoding: "utf8" });
    expect(fs.readFileSync(path.join(repo, "REFERENCE.md"), "utf8")).toBe(generated);
    // Nested fields, defaults and outputs that only the declarations carried before.
    for (const row of [
      "| `tiers[].items[].productId` | `string` | yes |",
      "| `options.trialDays` |",
      "| `afterCheckout.url` |",
      "| `prices[].type` |",
      "| `tierIds` | `Record<string, string>` |",
      "| `clientSecret` | `string` |",
      "| `properties.meterId` | `string` |",
      "| `filter.clauses[].operator` | `MeterFilterOperator` | yes |",
      "| `properties.options[].label` | `string` | yes |",
    ]) {
      expect(generated).toContain(row);
    }
    const resources = [...generated.matchAll(/^## `(\w+\.\w+)`$/gm)].map((m) => m[1]);
    expect(resources).toEqual([
      "coreapi.Plan",
      "coreapi.CheckoutLink",
      "fynn.CheckoutLink",
      "polar.Product",
      "polar.CheckoutLink",
      "polar.Benefit",
      "polar.Meter",
      "polar.CustomField",
      "polar.Discount",
    ]);
  });
});
