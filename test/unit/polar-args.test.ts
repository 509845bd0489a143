/**
 * Argument checks and diff decisions of the Polar resources, without any API: these run at preview,
 * so a bad argument must fail there, naming the field.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/core/check";
import { diffTableMarkdown } from "../../provider/core/diff";
import {
  CheckoutLinkProvider,
  type CheckoutLinkState,
  checkoutLinkDiffTable,
  createBody,
  patchBody,
} from "../../provider/polar/checkoutLink";
import { CREATE_TAG, NAME_TAG, newCreateToken } from "../../provider/polar/common";
import {
  ProductProvider,
  type ProductState,
  productDiffTable,
  productPatch,
} from "../../provider/polar/product";
import { atPath } from "../fixtures/check";

const P1 = "6f1c9f0e-2d1c-4a3b-9a51-1f1f3c2a9b10";
const P2 = "b7d7c2a1-0f5e-4a7e-8c2d-3e9b1a2c4d5e";

const link = new CheckoutLinkProvider();
const product = new ProductProvider();

async function linkFailures(news: Record<string, unknown>) {
  const r = await link.check({}, { adoptionKey: "l", products: [P1], ...news });
  return (r.failures ?? []).map(atPath).map((f) => `${f.property}: ${f.reason}`);
}

describe("polar.CheckoutLink check", () => {
  it("fills in the defaults so that a second preview is empty", async () => {
    const r = await link.check({}, { __provider: "x", adoptionKey: "l", products: [P1] });
    expect(r.failures ?? []).toEqual([]);
    expect(r.inputs).toEqual({
      adoptionKey: "l",
      products: [P1],
      allowDiscountCodes: true,
      requireBillingAddress: false,
      metadata: {},
    });
  });

  it("names trialIntervalCount when only trialInterval is set, and the reverse", async () => {
    expect(await linkFailures({ trialInterval: "month" })).toEqual([
      "trialIntervalCount: trialIntervalCount must be set together with trialInterval",
    ]);
    expect(await linkFailures({ trialIntervalCount: 3 })).toEqual([
      "trialInterval: trialInterval must be set together with trialIntervalCount",
    ]);
  });

  it("rejects an empty product list, a non-URL and a too long success URL", async () => {
    expect(await linkFailures({ products: [] })).toEqual([
      "products: products must name at least one product",
    ]);
    expect(await linkFailures({ successUrl: "not a url" })).toEqual([
      "successUrl: successUrl must be an http(s) URL ({CHECKOUT_ID} is allowed)",
    ]);
    expect(await linkFailures({ successUrl: `https://example.com/${"a".repeat(2080)}` })).toEqual([
      "successUrl: successUrl must be 1 to 2083 characters long",
    ]);
  });

  it("accepts the {CHECKOUT_ID} placeholder", async () => {
    expect(
      await linkFailures({ successUrl: "https://example.com/thanks?checkout_id={CHECKOUT_ID}" }),
    ).toEqual([]);
  });

  it("applies Polar's metadata rules and reserves the provider's tag prefix", async () => {
    expect(await linkFailures({ metadata: { ["k".repeat(41)]: "v" } })).toEqual([
      `metadata.${"k".repeat(41)}: metadata keys must be 1 to 40 characters long`,
    ]);
    expect(await linkFailures({ metadata: { a: "" } })).toEqual([
      "metadata.a: metadata string values must be 1 to 500 characters long",
    ]);
    expect(await linkFailures({ metadata: { a: "x".repeat(501) } })).toEqual([
      "metadata.a: metadata string values must be 1 to 500 characters long",
    ]);
    expect(await linkFailures({ metadata: { [NAME_TAG]: "x" } })).toEqual([
      `metadata.${NAME_TAG}: metadata keys starting with "pulumi-checkout-links:" are reserved for the provider`,
    ]);
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, i]));
    expect(await linkFailures({ metadata: many })).toEqual([
      "metadata: metadata may hold at most 48 pairs (Polar allows 50; the provider keeps 2 for its tags)",
    ]);
    expect(await linkFailures({ metadata: { n: 1.5, b: false, s: "x" } })).toEqual([]);
  });

  it("rejects seats and trial counts out of range, and unknown arguments", async () => {
    expect(await linkFailures({ seats: 0 })).toHaveLength(1);
    expect((await linkFailures({ seats: 10_001 }))[0]).toMatch(/^seats: /);
    expect((await linkFailures({ trialInterval: "day", trialIntervalCount: 1001 }))[0]).toMatch(
      /^trialIntervalCount: /,
    );
    expect((await linkFailures({ lable: "typo" }))[0]).toMatch(/lable/);
  });

  it("lets unknown values (outputs of resources not yet created) pass at preview", async () => {
    const r = await link.check({}, { adoptionKey: "l", products: [UNKNOWN], label: UNKNOWN, seats: UNKNOWN });
    expect(r.failures ?? []).toEqual([]);
  });
});

function linkState(over: Partial<CheckoutLinkState> = {}): CheckoutLinkState {
  return {
    products: [P1],
    allowDiscountCodes: true,
    requireBillingAddress: false,
    metadata: {},
    adoptionKey: "l",
    stateVersion: 1,
    linkId: "0c7e4f0a-4a2d-4d7b-9b2e-5f0f7f5c1a11",
    url: "http://x/redirect",
    clientSecret: "polar_cl_x",
    organizationId: "1dbfc517-0bbf-4301-9ba8-555ca42b9737",
    createdAt: "2026-01-01T00:00:00Z",
    modifiedAt: null,
    ...over,
  };
}

describe("polar.CheckoutLink diff and bodies", () => {
  const news = {
    products: [P1],
    allowDiscountCodes: true,
    requireBillingAddress: false,
    metadata: {},
    adoptionKey: "l",
  };

  it("shows no change when only outputs and __provider differ", async () => {
    expect(await link.diff("id", { ...linkState(), __provider: "old" } as CheckoutLinkState, news)).toEqual({
      changes: false,
    });
  });

  it("updates in place for a product list change and replaces for another account", async () => {
    expect(await link.diff("id", linkState(), { ...news, products: [P2, P1] })).toEqual({ changes: true });
    expect(await link.diff("id", linkState(), { ...news, account: "eu" })).toEqual({
      changes: true,
      replaces: ["account"],
    });
  });

  it("patches only changed keys, clears with null, and sends the trial pair together", () => {
    const olds = linkState({
      label: "a",
      successUrl: "https://example.com/ok",
      trialInterval: "day",
      trialIntervalCount: 7,
    });
    expect(patchBody(olds, { ...news, trialInterval: "day", trialIntervalCount: 14 })).toEqual({
      label: null,
      success_url: null,
      trial_interval: "day",
      trial_interval_count: 14,
    });
  });

  it("resends the tag with any metadata change, since Polar replaces metadata whole", () => {
    expect(patchBody(linkState(), { ...news, metadata: { a: 1 } })).toEqual({
      metadata: { a: 1, [NAME_TAG]: "l" },
    });
    expect(patchBody(linkState(), news)).toEqual({});
  });

  it("creates with payment_processor stripe, the tags, and no unset keys", () => {
    expect(createBody({ ...news, label: "x" }, "tok")).toEqual({
      payment_processor: "stripe",
      products: [P1],
      label: "x",
      allow_discount_codes: true,
      require_billing_address: false,
      metadata: { [NAME_TAG]: "l", [CREATE_TAG]: "tok" },
    });
  });
});

describe("polar.Product check and price updates", () => {
  async function failures(news: Record<string, unknown>) {
    const r = await product.check(
      {},
      { adoptionKey: "p", name: "Pro", prices: [{ type: "fixed", amount: 100 }], ...news },
    );
    return (r.failures ?? []).map(atPath).map((f) => `${f.property}: ${f.reason}`);
  }

  it("normalises: currency usd, visibility public, free as fixed 0, interval count 1", async () => {
    const r = await product.check(
      {},
      { adoptionKey: "p", name: "Pro", recurringInterval: "month", prices: [{ type: "free" }] },
    );
    expect(r.inputs).toEqual({
      adoptionKey: "p",
      name: "Pro",
      visibility: "public",
      recurringInterval: "month",
      recurringIntervalCount: 1,
      prices: [{ type: "fixed", amount: 0, currency: "usd" }],
      metadata: {},
    });
  });

  it("names the field for a short name, price combinations and a count without interval", async () => {
    expect(await failures({ name: "ab" })).toEqual(["name: name must be 3 to 64 characters long"]);
    expect(await failures({ prices: [] })).toEqual(["prices: prices must hold at least one price"]);
    expect(await failures({ prices: [{ type: "custom" }, { type: "fixed", amount: 1 }] })).toEqual([
      "prices: a custom or free price must be the product's only price",
    ]);
    expect(
      await failures({
        prices: [
          { type: "fixed", amount: 1 },
          { type: "fixed", amount: 2 },
        ],
      }),
    ).toEqual(["prices: a product has at most one fixed and one seat-based price"]);
    expect(await failures({ recurringIntervalCount: 2 })).toEqual([
      "recurringIntervalCount: recurringIntervalCount needs recurringInterval (a one-time product has no interval)",
    ]);
    expect((await failures({ prices: [{ type: "fixed", amount: 1.5 }] }))[0]).toMatch(/^prices\.0\.amount: /);
  });

  it("keeps unchanged prices by id and sends changed ones as new objects", () => {
    const olds: Partial<ProductState> = {
      name: "Pro",
      visibility: "public",
      metadata: {},
      adoptionKey: "p",
      prices: [
        { type: "fixed", amount: 100, currency: "usd" },
        { type: "seat_based", currency: "usd", tiers: [{ minSeats: 1, pricePerSeat: 10 }] },
      ],
      priceIds: ["id-fixed", "id-seat"],
    };
    const { body, keptIds } = productPatch(olds, {
      name: "Pro",
      visibility: "public",
      metadata: {},
      adoptionKey: "p",
      prices: [
        { type: "seat_based", currency: "usd", tiers: [{ minSeats: 1, pricePerSeat: 10 }] },
        { type: "fixed", amount: 200, currency: "usd" },
      ],
    });
    expect(keptIds).toEqual(["id-seat", undefined]);
    expect(body).toEqual({
      prices: [{ id: "id-seat" }, { amount_type: "fixed", price_amount: 200, price_currency: "usd" }],
    });
  });

  it("replaces the product when the billing interval changes", async () => {
    const olds = {
      name: "Pro",
      visibility: "public",
      metadata: {},
      adoptionKey: "p",
      recurringInterval: "month",
      recurringIntervalCount: 1,
      prices: [],
    } as unknown as ProductState;
    const news = { ...olds, recurringInterval: "year" } as ProductState;
    expect(await product.diff("id", olds, news)).toEqual({ changes: true, replaces: ["recurringInterval"] });
  });
});

describe("the README shows the diff tables the providers use", () => {
  it("has both tables exactly as the code declares them", () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../provider/polar/README.md"), "utf8");
    // The formatter pads table cells; compare cell contents.
    const cells = (md: string) =>
      md
        .split("\n")
        .map((line) =>
          line.startsWith("|")
            ? line
                .split("|")
                .map((c) => c.trim().replace(/^-+$/, "---"))
                .join("|")
            : line,
        )
        .join("\n");
    const text = cells(readme);
    expect(text).toContain(cells(`### polar.Product\n\n${diffTableMarkdown(productDiffTable)}`));
    expect(text).toContain(cells(`### polar.CheckoutLink\n\n${diffTableMarkdown(checkoutLinkDiffTable)}`));
  });
});

describe("create tokens", () => {
  it("are new for every create, so a lookup after an ambiguous create finds only its own object", () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newCreateToken()));
    expect(tokens.size).toBe(50);
  });
});
