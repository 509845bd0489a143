import { describe, expect, it } from "vitest";
import { isDynamicToken, parseTypeToken, typeToken } from "../../provider/core/typeToken";

describe("type tokens", () => {
  it("parse back to the backend and type they were built from", () => {
    for (const [backend, type] of [
      ["coreapi", "CheckoutLink"],
      ["coreapi", "Plan"],
      ["fynn", "CheckoutLink"],
      ["polar", "Product"],
      ["toy", "Widget"],
    ] as const) {
      const token = typeToken(backend, type);
      expect(token).toBe(`pulumi-nodejs:dynamic/${backend}:${type}`);
      expect(isDynamicToken(token)).toBe(true);
      expect(parseTypeToken(token)).toEqual({ backend, kind: type });
    }
  });

  it("name other resources by their package", () => {
    expect(isDynamicToken("checkout-links:index:Catalog")).toBe(false);
    expect(parseTypeToken("checkout-links:index:Catalog")).toEqual({
      backend: "checkout-links",
      kind: "Catalog",
    });
    expect(parseTypeToken("pulumi:providers:pulumi-nodejs")).toEqual({
      backend: "pulumi",
      kind: "pulumi-nodejs",
    });
  });
});
