/**
 * Every field of a Polar price survives an update: `tax_behavior` and a seat-based price's
 * `seat_tier_type`, set in Polar and left out by the program, stay as Polar has them: no diff, and a
 * changed price that replaces the old one carries them over instead of falling back to the
 * organisation's defaults.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { ProductProvider, type ProductState } from "../../provider/polar/product";
import { polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let products: ProductProvider;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
  products = new ProductProvider();
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": DEMO_TOKENS.polarAcme,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
  };
  void products.configure({
    config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string },
  } as never);
});

async function checked(news: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await products.check({}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as Record<string, unknown>;
}

/** A product made in Polar (not by the program) with an inclusive fixed price and a graduated seat price. */
async function dashboardProduct() {
  return polarProduct(emu, DEMO_TOKENS.polarAcme, {
    name: "Team",
    prices: [
      { amount_type: "fixed", price_amount: 1000, tax_behavior: "inclusive" },
      {
        amount_type: "seat_based",
        tax_behavior: "exclusive",
        seat_tiers: { seat_tier_type: "graduated", tiers: [{ min_seats: 1, price_per_seat: 500 }] },
      },
    ],
  });
}

function patches() {
  return emu.requests().filter((r) => r.method === "PATCH" && r.path.startsWith("/polar/v1/products/"));
}

const programPrices = (amount: number) => [
  { type: "fixed", amount },
  { type: "seat_based", tiers: [{ minSeats: 1, pricePerSeat: 500 }] },
];

describe("Polar price fields the program leaves out", () => {
  it("adopting keeps tax_behavior and seat_tier_type: no PATCH, state shows Polar's values", async () => {
    const made = await dashboardProduct();
    const inputs = await checked({
      adoptionKey: "team",
      name: "Team",
      recurringInterval: "month",
      prices: programPrices(1000),
      adopt: true,
      adoptId: made.id,
    });
    const { outs } = await products.create(inputs);
    const s = outs as ProductState;
    // Only the adoption tag is written; the prices are left alone.
    expect(patches().map((r) => Object.keys(r.body as object))).toEqual([["metadata"]]);
    expect(s.prices).toEqual([
      { type: "fixed", amount: 1000, currency: "usd", taxBehavior: "inclusive" },
      {
        type: "seat_based",
        currency: "usd",
        taxBehavior: "exclusive",
        seatTierType: "graduated",
        tiers: [{ minSeats: 1, pricePerSeat: 500 }],
      },
    ]);
    const diff = await products.diff(
      s.productId,
      s,
      await checked({ ...inputs, adopt: undefined, adoptId: undefined }),
    );
    expect(diff.changes).toBe(false);
  });

  it("a price change keeps tax_behavior: the new price carries the old one's, the unchanged one is kept by id", async () => {
    const made = await dashboardProduct();
    const adopted = (
      await products.create(
        await checked({
          adoptionKey: "team",
          name: "Team",
          recurringInterval: "month",
          prices: programPrices(1000),
          adopt: true,
          adoptId: made.id,
        }),
      )
    ).outs as ProductState;
    const news = await checked({
      adoptionKey: "team",
      name: "Team",
      recurringInterval: "month",
      prices: programPrices(1500),
    });
    expect((await products.diff(adopted.productId, adopted, news)).changes).toBe(true);
    const after = (await products.update(adopted.productId, adopted, news)).outs as ProductState;
    expect(patches().at(-1)?.body).toEqual({
      prices: [
        { amount_type: "fixed", price_amount: 1500, price_currency: "usd", tax_behavior: "inclusive" },
        { id: adopted.priceIds[1] },
      ],
    });
    expect(after.prices[0]).toEqual({
      type: "fixed",
      amount: 1500,
      currency: "usd",
      taxBehavior: "inclusive",
    });
    // What Polar holds, straight from its API.
    const live = await call("GET", `${emu.baseUrls.polar}/v1/products/${made.id}`, {
      token: DEMO_TOKENS.polarAcme,
    });
    const unarchived = live.body.prices.filter((p: { is_archived: boolean }) => !p.is_archived);
    const byType = Object.fromEntries(unarchived.map((p: { amount_type: string }) => [p.amount_type, p]));
    expect(unarchived).toHaveLength(2);
    expect(byType.fixed).toMatchObject({ price_amount: 1500, tax_behavior: "inclusive" });
    expect(byType.seat_based).toMatchObject({
      tax_behavior: "exclusive",
      seat_tiers: { seat_tier_type: "graduated" },
    });
  });

  it("a tax_behavior the program sets differs from Polar's: a diff, and the price is replaced with it", async () => {
    const made = await dashboardProduct();
    const adopted = (
      await products.create(
        await checked({
          adoptionKey: "team",
          name: "Team",
          recurringInterval: "month",
          prices: programPrices(1000),
          adopt: true,
          adoptId: made.id,
        }),
      )
    ).outs as ProductState;
    const news = await checked({
      adoptionKey: "team",
      name: "Team",
      recurringInterval: "month",
      prices: [{ type: "fixed", amount: 1000, taxBehavior: "exclusive" }, programPrices(1000)[1]],
    });
    const diff = await products.diff(adopted.productId, adopted, news);
    // An in-place update (prices never replace the product).
    expect(diff).toEqual({ changes: true });
    const after = (await products.update(adopted.productId, adopted, news)).outs as ProductState;
    expect(after.prices[0]).toMatchObject({ taxBehavior: "exclusive" });
    expect(after.priceIds[1]).toBe(adopted.priceIds[1]);
  });
});
