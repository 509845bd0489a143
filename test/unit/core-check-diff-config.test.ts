import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BACKENDS } from "../../provider/backends";
import { checkArgs, droppedKeys, UNKNOWN } from "../../provider/core/check";
import { Accounts, envName } from "../../provider/core/config";
import { changedFields, type DiffTable, deepEqual, diffWithTable } from "../../provider/core/diff";

const schema = z.object({
  slug: z.string().min(3).optional(),
  isEnabled: z.boolean().default(true),
  options: z.object({ trialDays: z.number().int().min(0) }).optional(),
});

describe("checkArgs", () => {
  it("fills defaults and drops __provider", () => {
    expect(checkArgs(schema, { __provider: "code", slug: "pro" })).toEqual({
      inputs: { slug: "pro", isEnabled: true },
      complete: true,
    });
  });

  it("names each failing argument, with the dotted path of a nested one in the reason", () => {
    // The engine prints the value of `property` as a top-level argument, so it must be one.
    const res = checkArgs(schema, { slug: "x", options: { trialDays: -1 } });
    expect(res.failures).toEqual([
      { property: "slug", reason: "Too small: expected string to have >=3 characters" },
      { property: "options", reason: "options.trialDays: Too small: expected number to be >=0" },
    ]);
  });

  it("refuses a misspelt key at every nesting level instead of dropping it", () => {
    const nested = z.object({
      tiers: z.array(z.object({ name: z.string(), commitmentPeriod: z.string().optional() })),
      options: z.object({ trialDays: z.number().optional() }).default({}),
      metadata: z.record(z.string(), z.string()).default({}),
    });
    const res = checkArgs(nested, {
      tiers: [{ name: "A" }, { name: "B", comitmentPeriod: "P1M" }],
      options: { trailDays: 14 },
      metadata: { anyKey: "is fine in a record" },
    });
    expect(res.failures).toEqual([
      { property: "tiers", reason: "tiers.1.comitmentPeriod: is not an argument of this resource" },
      { property: "options", reason: "options.trailDays: is not an argument of this resource" },
    ]);
    expect(res.complete).toBe(false);
  });

  it("finds dropped keys in objects and arrays, and none where parsing kept everything", () => {
    expect(
      droppedKeys({ a: 1, b: { c: 2, d: [{ e: 1, f: 2 }] } }, { a: 1, b: { c: 2, d: [{ e: 1 }] } }),
    ).toEqual([["b", "d", 0, "f"]]);
    expect(droppedKeys({ a: [1, 2], b: { c: 1 } }, { a: [1, 2], b: { c: 1, added: true } })).toEqual([]);
  });

  it("lets values that are not known yet pass", () => {
    const res = checkArgs(schema, { slug: UNKNOWN, options: UNKNOWN });
    expect(res).toEqual({ inputs: { slug: UNKNOWN, options: UNKNOWN }, complete: false });
  });

  it("still reports known bad values next to unknown ones", () => {
    const res = checkArgs(schema, { slug: UNKNOWN, isEnabled: "yes" });
    expect(res.failures).toEqual([
      { property: "isEnabled", reason: "Invalid input: expected boolean, received string" },
    ]);
  });
});

describe("diff table", () => {
  const table: DiffTable = {
    slug: { change: "update", publishes: true, why: "the public URL carries the slug" },
    planTierId: { change: "replace", why: "a link sells one tier" },
    isEnabled: { change: "update", why: "" },
  };

  it("ignores key order, __provider and fields outside the table", () => {
    expect(
      diffWithTable(
        table,
        { slug: "a", planTierId: "t", __provider: "old", url: "u1" },
        { planTierId: "t", slug: "a", __provider: "new" },
      ),
    ).toEqual({ changes: false });
  });

  it("updates in place or replaces as the table says", () => {
    expect(diffWithTable(table, { slug: "a", planTierId: "t" }, { slug: "b", planTierId: "t" })).toEqual({
      changes: true,
    });
    expect(diffWithTable(table, { slug: "a", planTierId: "t" }, { slug: "b", planTierId: "u" })).toEqual({
      changes: true,
      replaces: ["planTierId"],
    });
    expect(
      changedFields(table, { slug: "a" }, { slug: "b" }).map((c) => [c.field, c.rule.publishes]),
    ).toEqual([["slug", true]]);
  });

  it("treats an unknown new value as a change", () => {
    expect(diffWithTable(table, { planTierId: "t" }, { planTierId: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["planTierId"],
    });
  });

  it("compares deeply", () => {
    expect(deepEqual({ a: [1, { b: 2, c: null }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: 1 }, { a: "1" })).toBe(false);
  });
});

describe("Accounts", () => {
  const config: Record<string, string> = {
    "checkout-links:polar.token": "polar_cfg",
    "checkout-links:polar.baseUrl": "http://127.0.0.1:9/polar/",
    "checkout-links:polar.eu.token": "polar_eu",
    "checkout-links:fynn.token": "api_fynn",
  };
  const accounts = new Accounts(
    (k) => config[k],
    {
      CHECKOUT_LINKS_POLAR_TOKEN: "polar_env",
      CHECKOUT_LINKS_FYNN_BASE_URL: "https://acme.coreapi.io",
    },
    BACKENDS,
  );

  it("prefers stack config to the environment, and trims the base URL", () => {
    expect(accounts.resolve("polar")).toMatchObject({
      name: "default",
      token: "polar_cfg",
      baseUrl: "http://127.0.0.1:9/polar",
    });
  });

  it("resolves named accounts", () => {
    expect(accounts.resolve("polar", "eu")).toMatchObject({
      name: "eu",
      token: "polar_eu",
      baseUrl: "https://api.polar.sh",
    });
  });

  it("lets coreapi fall back to the Fynn settings of the same host", () => {
    expect(accounts.resolve("coreapi")).toMatchObject({
      token: "api_fynn",
      baseUrl: "https://acme.coreapi.io",
    });
  });

  it("paces Polar at its documented limits: 100/min in the sandbox, 500/min in production", () => {
    expect(accounts.resolve("polar").tuning.ratePerMinute).toBe(100);
    expect(accounts.resolve("polar", "eu").tuning.ratePerMinute).toBe(500);
    expect(accounts.resolve("coreapi").tuning.ratePerMinute).toBeUndefined();
  });

  it("says which key or variable to set when the token is missing", () => {
    expect(() => new Accounts(() => undefined, {}, BACKENDS).resolve("polar", "us")).toThrow(
      expect.objectContaining({ name: "CheckoutLinksError", code: "MISSING_TOKEN" }),
    );
    expect(() => new Accounts(() => undefined, {}, BACKENDS).resolve("polar", "us")).toThrow(
      'no polar token for account "us": run `pulumi config set --secret checkout-links:polar.us.token <token>` or set CHECKOUT_LINKS_POLAR_US_TOKEN',
    );
    expect(envName("coreapi", "default", "baseUrl")).toBe("CHECKOUT_LINKS_COREAPI_BASE_URL");
  });

  it("rejects a bad number with the key that holds it", () => {
    const bad = new Accounts(
      (k) => ({ "checkout-links:polar.token": "t", "checkout-links:polar.timeoutMs": "soon" })[k],
      {},
      BACKENDS,
    );
    expect(() => bad.resolve("polar")).toThrow(
      'stack config checkout-links:polar.timeoutMs must be a number of at least 1, got "soon"',
    );
  });
});
