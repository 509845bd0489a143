/**
 * Polar discounts in the emulator (`/v1/discounts/`, as Polar's OpenAPI document describes them),
 * and `polar.CheckoutLink.discountId` checked against them: a discount made through the API is
 * accepted, shown expanded on the link, and a discount that does not exist or does not cover the
 * link's products is refused naming `discount_id`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { CheckoutLinkProvider, type CheckoutLinkState } from "../../provider/polar/checkoutLink";
import { polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Awaited<ReturnType<typeof startEmulator>>;
const token = DEMO_TOKENS.polarAcme;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => emu.reset());

const api = (method: string, p: string, body?: unknown, as: string = token) =>
  call(method, `${emu.baseUrls.polar}${p}`, body === undefined ? { token: as } : { token: as, body });

describe("Polar discounts in the emulator", () => {
  it("create, get, list, update and delete, percentage and fixed, with a code and a product restriction", async () => {
    const pro = await polarProduct(emu, token);
    const pct = await api("POST", "/v1/discounts/", {
      type: "percentage",
      name: "Launch",
      basis_points: 2500,
      duration: "repeating",
      duration_in_months: 3,
      code: "LAUNCH25",
      products: [pro.id],
    });
    expect(pct.status).toBe(201);
    expect(pct.body).toMatchObject({
      type: "percentage",
      basis_points: 2500,
      duration: "repeating",
      duration_in_months: 3,
      code: "LAUNCH25",
      redemptions_count: 0,
      products: [{ id: pro.id }],
    });
    const fixed = await api("POST", "/v1/discounts/", {
      type: "fixed",
      name: "Ten off",
      amounts: { usd: 1000 },
      duration: "once",
    });
    expect(fixed.body).toMatchObject({
      type: "fixed",
      amounts: { usd: 1000 },
      amount: 1000,
      currency: "usd",
    });
    expect(
      (await api("POST", "/v1/discounts/", { type: "fixed", name: "x", duration: "once", code: "launch25" }))
        .status,
    ).toBe(422);
    expect((await api("GET", `/v1/discounts/${pct.body.id}`)).body.name).toBe("Launch");
    expect((await api("GET", "/v1/discounts/?limit=1")).body.pagination).toEqual({
      total_count: 2,
      max_page: 2,
    });
    const renamed = await api("PATCH", `/v1/discounts/${pct.body.id}`, { name: "Launch week", code: null });
    expect(renamed.body).toMatchObject({ name: "Launch week", code: null, basis_points: 2500 });
    expect(
      (await api("GET", `/v1/discounts/${pct.body.id}`, undefined, DEMO_TOKENS.polarGlobex)).status,
    ).toBe(404);
    expect((await api("DELETE", `/v1/discounts/${fixed.body.id}`)).status).toBe(204);
    expect((await api("GET", `/v1/discounts/${fixed.body.id}`)).body).toMatchObject({
      error: "ResourceNotFound",
    });
  });

  it("polar.CheckoutLink.discountId: an existing discount is applied and shown; others are refused naming discount_id", async () => {
    const pro = await polarProduct(emu, token);
    const other = await polarProduct(emu, token, { name: "Other" });
    const discount = await api("POST", "/v1/discounts/", {
      type: "percentage",
      name: "Pro only",
      basis_points: 1000,
      duration: "once",
      products: [pro.id],
    });
    const links = new CheckoutLinkProvider();
    const cfg: Record<string, string> = {
      "checkout-links:polar.token": token,
      "checkout-links:polar.baseUrl": emu.baseUrls.polar,
      "checkout-links:polar.ratePerMinute": "0",
    };
    void links.configure({
      config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string },
    } as never);
    const inputs = async (news: Record<string, unknown>) =>
      (await links.check({}, { adoptionKey: "main", ...news })).inputs as Record<string, unknown>;
    const made = await links.create(await inputs({ products: [pro.id], discountId: discount.body.id }));
    expect((made.outs as CheckoutLinkState).discountId).toBe(discount.body.id);
    const live = await api("GET", `/v1/checkout-links/${made.id}`);
    expect(live.body.discount).toMatchObject({ id: discount.body.id, basis_points: 1000 });
    // Not covering the other product, and unknown: Polar's 422 on discount_id.
    await expect(
      links.create(await inputs({ products: [other.id], discountId: discount.body.id })),
    ).rejects.toThrow(/discount_id/);
    await expect(
      links.create(await inputs({ products: [pro.id], discountId: "0b1e4f0a-3c2d-4e5f-8a9b-1c2d3e4f5a6b" })),
    ).rejects.toThrow(/discount_id/);
  });

  it("a discount's type and duration never change, nor its amounts once redeemed (Polar's DiscountService.update)", async () => {
    const pct = await api("POST", "/v1/discounts/", {
      type: "percentage",
      name: "Launch",
      basis_points: 2500,
      duration: "once",
    });
    const fixed = await api("POST", "/v1/discounts/", {
      type: "fixed",
      name: "Ten off",
      amounts: { usd: 1000 },
      duration: "forever",
    });
    // Unredeemed: the amounts change, type and duration do not.
    expect(
      (await api("PATCH", `/v1/discounts/${pct.body.id}`, { basis_points: 3000 })).body.basis_points,
    ).toBe(3000);
    const typeChange = await api("PATCH", `/v1/discounts/${pct.body.id}`, { type: "fixed" });
    expect([typeChange.status, typeChange.body.detail[0].msg]).toEqual([422, "Type cannot be changed."]);
    const durationChange = await api("PATCH", `/v1/discounts/${fixed.body.id}`, { duration: "repeating" });
    expect([durationChange.status, durationChange.body.detail[0].loc]).toEqual([422, ["body", "duration"]]);
    // The emulator has no checkout completion that redeems: a data file holds redeemed discounts.
    const state = emu.state() as any;
    state.polar.discounts[pct.body.id].redemptions_count = 3;
    state.polar.discounts[fixed.body.id].redemptions_count = 1;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-redeemed-"));
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, JSON.stringify(state));
    const redeemed = await startEmulator({ polarRateLimitPerMinute: 0, dataFile: file });
    try {
      const at = (method: string, p: string, body: unknown) =>
        call(method, `${redeemed.baseUrls.polar}${p}`, { token, body });
      const refused = "This field cannot be changed because the discount has already been redeemed.";
      const bp = await at("PATCH", `/v1/discounts/${pct.body.id}`, { basis_points: 2000 });
      expect([bp.status, bp.body.detail]).toEqual([
        422,
        [{ type: "value_error", loc: ["body", "basis_points"], msg: refused, input: 3000 }],
      ]);
      const amounts = await at("PATCH", `/v1/discounts/${fixed.body.id}`, { amounts: { usd: 500 } });
      expect([amounts.status, amounts.body.detail[0].loc]).toEqual([422, ["body", "amounts"]]);
      // The same amounts, and everything else, still go through.
      const same = await at("PATCH", `/v1/discounts/${pct.body.id}`, {
        basis_points: 3000,
        name: "Launch week",
      });
      expect([same.status, same.body.name, same.body.redemptions_count]).toEqual([200, "Launch week", 3]);
    } finally {
      await redeemed.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("codes are letters and digits, a repeating discount needs its months, and a window starts before it ends", async () => {
    const base = { type: "percentage", name: "x", basis_points: 100, duration: "once" };
    // The emulator locates body errors without the union's tag (Polar adds one such as `percentage.repeat`).
    const field = async (body: object) => {
      const r = await api("POST", "/v1/discounts/", { ...base, ...body });
      return [r.status, r.body.detail?.[0]?.loc?.at(-1), r.body.detail?.[0]?.msg];
    };
    expect(await field({ code: "NO-DASH" })).toEqual([
      422,
      "code",
      "Value error, Code must contain only alphanumeric characters.",
    ]);
    expect(await field({ duration: "repeating" })).toEqual([422, "duration_in_months", "Field required"]);
    expect(await field({ starts_at: "2026-06-01T00:00:00Z", ends_at: "2026-05-01T00:00:00Z" })).toEqual([
      422,
      "body",
      "Value error, starts_at must be before ends_at",
    ]);
    const pro = await polarProduct(emu, token);
    const missing = "0b1e4f0a-3c2d-4e5f-8a9b-1c2d3e4f5a6b";
    const unknown = await api("POST", "/v1/discounts/", { ...base, products: [pro.id, missing, missing] });
    expect([unknown.status, unknown.body.detail]).toEqual([
      422,
      [{ type: "value_error", loc: ["body", "products", 1], msg: "Product not found.", input: missing }],
    ]);
    // An empty code reads as none (Polar's EmptyStrToNone).
    const empty = await api("POST", "/v1/discounts/", { ...base, code: "" });
    expect([empty.status, empty.body.code]).toEqual([201, null]);
  });

  it("lists newest first unless sorting says otherwise, and the query matches the code too", async () => {
    const names = ["First", "Second", "Third"];
    for (const [i, name] of names.entries()) {
      // Distinct creation times (the emulator stamps them with the real clock).
      await new Promise((r) => setTimeout(r, 5));
      await api("POST", "/v1/discounts/", {
        type: "percentage",
        name,
        basis_points: 100,
        duration: "once",
        code: `CODE${i}X`,
      });
    }
    const list = async (q: string) =>
      (await api("GET", `/v1/discounts/${q}`)).body.items.map((d: any) => d.name);
    expect(await list("")).toEqual(["Third", "Second", "First"]);
    expect(await list("?sorting=created_at")).toEqual(["First", "Second", "Third"]);
    expect(await list("?query=code1")).toEqual(["Second"]);
  });
});
