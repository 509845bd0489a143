/**
 * Pulumi ships each dynamic provider to its provider process as serialized source, and runs the
 * text stored in state for refresh and destroy. The compiled coreapi and Fynn providers must
 * serialize without a credential in the text, come back to life from it, and still check and diff.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
type Lib = typeof import("../../provider/index");

async function roundTrip(provider: object): Promise<{ text: string; provider: any }> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  const { Module } = require("node:module") as { Module: any };
  const file = path.join(REPO, "provider-from-state.js");
  const m = new Module(file);
  m.paths = Module._nodeModulePaths(REPO);
  m._compile(sf.text, file);
  return { text: sf.text, provider: m.exports.handler() };
}

const PLAN = "1280792f-4e23-793d-8e9c-3a1bf36630bd";
const TIER = "f5ece259-08ea-77a4-8bd9-9f3a9ed9e246";

describe("coreapi and Fynn providers serialize and work after deserialization", () => {
  // Built by the test command (`npm run build`) before vitest runs.
  const lib = createRequire(__filename)(path.join(REPO, "dist/provider/index.js")) as Lib;
  process.env.CHECKOUT_LINKS_FYNN_TOKEN = "api_secret_never_serialized";

  it("coreapi.Plan", async () => {
    const { text, provider } = await roundTrip(new lib.coreapi.PlanProvider());
    expect(text).not.toContain("api_secret_never_serialized");
    const ok = await provider.check({}, { code: "pro", name: "Pro", tiers: [{ name: "Pro" }] });
    expect(ok.failures ?? []).toEqual([]);
    expect(ok.inputs.activate).toBe(true);
    expect(
      await provider.diff("id", { ...ok.inputs, planId: "id" }, { ...ok.inputs, name: "Pro 2" }),
    ).toEqual({
      changes: true,
    });
  });

  it("coreapi.CheckoutLink", async () => {
    const { text, provider } = await roundTrip(new lib.coreapi.CheckoutLinkProvider());
    expect(text).not.toContain("api_secret_never_serialized");
    const ok = await provider.check({}, { planId: PLAN, planTierId: TIER, slug: "pro" });
    expect(ok.inputs).toEqual({
      planId: PLAN,
      planTierId: TIER,
      slug: "pro",
      couponsAllowed: false,
      isEnabled: true,
      adopt: false,
    });
    expect(
      await provider.diff("id", { ...ok.inputs, __provider: "x" }, { ...ok.inputs, planTierId: PLAN }),
    ).toEqual({
      changes: true,
      replaces: ["planTierId"],
      deleteBeforeReplace: true,
    });
  });

  it("fynn.CheckoutLink", async () => {
    const { text, provider } = await roundTrip(new lib.fynn.FynnCheckoutLinkProvider());
    expect(text).not.toContain("api_secret_never_serialized");
    const bad = await provider.check({}, { items: [] });
    expect(bad.failures).toEqual([{ property: "items", reason: "at least one item is required" }]);
    const ok = await provider.check({}, { items: [{ productId: PLAN, pricePlanId: TIER }] });
    expect(ok.inputs.items).toEqual([
      { type: "product", productId: PLAN, pricePlanId: TIER, quantity: 1, periods: [] },
    ]);
    expect(await provider.diff("id", { ...ok.inputs, slug: "s" }, ok.inputs)).toEqual({ changes: false });
  });
});
