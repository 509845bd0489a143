/**
 * The GitHub Actions workflow of examples/gitops runs every job on the Node.js major the package
 * needs (`engines.node` and `nodeRuntime.minimum` in package.json): it said 20 while the package
 * needed 22, and `@pulumi/pulumi` refuses older ones.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const repo = path.join(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
  engines: { node: string };
  nodeRuntime: { minimum: number };
};
const workflow = fs.readFileSync(
  path.join(repo, "examples/gitops/.github/workflows/checkout-links.yml"),
  "utf8",
);

describe("examples/gitops workflow", () => {
  it("runs every job that sets up Node.js on the major the package needs", () => {
    expect(pkg.engines.node).toBe(`>=${pkg.nodeRuntime.minimum}`);
    const jobs = (workflow.split("\njobs:\n")[1] ?? "").split(/\n {2}(?=[a-z][\w-]*:\n)/);
    const setups = jobs.filter((job) => job.includes("actions/setup-node"));
    expect(setups.length).toBe(jobs.length);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    const versions = [...workflow.matchAll(/node-version:\s*["']?([^"'\s]+)/g)].map((m) => m[1]);
    expect(versions).toEqual(jobs.map(() => String(pkg.nodeRuntime.minimum)));
  });
});
