/**
 * The Polar OpenAPI oracle (test/helpers/polar-openapi.ts) itself: it must name the operation, the
 * path inside the body and the rule of a violation, and let a conforming exchange pass, or the
 * suite-wide check proves nothing.
 */
import { describe, expect, it } from "vitest";
import { PolarOpenApi } from "../helpers/polar-openapi";

const oracle = new PolarOpenApi();

describe("Polar OpenAPI oracle", () => {
  it("maps routes to Polar's operation ids, trailing slash or not", () => {
    expect(oracle.operation("GET", "/v1/products")?.id).toBe("products:list");
    expect(oracle.operation("POST", "/v1/checkout-links/")?.id).toBe("checkout-links:create");
    expect(oracle.operation("PATCH", "/v1/products/6b5d6b8f-1d4b-4a67-a0a8-5d1b7a3b9c1e")?.id).toBe(
      "products:update",
    );
    expect(oracle.operation("GET", "/v1/checkout-links/polar_cl_x/redirect")).toBeUndefined();
  });

  it("names the operation, the JSON path and the rule of a request body violation", () => {
    const { violations } = oracle.check({
      family: "polar",
      method: "POST",
      path: "/v1/products",
      query: "",
      status: 201,
      request: { name: "Pro", prices: [{ amount_type: "fixed", price_amount: "29" }] },
    });
    expect(violations).toContainEqual(
      expect.objectContaining({
        operationId: "products:create",
        part: "request",
        at: "$.prices[0].price_amount",
        rule: "must be integer",
      }),
    );
  });

  it("flags a query parameter the operation does not declare, and a value of the wrong type", () => {
    const { violations } = oracle.check({
      family: "polar",
      method: "GET",
      path: "/v1/products/",
      query: "?limit=abc&label=x&is_archived=false",
      status: 200,
      response: { items: [], pagination: { total_count: 0, max_page: 0 } },
    });
    expect(violations.map((v) => [v.part, v.at])).toEqual([
      ["query", "limit"],
      ["query", "label"],
    ]);
  });

  it("checks a response against the documented schema of its status", () => {
    const { violations } = oracle.check({
      family: "polar",
      method: "GET",
      path: "/v1/products/6b5d6b8f-1d4b-4a67-a0a8-5d1b7a3b9c1e",
      query: "",
      status: 404,
      response: { detail: "Not Found" },
    });
    expect(violations).toContainEqual(
      expect.objectContaining({ operationId: "products:get", part: "response 404", at: "$" }),
    );
    const fine = oracle.check({
      family: "polar",
      method: "GET",
      path: "/v1/products/6b5d6b8f-1d4b-4a67-a0a8-5d1b7a3b9c1e",
      query: "",
      status: 404,
      response: { error: "ResourceNotFound", detail: "Not found" },
    });
    expect(fine.violations).toEqual([]);
  });

  it("leaves an answer shaped by a fault alone", () => {
    const { violations } = oracle.check({
      family: "polar",
      method: "GET",
      path: "/v1/products/6b5d6b8f-1d4b-4a67-a0a8-5d1b7a3b9c1e",
      query: "",
      status: 404,
      response: { detail: "Not Found" },
      fault: "fault-1",
    });
    expect(violations).toEqual([]);
  });
});
