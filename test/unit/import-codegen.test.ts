/**
 * The code generation of `checkout-links import`, exact: the declarations each backend's inventory
 * makes of a small account (test/fixtures/import/account.json, as the emulator answered it), printed
 * as a program; names and variables made unique; what the providers' own schemas refuse left out
 * with the reason; and every page of every list read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderProgram } from "../../cli/import/codegen";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { BACKENDS } from "../../provider/backends";
import { Accounts } from "../../provider/core/config";
import { clientFor } from "../../provider/core/http";
import * as coreapi from "../../provider/coreapi/inventory";
import { coreapiCheckoutLink, coreapiPlan } from "../../provider/coreapi/schemas";
import * as fynn from "../../provider/fynn/inventory";
import { fynnCheckoutLink } from "../../provider/fynn/schemas";
import { type Declaration, ref } from "../../provider/inventory";
import * as polar from "../../provider/polar/inventory";
import { polarCheckoutLink, polarProduct } from "../../provider/polar/schemas";
import { call, fixture } from "../fixtures/http";

const account = fixture("import/account.json");
const plan = coreapiPlan().parse(account.coreapiPlan);
const declarations: Declaration[] = [
  coreapi.planDeclaration(plan),
  ...account.coreapiLinks.map((l: unknown) => coreapi.linkDeclaration(coreapiCheckoutLink().parse(l), plan)),
  fynn.linkDeclaration(fynnCheckoutLink().parse(account.fynnLink)),
  polar.productDeclaration(polarProduct().parse(account.polarProduct)),
  polar.linkDeclaration(polarCheckoutLink().parse(account.polarLink)),
];

describe("the generated program", () => {
  it("declares each object with its non-default arguments, references, adoption and the links export", () => {
    expect(renderProgram(declarations, { adopt: true, header: ["header line"] }).code).toBe(`// header line
import { coreapi, fynn, polar } from "pulumi-checkout-links";

const team = new coreapi.Plan("team", {
  code: "team",
  name: "Team",
  tiers: [
    {
      name: "Starter",
      items: [
        {
          productId: "5968598d-3a3a-4405-98e6-2751c0d29bcf",
          pricePlanId: "2e87008b-f067-45d5-889e-927a73ba78e3",
        },
      ],
    },
    {
      name: "Pro",
      commitmentPeriod: "P1Y",
      items: [
        {
          productId: "5968598d-3a3a-4405-98e6-2751c0d29bcf",
          pricePlanId: "2e87008b-f067-45d5-889e-927a73ba78e3",
          defaultQuantity: 5,
        },
      ],
    },
  ],
  adopt: true,
});

const teamPro = new coreapi.CheckoutLink("team-pro", {
  planId: team.planId,
  planTierId: team.tierIds.apply((ids) => ids["Pro"]!),
  slug: "team-pro",
  couponsAllowed: true,
  adopt: true,
});

const teamStarter = new coreapi.CheckoutLink("team-starter", {
  planId: team.planId,
  planTierId: team.tierIds.apply((ids) => ids["Starter"]!),
  slug: "team-starter",
  isEnabled: false,
  salesChannel: "partners",
  adopt: true,
});

const seats = new fynn.CheckoutLink("seats", {
  slug: "seats",
  items: [
    {
      productId: "5968598d-3a3a-4405-98e6-2751c0d29bcf",
      pricePlanId: "2e87008b-f067-45d5-889e-927a73ba78e3",
      quantity: 2,
    },
  ],
  options: { trialDays: 7 },
  adopt: true,
});

const proMonthly = new polar.Product("pro-monthly", {
  name: "Pro (monthly)",
  recurringInterval: "month",
  prices: [{ type: "fixed", amount: 1900, currency: "eur" }],
  metadata: { plan: "pro" },
  adopt: true,
  adoptId: "01f76595-398f-410f-b14e-8c7ddfab8aee",
});

const proLaunch = new polar.CheckoutLink("pro-launch", {
  products: [proMonthly.productId],
  label: "pro launch",
  allowDiscountCodes: false,
  adopt: true,
  adoptId: "48a81f54-eec8-4624-a24a-d0326dd7c3fa",
});

/** Every checkout link's slug and public URL, by backend and name. */
export const links = {
  "coreapi/team-pro": { slug: teamPro.slug, url: teamPro.url },
  "coreapi/team-starter": { slug: teamStarter.slug, url: teamStarter.url },
  "fynn/seats": { slug: seats.slug, url: seats.url },
  "polar/pro-launch": { url: proLaunch.url },
};
`);
  });

  it("without --adopt, with a named account: no adoption arguments, and ids where the object is not declared", () => {
    const fynnAndPolarLink = declarations.filter(
      (d) => d.type.endsWith("CheckoutLink") && !d.type.startsWith("coreapi"),
    );
    const program = renderProgram(fynnAndPolarLink, { adopt: false, account: "eu" });
    expect(program.code).toBe(`import { fynn, polar } from "pulumi-checkout-links";

const seats = new fynn.CheckoutLink("seats", {
  slug: "seats",
  items: [
    {
      productId: "5968598d-3a3a-4405-98e6-2751c0d29bcf",
      pricePlanId: "2e87008b-f067-45d5-889e-927a73ba78e3",
      quantity: 2,
    },
  ],
  options: { trialDays: 7 },
  account: "eu",
});

// refers to polar:Product 01f76595-398f-410f-b14e-8c7ddfab8aee by id: that object is not in this program
const proLaunch = new polar.CheckoutLink("pro-launch", {
  products: ["01f76595-398f-410f-b14e-8c7ddfab8aee"],
  label: "pro launch",
  allowDiscountCodes: false,
  account: "eu",
});

/** Every checkout link's slug and public URL, by backend and name. */
export const links = {
  "fynn/seats": { slug: seats.slug, url: seats.url },
  "polar/pro-launch": { url: proLaunch.url },
};
`);
    expect(program.resources.map((r) => r.notes)).toEqual([
      [],
      [
        "refers to polar:Product 01f76595-398f-410f-b14e-8c7ddfab8aee by id: that object is not in this program",
      ],
    ]);
  });

  it("makes names unique per type and variables unique in the program", () => {
    const decl = (type: string, name: string): Declaration => ({
      type,
      id: `${type}/${name}`,
      name,
      title: name,
      args: {},
      adoptArgs: {},
      notes: [],
    });
    const program = renderProgram(
      [
        decl("coreapi:Plan", "team"),
        decl("polar:CheckoutLink", "team"),
        decl("polar:CheckoutLink", "team"),
        decl("polar:Product", "default"),
        decl("polar:Product", "2026-promo"),
        decl("polar:Product", "polar"),
        decl("polar:Product", "exports"),
      ],
      { adopt: false },
    );
    expect(program.resources.map((r) => [r.type, r.name, r.variable])).toEqual([
      ["coreapi:Plan", "team", "team"],
      ["polar:CheckoutLink", "team", "teamCheckoutLink"],
      ["polar:CheckoutLink", "team-2", "team2"],
      ["polar:Product", "default", "defaultProduct"],
      ["polar:Product", "2026-promo", "product2026Promo"],
      ["polar:Product", "polar", "polarProduct"],
      ["polar:Product", "exports", "exportsProduct"],
    ]);
  });

  it("quotes keys that are not identifiers, and never writes a __proto__ key that would set the prototype", () => {
    const metadata = JSON.parse('{"__proto__": "x", "utm source": "mail", "tier": 2}');
    const program = renderProgram(
      [
        {
          type: "polar:Product",
          id: "p",
          name: "keys",
          title: "keys",
          args: { name: "Keys", prices: [{ type: "fixed", amount: 100 }], metadata },
          adoptArgs: {},
          notes: [],
        },
      ],
      { adopt: false },
    );
    expect(program.code).toBe(`import { polar } from "pulumi-checkout-links";

const keys = new polar.Product("keys", {
  name: "Keys",
  prices: [{ type: "fixed", amount: 100 }],
  metadata: { ["__proto__"]: "x", "utm source": "mail", tier: 2 },
});
`);
  });
});

describe("notes and adoption keys", () => {
  it("name what polar.Product does not manage, and keep a former stack's tag as the adoption key", () => {
    const product = polarProduct().parse({
      ...account.polarProduct,
      medias: [{ id: "m1" }, { id: "m2" }],
      metadata: { plan: "pro", "pulumi-checkout-links:name": "pro-old" },
    });
    const d = polar.productDeclaration(product);
    expect(d.args.adoptionKey).toBe("pro-old");
    expect(d.args.metadata).toEqual({ plan: "pro" });
    expect(d.notes).toEqual([
      'carries pulumi-checkout-links:name="pro-old": a Pulumi stack may manage it already; check before running up',
      "2 media files attached in Polar, not managed here: kept as they are",
    ]);
    expect(
      renderProgram([d], { adopt: true }).code,
    ).toContain(`// carries pulumi-checkout-links:name="pro-old": a Pulumi stack may manage it already; check before running up
// 2 media files attached in Polar, not managed here: kept as they are
const proMonthly = new polar.Product("pro-monthly", {`);
  });

  it("declare a Polar product's trial, and its benefits and attached custom fields by reference", () => {
    const product = polarProduct().parse({
      ...account.polarProduct,
      trial_interval: "day",
      trial_interval_count: 7,
      benefits: [{ id: "b1", type: "custom" }, { id: "b2" }],
      attached_custom_fields: [{ custom_field_id: "f1", required: true, order: 0 }],
    });
    const d = polar.productDeclaration(product);
    expect(d.args).toMatchObject({
      trialInterval: "day",
      trialIntervalCount: 7,
      benefits: [ref("polar:Benefit", "b1", "id"), ref("polar:Benefit", "b2", "id")],
      attachedCustomFields: [{ customFieldId: ref("polar:CustomField", "f1", "id"), required: true }],
    });
    expect(d.notes).toEqual([]);
    // Without the benefits and the field in the program, the ids stand in, with a note saying so.
    const { code, resources } = renderProgram([d], { adopt: false });
    expect(code).toContain('benefits: ["b1", "b2"],');
    expect(code).toContain('attachedCustomFields: [{ customFieldId: "f1", required: true }],');
    expect(resources[0]?.notes).toEqual([
      "refers to polar:Benefit b1 by id: that object is not in this program",
      "refers to polar:Benefit b2 by id: that object is not in this program",
      "refers to polar:CustomField f1 by id: that object is not in this program",
    ]);
  });
});

describe("inventories against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ polarRateLimitPerMinute: 0 });
  });
  afterAll(async () => {
    await emu?.close();
  });

  function client(backend: "coreapi" | "fynn" | "polar") {
    const env = {
      CHECKOUT_LINKS_FYNN_BASE_URL: emu.baseUrls.fynn,
      CHECKOUT_LINKS_FYNN_TOKEN: DEMO_TOKENS.fynnAcme,
      CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
      CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
      CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE: "0",
    };
    return clientFor(new Accounts(undefined, env, BACKENDS).resolve(backend));
  }

  async function vendor(backend: "fynn" | "polar", method: string, p: string, body?: unknown) {
    const token = backend === "polar" ? DEMO_TOKENS.polarAcme : DEMO_TOKENS.fynnAcme;
    const res = await call(method, emu.baseUrls[backend] + p, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it("read every page of every list (101 objects of each kind)", async () => {
    emu.reset();
    const product = await vendor("fynn", "POST", "/products", { name: "Seats" });
    const price = await vendor("fynn", "POST", "/price-plans", {
      product: product.id,
      internalName: "m",
      amount: 900,
    });
    const n = 101;
    for (let i = 0; i < n; i++) {
      const code = `plan-${String(i).padStart(3, "0")}`;
      await vendor("fynn", "POST", "/api/plans", { code, name: code, tiers: [{ name: "Only" }] });
      await vendor("fynn", "POST", "/checkout-links", {
        slug: `link-${String(i).padStart(3, "0")}`,
        items: [{ type: "product", product: product.id, price: price.id, quantity: 1 }],
      });
      const p = await vendor("polar", "POST", "/v1/products/", {
        name: `Product ${i}`,
        prices: [{ amount_type: "fixed", price_amount: 100 + i }],
      });
      await vendor("polar", "POST", "/v1/checkout-links/", {
        payment_processor: "stripe",
        products: [p.id],
        label: `link ${i}`,
      });
    }
    const count = (ds: Declaration[], type: string) => ds.filter((d) => d.type === type).length;
    const c = await coreapi.inventory.list(client("coreapi"));
    const f = await fynn.inventory.list(client("fynn"));
    const p = await polar.inventory.list(client("polar"));
    expect([
      count(c.declarations, "coreapi:Plan"),
      count(f.declarations, "fynn:CheckoutLink"),
      count(p.declarations, "polar:Product"),
      count(p.declarations, "polar:CheckoutLink"),
    ]).toEqual([n, n, n, n]);
    expect(c.declarations.at(-1)?.name).toBe("plan-100");
    expect([c.skipped, f.skipped, p.skipped]).toEqual([[], [], []]);
  });

  it("declare Polar's live meters and custom fields, left out when archived", async () => {
    emu.reset();
    const calls = await vendor("polar", "POST", "/v1/meters/", {
      name: "API calls",
      filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
      aggregation: { func: "sum", property: "tokens" },
      unit: "custom",
      custom_label: "token",
      custom_multiplier: 1000,
    });
    const old = await vendor("polar", "POST", "/v1/meters/", {
      name: "Old meter",
      filter: { conjunction: "and", clauses: [] },
      aggregation: { func: "count" },
    });
    await vendor("polar", "PATCH", `/v1/meters/${old.id}`, { is_archived: true });
    const size = await vendor("polar", "POST", "/v1/custom-fields/", {
      type: "select",
      slug: "team-size",
      name: "Team size",
      properties: { form_label: "Team size", options: [{ value: "s", label: "Small" }] },
      metadata: { source: "dashboard" },
    });
    const p = await polar.inventory.list(client("polar"));
    expect(p.skipped).toEqual([]);
    expect(
      renderProgram(p.declarations, { adopt: true }).code,
    ).toBe(`import { polar } from "pulumi-checkout-links";

const apiCalls = new polar.Meter("api-calls", {
  name: "API calls",
  filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
  aggregation: { func: "sum", property: "tokens" },
  unit: "custom",
  customLabel: "token",
  customMultiplier: 1000,
  adopt: true,
  adoptId: "${calls.id}",
});

const teamSize = new polar.CustomField("team-size", {
  type: "select",
  slug: "team-size",
  name: "Team size",
  properties: { formLabel: "Team size", options: [{ value: "s", label: "Small" }] },
  metadata: { source: "dashboard" },
  adopt: true,
  adoptId: "${size.id}",
});
`);
  });

  it("refer from a product to its meter, benefits and custom fields, and from a meter credit to its meter", async () => {
    emu.reset();
    const calls = await vendor("polar", "POST", "/v1/meters/", {
      name: "API calls",
      filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
      aggregation: { func: "count" },
    });
    const credits = await vendor("polar", "POST", "/v1/benefits/", {
      type: "meter_credit",
      description: "API call credits",
      properties: { units: 1000, rollover: false, meter_id: calls.id },
    });
    const support = await vendor("polar", "POST", "/v1/benefits/", {
      type: "custom",
      description: "Priority support",
      properties: { note: null },
    });
    const company = await vendor("polar", "POST", "/v1/custom-fields/", {
      type: "text",
      slug: "company",
      name: "Company",
      properties: {},
    });
    const api = await vendor("polar", "POST", "/v1/products/", {
      name: "API",
      recurring_interval: "month",
      prices: [
        { amount_type: "fixed", price_amount: 900 },
        { amount_type: "metered_unit", meter_id: calls.id, unit_amount: "0.5", cap_amount: 10000 },
      ],
      attached_custom_fields: [{ custom_field_id: company.id, required: true }],
    });
    await vendor("polar", "POST", `/v1/products/${api.id}/benefits`, { benefits: [support.id, credits.id] });
    const p = await polar.inventory.list(client("polar"));
    expect(p.skipped).toEqual([]);
    const { code, resources } = renderProgram(p.declarations, { adopt: false });
    expect(resources.map((r) => r.notes)).toEqual([[], [], [], [], []]);
    expect(code).toContain(`const apiCallCredits = new polar.Benefit("api-call-credits", {
  type: "meter_credit",
  description: "API call credits",
  properties: { units: 1000, rollover: false, meterId: apiCalls.id },
});`);
    expect(code).toContain(`const api = new polar.Product("api", {
  name: "API",
  recurringInterval: "month",
  prices: [
    { type: "fixed", amount: 900 },
    { type: "metered_unit", meterId: apiCalls.id, unitAmount: "0.5", capAmount: 10000 },
  ],
  benefits: [prioritySupport.id, apiCallCredits.id],
  attachedCustomFields: [{ customFieldId: company.id, required: true }],
});`);
  });

  it("leave out what the provider cannot declare, with its own reason", async () => {
    emu.reset();
    const twins = await vendor("fynn", "POST", "/api/plans", {
      code: "twins",
      name: "Twins",
      tiers: [{ name: "Pro" }, { name: "Pro" }],
    });
    // Polar allows 50 metadata pairs; the provider keeps 2 for its tags.
    const crowded = await vendor("polar", "POST", "/v1/products/", {
      name: "Crowded",
      prices: [{ amount_type: "fixed", price_amount: 100 }],
      metadata: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, i])),
    });
    expect((await coreapi.inventory.list(client("coreapi"))).skipped).toEqual([
      {
        type: "coreapi:Plan",
        id: twins.id,
        title: 'plan "twins"',
        reason: 'tiers.1.name: tier names must be unique in a plan ("Pro" is also tier 0)',
      },
    ]);
    expect((await polar.inventory.list(client("polar"))).skipped).toEqual([
      {
        type: "polar:Product",
        id: crowded.id,
        title: 'product "Crowded"',
        reason:
          "metadata: metadata may hold at most 48 pairs (Polar allows 50; the provider keeps 2 for its tags)",
      },
    ]);
  });
  it("declare discounts between the products they are restricted to and the links that apply them, by reference", async () => {
    emu.reset();
    const pro = await vendor("polar", "POST", "/v1/products/", {
      name: "Pro",
      recurring_interval: "month",
      prices: [{ amount_type: "fixed", price_amount: 1900 }],
    });
    const launch = await vendor("polar", "POST", "/v1/discounts/", {
      type: "percentage",
      name: "Launch",
      basis_points: 2500,
      duration: "repeating",
      duration_in_months: 3,
      code: "LAUNCH25",
      ends_at: "2026-06-01T00:00:00Z",
      max_redemptions: 100,
      products: [pro.id],
    });
    const fixed = await vendor("polar", "POST", "/v1/discounts/", {
      type: "fixed",
      name: "Ten off",
      amounts: { usd: 1000, eur: 900 },
      duration: "once",
    });
    const link = await vendor("polar", "POST", "/v1/checkout-links/", {
      payment_processor: "stripe",
      products: [pro.id],
      label: "launch",
      discount_id: launch.id,
    });
    const p = await polar.inventory.list(client("polar"));
    expect(p.skipped).toEqual([]);
    expect(p.declarations.map((d) => `${d.type} ${d.id}`)).toEqual([
      `polar:Product ${pro.id}`,
      `polar:Discount ${launch.id}`,
      `polar:Discount ${fixed.id}`,
      `polar:CheckoutLink ${link.id}`,
    ]);
    const code = renderProgram(p.declarations, { adopt: true }).code;
    expect(code).toContain(`const launch = new polar.Discount("launch", {
  name: "Launch",
  type: "percentage",
  basisPoints: 2500,
  duration: "repeating",
  durationInMonths: 3,
  code: "LAUNCH25",
  endsAt: "2026-06-01T00:00:00Z",
  maxRedemptions: 100,
  products: [pro.productId],
  adopt: true,
  adoptId: ${JSON.stringify(launch.id)},
});`);
    expect(code).toContain(`const tenOff = new polar.Discount("ten-off", {
  name: "Ten off",
  type: "fixed",
  amounts: { usd: 1000, eur: 900 },
  duration: "once",
  adopt: true,
  adoptId: ${JSON.stringify(fixed.id)},
});`);
    expect(code).toContain(`  label: "launch",
  discountId: launch.id,`);
  });
});

describe("Polar benefits in the generated program", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ polarRateLimitPerMinute: 0 });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("declares each benefit with its type, camelCase properties and non-default visibility, adopted by id", async () => {
    const post = async (body: unknown) =>
      (await call("POST", `${emu.baseUrls.polar}/v1/benefits/`, { token: DEMO_TOKENS.polarAcme, body })).body;
    const support = await post({
      type: "custom",
      description: "Priority support",
      properties: { note: "Mail us" },
    });
    const keys = await post({
      type: "license_keys",
      description: "License key",
      visibility: "private",
      properties: { prefix: "ACME", activations: { limit: 3, enable_customer_admin: true } },
      metadata: { tier: "pro" },
    });
    const flag = await post({ type: "feature_flag", description: "Beta access", properties: {} });
    const env = {
      CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
      CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
      CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE: "0",
    };
    const result = await polar.inventory.list(
      clientFor(new Accounts(undefined, env, BACKENDS).resolve("polar")),
    );
    expect(result.skipped).toEqual([]);
    const benefits = result.declarations.filter((d) => d.type === "polar:Benefit");
    expect(renderProgram(benefits, { adopt: true }).code).toBe(`import { polar } from "pulumi-checkout-links";

const prioritySupport = new polar.Benefit("priority-support", {
  type: "custom",
  description: "Priority support",
  properties: { note: "Mail us" },
  adopt: true,
  adoptId: "${support.id}",
});

const licenseKey = new polar.Benefit("license-key", {
  type: "license_keys",
  description: "License key",
  visibility: "private",
  properties: { prefix: "ACME", activations: { limit: 3, enableCustomerAdmin: true } },
  metadata: { tier: "pro" },
  adopt: true,
  adoptId: "${keys.id}",
});

const betaAccess = new polar.Benefit("beta-access", {
  type: "feature_flag",
  description: "Beta access",
  adopt: true,
  adoptId: "${flag.id}",
});
`);
  });

  it("leaves out a Discord benefit, saying why, and Polar's empty archived list of downloadables", async () => {
    const benefit = (type: string, id: string, description: string, properties: object) => ({
      id,
      created_at: "2026-01-01T00:00:00Z",
      modified_at: null,
      type,
      description,
      selectable: true,
      deletable: true,
      is_deleted: false,
      organization_id: "1dbfc517-0bbf-4301-9ba8-555ca42b9737",
      metadata: {},
      visibility: "public",
      properties,
      visibility_configurable: false,
    });
    const discord = benefit("discord", "0b8f2c1e-5d4a-4e3b-9c2d-1a0b9c8d7e6f", "Discord role", {
      guild_id: "1",
      role_id: "2",
      kick_member: false,
      guild_token: "t",
    });
    const files = benefit("downloadables", "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "Downloads", {
      files: ["3a3c1e6b-2f4d-4b8e-9a10-5c7d9e1f2a33"],
      archived: {},
    });
    emu.injectFault({
      method: "GET",
      path: "/polar/v1/benefits",
      attempts: [1],
      status: 200,
      body: { items: [discord, files], pagination: { total_count: 2, max_page: 1 } },
    });
    const env = {
      CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
      CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
      CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE: "0",
    };
    const result = await polar.inventory.list(
      clientFor(new Accounts(undefined, env, BACKENDS).resolve("polar")),
    );
    expect(result.skipped).toEqual([
      {
        type: "polar:Benefit",
        id: discord.id,
        title: 'benefit "Discord role"',
        reason:
          "it is a discord benefit, which Polar creates only with an account connected in its dashboard " +
          "(polar.Benefit manages custom, license_keys, downloadables, meter_credit, feature_flag)",
      },
    ]);
    expect(result.declarations.filter((d) => d.type === "polar:Benefit").map((d) => d.args)).toEqual([
      {
        type: "downloadables",
        description: "Downloads",
        properties: { files: ["3a3c1e6b-2f4d-4b8e-9a10-5c7d9e1f2a33"] },
      },
    ]);
  });
});
