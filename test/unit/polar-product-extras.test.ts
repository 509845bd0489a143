/**
 * A Polar product's benefits, attached custom fields, trial and metered prices, with the provider's
 * methods called as plain functions against the emulator: created and read back equal to the inputs,
 * each updated in place, the benefit set repaired after a change made in Polar, and bad input
 * refused at check, naming the field, before any request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { ACME_ORG_ID, DEMO_TOKENS } from "../../emulator/seed";
import { polarBenefits, polarCustomFields, polarMeters } from "../../emulator/vendors/polar/state";
import { UNKNOWN } from "../../provider/core/check";
import { changedFields } from "../../provider/core/diff";
import { ProductProvider, type ProductState, polarProductDiffTable } from "../../provider/polar/product";
import { call } from "../fixtures/http";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let products: ProductProvider;

const METER = "3f1a2b4c-5d6e-4f70-8a91-b2c3d4e5f601";
const METER_2 = "3f1a2b4c-5d6e-4f70-8a91-b2c3d4e5f602";
const BENEFIT_A = "7c2d9e1f-0a3b-4c5d-8e6f-1a2b3c4d5e01";
const BENEFIT_B = "7c2d9e1f-0a3b-4c5d-8e6f-1a2b3c4d5e02";
const BENEFIT_C = "7c2d9e1f-0a3b-4c5d-8e6f-1a2b3c4d5e03";
const FIELD_A = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c01";
const FIELD_B = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c02";

/** Meters, benefits and custom fields of org acme, written straight into the emulator's state. */
function seedCatalog(): void {
  const at = "2026-01-01T00:00:00.000Z";
  for (const [id, name] of [
    [METER, "API calls"],
    [METER_2, "Storage"],
  ] as const) {
    polarMeters(emu.app)[id] = {
      id,
      created_at: at,
      modified_at: null,
      organization_id: ACME_ORG_ID,
      name,
      unit: "scalar",
      custom_label: null,
      custom_multiplier: null,
      filter: { conjunction: "and", clauses: [] },
      aggregation: { func: "count" },
      metadata: {},
      archived_at: null,
    };
  }
  for (const id of [BENEFIT_A, BENEFIT_B, BENEFIT_C]) {
    polarBenefits(emu.app)[id] = {
      id,
      created_at: at,
      modified_at: null,
      organization_id: ACME_ORG_ID,
      type: "custom",
      description: `Benefit ${id.slice(-2)}`,
      visibility: "public",
      metadata: {},
      properties: { note: null },
      is_deleted: false,
    };
  }
  for (const [id, slug] of [
    [FIELD_A, "company"],
    [FIELD_B, "vat-id"],
  ] as const) {
    polarCustomFields(emu.app)[id] = {
      id,
      created_at: at,
      modified_at: null,
      organization_id: ACME_ORG_ID,
      type: "text",
      slug,
      name: slug,
      metadata: {},
      properties: {},
      deleted_at: null,
    };
  }
}

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
  seedCatalog();
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

function polarRequests() {
  return emu.requests().filter((r) => r.path.startsWith("/polar/"));
}

/** The program of the tests: two benefits, a base fee plus a metered price, a trial, a custom field. */
const program = (over: Record<string, unknown> = {}) => ({
  adoptionKey: "usage",
  name: "API plan",
  recurringInterval: "month",
  trialInterval: "week",
  trialIntervalCount: 2,
  prices: [
    { type: "fixed", amount: 900 },
    { type: "metered_unit", meterId: METER, unitAmount: 0.5, capAmount: 10000 },
  ],
  benefits: [BENEFIT_B, BENEFIT_A],
  attachedCustomFields: [{ customFieldId: FIELD_A, required: true }],
  ...over,
});

async function created(over: Record<string, unknown> = {}) {
  const inputs = await checked(program(over));
  const { id, outs } = await products.create(inputs);
  return { id, inputs, s: outs as ProductState };
}

async function noDiff(id: string, olds: ProductState, inputs: Record<string, unknown>) {
  expect(await products.diff(id, olds, inputs as unknown as ProductState)).toEqual({ changes: false });
}

describe("polar.Product benefits, custom fields, trial and metered prices", () => {
  it("creates with all four, reads them back equal to the inputs, and shows no diff", async () => {
    const { id, inputs, s } = await created();
    expect(inputs.prices).toEqual([
      { type: "fixed", amount: 900, currency: "usd" },
      { type: "metered_unit", meterId: METER, unitAmount: "0.5", capAmount: 10000, currency: "usd" },
    ]);
    expect(s).toMatchObject({
      trialInterval: "week",
      trialIntervalCount: 2,
      benefits: [BENEFIT_B, BENEFIT_A],
      attachedCustomFields: [{ customFieldId: FIELD_A, required: true }],
      prices: inputs.prices,
    });
    expect(s.priceIds).toHaveLength(2);
    const writes = polarRequests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path.replace(id, ":id")}`)).toEqual([
      "POST /polar/v1/products/",
      "POST /polar/v1/products/:id/benefits",
    ]);
    expect(writes[0]?.body).toMatchObject({
      trial_interval: "week",
      trial_interval_count: 2,
      attached_custom_fields: [{ custom_field_id: FIELD_A, required: true }],
      prices: [
        { amount_type: "fixed", price_amount: 900, price_currency: "usd" },
        {
          amount_type: "metered_unit",
          meter_id: METER,
          unit_amount: "0.5",
          cap_amount: 10000,
          price_currency: "usd",
        },
      ],
    });
    expect(writes[1]?.body).toEqual({ benefits: [BENEFIT_B, BENEFIT_A] });

    // Polar answers the unit amount with twelve decimals and the meter embedded.
    const live = await call("GET", `${emu.baseUrls.polar}/v1/products/${id}`, {
      token: DEMO_TOKENS.polarAcme,
    });
    const body = live.body as { prices: Record<string, unknown>[]; benefits: { id: string }[] };
    expect(body.prices[1]).toMatchObject({
      unit_amount: "0.500000000000",
      meter: { id: METER, name: "API calls" },
    });
    expect(body.benefits.map((b) => b.id)).toEqual([BENEFIT_B, BENEFIT_A]);

    const read = await products.read(id, s);
    expect(read.props).toEqual(s);
    await noDiff(id, read.props as ProductState, inputs);
  });

  it("updates each in place: trial by PATCH, fields by PATCH, a new metered price, the benefit set by POST", async () => {
    const { id, s } = await created();
    const cases: [Record<string, unknown>, string[], unknown][] = [
      [
        { trialInterval: "month", trialIntervalCount: 1 },
        ["PATCH"],
        { trial_interval: "month", trial_interval_count: 1 },
      ],
      [
        {
          attachedCustomFields: [
            { customFieldId: FIELD_B, required: false },
            { customFieldId: FIELD_A, required: true },
          ],
        },
        ["PATCH"],
        {
          attached_custom_fields: [
            { custom_field_id: FIELD_B, required: false },
            { custom_field_id: FIELD_A, required: true },
          ],
        },
      ],
      [
        {
          prices: [
            { type: "fixed", amount: 900 },
            { type: "metered_unit", meterId: METER, unitAmount: "0.75" },
          ],
        },
        ["PATCH"],
        {
          prices: [
            { id: s.priceIds[0] },
            { amount_type: "metered_unit", meter_id: METER, unit_amount: "0.75", price_currency: "usd" },
          ],
        },
      ],
      [{ benefits: [BENEFIT_C] }, ["POST"], { benefits: [BENEFIT_C] }],
      [
        { trialInterval: undefined, trialIntervalCount: undefined },
        ["PATCH"],
        { trial_interval: null, trial_interval_count: null },
      ],
    ];
    let olds = s;
    let over: Record<string, unknown> = {};
    for (const [change, methods, body] of cases) {
      over = { ...over, ...change };
      const news = await checked(program(over));
      const diff = await products.diff(id, olds, news as unknown as ProductState);
      // In place: a change and no replacement.
      expect(diff).toEqual({ changes: true });
      expect(changedFields(polarProductDiffTable, { ...olds }, news).map((c) => c.field)).toEqual(
        Object.keys(change),
      );
      const before = polarRequests().length;
      const { outs } = await products.update(id, olds, news);
      const writes = polarRequests()
        .slice(before)
        .filter((r) => r.method !== "GET");
      expect(writes.map((r) => r.method)).toEqual(methods);
      expect(writes[0]?.body).toEqual(body);
      olds = outs as ProductState;
      const read = await products.read(id, olds);
      expect(read.props).toEqual(olds);
      await noDiff(id, olds, news);
    }
    expect(olds).toMatchObject({
      benefits: [BENEFIT_C],
      attachedCustomFields: [
        { customFieldId: FIELD_B, required: false },
        { customFieldId: FIELD_A, required: true },
      ],
      prices: [
        { type: "fixed", amount: 900, currency: "usd" },
        { type: "metered_unit", meterId: METER, unitAmount: "0.75", currency: "usd" },
      ],
    });
    expect(olds.trialInterval).toBeUndefined();
  });

  it("puts back a benefit set changed in Polar: refresh shows the drift, the next update repairs it", async () => {
    const { id, inputs, s } = await created();
    const outOfBand = await call("POST", `${emu.baseUrls.polar}/v1/products/${id}/benefits`, {
      token: DEMO_TOKENS.polarAcme,
      body: { benefits: [BENEFIT_C] },
    });
    expect(outOfBand.status).toBe(200);
    const refreshed = (await products.read(id, s)).props as ProductState;
    expect(refreshed.benefits).toEqual([BENEFIT_C]);
    const diff = await products.diff(id, refreshed, inputs as unknown as ProductState);
    expect(diff).toEqual({ changes: true });
    expect(changedFields(polarProductDiffTable, { ...refreshed }, inputs).map((c) => c.field)).toEqual([
      "benefits",
    ]);
    const before = polarRequests().length;
    const { outs } = await products.update(id, refreshed, inputs);
    expect(
      polarRequests()
        .slice(before)
        .filter((r) => r.method !== "GET")
        .map((r) => [r.method, r.body]),
    ).toEqual([["POST", { benefits: [BENEFIT_B, BENEFIT_A] }]]);
    expect((outs as ProductState).benefits).toEqual([BENEFIT_B, BENEFIT_A]);
    await noDiff(id, (await products.read(id, outs as ProductState)).props as ProductState, inputs);
  });

  it("leaves benefits and custom fields attached in Polar alone when the program leaves them out", async () => {
    const { id, inputs, s } = await created({ benefits: undefined, attachedCustomFields: undefined });
    expect(s.benefits).toBeUndefined();
    expect(s.attachedCustomFields).toBeUndefined();
    await call("POST", `${emu.baseUrls.polar}/v1/products/${id}/benefits`, {
      token: DEMO_TOKENS.polarAcme,
      body: { benefits: [BENEFIT_A] },
    });
    const read = (await products.read(id, s)).props as ProductState;
    expect(read).toEqual(s);
    await noDiff(id, read, inputs);
    const renamed = await products.update(id, read, { ...inputs, name: "API plan 2" });
    expect(
      polarRequests()
        .filter((r) => r.method === "PATCH")
        .map((r) => r.body),
    ).toEqual([{ name: "API plan 2" }]);
    expect((renamed.outs as ProductState).benefits).toBeUndefined();
    const live = await call("GET", `${emu.baseUrls.polar}/v1/products/${id}`, {
      token: DEMO_TOKENS.polarAcme,
    });
    expect((live.body as { benefits: { id: string }[] }).benefits.map((b) => b.id)).toEqual([BENEFIT_A]);
  });

  it("refuses bad input at check, naming the field, with no request", async () => {
    const before = emu.requests().length;
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [
        { recurringInterval: undefined, prices: [{ type: "fixed", amount: 900 }] },
        "trialInterval",
        /needs recurringInterval/,
      ],
      [
        { recurringInterval: undefined, trialInterval: undefined, trialIntervalCount: undefined },
        "prices",
        /^prices\.1: a metered_unit price needs recurringInterval/,
      ],
      [{ prices: [{ type: "metered_unit", unitAmount: 1 }] }, "prices", /^prices\.0\.meterId: /],
      [
        { prices: [{ type: "metered_unit", meterId: METER, unitAmount: "-1" }] },
        "prices",
        /^prices\.0\.unitAmount: unitAmount must be cents per unit above 0/,
      ],
      [
        { prices: [{ type: "metered_unit", meterId: METER, unitAmount: 0 }] },
        "prices",
        /^prices\.0\.unitAmount: unitAmount must be cents per unit above 0/,
      ],
      [
        { prices: [{ type: "metered_unit", meterId: METER, unitAmount: "0.1234567890123" }] },
        "prices",
        /^prices\.0\.unitAmount: .*at most 5 integer and 12 fractional digits/,
      ],
      [
        {
          attachedCustomFields: [
            { customFieldId: FIELD_A, required: true },
            { customFieldId: FIELD_A, required: false },
          ],
        },
        "attachedCustomFields",
        /^attachedCustomFields\.1\.customFieldId: custom field .* is listed twice/,
      ],
      [{ trialIntervalCount: 1001 }, "trialIntervalCount", /./],
      [{ benefits: ["not-an-id"] }, "benefits", /^benefits\.0: .*Polar id/],
      [
        {
          prices: [
            { type: "metered_unit", meterId: METER, unitAmount: 1 },
            { type: "metered_unit", meterId: METER, unitAmount: 2 },
          ],
        },
        "prices",
        /^prices\.1\.meterId: a meter may price a product only once per currency/,
      ],
    ];
    for (const [over, property, reason] of bad) {
      const r = await products.check({}, program(over));
      expect(
        r.failures?.map((f) => f.property),
        JSON.stringify(over),
      ).toContain(property);
      const failure = r.failures?.find((f) => f.property === property);
      expect(failure?.reason).toMatch(reason);
    }
    expect(emu.requests().length).toBe(before);
  });

  it("lets ids not known yet at preview (benefits, meters, fields of resources to be created) pass", async () => {
    const r = await products.check(
      {},
      program({
        benefits: [UNKNOWN, UNKNOWN],
        attachedCustomFields: [
          { customFieldId: UNKNOWN, required: true },
          { customFieldId: UNKNOWN, required: false },
        ],
        prices: [
          { type: "metered_unit", meterId: UNKNOWN, unitAmount: 1 },
          { type: "metered_unit", meterId: UNKNOWN, unitAmount: UNKNOWN },
        ],
      }),
    );
    expect(r.failures ?? []).toEqual([]);
  });

  it("accepts a metered price beside a custom one, and a product of metered prices only", async () => {
    for (const prices of [
      [
        { type: "custom", minimumAmount: 100 },
        { type: "metered_unit", meterId: METER, unitAmount: 2 },
      ],
      [
        { type: "metered_unit", meterId: METER, unitAmount: "0.005" },
        { type: "metered_unit", meterId: METER_2, unitAmount: 3 },
      ],
    ]) {
      const { id, inputs, s } = await created({ prices, adoptionKey: `k${prices.length}${prices[0]?.type}` });
      expect(s.prices).toEqual(inputs.prices);
      await noDiff(id, (await products.read(id, s)).props as ProductState, inputs);
    }
  });
});

describe("the emulator checks products' meters, benefits, custom fields and trials as Polar does", () => {
  const api = (method: string, p: string, body?: unknown) =>
    call(method, `${emu.baseUrls.polar}${p}`, { token: DEMO_TOKENS.polarAcme, body });
  const recurring = (over: Record<string, unknown>) => ({
    name: "Usage",
    recurring_interval: "month",
    prices: [{ amount_type: "fixed", price_amount: 100 }],
    ...over,
  });
  const issues = (body: unknown) =>
    ((body as { detail: { loc: (string | number)[]; msg: string }[] }).detail ?? []).map((d) => [
      d.loc.join("."),
      d.msg,
    ]);

  it("refuses an unknown, archived or repeated meter and a metered price on a one-time product", async () => {
    polarMeters(emu.app)[METER_2]!.archived_at = "2026-02-01T00:00:00.000Z";
    const unknown = "3f1a2b4c-5d6e-4f70-8a91-b2c3d4e5f6ff";
    const cases: [Record<string, unknown>, string[][]][] = [
      [
        { prices: [{ amount_type: "metered_unit", meter_id: unknown, unit_amount: 1 }] },
        [["body.prices.0.meter_id", "Meter does not exist."]],
      ],
      [
        { prices: [{ amount_type: "metered_unit", meter_id: METER_2, unit_amount: 1 }] },
        [["body.prices.0.meter_id", "Meter is archived."]],
      ],
      [
        {
          prices: [
            { amount_type: "metered_unit", meter_id: METER, unit_amount: 1 },
            { amount_type: "metered_unit", meter_id: METER, unit_amount: 2 },
          ],
        },
        [["body.prices.1.meter_id", "Meter is already used for another price."]],
      ],
      [
        {
          recurring_interval: undefined,
          prices: [{ amount_type: "metered_unit", meter_id: METER, unit_amount: 1 }],
        },
        [["body.prices.0", "Metered pricing is not supported on one-time products."]],
      ],
      [
        { recurring_interval: undefined, trial_interval: "day", trial_interval_count: 7 },
        [
          ["body.trial_interval", "Trial configuration is only supported on recurring products."],
          ["body.trial_interval_count", "Trial configuration is only supported on recurring products."],
        ],
      ],
    ];
    for (const [over, expected] of cases) {
      const res = await api("POST", "/v1/products/", recurring(over));
      expect(res.status, JSON.stringify(over)).toBe(422);
      expect(issues(res.body)).toEqual(expected);
    }
  });

  it("refuses a custom field that does not exist, is deleted or belongs to another organisation", async () => {
    polarCustomFields(emu.app)[FIELD_B]!.deleted_at = "2026-02-01T00:00:00.000Z";
    const other = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c03";
    polarCustomFields(emu.app)[other] = {
      ...polarCustomFields(emu.app)[FIELD_A]!,
      id: other,
      organization_id: "00000000-0000-4000-8000-000000000000",
    };
    const res = await api(
      "POST",
      "/v1/products/",
      recurring({
        attached_custom_fields: [
          { custom_field_id: FIELD_A, required: true },
          { custom_field_id: FIELD_B, required: true },
          { custom_field_id: other, required: false },
        ],
      }),
    );
    expect(res.status).toBe(422);
    expect(issues(res.body)).toEqual([
      ["body.attached_custom_fields.1", "Custom field does not exist."],
      ["body.attached_custom_fields.2", "Custom field does not exist."],
    ]);
    const made = await api("POST", "/v1/products/", recurring({}));
    const patched = await api("PATCH", `/v1/products/${(made.body as { id: string }).id}`, {
      attached_custom_fields: [{ custom_field_id: FIELD_B, required: false }],
    });
    expect(issues(patched.body)).toEqual([["body.attached_custom_fields.0", "Custom field does not exist."]]);
  });

  it("sets a benefit set in order, also on an archived product; refuses deleted and foreign benefits", async () => {
    polarBenefits(emu.app)[BENEFIT_C]!.is_deleted = true;
    const foreign = "7c2d9e1f-0a3b-4c5d-8e6f-1a2b3c4d5e04";
    polarBenefits(emu.app)[foreign] = {
      ...polarBenefits(emu.app)[BENEFIT_A]!,
      id: foreign,
      organization_id: "00000000-0000-4000-8000-000000000000",
    };
    const made = await api("POST", "/v1/products/", recurring({}));
    const id = (made.body as { id: string }).id;
    const refused = await api("POST", `/v1/products/${id}/benefits`, {
      benefits: [BENEFIT_A, BENEFIT_C, foreign],
    });
    expect(refused.status).toBe(422);
    expect(issues(refused.body)).toEqual([
      ["body.benefits.1", "Benefit does not exist."],
      ["body.benefits.2", "Benefit must be on the same organization as the product."],
    ]);
    await api("PATCH", `/v1/products/${id}`, { is_archived: true });
    const set = await api("POST", `/v1/products/${id}/benefits`, { benefits: [BENEFIT_B, BENEFIT_A] });
    expect(set.status).toBe(200);
    expect((set.body as { benefits: { id: string; type: string }[] }).benefits).toMatchObject([
      { id: BENEFIT_B, type: "custom" },
      { id: BENEFIT_A, type: "custom" },
    ]);
    const missing = await api("POST", "/v1/products/3f1a2b4c-5d6e-4f70-8a91-b2c3d4e5f6ff/benefits", {
      benefits: [],
    });
    expect(missing.status).toBe(404);
  });
});
