/**
 * Registering a resource takes no promise-leak stacks (they cost a quarter of a large program's CPU
 * under ts-node) but leaves the process's stack-trace limit as it was, and gives an error thrown
 * while registering a full stack again. Where our resources are declared is the program's line
 * (test/engine/cli-main-job.test.ts); other resources' call sites stay as the SDK takes them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
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

  it("records the program's line for the resources of a second copy of the package too", () => {
    // Two versions of the package in one project: a second copy, on the same @pulumi/pulumi.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-two-copies-"));
    try {
      const copy = path.join(project, "node_modules/pulumi-checkout-links");
      fs.mkdirSync(copy, { recursive: true });
      fs.copyFileSync(path.join(REPO, "package.json"), path.join(copy, "package.json"));
      fs.cpSync(path.join(REPO, "dist/provider"), path.join(copy, "dist/provider"), { recursive: true });
      for (const dep of ["@pulumi", "zod", "undici"])
        fs.symlinkSync(path.join(REPO, "node_modules", dep), path.join(project, "node_modules", dep));
      const second = require(path.join(copy, "dist/provider/index.js")) as Lib;
      expect(second.polar.Product).not.toBe(lib.polar.Product);

      // The position the SDK hands the engine with each registration.
      const Resource = pulumi.Resource as unknown as {
        stackTrace(skip: number): ({ uri: string } | undefined)[];
      };
      const original = Resource.stackTrace;
      const positions: (string | undefined)[] = [];
      Resource.stackTrace = (skip: number) => {
        // One more frame to skip: this function's.
        const trace = original.call(Resource, skip + 1);
        positions.push(trace[0]?.uri);
        return trace;
      };
      // A named function: the SDK reads positions from frames of the form `at f (file:line:column)`.
      function declareBoth() {
        new lib.polar.Product("first-copy", productArgs);
        new second.polar.Product("second-copy", productArgs);
      }
      try {
        declareBoth();
      } finally {
        Resource.stackTrace = original;
      }
      expect(positions).toHaveLength(2);
      for (const uri of positions) expect(uri).toBe(pathToFileURL(__filename).toString());
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
