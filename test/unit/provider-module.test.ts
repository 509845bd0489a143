/**
 * What each resource stores as `__provider` is a small module that Pulumi's dynamic-provider process
 * loads with require-from-string, from the project's work dir. Here it is loaded the same way in a
 * separate Node.js process (so that its work dir and main module are real): it must find the package
 * (here by self-reference from the repository, as `npm run main` runs), hand back a provider that
 * checks and diffs, stay small, carry no credential, and say what to do when the package is missing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
type Lib = typeof import("../../provider/index");
type Dynamic = typeof import("../../provider/dynamic");
const lib = createRequire(__filename)(path.join(REPO, "dist/provider/index.js")) as Lib;
const dynamic = createRequire(__filename)(path.join(REPO, "dist/provider/dynamic.js")) as Dynamic;

const PLAN = "1280792f-4e23-793d-8e9c-3a1bf36630bd";
const TIER = "f5ece259-08ea-77a4-8bd9-9f3a9ed9e246";

/** Loads `__provider` of `type` as the dynamic provider does, runs `calls` on it, returns their results. */
function loadAndCall(
  type: string,
  calls: [string, unknown[]][],
  cwd = REPO,
): { results: any[]; error?: string } {
  const script = `
    const requireFromString = require(${JSON.stringify(path.join(REPO, "node_modules/require-from-string"))});
    const text = require("fs").readFileSync(0, "utf8");
    (async () => {
      try {
        const p = requireFromString(text).handler();
        const results = [];
        for (const [method, args] of ${JSON.stringify(calls)}) results.push(await p[method](...args));
        process.stdout.write(JSON.stringify({ results }));
      } catch (e) {
        process.stdout.write(JSON.stringify({ error: e.message }));
      }
    })();`;
  const run = spawnSync(process.execPath, ["-e", script], {
    cwd,
    input: lib.core.providerModule(type),
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", CHECKOUT_LINKS_FYNN_TOKEN: "api_secret_never_serialized" },
  });
  if (run.status !== 0) throw new Error(`loader exited ${run.status}: ${run.stderr}`);
  return { results: [], ...JSON.parse(run.stdout) };
}

describe("the stored __provider module", () => {
  it("is small and the same for every resource of a type, with no credential in it", () => {
    process.env.CHECKOUT_LINKS_FYNN_TOKEN = "api_secret_never_serialized";
    for (const type of dynamic.providerTypes()) {
      const text = lib.core.providerModule(type);
      expect(text.length).toBeLessThan(1024);
      expect(text).toContain(JSON.stringify(type));
      expect(text).not.toContain("api_secret");
      expect(lib.core.providerModule(type)).toBe(text);
    }
    expect([...dynamic.providerTypes()].sort()).toEqual([
      "coreapi:CheckoutLink",
      "coreapi:Plan",
      "fynn:CheckoutLink",
      "polar:Benefit",
      "polar:CheckoutLink",
      "polar:CustomField",
      "polar:Discount",
      "polar:Meter",
      "polar:Product",
    ]);
  });

  it("polar.Meter and polar.CustomField load from their stored module, check and name the replace key", () => {
    const meter = loadAndCall("polar:Meter", [
      [
        "check",
        [
          {},
          {
            adoptionKey: "calls",
            name: "Calls",
            filter: { conjunction: "and", clauses: [] },
            aggregation: { func: "count" },
          },
        ],
      ],
    ]);
    expect((meter.results[0] as { inputs: Record<string, unknown> }).inputs).toMatchObject({
      unit: "scalar",
    });
    const checked = loadAndCall("polar:CustomField", [
      ["check", [{}, { adoptionKey: "t", type: "checkbox", slug: "terms", name: "Terms" }]],
    ]);
    const inputs = (checked.results[0] as { inputs: Record<string, unknown> }).inputs;
    expect(inputs).toEqual({
      adoptionKey: "t",
      type: "checkbox",
      slug: "terms",
      name: "Terms",
      properties: {},
      metadata: {},
    });
    const diff = loadAndCall("polar:CustomField", [["diff", ["id", inputs, { ...inputs, type: "text" }]]]);
    expect(diff).toEqual({ results: [{ changes: true, replaces: ["type"], deleteBeforeReplace: true }] });
  });

  it("coreapi.Plan loads and checks and diffs", () => {
    const ok = loadAndCall("coreapi:Plan", [
      ["check", [{}, { code: "pro", name: "Pro", tiers: [{ name: "Pro" }] }]],
    ]);
    const inputs = (ok.results[0] as { inputs: Record<string, unknown> }).inputs;
    expect(inputs.activate).toBe(true);
    const diff = loadAndCall("coreapi:Plan", [
      ["diff", ["id", { ...inputs, planId: "id" }, { ...inputs, name: "Pro 2" }]],
    ]);
    expect(diff).toEqual({ results: [{ changes: true }] });
  });

  it("coreapi.CheckoutLink loads, fills defaults and names the replace key", () => {
    const checked = loadAndCall("coreapi:CheckoutLink", [
      ["check", [{}, { planId: PLAN, planTierId: TIER, slug: "pro" }]],
    ]);
    const inputs = (checked.results[0] as { inputs: Record<string, unknown> }).inputs;
    expect(inputs).toEqual({
      planId: PLAN,
      planTierId: TIER,
      slug: "pro",
      couponsAllowed: false,
      isEnabled: true,
      adopt: false,
    });
    const diff = loadAndCall("coreapi:CheckoutLink", [
      [
        "diff",
        ["id", { ...inputs, __provider: "an older provider module" }, { ...inputs, planTierId: PLAN }],
      ],
    ]);
    expect(diff).toEqual({
      results: [{ changes: true, replaces: ["planTierId"], deleteBeforeReplace: true }],
    });
  });

  it("fynn.CheckoutLink loads and names a bad field", () => {
    const out = loadAndCall("fynn:CheckoutLink", [["check", [{}, { items: [] }]]]);
    expect((out.results[0] as { failures: unknown }).failures).toEqual([
      { property: "items", reason: "at least one item is required" },
    ]);
  });

  it("polar.CheckoutLink and polar.Product load, check and diff", () => {
    const bad = loadAndCall("polar:CheckoutLink", [
      ["check", [{}, { adoptionKey: "a", products: [], lable: "x" }]],
    ]);
    expect((bad.results[0] as { failures: unknown }).failures).toEqual([
      { property: "products", reason: "products must name at least one product" },
      { property: "lable", reason: "is not an argument of this resource" },
    ]);
    const product = loadAndCall("polar:Product", [
      ["check", [{}, { adoptionKey: "p", name: "Pro", prices: [{ type: "free" }] }]],
    ]);
    expect((product.results[0] as { inputs: { prices: unknown } }).inputs.prices).toEqual([
      { type: "fixed", amount: 0, currency: "usd" },
    ]);
  });

  it("polar.Discount loads, checks (naming the field) and diffs (a new share replaces)", () => {
    const bad = loadAndCall("polar:Discount", [
      [
        "check",
        [{}, { adoptionKey: "d", name: "Launch", type: "percentage", duration: "once", code: "NO-DASH" }],
      ],
    ]);
    expect((bad.results[0] as { failures: unknown }).failures).toEqual([
      { property: "code", reason: "code must be 3 to 256 letters and digits (A-Z, a-z, 0-9)" },
      { property: "basisPoints", reason: "a percentage discount needs basisPoints (1..10000)" },
    ]);
    const args = {
      adoptionKey: "d",
      name: "Launch",
      type: "percentage",
      basisPoints: 2000,
      duration: "once",
    };
    const ok = loadAndCall("polar:Discount", [["check", [{}, args]]]);
    const inputs = (ok.results[0] as { inputs: Record<string, unknown> }).inputs;
    expect(inputs).toEqual({ ...args, products: [], metadata: {} });
    const diff = loadAndCall("polar:Discount", [
      ["diff", ["id", { ...inputs, discountId: "id" }, { ...inputs, basisPoints: 2500 }]],
    ]);
    expect(diff.results[0]).toEqual({ changes: true, replaces: ["basisPoints"] });
  });

  it("says which package to install when the project does not have it", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-no-package-"));
    try {
      const out = loadAndCall("polar:Product", [["check", [{}, {}]]], empty);
      expect(out.error).toMatch(
        /^cannot load pulumi-checkout-links\/dynamic from .*pcl-no-package-.*index\.js: install pulumi-checkout-links in the Pulumi project/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("names an unknown type as one written by a newer version", () => {
    expect(() => dynamic.provider("polar:Subscription")).toThrow(
      /no resource type "polar:Subscription".*newer version/,
    );
  });
});
