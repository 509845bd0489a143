/**
 * Registering a resource takes no promise-leak stacks (they cost a quarter of a large program's CPU
 * under ts-node) but leaves the process's stack-trace limit as it was, and gives an error thrown
 * while registering a full stack again. Where our resources are declared is the program's line
 * (test/engine/cli-main-job.test.ts); other resources' call sites stay as the SDK takes them.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
type Lib = typeof import("../../provider/index");
// The built package, as a program loads it (and with the same @pulumi/pulumi as the mocks below).
const lib = require(path.join(REPO, "dist/provider/index.js")) as Lib;

const registered: { name: string; inputs: Record<string, unknown> }[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "project",
  "stack",
  false,
);

const productArgs = {
  name: "Pro",
  recurringInterval: "month" as const,
  prices: [{ type: "fixed" as const, amount: 1000, currency: "usd" }],
};

describe("DynamicResource registration", () => {
  it("leaves Error.stackTraceLimit as it was and registers the resource", async () => {
    const before = Error.stackTraceLimit;
    const p = new lib.polar.Product("pro", productArgs);
    expect(Error.stackTraceLimit).toBe(before);
    Error.stackTraceLimit = 7;
    try {
      new lib.polar.Product("pro-2", productArgs);
      expect(Error.stackTraceLimit).toBe(7);
    } finally {
      Error.stackTraceLimit = before;
    }
    await new Promise<void>((resolve) => p.urn.apply(() => resolve()));
    expect(registered.map((r) => r.name)).toContain("pro");
  });

  it("gives an error thrown while registering a stack that reaches the caller", () => {
    const before = Error.stackTraceLimit;
    let caught: unknown;
    try {
      new lib.polar.Product("", productArgs);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toMatch(/name/);
    expect((caught as Error).stack).toContain("resource-stacks.test.ts");
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("leaves the call sites of other resources as the SDK takes them", () => {
    new lib.polar.Product("pro-3", productArgs);
    // What the SDK reads for any resource: its own frame first, then its caller's (here, this test).
    const Resource = pulumi.Resource as unknown as { callsites(): { file?: string }[] };
    function declaringSomething() {
      return Resource.callsites();
    }
    const frames = declaringSomething();
    expect(frames[0]?.file).toMatch(/@pulumi[/\\]pulumi[/\\]resource\.(js|ts)$/);
    expect(frames[1]?.file).toBe(__filename);
  });
});
