import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main, parse } from "../../cli/main";

describe("checkout-links options", () => {
  it("takes --parallel and --verbose as whole numbers", () => {
    expect(parse(["up", "--parallel", "64", "--verbose", "9"], "/w")).toMatchObject({
      parallel: 64,
      verbose: 9,
    });
    const plain = parse(["up"], "/w");
    expect(plain === "help" ? plain : [plain.parallel, plain.verbose]).toEqual([undefined, undefined]);
  });

  it("refuses a bad --parallel or --verbose, naming the option", () => {
    expect(() => parse(["up", "--parallel", "0"], "/w")).toThrow(
      /^--parallel: not a positive whole number: 0$/,
    );
    expect(() => parse(["up", "--parallel", "lots"], "/w")).toThrow(/^--parallel: /);
    expect(() => parse(["up", "--verbose", "12"], "/w")).toThrow(/^--verbose: a level from 0 to 11, not 12$/);
  });

  it("prints the package's version with --version or -V", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`err: ${l}`), env: {} };
      expect(await main([flag], io, "/w")).toBe(0);
      expect(out).toEqual([`checkout-links ${version}`]);
    }
  });
});
