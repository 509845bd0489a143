/**
 * Pulumi ships a dynamic provider to its provider process as serialized source. The compiled Polar
 * providers must serialize, come back to life from that text, and still check and diff: anything
 * captured at module level that cannot travel (zod schemas, Sets, agents) fails here first.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
type PolarLib = typeof import("../../provider/polar/index");

async function roundTrip(provider: object): Promise<{ text: string; provider: any }> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  const { Module } = require("node:module") as { Module: any };
  const m = new Module(path.join(REPO, "provider-from-state.js"));
  m.paths = Module._nodeModulePaths(REPO);
  m._compile(sf.text, path.join(REPO, "provider-from-state.js"));
  return { text: sf.text, provider: m.exports.handler() };
}

describe("polar providers serialize and work after deserialization", () => {
  const polar = createRequire(__filename)(path.join(REPO, "dist/provider/polar/index.js")) as PolarLib;

  it("CheckoutLink", async () => {
    const { text, provider } = await roundTrip(polar.checkoutLinkProvider);
    expect(text).not.toMatch(/polar_oat_/);
    const bad = await provider.check({}, { adoptionKey: "a", products: [], lable: "x" });
    expect(bad.failures).toEqual([
      { property: "products", reason: "products must name at least one product" },
      { property: "lable", reason: "is not an argument of this resource" },
    ]);
    const ok = await provider.check(
      {},
      { adoptionKey: "a", products: ["6f1c9f0e-2d1c-4a3b-9a51-1f1f3c2a9b10"] },
    );
    expect(ok.failures ?? []).toEqual([]);
    expect(await provider.diff("id", { ...ok.inputs, __provider: "x", linkId: "id" }, ok.inputs)).toEqual({
      changes: false,
    });
    expect(await provider.diff("id", ok.inputs, { ...ok.inputs, account: "eu" })).toEqual({
      changes: true,
      replaces: ["account"],
    });
  });

  it("Product", async () => {
    const { provider } = await roundTrip(polar.productProvider);
    const ok = await provider.check({}, { adoptionKey: "p", name: "Pro", prices: [{ type: "free" }] });
    expect(ok.inputs.prices).toEqual([{ type: "fixed", amount: 0, currency: "usd" }]);
    expect(await provider.diff("id", ok.inputs, { ...ok.inputs, name: "Pro 2" })).toEqual({ changes: true });
  });
});
