/**
 * A whole Polar tier as a user declares it, run by the real engine from a project that installed the
 * packed tarball: a meter, two benefits (one crediting the meter), a custom field, a recurring
 * product with a trial, a fixed and a metered price, both benefits and the field, a discount
 * restricted to the product, and a link applying it. It deploys with every reference wired by id,
 * previews and refreshes empty, takes one changed field per object in place, has every object put
 * back after changes made in Polar, and leaves nothing live at Polar once destroyed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { installedProject, upOps, withWorkDirStack } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let polarApi: ReturnType<typeof vendorApi>;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 1000 });
  polarApi = vendorApi(emu, "polar", DEMO_TOKENS.polarAcme);
});
afterAll(async () => {
  await emu?.close();
});

/** The values the test changes between updates; everything else in the program stays fixed. */
interface Tier {
  meterName: string;
  supportDescription: string;
  creditsDescription: string;
  fieldName: string;
  unitAmount: string;
  discountName: string;
  linkLabel: string;
}

const FIRST: Tier = {
  meterName: "API calls",
  supportDescription: "Priority support",
  creditsDescription: "1,000 API calls",
  fieldName: "Company",
  unitAmount: "0.5",
  discountName: "Launch",
  linkLabel: "team launch",
};

/** The user's index.ts. */
function program(t: Tier): string {
  const s = JSON.stringify;
  return `import { polar } from "pulumi-checkout-links";

const meter = new polar.Meter("api-calls", {
  name: ${s(t.meterName)},
  filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
  aggregation: { func: "count" },
});
const support = new polar.Benefit("support", {
  type: "custom",
  description: ${s(t.supportDescription)},
  properties: { note: "Write to support@example.com" },
});
const credits = new polar.Benefit("credits", {
  type: "meter_credit",
  description: ${s(t.creditsDescription)},
  properties: { units: 1000, rollover: false, meterId: meter.id },
});
const company = new polar.CustomField("company", {
  type: "text",
  slug: "company",
  name: ${s(t.fieldName)},
  properties: { formLabel: "Company" },
});
const team = new polar.Product("team", {
  name: "Team",
  description: "For teams",
  recurringInterval: "month",
  trialInterval: "day",
  trialIntervalCount: 14,
  prices: [
    { type: "fixed", amount: 4900 },
    { type: "metered_unit", meterId: meter.id, unitAmount: ${s(t.unitAmount)}, capAmount: 20000 },
  ],
  benefits: [support.id, credits.id],
  attachedCustomFields: [{ customFieldId: company.id, required: true }],
});
const launch = new polar.Discount("launch", {
  name: ${s(t.discountName)},
  type: "percentage",
  basisPoints: 2000,
  duration: "repeating",
  durationInMonths: 3,
  code: "TEAM20",
  products: [team.productId],
});
const link = new polar.CheckoutLink("team-link", {
  products: [team.productId],
  label: ${s(t.linkLabel)},
  discountId: launch.id,
});

export const ids = {
  meter: meter.id,
  support: support.id,
  credits: credits.id,
  field: company.id,
  product: team.productId,
  discount: launch.id,
  link: link.id,
};
export const url = link.url;
`;
}

type Ids = Record<"meter" | "support" | "credits" | "field" | "product" | "discount" | "link", string>;
const OBJECTS = 7;
const NAMES = ["api-calls", "support", "credits", "company", "team", "launch", "team-link"];

/** GET at Polar, failing on anything but 200. */
async function live(p: string): Promise<any> {
  const res = await polarApi("GET", p);
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A change made in Polar's dashboard; throws unless Polar took it. */
async function dashboard(method: string, p: string, body: unknown): Promise<void> {
  const res = await polarApi(method, p, body);
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Every object of a list route, all pages. */
async function listAll(p: string): Promise<any[]> {
  const items: any[] = [];
  for (let page = 1; ; page++) {
    const body = await live(`${p}${p.includes("?") ? "&" : "?"}limit=100&page=${page}`);
    items.push(...body.items);
    if (page >= body.pagination.max_page) return items;
  }
}

/** What the tier looks like at Polar, in the terms the assertions compare. */
async function tierAtPolar(ids: Ids) {
  const [meter, support, credits, field, product, discount, link] = await Promise.all([
    live(`/v1/meters/${ids.meter}`),
    live(`/v1/benefits/${ids.support}`),
    live(`/v1/benefits/${ids.credits}`),
    live(`/v1/custom-fields/${ids.field}`),
    live(`/v1/products/${ids.product}`),
    live(`/v1/discounts/${ids.discount}`),
    live(`/v1/checkout-links/${ids.link}`),
  ]);
  return {
    meter: { name: meter.name, archived: meter.archived_at !== null },
    support: [support.type, support.description, support.properties],
    credits: [credits.type, credits.description, credits.properties],
    field: [field.type, field.slug, field.name],
    product: {
      description: product.description,
      trial: [product.trial_interval, product.trial_interval_count],
      prices: product.prices
        .filter((p: any) => !p.is_archived)
        .map((p: any) =>
          p.amount_type === "metered_unit"
            ? [p.amount_type, p.meter_id, p.unit_amount, p.cap_amount]
            : [p.amount_type, p.price_amount],
        ),
      benefits: product.benefits.map((b: any) => b.id),
      fields: product.attached_custom_fields.map((a: any) => [a.custom_field_id, a.required]),
    },
    discount: {
      name: discount.name,
      code: discount.code,
      products: discount.products.map((p: any) => p.id),
    },
    link: { label: link.label, discount: link.discount_id, products: link.products.map((p: any) => p.id) },
  };
}

/** The tier as the program declares it with `t`. */
function declared(ids: Ids, t: Tier) {
  return {
    meter: { name: t.meterName, archived: false },
    support: ["custom", t.supportDescription, { note: "Write to support@example.com" }],
    credits: ["meter_credit", t.creditsDescription, { units: 1000, rollover: false, meter_id: ids.meter }],
    field: ["text", "company", t.fieldName],
    product: {
      description: "For teams",
      trial: ["day", 14],
      prices: [
        ["fixed", 4900],
        ["metered_unit", ids.meter, Number(t.unitAmount).toFixed(12), 20000],
      ],
      benefits: [ids.support, ids.credits],
      fields: [[ids.field, true]],
    },
    discount: { name: t.discountName, code: "TEAM20", products: [ids.product] },
    link: { label: t.linkLabel, discount: ids.discount, products: [ids.product] },
  };
}

/** Ids of the objects live at Polar: products not archived, meters not archived, the rest listed. */
async function liveAtPolar() {
  const ids = (items: any[]) => items.map((o) => o.id).sort();
  return {
    products: ids(await listAll("/v1/products/?is_archived=false")),
    links: ids(await listAll("/v1/checkout-links/")),
    discounts: ids(await listAll("/v1/discounts/")),
    benefits: ids(await listAll("/v1/benefits/")),
    customFields: ids(await listAll("/v1/custom-fields/")),
    meters: ids(await listAll("/v1/meters/?is_archived=false")),
  };
}

describe("a Polar tier from the installed package", () => {
  it("goes through up, empty preview and refresh, an update of each object, drift repair and destroy, leaving no orphan", async () => {
    emu.reset();
    const before = await liveAtPolar();
    const project = newProject(installedProject(), "polar-tier", { index: program(FIRST) });
    const index = path.join(project, "index.ts");
    try {
      await withWorkDirStack(
        project,
        async ({ stack }) => {
          // Up: every object created, every reference wired by Polar's id.
          const up = await stack.up();
          expect(up.summary.resourceChanges).toEqual({ create: OBJECTS + 1 });
          const ids = up.outputs.ids?.value as Ids;
          expect(Object.keys(ids).sort()).toEqual(
            ["credits", "discount", "field", "link", "meter", "product", "support"].sort(),
          );
          expect(await tierAtPolar(ids)).toEqual(declared(ids, FIRST));
          const link = await live(`/v1/checkout-links/${ids.link}`);
          expect(up.outputs.url?.value).toBe(link.url);
          expect(link.discount).toMatchObject({ id: ids.discount, code: "TEAM20", basis_points: 2000 });

          // Nothing to do, and nothing drifted.
          expect((await stack.preview()).changeSummary).toEqual({ same: OBJECTS + 1 });
          expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: OBJECTS + 1 });
          expect((await stack.preview()).changeSummary).toEqual({ same: OBJECTS + 1 });

          // One changed field per object, all in one up: each updated in place, no id changes.
          const next: Tier = {
            meterName: "API requests",
            supportDescription: "Support within a day",
            creditsDescription: "1,000 free API calls",
            fieldName: "Company name",
            unitAmount: "0.4",
            discountName: "Launch week",
            linkLabel: "team launch week",
          };
          fs.writeFileSync(index, program(next));
          const update = await upOps(stack);
          expect(update.res.summary.resourceChanges).toEqual({ same: 1, update: OBJECTS });
          expect(update.ops).toEqual(Object.fromEntries(NAMES.map((n) => [n, "update"])));
          expect(update.keys).toEqual({});
          expect(update.res.outputs.ids?.value).toEqual(ids);
          expect(await tierAtPolar(ids)).toEqual(declared(ids, next));
          expect((await stack.preview()).changeSummary).toEqual({ same: OBJECTS + 1 });

          // Every object changed in Polar's dashboard behind the stack's back.
          await dashboard("PATCH", `/v1/meters/${ids.meter}`, { name: "Edited meter" });
          await dashboard("PATCH", `/v1/benefits/${ids.support}`, {
            type: "custom",
            description: "Edited support",
          });
          await dashboard("PATCH", `/v1/benefits/${ids.credits}`, {
            type: "meter_credit",
            properties: { units: 5, rollover: true, meter_id: ids.meter },
          });
          await dashboard("PATCH", `/v1/custom-fields/${ids.field}`, { type: "text", name: "Edited field" });
          await dashboard("PATCH", `/v1/products/${ids.product}`, {
            description: "Edited product",
            attached_custom_fields: [{ custom_field_id: ids.field, required: false }],
          });
          await dashboard("POST", `/v1/products/${ids.product}/benefits`, {
            benefits: [ids.credits, ids.support],
          });
          await dashboard("PATCH", `/v1/discounts/${ids.discount}`, { name: "Edited discount" });
          await dashboard("PATCH", `/v1/checkout-links/${ids.link}`, { label: "edited link" });
          const edited = await tierAtPolar(ids);
          expect(edited.product.benefits).toEqual([ids.credits, ids.support]);
          expect(edited.product.fields).toEqual([[ids.field, false]]);

          // The refresh sees each change, the up puts each object back, in place.
          const repaired = await stack.up({ refresh: true });
          expect(repaired.summary.resourceChanges).toEqual({ same: 1, update: OBJECTS });
          expect(repaired.outputs.ids?.value).toEqual(ids);
          expect(await tierAtPolar(ids)).toEqual(declared(ids, next));
          expect((await stack.preview({ refresh: true })).changeSummary).toEqual({ same: OBJECTS + 1 });

          // Destroy: nothing left live at Polar, the meter archived (Polar deletes no meter).
          const down = await stack.destroy();
          expect(down.summary.resourceChanges).toEqual({ delete: OBJECTS + 1 });
          expect(await liveAtPolar()).toEqual(before);
          expect((await live(`/v1/products/${ids.product}`)).is_archived).toBe(true);
          expect((await live(`/v1/meters/${ids.meter}`)).archived_at).not.toBeNull();
          for (const p of [
            `/v1/checkout-links/${ids.link}`,
            `/v1/discounts/${ids.discount}`,
            `/v1/benefits/${ids.support}`,
            `/v1/benefits/${ids.credits}`,
            `/v1/custom-fields/${ids.field}`,
          ]) {
            expect([p, (await polarApi("GET", p)).status]).toEqual([p, 404]);
          }
        },
        {
          skipDestroy: true,
          config: emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }),
        },
      );
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
