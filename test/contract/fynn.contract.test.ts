/**
 * Fynn classic documentation examples replayed against the emulator: the update-link seed excerpts
 * (two renderings of one page) and the reference's list, error and minimal-request quotes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import { fynnCheckoutLink } from "../../provider/fynn/schemas";
import { fynnErrorBody, fynnList } from "../../provider/fynnFamily";
import { call, fixture } from "../fixtures/http";
import { shapeMismatches } from "../fixtures/shape";

let emu: Emulator;
const token = "api_demo_acme";
const linkUrl = () => `${emu.baseUrls.fynn}/checkout-links/${EXAMPLE_IDS.fynnLink}`;

/** The documented request with the real types the reference establishes (§3.3) and real references. */
function typedRequest() {
  const doc = fixture("fynn/update-checkout-link.request.json");
  return {
    ...doc,
    options: { trialDays: 14, allowCoupons: true, quantityEditable: true, forceCompany: true },
    isEnabled: true,
    items: [
      { type: "product", product: EXAMPLE_IDS.fynnProduct, price: EXAMPLE_IDS.fynnPricePlan, quantity: 1 },
    ],
  };
}

beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("Fynn classic PUT /checkout-links/{id} (seeds 001, 002)", () => {
  it("the verbatim example (stringly placeholders, items [[]]) is rejected with one violation per field", async () => {
    const res = await call("PUT", linkUrl(), {
      token,
      body: fixture("fynn/update-checkout-link.request.json"),
    });
    expect(res.status).toBe(422);
    expect(res.body.title).toBe("An error occurred");
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual([
      "options.trialDays",
      "options.allowCoupons",
      "options.quantityEditable",
      "options.forceCompany",
      "isEnabled",
      "items[0]",
    ]);
    expect(fynnErrorBody().safeParse(res.body).success).toBe(true);
  });

  it.each(["001", "002"])(
    "the typed example gives 200 with the documented values and shape (%s)",
    async (n) => {
      const res = await call("PUT", linkUrl(), { token, body: typedRequest() });
      expect(res.status).toBe(200);
      const documented = fixture(`fynn/update-checkout-link.response.${n}.json`);
      expect(shapeMismatches(documented, res.body)).toEqual([]);
      expect(res.body).toMatchObject({
        id: EXAMPLE_IDS.fynnLink,
        afterCheckout: documented.afterCheckout,
        options: documented.options,
        slug: "my-checkout-slug",
        isEnabled: true,
        url: `${emu.baseUrls.fynn}/checkout/my-checkout-slug`,
      });
      const [item] = res.body.items;
      expect(item.type).toBe("product");
      expect(item.quantity).toBe(1);
      expect(item.product).toEqual(documented.items[0].product);
      expect(item.price).toMatchObject({
        id: EXAMPLE_IDS.fynnPricePlan,
        internalName: "Exclusive pricing for partners.",
        billingInterval: "1M",
        price: { amount: 123 },
        inUse: true,
        checkoutLinkIds: [EXAMPLE_IDS.fynnLink],
      });
      expect(fynnCheckoutLink().safeParse(res.body).success).toBe(true);
    },
  );

  it("the reference's minimal create (§3.3) works with UUID, IRI and {id} references", async () => {
    const template = fixture("fynn/reference-minimal-create.request.json");
    const forms = [
      [EXAMPLE_IDS.fynnProduct, EXAMPLE_IDS.fynnPricePlan],
      [`/products/${EXAMPLE_IDS.fynnProduct}`, `/price-plans/${EXAMPLE_IDS.fynnPricePlan}`],
      [{ id: EXAMPLE_IDS.fynnProduct }, { id: EXAMPLE_IDS.fynnPricePlan }],
    ];
    const slugs: string[] = [];
    for (const [product, price] of forms) {
      const body = { items: [{ ...template.items[0], product, price }] };
      const res = await call("POST", `${emu.baseUrls.fynn}/checkout-links`, { token, body });
      expect(res.status).toBe(201);
      expect(res.body.items[0].product.id).toBe(EXAMPLE_IDS.fynnProduct);
      expect(res.body.afterCheckout).toEqual({
        action: "confirmation_message",
        url: null,
        confirmationMessage: null,
        backToProviderUrl: null,
      });
      expect(res.body.options).toEqual({
        trialDays: null,
        allowCoupons: false,
        quantityEditable: false,
        forceCompany: false,
      });
      slugs.push(res.body.slug);
    }
    expect(slugs).toEqual(["basic", "basic-2", "basic-3"]);
  });

  it("the list envelope matches the documented classic pagination (§3.5)", async () => {
    const res = await call("GET", `${emu.baseUrls.fynn}/checkout-links?slug=my-checkout-slug`, { token });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({
      pagination: { totalItems: 1, itemsPerPage: 30, currentPage: 1, lastPage: 1, pageTotalItems: 1 },
    });
    expect(shapeMismatches(fixture("fynn/list.response.json"), res.body)).toEqual([]);
    expect(fynnList(fynnCheckoutLink()).safeParse(res.body).success).toBe(true);
  });

  it("the documented error body (§3.6) is what the shared error schema describes", () => {
    expect(fynnErrorBody().parse(fixture("fynn/bad-request.response.json"))).toEqual(
      fixture("fynn/bad-request.response.json"),
    );
  });

  it("POST /checkout-links/{id}/cart answers 201 {cartId, customerId, url}", async () => {
    const res = await call("POST", `${linkUrl()}/cart`, {
      token,
      body: { customerId: "cus_42", metadata: { a: 1 } },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["cartId", "customerId", "url"]);
    expect(res.body.customerId).toBe("cus_42");
    expect(res.body.url).toBe(`${emu.baseUrls.fynn}/carts/${res.body.cartId}`);
  });

  it("GET /checkout-link-items/{id} returns the embedded item; unknown ids are 404 Resource not found", async () => {
    const link = await call("GET", linkUrl(), { token });
    const itemId = link.body.items[0].id;
    const item = await call("GET", `${emu.baseUrls.fynn}/checkout-link-items/${itemId}`, { token });
    expect(item.status).toBe(200);
    expect(item.body).toEqual(link.body.items[0]);
    const missing = await call("GET", `${emu.baseUrls.fynn}/checkout-link-items/${EXAMPLE_IDS.fynnProduct}`, {
      token,
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ title: "Not Found", detail: "Resource not found" });
  });
});
