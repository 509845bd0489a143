/**
 * The emulator's Polar API driven by Polar's official TypeScript SDK, `@polar-sh/sdk`, for the API
 * version the emulator speaks (2026-04): meters, custom fields, benefits, products with a trial and
 * a metered price, discounts, checkout links and the two error forms a provider relies on.
 *
 * The SDK is generated from Polar's OpenAPI and is written by Polar, so it is a check of the emulator
 * that our own schemas cannot give: its routes, methods, query forms, the `Polar-Version` header it
 * sends, how it maps a status to an error class, and (through `SdkAnswers`, which type-checks every
 * answer against the SDK's models) the shape of each answer. The request bodies below are typed by
 * the SDK's models, so `npm run typecheck` also checks what we send. Every exchange is checked against
 * Polar's OpenAPI document too, at the end of the run (test/helpers/global-setup.ts).
 */
import { createPolar, errors, type models } from "@polar-sh/sdk/2026-04";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { SdkAnswers } from "../helpers/polar-sdk-types";

let emu: Emulator;
let polar: ReturnType<typeof createPolar>;
const answers = new SdkAnswers("2026-04");

/** Ids made along the way; the tests run in order, each building on the objects before it. */
const ids = {
  meter: "",
  textField: "",
  selectField: "",
  custom: "",
  licenseKeys: "",
  meterCredit: "",
  featureFlag: "",
  product: "",
  percentage: "",
  fixed: "",
  link: "",
};

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
  // The emulator serves Polar under /polar; the SDK's paths start /v1/, as on api.polar.sh.
  polar = createPolar({ accessToken: DEMO_TOKENS.polarAcme, baseUrl: emu.baseUrls.polar });
});
afterAll(() => emu.close());

const ORDER_BY_CREATION = ["created_at"] as const;

describe("Polar through its official SDK", () => {
  it("meters: create, get, update, list, archive", async () => {
    const body: models.MeterCreate = {
      name: "API calls",
      filter: {
        conjunction: "and",
        clauses: [{ property: "name", operator: "eq", value: "api.call" }],
      },
      aggregation: { func: "count" },
      metadata: { team: "platform" },
    };
    const created = answers.keep("Meter", "meters.create", await polar.meters.create(body));
    ids.meter = created.id;
    expect(created).toMatchObject({
      name: "API calls",
      filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
      aggregation: { func: "count" },
      metadata: { team: "platform" },
      archived_at: null,
    });

    const got = answers.keep("Meter", "meters.get", await polar.meters.get(ids.meter));
    expect(got).toEqual(created);

    const updated = answers.keep(
      "Meter",
      "meters.update",
      await polar.meters.update(ids.meter, { name: "API requests", metadata: { team: "core" } }),
    );
    expect(updated.name).toBe("API requests");
    expect(updated.metadata).toEqual({ team: "core" });
    expect(updated.filter).toEqual(created.filter);

    // A second meter, archived below: archiving is an update, meters have no delete.
    const other = answers.keep(
      "Meter",
      "meters.create (second)",
      await polar.meters.create({ ...body, name: "Old calls" }),
    );
    const listed = answers.keep(
      "ListResourceMeter",
      "meters.list",
      await polar.meters.list({ sorting: [...ORDER_BY_CREATION] }),
    );
    expect(listed.items.map((m) => m.id)).toEqual([ids.meter, other.id]);
    expect(listed.pagination).toEqual({ total_count: 2, max_page: 1 });

    const archived = answers.keep(
      "Meter",
      "meters.update is_archived",
      await polar.meters.update(other.id, { is_archived: true }),
    );
    expect(archived.archived_at).toEqual(expect.any(String));
    const active = answers.keep(
      "ListResourceMeter",
      "meters.list is_archived=false",
      await polar.meters.list({ is_archived: false }),
    );
    expect(active.items.map((m) => m.id)).toEqual([ids.meter]);
    const gone = await polar.meters.list({ is_archived: true });
    expect(gone.items.map((m) => m.id)).toEqual([other.id]);
  });

  it("custom fields: create text and select, get, update, list, delete", async () => {
    const text = answers.keep(
      "CustomField",
      "customFields.create text",
      await polar.customFields.create({
        type: "text",
        slug: "company",
        name: "Company",
        properties: { form_label: "Company name", min_length: 2, max_length: 80 },
      }),
    );
    ids.textField = text.id;
    expect(text).toMatchObject({
      type: "text",
      slug: "company",
      name: "Company",
      properties: { form_label: "Company name", min_length: 2, max_length: 80 },
    });

    const select = answers.keep(
      "CustomField",
      "customFields.create select",
      await polar.customFields.create({
        type: "select",
        slug: "seats-band",
        name: "Team size",
        properties: {
          options: [
            { value: "small", label: "1-10" },
            { value: "large", label: "11+" },
          ],
        },
      }),
    );
    ids.selectField = select.id;
    expect(select.type).toBe("select");
    if (select.type !== "select") throw new Error("unreachable");
    expect(select.properties.options.map((o) => o.value)).toEqual(["small", "large"]);

    const got = answers.keep("CustomField", "customFields.get", await polar.customFields.get(ids.textField));
    expect(got).toEqual(text);

    const updated = answers.keep(
      "CustomField",
      "customFields.update",
      await polar.customFields.update(ids.textField, {
        type: "text",
        name: "Company or team",
        properties: { form_label: "Company", textarea: false },
      }),
    );
    expect(updated).toMatchObject({
      name: "Company or team",
      slug: "company",
      properties: { form_label: "Company" },
    });

    const listed = answers.keep(
      "ListResourceCustomField",
      "customFields.list",
      await polar.customFields.list({ sorting: ["slug"] }),
    );
    expect(listed.items.map((f) => f.slug)).toEqual(["company", "seats-band"]);
    const onlyText = await polar.customFields.list({ type: "text" });
    expect(onlyText.items.map((f) => f.id)).toEqual([ids.textField]);

    await polar.customFields.delete(ids.selectField);
    await expect(polar.customFields.get(ids.selectField)).rejects.toBeInstanceOf(errors.ResourceNotFound);
    const after = await polar.customFields.list();
    expect(after.items.map((f) => f.id)).toEqual([ids.textField]);
  });

  it("benefits: custom, license keys, meter credit on the meter, feature flag; get, update, list, delete", async () => {
    const custom = answers.keep(
      "Benefit",
      "benefits.create custom",
      await polar.benefits.create({
        type: "custom",
        description: "Priority support",
        properties: { note: "Mail us" },
      }),
    );
    ids.custom = custom.id;
    expect(custom).toMatchObject({
      type: "custom",
      description: "Priority support",
      properties: { note: "Mail us" },
    });

    const keys = answers.keep(
      "Benefit",
      "benefits.create license_keys",
      await polar.benefits.create({
        type: "license_keys",
        description: "CLI licence",
        properties: {
          prefix: "ACME",
          activations: { limit: 3, enable_customer_admin: true },
          limit_usage: null,
        },
      }),
    );
    ids.licenseKeys = keys.id;
    expect(keys).toMatchObject({
      type: "license_keys",
      properties: {
        prefix: "ACME",
        activations: { limit: 3, enable_customer_admin: true },
        limit_usage: null,
      },
    });

    const credit = answers.keep(
      "Benefit",
      "benefits.create meter_credit",
      await polar.benefits.create({
        type: "meter_credit",
        description: "1000 API calls",
        properties: { units: 1000, rollover: false, meter_id: ids.meter },
      }),
    );
    ids.meterCredit = credit.id;
    expect(credit).toMatchObject({
      type: "meter_credit",
      properties: { units: 1000, rollover: false, meter_id: ids.meter },
    });

    const flag = answers.keep(
      "Benefit",
      "benefits.create feature_flag",
      await polar.benefits.create({
        type: "feature_flag",
        description: "Beta",
        properties: {},
        metadata: { flag: "beta" },
      }),
    );
    ids.featureFlag = flag.id;
    expect(flag).toMatchObject({ type: "feature_flag", description: "Beta", metadata: { flag: "beta" } });

    const got = answers.keep("Benefit", "benefits.get", await polar.benefits.get(ids.meterCredit));
    expect(got).toEqual(credit);

    const updated = answers.keep(
      "Benefit",
      "benefits.update",
      await polar.benefits.update(ids.meterCredit, {
        type: "meter_credit",
        description: "2000 API calls",
        properties: { units: 2000, rollover: true, meter_id: ids.meter },
      }),
    );
    expect(updated).toMatchObject({
      id: ids.meterCredit,
      description: "2000 API calls",
      properties: { units: 2000, rollover: true, meter_id: ids.meter },
    });

    const listed = answers.keep("ListResourceBenefit", "benefits.list", await polar.benefits.list());
    expect(new Set(listed.items.map((b) => b.id))).toEqual(
      new Set([ids.custom, ids.licenseKeys, ids.meterCredit, ids.featureFlag]),
    );
    const credits = await polar.benefits.list({ type: "meter_credit" });
    expect(credits.items.map((b) => b.id)).toEqual([ids.meterCredit]);

    await polar.benefits.delete(ids.featureFlag);
    await expect(polar.benefits.get(ids.featureFlag)).rejects.toBeInstanceOf(errors.ResourceNotFound);
  });

  it("products: a recurring product with a trial, a fixed and a metered price, benefits in order, a field", async () => {
    const body: models.ProductCreate = {
      name: "Team",
      description: "For teams",
      recurring_interval: "month",
      trial_interval: "day",
      trial_interval_count: 14,
      prices: [
        { amount_type: "fixed", price_currency: "usd", price_amount: 4900 },
        {
          amount_type: "metered_unit",
          price_currency: "usd",
          meter_id: ids.meter,
          unit_amount: "0.5",
          cap_amount: 10000,
        },
      ],
      attached_custom_fields: [{ custom_field_id: ids.textField, required: true }],
      metadata: { tier: "team" },
    };
    const created = answers.keep("Product", "products.create", await polar.products.create(body));
    ids.product = created.id;
    expect(created).toMatchObject({
      name: "Team",
      description: "For teams",
      is_recurring: true,
      is_archived: false,
      recurring_interval: "month",
      trial_interval: "day",
      trial_interval_count: 14,
      metadata: { tier: "team" },
      benefits: [],
      is_deletable: true,
    });
    expect(created.prices.map((p) => p.amount_type)).toEqual(["fixed", "metered_unit"]);
    const metered = created.prices.find((p) => p.amount_type === "metered_unit");
    if (metered?.amount_type !== "metered_unit") throw new Error("no metered price");
    expect(metered).toMatchObject({
      meter_id: ids.meter,
      // Polar answers a decimal with twelve places, whatever was sent.
      unit_amount: "0.500000000000",
      cap_amount: 10000,
      price_currency: "usd",
    });
    expect(metered.meter).toMatchObject({ id: ids.meter, name: "API requests" });
    expect(created.attached_custom_fields.map((a) => [a.custom_field_id, a.required, a.order])).toEqual([
      [ids.textField, true, 0],
    ]);
    expect(created.attached_custom_fields[0]?.custom_field.slug).toBe("company");

    const withBenefits = answers.keep(
      "Product",
      "products.updateBenefits",
      await polar.products.updateBenefits(ids.product, { benefits: [ids.meterCredit, ids.licenseKeys] }),
    );
    expect(withBenefits.benefits.map((b) => b.id)).toEqual([ids.meterCredit, ids.licenseKeys]);

    const got = answers.keep("Product", "products.get", await polar.products.get(ids.product));
    expect(got.benefits.map((b) => b.id)).toEqual([ids.meterCredit, ids.licenseKeys]);
    expect(got.prices.map((p) => p.id)).toEqual(created.prices.map((p) => p.id));

    const updated = answers.keep(
      "Product",
      "products.update",
      await polar.products.update(ids.product, {
        name: "Team plan",
        trial_interval: "day",
        trial_interval_count: 7,
      }),
    );
    expect(updated).toMatchObject({ name: "Team plan", trial_interval: "day", trial_interval_count: 7 });
    expect(updated.modified_at).toEqual(expect.any(String));

    const old = await polar.products.create({
      name: "Legacy",
      recurring_interval: "year",
      prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 9900 }],
    });
    await polar.products.update(old.id, { is_archived: true });
    const live = answers.keep(
      "ListResourceProduct",
      "products.list is_archived=false",
      await polar.products.list({ is_archived: false }),
    );
    expect(live.items.map((p) => p.id)).toContain(ids.product);
    expect(live.items.map((p) => p.id)).not.toContain(old.id);
    const archived = answers.keep(
      "ListResourceProduct",
      "products.list is_archived=true",
      await polar.products.list({ is_archived: true }),
    );
    expect(archived.items.map((p) => [p.id, p.is_archived])).toEqual([[old.id, true]]);
  });

  it("discounts: percentage repeating with a code for the product, fixed once with amounts", async () => {
    const percentage = answers.keep(
      "Discount",
      "discounts.create percentage repeating",
      await polar.discounts.create({
        type: "percentage",
        duration: "repeating",
        duration_in_months: 3,
        basis_points: 2500,
        name: "Launch",
        code: "LAUNCH25",
        products: [ids.product],
        max_redemptions: 100,
      }),
    );
    ids.percentage = percentage.id;
    expect(percentage).toMatchObject({
      type: "percentage",
      duration: "repeating",
      duration_in_months: 3,
      basis_points: 2500,
      name: "Launch",
      code: "LAUNCH25",
      max_redemptions: 100,
      redemptions_count: 0,
    });
    expect(percentage.products.map((p) => [p.id, p.name, p.is_recurring])).toEqual([
      [ids.product, "Team plan", true],
    ]);
    // A discount restricted to a product holds it: Polar no longer lets it be deleted.
    expect((await polar.products.get(ids.product)).is_deletable).toBe(false);

    const fixed = answers.keep(
      "Discount",
      "discounts.create fixed once",
      await polar.discounts.create({
        type: "fixed",
        duration: "once",
        amounts: { usd: 500, eur: 450 },
        name: "Five off",
      }),
    );
    ids.fixed = fixed.id;
    expect(fixed).toMatchObject({ type: "fixed", duration: "once", name: "Five off", code: null });
    if (!("amounts" in fixed)) throw new Error("a fixed discount without amounts");
    expect(fixed.amounts).toEqual({ usd: 500, eur: 450 });
    expect(fixed.products).toEqual([]);

    const got = answers.keep("Discount", "discounts.get", await polar.discounts.get(ids.percentage));
    expect(got).toEqual(percentage);

    const updated = answers.keep(
      "Discount",
      "discounts.update",
      await polar.discounts.update(ids.percentage, { name: "Launch week", max_redemptions: 50 }),
    );
    expect(updated).toMatchObject({
      id: ids.percentage,
      name: "Launch week",
      max_redemptions: 50,
      code: "LAUNCH25",
    });

    const listed = answers.keep(
      "ListResourceDiscount",
      "discounts.list",
      await polar.discounts.list({ sorting: ["name"] }),
    );
    expect(listed.items.map((d) => d.name)).toEqual(["Five off", "Launch week"]);

    await polar.discounts.delete(ids.fixed);
    await expect(polar.discounts.get(ids.fixed)).rejects.toBeInstanceOf(errors.ResourceNotFound);
  });

  it("checkout links: create with the product and the discount, get, update, list, delete", async () => {
    const created = answers.keep(
      "CheckoutLink",
      "checkoutLinks.create",
      await polar.checkoutLinks.create({
        payment_processor: "stripe",
        products: [ids.product],
        discount_id: ids.percentage,
        label: "team launch",
        allow_discount_codes: false,
        success_url: "https://example.com/thanks?checkout_id={CHECKOUT_ID}",
        metadata: { campaign: "launch" },
      }),
    );
    ids.link = created.id;
    expect(created).toMatchObject({
      label: "team launch",
      discount_id: ids.percentage,
      allow_discount_codes: false,
      require_billing_address: false,
      success_url: "https://example.com/thanks?checkout_id={CHECKOUT_ID}",
      return_url: null,
      metadata: { campaign: "launch" },
      payment_processor: "stripe",
    });
    expect(created.units).toBeNull();
    expect(created.products.map((p) => p.id)).toEqual([ids.product]);
    // A link's products carry their benefits in public form: no metadata, no configuration but a
    // meter credit's units and meter.
    expect(created.products[0]?.benefits.map((b) => [b.id, b.type, "metadata" in b])).toEqual([
      [ids.meterCredit, "meter_credit", false],
      [ids.licenseKeys, "license_keys", false],
    ]);
    expect(created.products[0]?.benefits[0]).toMatchObject({
      properties: { units: 2000, meter_id: ids.meter },
    });
    expect(created.discount?.id).toBe(ids.percentage);
    expect(created.url).toBe(`${emu.baseUrls.polar}/v1/checkout-links/${created.client_secret}/redirect`);

    const got = answers.keep("CheckoutLink", "checkoutLinks.get", await polar.checkoutLinks.get(ids.link));
    expect(got).toEqual(created);

    const updated = answers.keep(
      "CheckoutLink",
      "checkoutLinks.update",
      await polar.checkoutLinks.update(ids.link, {
        label: "team",
        discount_id: null,
        metadata: { campaign: "summer" },
      }),
    );
    expect(updated).toMatchObject({
      label: "team",
      discount_id: null,
      discount: null,
      metadata: { campaign: "summer" },
    });
    expect(updated.client_secret).toBe(created.client_secret);

    const listed = answers.keep(
      "ListResourceCheckoutLink",
      "checkoutLinks.list",
      await polar.checkoutLinks.list({ product_id: ids.product }),
    );
    expect(listed.items.map((l) => l.id)).toEqual([ids.link]);

    await polar.checkoutLinks.delete(ids.link);
    await expect(polar.checkoutLinks.get(ids.link)).rejects.toBeInstanceOf(errors.ResourceNotFound);
    const after = await polar.checkoutLinks.list({ product_id: ids.product });
    expect(after.items).toEqual([]);
  });

  it("a missing id is the SDK's ResourceNotFound with Polar's body", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const error = await polar.products.get(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.ResourceNotFound);
    if (!(error instanceof errors.ResourceNotFound)) throw error;
    expect(error.statusCode).toBe(404);
    expect(error.error).toEqual({ error: "ResourceNotFound", detail: "Not found" });
    answers.keep("ResourceNotFound", "products.get 404", error.error);
  });

  it("an invalid body is the SDK's HTTPValidationError with Polar's body", async () => {
    // A meter credit of no units: the request is well typed, so only the server can refuse it.
    const error = await polar.benefits
      .create({
        type: "meter_credit",
        description: "No calls",
        properties: { units: 0, rollover: false, meter_id: ids.meter },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.HTTPValidationError);
    if (!(error instanceof errors.HTTPValidationError)) throw error;
    expect(error.statusCode).toBe(422);
    expect(error.error.detail).toEqual([
      {
        type: "greater_than_equal",
        loc: ["body", "meter_credit", "properties", "units"],
        // The emulator words `msg` its own way (Polar's is Pydantic's); the SDK types it as a string.
        msg: expect.any(String),
        input: 0,
      },
    ]);
    // Polar's answer also names the error (`error: "RequestValidationError"`), a key its OpenAPI
    // document and SDK model leave out; the rest must fit the model.
    expect(error.error).toMatchObject({ error: "RequestValidationError" });
    const { error: _kind, ...documented } = error.error as typeof error.error & { error?: string };
    answers.keep("HTTPValidationError", "benefits.create 422", documented);
  });

  it("every answer conforms to the SDK's models", () => {
    expect(answers.recorded.length).toBeGreaterThan(30);
    expect(answers.check()).toEqual([]);
  });
});
