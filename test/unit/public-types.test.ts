/**
 * The package's public declarations do not load zod's: under the tsconfig most existing Pulumi
 * projects have (`module: commonjs`, `moduleResolution: node`, no esModuleInterop) zod's declarations
 * fail with 63 TS1259 errors, so no `.d.ts` that `import "pulumi-checkout-links"` reaches may import
 * zod (test/engine/fresh-project-tsc.test.ts runs `tsc` on a user program). Types that were zod
 * inferences are written out; this file keeps them equal to the schemas. Needs `npm run build`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type {
  CheckoutLinkInputs as CoreapiCheckoutLinkInputs,
  coreapiCheckoutLinkArgsSchema,
} from "../../provider/coreapi/checkoutLink";
import type { coreapiPlanArgsSchema, PlanItemInputs } from "../../provider/coreapi/plan";
import type { FynnCheckoutLinkInputs, fynnCheckoutLinkArgs } from "../../provider/fynn/checkoutLink";
import type {
  CheckoutLinkInputs as PolarCheckoutLinkInputs,
  polarCheckoutLinkArgsSchema,
} from "../../provider/polar/checkoutLink";

const DIST = path.resolve(__dirname, "../../dist/provider");

/** Every declaration file reachable from `entries` by relative imports, and the modules each imports. */
function declarationGraph(entries: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const text = fs.readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1] as string);
    graph.set(file, specifiers);
    for (const s of specifiers.filter((x) => x.startsWith("."))) {
      const base = path.resolve(path.dirname(file), s);
      const next = [`${base}.d.ts`, path.join(base, "index.d.ts")].find((f) => fs.existsSync(f));
      if (!next) throw new Error(`${path.relative(DIST, file)} imports ${s}, which has no declaration file`);
      visit(next);
    }
  };
  for (const e of entries) visit(path.join(DIST, e));
  return graph;
}

describe("public declarations", () => {
  it("import no zod from any file the package's entry points reach", () => {
    const graph = declarationGraph(["index.d.ts", "dynamic.d.ts"]);
    expect(graph.size).toBeGreaterThan(20);
    const importingZod = [...graph]
      .filter(([, specifiers]) => specifiers.some((s) => s === "zod" || s.startsWith("zod/")))
      .map(([file]) => path.relative(DIST, file));
    expect(importingZod).toEqual([]);
  });

  it("write out fynn.CheckoutLink's checked inputs exactly as its schema parses them", () => {
    expectTypeOf<FynnCheckoutLinkInputs>().toEqualTypeOf<z.infer<ReturnType<typeof fynnCheckoutLinkArgs>>>();
  });

  it("write out the other checked inputs exactly as their schemas parse them", () => {
    expectTypeOf<CoreapiCheckoutLinkInputs>().toEqualTypeOf<z.infer<typeof coreapiCheckoutLinkArgsSchema>>();
    expectTypeOf<PolarCheckoutLinkInputs>().toEqualTypeOf<z.infer<typeof polarCheckoutLinkArgsSchema>>();
    type PlanItem = z.infer<typeof coreapiPlanArgsSchema>["tiers"][number]["items"][number];
    expectTypeOf<PlanItemInputs>().toEqualTypeOf<PlanItem>();
  });
});
