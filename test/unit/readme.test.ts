import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "../..");

describe("README", () => {
  it("shows the diff tables the providers really use", () => {
    const generated = execFileSync("node", [path.join(repo, "scripts/readme-tables.mjs")], {
      encoding: "utf8",
    });
    const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
    expect(generated).toContain("#### `polar.CheckoutLink`");
    expect(readme).toContain(generated);
  });

  it("starts with the main-job and test commands that CI runs", () => {
    const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
    const commands =
      readme
        .split("```")[1]
        ?.split("\n")
        .filter((l) => l.trim() && l !== "bash") ?? [];
    expect(commands.map((l) => l.split("#")[0]?.trim())).toEqual([
      "npm ci && npm run main",
      "npm ci && npm test",
    ]);
    expect(fs.readFileSync(path.join(repo, ".ci/run"), "utf8")).toContain("\nnpm ci && npm test");
  });
});
