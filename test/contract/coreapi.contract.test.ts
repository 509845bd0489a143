/**
 * coreapi.io (Fynn V2) documentation examples replayed against the emulator: the seed excerpt and
 * the reference's quotes, checked for status, exact values and the documented shape.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import {
  coreapiCheckoutLink,
  coreapiCheckoutLinkCreate,
  coreapiPlanList,
} from "../../provider/coreapi/schemas";
import { call, fixture } from "../fixtures/http";
import { shapeMismatches } from "../fixtures/shape";

let emu: Emulator;
const token = "api_demo_acme";
const linksUrl = () => `${emu.baseUrls.coreapi}/api/plans/${EXAMPLE_IDS.coreapiPlan}/checkout-links`;

beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("coreapi create checkout link (seed 000)", () => {
  it("the documented request parses with the shared request schema", () => {
    const parsed = coreapiCheckoutLinkCreate().parse(fixture("coreapi/create-checkout-link.request.json"));
    expect(parsed).toEqual({
      planTierId: EXAMPLE_IDS.coreapiTierPro,
      couponsAllowed: false,
      isEnabled: true,
      salesChannel: "default",
    });
  });

  it("replays the documented request: 201 with the documented values and shape", async () => {
    const res = await call("POST", linksUrl(), {
      token,
      body: fixture("coreapi/create-checkout-link.request.json"),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: "pro-plan-pro",
      planTierId: EXAMPLE_IDS.coreapiTierPro,
      planTierName: "Pro",
      couponsAllowed: false,
      isEnabled: true,
      url: `${emu.baseUrls.coreapi}/checkout-link/pro-plan-pro/cart`,
      salesChannel: { name: "default", brandName: "Acme" },
    });
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.body.updatedAt).toBe(res.body.createdAt);
    expect(shapeMismatches(fixture("coreapi/create-checkout-link.response.json"), res.body)).toEqual([]);
    expect(
      shapeMismatches(fixture("coreapi/reference-create-checkout-link.response.json"), res.body),
    ).toEqual([]);
    expect(coreapiCheckoutLink().safeParse(res.body).success).toBe(true);
  });

  it("the reference's request (§2.7) gives the same link, and the list is a bare array of it", async () => {
    const created = await call("POST", linksUrl(), {
      token,
      body: fixture("coreapi/reference-create-checkout-link.request.json"),
    });
    expect(created.status).toBe(201);
    const list = await call("GET", linksUrl(), { token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([created.body]);
    expect(shapeMismatches([fixture("coreapi/create-checkout-link.response.json")], list.body)).toEqual([]);
  });

  it("the documented response example itself satisfies the response schema's field set", () => {
    const documented = fixture("coreapi/create-checkout-link.response.json");
    expect(Object.keys(documented).sort()).toEqual(Object.keys(coreapiCheckoutLink().shape).sort());
  });
});

describe("coreapi list plans (§2.5)", () => {
  it("cursor mode and page mode match the documented envelope", async () => {
    const cursor = await call("GET", `${emu.baseUrls.coreapi}/api/plans`, { token });
    expect(cursor.status).toBe(200);
    expect(cursor.body).toEqual({
      data: [
        {
          id: EXAMPLE_IDS.coreapiPlan,
          code: "pro-plan",
          name: "Pro Plan",
          currency: "EUR",
          tierCount: 1,
          updatedAt: expect.any(String),
          status: "active",
        },
      ],
      meta: { count: 1, total: 1 },
      pagination: { limit: 20, cursor: null, hasMore: false, nextCursor: null, prevCursor: null },
    });
    const page = await call("GET", `${emu.baseUrls.coreapi}/api/plans?page=1&limit=5`, { token });
    expect(page.body.pagination).toEqual({
      limit: 5,
      totalItems: 1,
      itemsPerPage: 5,
      currentPage: 1,
      totalPages: 1,
      pageTotalItems: 1,
    });
    const documented = fixture("coreapi/list-plans.response.json");
    expect(shapeMismatches({ data: documented.data, meta: documented.meta }, page.body)).toEqual([]);
    expect(coreapiPlanList().safeParse(page.body).success).toBe(true);
  });
});
