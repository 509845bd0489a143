/**
 * `coreapi.Plan.tierId(name)`: the id of a tier by name, and an error that names the plan, the tier
 * asked for and the tiers there are when the plan has no such tier (`tierIds[name]` passed
 * `undefined` on and failed in the link's check with "expected string, received undefined").
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "../..");
type Lib = typeof import("../../provider/index");
// The built package, as a program loads it (and with the same @pulumi/pulumi as the mocks below).
const lib = require(path.join(REPO, "dist/provider/index.js")) as Lib;

pulumi.runtime.setMocks(
  {
    // What the provider answers after a create: the inputs, plus the tier ids by name.
    newResource: (args) => {
      const declared = (args.inputs.tiers ?? []) as { name: string }[];
      const tierIds = Object.fromEntries(declared.map((t, i) => [t.name, `${args.name}-tier-${i}`]));
      return { id: `${args.name}-id`, state: { ...args.inputs, tierIds } };
    },
    call: (args) => args.inputs,
  },
  "project",
  "stack",
  false,
);

function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

const tiers = [{ name: "Starter" }, { name: "Pro" }];

describe("coreapi.Plan.tierId", () => {
  it("gives the id of the tier with that name", async () => {
    const plan = new lib.coreapi.Plan("team", { code: "team-plan", name: "Team", tiers });
    expect(await value(plan.tierId("Pro"))).toBe("team-tier-1");
    expect(await value(plan.tierId("Starter"))).toBe("team-tier-0");
  });

  it("fails naming the plan, the missing tier and the tiers the plan has", () => {
    // The check tierId runs on the declared tiers at preview and on the ids after create; an error
    // thrown in an apply surfaces through the SDK's unhandled rejections, so it is asserted here.
    expect(() => lib.coreapi.tierMissing("team", "Enterprise", ["Starter", "Pro"])).toThrow(
      'coreapi.Plan "team" has no tier named "Enterprise": its tiers are "Starter", "Pro"',
    );
  });

  it("says so when the plan has no tiers", () => {
    expect(() => lib.coreapi.tierMissing("empty", "Pro", [])).toThrow(
      'coreapi.Plan "empty" has no tier named "Pro": it has no tiers',
    );
    expect(() => lib.coreapi.tierMissing("team", "Pro", ["Pro"])).not.toThrow();
  });
});
