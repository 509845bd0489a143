import { describe, expect, it } from "vitest";
import { parse } from "../../cli/main";

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
});
