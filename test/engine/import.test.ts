/**
 * `checkout-links import` end to end: an account clicked together in the vendors' dashboards (made
 * here through the vendor APIs over HTTP, as a dashboard would), imported with the installed bin,
 * the program type-checked in a user project, taken over by `checkout-links up` with no vendor
 * write but the provider's bookkeeping (the Polar name tags), an empty preview after it, and one
 * edited field showing as exactly that change.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { NAME_TAG } from "../../provider/polar/common";
import { engineRoot, installedProject } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Emulator;
let project: string;
let home: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...argv: (string | Record<string, string>)[]): Promise<Run> {
  const bin = path.join(installedProject(), "node_modules/.bin/checkout-links");
  const args = argv.filter((a): a is string => typeof a === "string");
  const extraEnv = argv.find((a): a is Record<string, string> => typeof a !== "string") ?? {};
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: project,
      env: {
        ...extraEnv,
        PATH: process.env.PATH,
        PULUMI_ENGINE_ROOT: engineRoot(),
        PULUMI_HOME: home,
        PULUMI_CONFIG_PASSPHRASE: "import",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        CHECKOUT_LINKS_FYNN_BASE_URL: emu.baseUrls.fynn,
        CHECKOUT_LINKS_FYNN_TOKEN: DEMO_TOKENS.fynnAcme,
        CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
        CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A call to a vendor API, as the dashboard makes it. */
async function vendor(backend: "fynn" | "polar", method: string, p: string, body?: unknown): Promise<any> {
  const token = backend === "polar" ? DEMO_TOKENS.polarAcme : DEMO_TOKENS.fynnAcme;
  const res = await fetch(emu.baseUrls[backend] + p, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** What the dashboards hold: ids by a readable key. */
const made: Record<string, any> = {};

async function seedAccount(): Promise<void> {
  // Fynn classic catalog: products and their price plans, sold by plans' tiers and classic links.
  const catalog: Record<string, [string, number]> = {
    seats: ["Seats", 900],
    support: ["Support", 4900],
    storage: ["Storage", 500],
  };
  for (const [key, [name, amount]] of Object.entries(catalog)) {
    const product = await vendor("fynn", "POST", "/products", { name });
    const price = await vendor("fynn", "POST", "/price-plans", {
      product: product.id,
      internalName: `${name} monthly`,
      amount,
    });
    made[`${key}Product`] = product.id;
    made[`${key}Price`] = price.id;
  }
  const item = (key: string, extra: Record<string, unknown> = {}) => ({
    productId: made[`${key}Product`],
    pricePlanId: made[`${key}Price`],
    ...extra,
  });

  // coreapi.io: two active plans with several tiers, a draft, an archived one, one with a duplicate tier name.
  made.team = await vendor("fynn", "POST", "/api/plans", {
    code: "team",
    name: "Team",
    description: "For teams of 2 to 50.",
    tiers: [
      { name: "Starter", items: [item("seats")] },
      {
        name: "Pro",
        commitmentPeriod: "P1Y",
        items: [
          item("seats", { defaultQuantity: 5, maxQuantity: 50, quantityEditable: true }),
          item("support"),
        ],
      },
      {
        name: "Enterprise",
        upgradeable: false,
        items: [item("seats", { minQuantity: 20, defaultQuantity: 20 })],
      },
    ],
  });
  made.solo = await vendor("fynn", "POST", "/api/plans", {
    code: "solo",
    name: "Solo",
    tiers: [
      { name: "Monthly", items: [item("seats")] },
      {
        name: "Yearly",
        downgradeable: false,
        commitmentPeriod: "P1Y",
        items: [item("seats"), item("storage")],
      },
    ],
  });
  made.draft = await vendor("fynn", "POST", "/api/plans", {
    code: "next-gen",
    name: "Next generation",
    tiers: [{ name: "Beta" }],
  });
  made.legacy = await vendor("fynn", "POST", "/api/plans", {
    code: "legacy",
    name: "Legacy",
    tiers: [{ name: "Old", items: [item("seats")] }],
  });
  made.twins = await vendor("fynn", "POST", "/api/plans", {
    code: "twins",
    name: "Twins",
    tiers: [
      { name: "Pro", items: [item("seats")] },
      { name: "Pro", items: [item("support")] },
    ],
  });
  for (const plan of ["team", "solo", "legacy", "twins"]) {
    await vendor("fynn", "POST", `/api/plans/${made[plan].id}/activate`);
  }
  const tier = (plan: string, name: string) =>
    (made[plan].tiers as { id: string; name: string }[]).find((t) => t.name === name)?.id;
  const coreapiLink = async (plan: string, body: Record<string, unknown>) =>
    vendor("fynn", "POST", `/api/plans/${made[plan].id}/checkout-links`, body);
  await coreapiLink("team", { planTierId: tier("team", "Starter"), slug: "team-starter" });
  await coreapiLink("team", {
    planTierId: tier("team", "Pro"),
    slug: "team-pro",
    couponsAllowed: true,
    salesChannel: "partners",
  });
  await coreapiLink("team", {
    planTierId: tier("team", "Enterprise"),
    slug: "team-enterprise",
    isEnabled: false,
  });
  // No slug given: coreapi.io makes one (solo-monthly).
  await coreapiLink("solo", { planTierId: tier("solo", "Monthly") });
  await coreapiLink("solo", {
    planTierId: tier("solo", "Yearly"),
    slug: "solo-yearly",
    couponsAllowed: true,
  });
  await coreapiLink("twins", { planTierId: made.twins.tiers[0].id, slug: "twins-pro" });
  const gone = await coreapiLink("solo", { planTierId: tier("solo", "Monthly"), slug: "solo-old" });
  await vendor("fynn", "DELETE", `/api/plans/${made.solo.id}/checkout-links/${gone.id}`);
  // Still referenced by a link, so the documented DELETE archives the plan instead of deleting it.
  await coreapiLink("legacy", { planTierId: tier("legacy", "Old"), slug: "legacy-link" });
  await vendor("fynn", "DELETE", `/api/plans/${made.legacy.id}`);

  // Fynn classic links: items, options and after-checkout behaviour; one disabled, one deleted.
  const classic = (key: string, quantity = 1) => ({
    type: "product",
    product: made[`${key}Product`],
    price: made[`${key}Price`],
    quantity,
  });
  await vendor("fynn", "POST", "/checkout-links", { slug: "seats-monthly", items: [classic("seats")] });
  await vendor("fynn", "POST", "/checkout-links", {
    slug: "seats-five",
    items: [classic("seats", 5)],
    options: { allowCoupons: true, quantityEditable: true },
    afterCheckout: { action: "redirect", url: "https://example.com/thanks" },
  });
  await vendor("fynn", "POST", "/checkout-links", {
    slug: "support-trial",
    items: [classic("support")],
    options: { trialDays: 14, forceCompany: true },
    afterCheckout: {
      action: "confirmation_message",
      confirmationMessage: "Welcome aboard!",
      backToProviderUrl: "https://example.com",
    },
  });
  await vendor("fynn", "POST", "/checkout-links", {
    slug: "bundle",
    items: [
      { ...classic("seats", 3), periods: [{ contractPeriod: {}, cancellationPeriod: {} }] },
      classic("storage", 2),
    ],
  });
  await vendor("fynn", "POST", "/checkout-links", {
    slug: "partners-old",
    isEnabled: false,
    items: [classic("support")],
  });
  const deleted = await vendor("fynn", "POST", "/checkout-links", {
    slug: "deleted-link",
    items: [classic("seats")],
  });
  await vendor("fynn", "DELETE", `/checkout-links/${deleted.id}`);

  // Polar: products with fixed, seat-based, custom and mixed prices; one archived; links over them.
  const product = (body: Record<string, unknown>) => vendor("polar", "POST", "/v1/products/", body);
  made.proMonthly = await product({
    name: "Pro (monthly)",
    recurring_interval: "month",
    prices: [{ amount_type: "fixed", price_amount: 1900 }],
    metadata: { plan: "pro" },
  });
  made.proYearly = await product({
    name: "Pro (yearly)",
    description: "Two months free.",
    recurring_interval: "year",
    prices: [{ amount_type: "fixed", price_amount: 19000 }],
  });
  made.teamSeats = await product({
    name: "Team seats",
    recurring_interval: "month",
    visibility: "private",
    prices: [
      {
        amount_type: "seat_based",
        price_currency: "eur",
        seat_tiers: {
          tiers: [
            { min_seats: 1, max_seats: 10, price_per_seat: 1500 },
            { min_seats: 11, price_per_seat: 1200 },
          ],
        },
      },
    ],
  });
  made.business = await product({
    name: "Business",
    recurring_interval: "month",
    recurring_interval_count: 3,
    prices: [
      { amount_type: "fixed", price_amount: 50000 },
      { amount_type: "seat_based", seat_tiers: { tiers: [{ min_seats: 1, price_per_seat: 2000 }] } },
    ],
  });
  made.onboarding = await product({
    name: "Onboarding session",
    prices: [{ amount_type: "custom", minimum_amount: 5000, preset_amount: 9900 }],
  });
  made.retired = await product({ name: "Retired", prices: [{ amount_type: "fixed", price_amount: 100 }] });
  await vendor("polar", "PATCH", `/v1/products/${made.retired.id}`, { is_archived: true });
  const link = (body: Record<string, unknown>) =>
    vendor("polar", "POST", "/v1/checkout-links/", { payment_processor: "stripe", ...body });
  made.proLaunch = await link({
    products: [made.proMonthly.id, made.proYearly.id],
    label: "pro launch",
    success_url: "https://example.com/welcome?checkout_id={CHECKOUT_ID}",
    trial_interval: "day",
    trial_interval_count: 14,
    metadata: { campaign: "launch" },
  });
  made.teamLink = await link({
    products: [made.teamSeats.id],
    label: "team",
    seats: 5,
    require_billing_address: true,
  });
  made.onboardingLink = await link({
    products: [made.onboarding.id],
    label: "onboarding",
    allow_discount_codes: false,
    return_url: "https://example.com/pricing",
  });
  made.businessLink = await link({ products: [made.business.id] });
  made.deletedLink = await link({ products: [made.proMonthly.id], label: "winter sale" });
  await vendor("polar", "DELETE", `/v1/checkout-links/${made.deletedLink.id}`);
}

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
  await seedAccount();
  project = newProject(installedProject(), "imported", { index: "" });
  fs.rmSync(path.join(project, "index.ts"));
  home = fs.mkdtempSync(path.join(project, ".home-"));
});

afterAll(async () => {
  await emu?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

/** Each vendor write the emulator saw, without the vendor prefix. */
function writes(): { method: string; path: string; body?: unknown }[] {
  return emu
    .requests()
    .filter((r) => r.method !== "GET")
    .map((r) => ({ method: r.method, path: r.path, body: r.body }));
}

/** One resource's statement in the program, from `const <variable> =` to its closing `});`. */
function statement(code: string, variable: string): string {
  const start = code.indexOf(`const ${variable} = `);
  if (start < 0) throw new Error(`no resource ${variable} in the program`);
  return code.slice(start, code.indexOf("});", start) + 3);
}

describe.sequential("checkout-links import", () => {
  let code: string;

  it("writes a program declaring every live object, and says what it left out", async () => {
    const run = await cli("import", "--out", "index.ts");
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    code = fs.readFileSync(path.join(project, "index.ts"), "utf8");

    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      `checkout-links: coreapi (${emu.baseUrls.coreapi}): 3 coreapi.Plan, 6 coreapi.CheckoutLink`,
      `checkout-links: fynn (${emu.baseUrls.fynn}): 5 fynn.CheckoutLink`,
      `checkout-links: polar (${emu.baseUrls.polar}): 5 polar.Product, 4 polar.CheckoutLink`,
      "Left out (1), the provider could not declare them exactly:",
      `  - coreapi.Plan plan "twins" (${made.twins.id}): tiers.1.name: tier names must be unique in a plan ("Pro" is also tier 0)`,
      "Notes:",
      `  - coreapi.CheckoutLink twins-pro: refers to coreapi:Plan ${made.twins.id} by id: that object is not in this program`,
      "Declared 23 objects (3 coreapi.Plan, 6 coreapi.CheckoutLink, 5 fynn.CheckoutLink, 5 polar.Product, 4 polar.CheckoutLink) in index.ts; each with adopt: true, so `checkout-links up` takes it over.",
    ]);

    expect(code).toContain('import { coreapi, fynn, polar } from "pulumi-checkout-links";');
    const seats = `productId: "${made.seatsProduct}",\n          pricePlanId: "${made.seatsPrice}",`;
    const support = `productId: "${made.supportProduct}",\n          pricePlanId: "${made.supportPrice}",`;
    expect(statement(code, "team")).toBe(`const team = new coreapi.Plan("team", {
  code: "team",
  name: "Team",
  description: "For teams of 2 to 50.",
  tiers: [
    {
      name: "Starter",
      items: [
        {
          ${seats}
        },
      ],
    },
    {
      name: "Pro",
      commitmentPeriod: "P1Y",
      items: [
        {
          ${seats}
          defaultQuantity: 5,
          maxQuantity: 50,
          quantityEditable: true,
        },
        {
          ${support}
        },
      ],
    },
    {
      name: "Enterprise",
      upgradeable: false,
      items: [
        {
          ${seats}
          defaultQuantity: 20,
          minQuantity: 20,
        },
      ],
    },
  ],
  adopt: true,
});`);
    expect(statement(code, "nextGen")).toBe(`const nextGen = new coreapi.Plan("next-gen", {
  code: "next-gen",
  name: "Next generation",
  tiers: [{ name: "Beta" }],
  activate: false,
  adopt: true,
});`);
    expect(statement(code, "teamPro")).toBe(`const teamPro = new coreapi.CheckoutLink("team-pro", {
  planId: team.planId,
  planTierId: team.tierIds.apply((ids) => ids["Pro"]!),
  slug: "team-pro",
  couponsAllowed: true,
  salesChannel: "partners",
  adopt: true,
});`);
    expect(statement(code, "twinsPro")).toBe(`const twinsPro = new coreapi.CheckoutLink("twins-pro", {
  planId: "${made.twins.id}",
  planTierId: "${made.twins.tiers[0].id}",
  slug: "twins-pro",
  adopt: true,
});`);
    expect(statement(code, "bundle")).toBe(`const bundle = new fynn.CheckoutLink("bundle", {
  slug: "bundle",
  items: [
    {
      productId: "${made.seatsProduct}",
      pricePlanId: "${made.seatsPrice}",
      quantity: 3,
      periods: [{ contractPeriod: {}, cancellationPeriod: {} }],
    },
    {
      productId: "${made.storageProduct}",
      pricePlanId: "${made.storagePrice}",
      quantity: 2,
    },
  ],
  adopt: true,
});`);
    expect(
      statement(code, "supportTrial"),
    ).toBe(`const supportTrial = new fynn.CheckoutLink("support-trial", {
  slug: "support-trial",
  items: [
    {
      productId: "${made.supportProduct}",
      pricePlanId: "${made.supportPrice}",
    },
  ],
  options: { trialDays: 14, forceCompany: true },
  afterCheckout: {
    action: "confirmation_message",
    confirmationMessage: "Welcome aboard!",
    backToProviderUrl: "https://example.com",
  },
  adopt: true,
});`);
    expect(statement(code, "business")).toBe(`const business = new polar.Product("business", {
  name: "Business",
  recurringInterval: "month",
  recurringIntervalCount: 3,
  prices: [
    { type: "fixed", amount: 50000 },
    { type: "seat_based", tiers: [{ minSeats: 1, pricePerSeat: 2000 }] },
  ],
  adopt: true,
  adoptId: "${made.business.id}",
});`);
    expect(statement(code, "teamSeats")).toBe(`const teamSeats = new polar.Product("team-seats", {
  name: "Team seats",
  visibility: "private",
  recurringInterval: "month",
  prices: [
    {
      type: "seat_based",
      tiers: [{ minSeats: 1, maxSeats: 10, pricePerSeat: 1500 }, { minSeats: 11, pricePerSeat: 1200 }],
      currency: "eur",
    },
  ],
  adopt: true,
  adoptId: "${made.teamSeats.id}",
});`);
    expect(statement(code, "proLaunch")).toBe(`const proLaunch = new polar.CheckoutLink("pro-launch", {
  products: [proMonthly.productId, proYearly.productId],
  label: "pro launch",
  successUrl: "https://example.com/welcome?checkout_id={CHECKOUT_ID}",
  trialInterval: "day",
  trialIntervalCount: 14,
  metadata: { campaign: "launch" },
  adopt: true,
  adoptId: "${made.proLaunch.id}",
});`);
    // The Polar link named like the coreapi plan "team" keeps its name; only its variable differs.
    expect(statement(code, "teamCheckoutLink")).toContain('new polar.CheckoutLink("team", {');
    // An unlabeled Polar link is named after its id.
    const short = made.businessLink.id.slice(0, 8) as string;
    const unlabeled = `link${short.charAt(0).toUpperCase()}${short.slice(1)}`;
    expect(
      statement(code, unlabeled),
    ).toBe(`const ${unlabeled} = new polar.CheckoutLink("link-${made.businessLink.id.slice(0, 8)}", {
  products: [business.productId],
  adopt: true,
  adoptId: "${made.businessLink.id}",
});`);
    expect(code).toContain(
      `// refers to coreapi:Plan ${made.twins.id} by id: that object is not in this program\nconst twinsPro =`,
    );
    expect(code).toContain('  "coreapi/solo-monthly": { slug: soloMonthly.slug, url: soloMonthly.url },');
    expect(code).toContain('  "polar/onboarding": { url: onboarding.url },');

    // Nothing archived or deleted, and no credential.
    for (const gone of [
      "legacy",
      "solo-old",
      "deleted-link",
      "Retired",
      "winter sale",
      made.deletedLink.id,
    ]) {
      expect(code).not.toContain(gone);
    }
    for (const secret of [...Object.values(DEMO_TOKENS), made.proLaunch.client_secret, "polar_cl_"]) {
      expect(code).not.toContain(secret);
    }
  });

  it("type-checks in the user project", async () => {
    const tsc = path.join(installedProject(), "node_modules/typescript/bin/tsc");
    // The tsconfig of \`pulumi new typescript\` plus esModuleInterop, which zod 4's declarations need
    // (colinhacks/zod#5160): without it tsc fails in zod's locales for any program using this package.
    const args = [tsc, "-p", project, "--noEmit", "--esModuleInterop"];
    const result = await promisify(execFile)(process.execPath, args).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(result).toEqual({ code: 0, out: "" });
  });

  it("is taken over by up with no vendor write but the Polar name tags, then previews empty", async () => {
    emu.clearRequests();
    const up = await cli("up", "--stack", "import", "--backend", `file://${home}`);
    expect(up.stderr).not.toMatch(/error:/);
    expect(up.code).toBe(0);
    const tagged = (p: string, meta: Record<string, unknown>, name: string) => ({
      method: "PATCH",
      path: `/polar/v1/${p}`,
      body: { metadata: { ...meta, [NAME_TAG]: name } },
    });
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect(writes().sort(byPath)).toEqual(
      [
        tagged(`products/${made.proMonthly.id}`, { plan: "pro" }, "pro-monthly"),
        tagged(`products/${made.proYearly.id}`, {}, "pro-yearly"),
        tagged(`products/${made.teamSeats.id}`, {}, "team-seats"),
        tagged(`products/${made.business.id}`, {}, "business"),
        tagged(`products/${made.onboarding.id}`, {}, "onboarding-session"),
        tagged(`checkout-links/${made.proLaunch.id}`, { campaign: "launch" }, "pro-launch"),
        tagged(`checkout-links/${made.teamLink.id}`, {}, "team"),
        tagged(`checkout-links/${made.onboardingLink.id}`, {}, "onboarding"),
        tagged(`checkout-links/${made.businessLink.id}`, {}, `link-${made.businessLink.id.slice(0, 8)}`),
      ].sort(byPath),
    );
    expect(up.stdout).toContain(`team-pro`);

    const preview = await cli(
      "preview",
      "--stack",
      "import",
      "--backend",
      `file://${home}`,
      "--report-json",
      "after.json",
    );
    expect(preview.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(project, "after.json"), "utf8")) as Report;
    expect(report.hasChanges).toBe(false);
    expect(report.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, same: 23 });
  });

  it("shows exactly one edited field as the only change", async () => {
    const file = path.join(project, "index.ts");
    const edited = code.replace('label: "pro launch",', 'label: "pro spring launch",');
    expect(edited).not.toBe(code);
    fs.writeFileSync(file, edited);
    const preview = await cli(
      "preview",
      "--stack",
      "import",
      "--backend",
      `file://${home}`,
      "--report-json",
      "edit.json",
    );
    expect(preview.code).toBe(2);
    const report = JSON.parse(fs.readFileSync(path.join(project, "edit.json"), "utf8")) as Report;
    expect(report.resources.map((r) => [r.backend, r.kind, r.name, r.op, r.fields])).toEqual([
      [
        "polar",
        "CheckoutLink",
        "pro-launch",
        "update",
        [{ field: "label", old: "pro launch", new: "pro spring launch" }],
      ],
    ]);
  });

  it("reads an account from the stack's config, as the other commands do, the token a secret there", async () => {
    const env = {
      PATH: process.env.PATH,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${home}`,
      PULUMI_CONFIG_PASSPHRASE: "import",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    const config = (...args: string[]) =>
      promisify(execFile)(
        path.join(engineRoot(), "bin/pulumi"),
        ["config", "set", ...args, "--stack", "import"],
        {
          cwd: project,
          env,
        },
      );
    await config("checkout-links:polar.shop.baseUrl", emu.baseUrls.polar);
    await config("--secret", "checkout-links:polar.shop.token", DEMO_TOKENS.polarAcme);
    expect(fs.readFileSync(path.join(project, "Pulumi.import.yaml"), "utf8")).not.toContain(
      DEMO_TOKENS.polarAcme,
    );

    // Only the stack config knows account "shop"; the state backend comes from PULUMI_BACKEND_URL.
    const run = await cli(
      "import",
      "--stack",
      "import",
      "--vendor",
      "polar",
      "--account",
      "shop",
      "--out",
      "shop.ts",
      "--no-adopt",
      { PULUMI_BACKEND_URL: `file://${home}` },
    );
    expect(run.stderr.trim().split("\n").at(-1)).toBe(
      "Declared 9 objects (5 polar.Product, 4 polar.CheckoutLink) in shop.ts; without adopt: true, " +
        "`checkout-links up` would create them anew (import without --no-adopt to take them over).",
    );
    expect(run.code).toBe(0);
    const shop = fs.readFileSync(path.join(project, "shop.ts"), "utf8");
    expect(shop.match(/ {2}account: "shop",\n/g)?.length).toBe(9);
    expect(`${shop}${run.stderr}`).not.toContain(DEMO_TOKENS.polarAcme);
  });
});
