/**
 * `checkout-links import` of a Polar account holding every kind the package declares, made through
 * Polar's API as the dashboard makes it: a meter, two benefits (one crediting the meter), a custom
 * field, a product with a trial, a fixed and a metered price, the benefits and the field, a discount
 * restricted to the product and a link applying it. The installed bin writes a program in which each
 * object refers to the others by variable; it type-checks, `up` takes everything over with no vendor
 * write but the name tags, a preview finds nothing, and `destroy` leaves nothing live at Polar.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { NAME_TAG } from "../../provider/polar/common";
import { cliEnv, runCli } from "../helpers/cli";
import { vendorApi } from "../helpers/emulator";
import { installedProject } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Emulator;
let project: string;
let home: string;
let polarApi: ReturnType<typeof vendorApi>;
/** The account's objects, filled by seedAccount() before any test reads them. */
const made = {} as Record<
  "meter" | "credits" | "keys" | "company" | "team" | "launch" | "link",
  { id: string }
>;

async function vendor(method: string, p: string, body?: unknown): Promise<any> {
  const res = await polarApi(method, p, body);
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function seedAccount(): Promise<void> {
  made.meter = await vendor("POST", "/v1/meters/", {
    name: "API calls",
    filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
    aggregation: { func: "count" },
  });
  made.credits = await vendor("POST", "/v1/benefits/", {
    type: "meter_credit",
    description: "API call credits",
    properties: { units: 1000, rollover: true, meter_id: made.meter.id },
  });
  made.keys = await vendor("POST", "/v1/benefits/", {
    type: "license_keys",
    description: "License key",
    properties: { prefix: "TEAM", activations: { limit: 3, enable_customer_admin: true } },
  });
  made.company = await vendor("POST", "/v1/custom-fields/", {
    type: "text",
    slug: "company",
    name: "Company",
    properties: {},
  });
  made.team = await vendor("POST", "/v1/products/", {
    name: "Team",
    recurring_interval: "month",
    trial_interval: "day",
    trial_interval_count: 14,
    prices: [
      { amount_type: "fixed", price_amount: 4900 },
      { amount_type: "metered_unit", meter_id: made.meter.id, unit_amount: "0.25", cap_amount: 20000 },
    ],
    attached_custom_fields: [{ custom_field_id: made.company.id, required: true }],
  });
  await vendor("POST", `/v1/products/${made.team.id}/benefits`, {
    benefits: [made.keys.id, made.credits.id],
  });
  made.launch = await vendor("POST", "/v1/discounts/", {
    name: "Launch offer",
    type: "percentage",
    basis_points: 2000,
    duration: "repeating",
    duration_in_months: 3,
    code: "TEAM20",
    products: [made.team.id],
  });
  made.link = await vendor("POST", "/v1/checkout-links/", {
    payment_processor: "stripe",
    products: [made.team.id],
    label: "team",
    discount_id: made.launch.id,
  });
}

function env(): NodeJS.ProcessEnv {
  return cliEnv(home, "kit", {
    CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
    CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
  });
}

const cli = (...args: string[]) => runCli(args, { cwd: project, env: env() });
const stackArgs = () => ["--stack", "kit", "--backend", `file://${home}`];

/** One resource's statement in the program, from `const <variable> =` to its closing `});`. */
function statement(code: string, variable: string): string {
  const start = code.indexOf(`const ${variable} = `);
  if (start < 0) throw new Error(`no resource ${variable} in the program:\n${code}`);
  return code.slice(start, code.indexOf("});", start) + 3);
}

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
  polarApi = vendorApi(emu, "polar", DEMO_TOKENS.polarAcme);
  await seedAccount();
  project = newProject(installedProject(), "polar-kit", { index: "" });
  fs.rmSync(path.join(project, "index.ts"));
  home = fs.mkdtempSync(path.join(project, ".home-"));
});

afterAll(async () => {
  await emu?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe.sequential("import of a Polar account with meters, benefits, custom fields and discounts", () => {
  let code: string;

  it("writes each object once, referring to the others by variable", async () => {
    const run = await cli("import", "--vendor", "polar", "--out", "index.ts");
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("Notes:");
    expect(run.stderr).toContain(
      `checkout-links: polar (${emu.baseUrls.polar}): 1 polar.Meter, 1 polar.CustomField, 2 polar.Benefit, 1 polar.Product, 1 polar.Discount, 1 polar.CheckoutLink`,
    );
    code = fs.readFileSync(path.join(project, "index.ts"), "utf8");
    expect(
      statement(code, "apiCallCredits"),
    ).toBe(`const apiCallCredits = new polar.Benefit("api-call-credits", {
  type: "meter_credit",
  description: "API call credits",
  properties: { units: 1000, rollover: true, meterId: apiCalls.id },
  adopt: true,
  adoptId: "${made.credits.id}",
});`);
    expect(statement(code, "team")).toBe(`const team = new polar.Product("team", {
  name: "Team",
  recurringInterval: "month",
  trialInterval: "day",
  trialIntervalCount: 14,
  prices: [
    { type: "fixed", amount: 4900 },
    { type: "metered_unit", meterId: apiCalls.id, unitAmount: "0.25", capAmount: 20000 },
  ],
  benefits: [licenseKey.id, apiCallCredits.id],
  attachedCustomFields: [{ customFieldId: company.id, required: true }],
  adopt: true,
  adoptId: "${made.team.id}",
});`);
    expect(statement(code, "launchOffer")).toContain("products: [team.productId],");
    expect(statement(code, "teamCheckoutLink")).toContain(
      'products: [team.productId],\n  label: "team",\n  discountId: launchOffer.id,',
    );
  });

  it("type-checks in the user project", async () => {
    const tsc = path.join(installedProject(), "node_modules/typescript/bin/tsc");
    const args = [tsc, "-p", project, "--noEmit", "--esModuleInterop"];
    const result = await promisify(execFile)(process.execPath, args).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(result).toEqual({ code: 0, out: "" });
  });

  it("is taken over by up with no vendor write but the name tags, then previews empty", async () => {
    emu.clearRequests();
    const up = await cli("up", ...stackArgs());
    expect(up.stderr).not.toMatch(/error:/);
    expect(up.code).toBe(0);
    const writes = emu.requests().filter((r) => r.method !== "GET");
    const expected = [
      `meters/${made.meter.id}`,
      `custom-fields/${made.company.id}`,
      `benefits/${made.credits.id}`,
      `benefits/${made.keys.id}`,
      `products/${made.team.id}`,
      `discounts/${made.launch.id}`,
      `checkout-links/${made.link.id}`,
    ].map((p) => `PATCH /polar/v1/${p}`);
    expect(writes.map((w) => `${w.method} ${w.path}`).sort()).toEqual(expected.sort());
    for (const w of writes) {
      const body = w.body as { metadata?: Record<string, unknown>; type?: string };
      // A benefit's and a custom field's PATCH carry their type, as Polar's update schemas require.
      expect(Object.keys(body).filter((k) => k !== "type")).toEqual(["metadata"]);
      expect(typeof body.metadata?.[NAME_TAG]).toBe("string");
    }

    const preview = await cli("preview", ...stackArgs(), "--report-json", "after.json");
    expect(preview.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(project, "after.json"), "utf8")) as Report;
    expect(report.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, same: 7 });
  });

  it("destroys every object it took over, leaving nothing live at Polar", async () => {
    const destroy = await cli("destroy", "--allow-destroy", ...stackArgs());
    expect(destroy.stderr).not.toMatch(/error:/);
    expect(destroy.code).toBe(0);
    const status = async (p: string) => (await polarApi("GET", p)).status;
    expect(await status(`/v1/checkout-links/${made.link.id}`)).toBe(404);
    expect(await status(`/v1/discounts/${made.launch.id}`)).toBe(404);
    expect(await status(`/v1/benefits/${made.credits.id}`)).toBe(404);
    expect(await status(`/v1/benefits/${made.keys.id}`)).toBe(404);
    expect(await status(`/v1/custom-fields/${made.company.id}`)).toBe(404);
    expect((await vendor("GET", `/v1/products/${made.team.id}`)).is_archived).toBe(true);
    // Polar has no meter DELETE: a destroyed meter is archived.
    expect((await vendor("GET", `/v1/meters/${made.meter.id}`)).archived_at).not.toBeNull();
  });
});
