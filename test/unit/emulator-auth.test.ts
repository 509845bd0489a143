/** Bearer tokens map to organisations and scopes: 401 without a usable token, 403 without the scope, 404 across organisations. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { coreapiActivePlan, polarLink, polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("Polar auth", () => {
  it("no token: 401 Unauthorized; unknown token: 401 invalid_token; a Fynn token is unknown to Polar", async () => {
    const url = `${emu.baseUrls.polar}/v1/checkout-links/`;
    const none = await call("GET", url);
    expect([none.status, none.body]).toEqual([401, { error: "Unauthorized", detail: "Unauthorized" }]);
    for (const token of ["polar_oat_nope", "api_demo_acme"]) {
      const bad = await call("GET", url, { token });
      expect(bad.status).toBe(401);
      expect(bad.body.error).toBe("invalid_token");
      expect(bad.headers["www-authenticate"]).toContain('error="invalid_token"');
    }
  });

  it("a read-only token reads but cannot write (403 insufficient_scope naming the scope)", async () => {
    const list = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token: "polar_oat_demo_readonly",
    });
    expect(list.status).toBe(200);
    const write = await call("POST", `${emu.baseUrls.polar}/v1/products/`, {
      token: "polar_oat_demo_readonly",
      body: { name: "Nope", prices: [{ amount_type: "fixed", price_amount: 1 }] },
    });
    expect(write.status).toBe(403);
    expect(write.body.error).toBe("insufficient_scope");
    expect(write.headers["www-authenticate"]).toBe(
      'Bearer error="insufficient_scope", scope="products:write"',
    );
  });

  it("another organisation's link and product are 404, never 403, and its products 'do not exist'", async () => {
    const product = await polarProduct(emu, "polar_oat_demo_acme");
    const link = await polarLink(emu, "polar_oat_demo_acme", [product.id]);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await call(method, `${emu.baseUrls.polar}/v1/checkout-links/${link.id}`, {
        token: "polar_oat_demo_globex",
        ...(method === "PATCH" ? { body: { label: "x" } } : {}),
      });
      expect([method, res.status, res.body]).toEqual([
        method,
        404,
        { error: "ResourceNotFound", detail: "Not found" },
      ]);
    }
    const foreign = await call("POST", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token: "polar_oat_demo_globex",
      body: { payment_processor: "stripe", products: [product.id] },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.detail[0].msg).toBe("Product does not exist.");
    const list = await call("GET", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token: "polar_oat_demo_globex",
    });
    expect(list.body.pagination.total_count).toBe(0);
  });
});

describe("Fynn and coreapi auth", () => {
  it("no token and unknown token are 401 in the classic error body", async () => {
    const none = await call("GET", `${emu.baseUrls.fynn}/checkout-links`);
    expect([none.status, none.body]).toEqual([
      401,
      { title: "Unauthorized", detail: "Full authentication is required to access this resource." },
    ]);
    const bad = await call("GET", `${emu.baseUrls.coreapi}/api/plans`, { token: "polar_oat_demo_acme" });
    expect([bad.status, bad.body]).toEqual([401, { title: "Unauthorized", detail: "Invalid API token." }]);
  });

  it("the read-only token gets 403 on writes and 200 on reads", async () => {
    const write = await call("POST", `${emu.baseUrls.coreapi}/api/plans`, {
      token: "api_demo_readonly",
      body: { code: "x-plan", name: "X", tiers: [{ name: "X" }] },
    });
    expect([write.status, write.body]).toEqual([
      403,
      { title: "Forbidden", detail: 'Missing permission "plan:write".' },
    ]);
    const read = await call("GET", `${emu.baseUrls.coreapi}/api/plans`, { token: "api_demo_readonly" });
    expect(read.status).toBe(200);
  });

  it("another organisation's plan and link are 404 Resource not found", async () => {
    const plan = await coreapiActivePlan(emu, "api_demo_acme");
    const link = await call("POST", `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`, {
      token: "api_demo_acme",
      body: { planTierId: plan.tiers[0]!.id },
    });
    for (const url of [
      `${emu.baseUrls.coreapi}/api/plans/${plan.id}`,
      `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links/${link.body.id}`,
    ]) {
      const res = await call("GET", url, { token: "api_demo_globex" });
      expect([res.status, res.body]).toEqual([404, { title: "Not Found", detail: "Resource not found" }]);
    }
  });
});
