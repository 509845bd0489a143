/**
 * A Polar product with benefits, an attached custom field, a trial and a metered price, run by the
 * real engine against the emulator (meters, benefits and custom fields written straight into its
 * state, as Polar's dashboard would have made them): `up` creates it, a preview and a refresh find
 * nothing, and a benefit set changed in Polar is put back by `up --refresh`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { ACME_ORG_ID, DEMO_TOKENS } from "../../emulator/seed";
import { polarBenefits, polarCustomFields, polarMeters } from "../../emulator/vendors/polar/state";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { lib, withStack } from "../helpers/engine";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let polarApi: ReturnType<typeof vendorApi>;

const METER = "3f1a2b4c-5d6e-4f70-8a91-b2c3d4e5f601";
const BENEFIT_A = "7c2d9e1f-0a3b-4c5d-8e6f-1a2b3c4d5e01";
const BENEFIT_B = "7c2d9e1f-0a3b-4c5d-8e6f-1a2b3c4d5e02";
const FIELD = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c01";

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 1000 });
  polarApi = vendorApi(emu, "polar", DEMO_TOKENS.polarAcme);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
  const at = "2026-01-01T00:00:00.000Z";
  const base = { created_at: at, modified_at: null, organization_id: ACME_ORG_ID, metadata: {} };
  polarMeters(emu.app)[METER] = {
    ...base,
    id: METER,
    name: "API calls",
    unit: "scalar",
    custom_label: null,
    custom_multiplier: null,
    filter: { conjunction: "and", clauses: [] },
    aggregation: { func: "count" },
    archived_at: null,
  };
  for (const id of [BENEFIT_A, BENEFIT_B]) {
    polarBenefits(emu.app)[id] = {
      ...base,
      id,
      type: "custom",
      description: `Benefit ${id.slice(-2)}`,
      visibility: "public",
      properties: { note: null },
      is_deleted: false,
    };
  }
  polarCustomFields(emu.app)[FIELD] = {
    ...base,
    id: FIELD,
    type: "text",
    slug: "company",
    name: "Company",
    properties: {},
    deleted_at: null,
  };
});

describe("polar.Product with benefits, a custom field, a trial and a metered price", () => {
  it("deploys, previews and refreshes empty, and puts back a benefit set changed in Polar", async () => {
    const program = async () => {
      const { polar } = lib();
      const product = new polar.Product("api", {
        name: "API plan",
        recurringInterval: "month",
        trialInterval: "week",
        trialIntervalCount: 2,
        prices: [
          { type: "fixed", amount: 900 },
          { type: "metered_unit", meterId: METER, unitAmount: 0.5, capAmount: 10000 },
        ],
        benefits: [BENEFIT_B, BENEFIT_A],
        attachedCustomFields: [{ customFieldId: FIELD, required: true }],
      });
      return { productId: product.productId };
    };
    await withStack("polar-product-extras", program, async ({ stack }) => {
      await stack.setAllConfig(emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }));
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ create: 2 });
      const productId = up.outputs.productId?.value as string;
      const live = await polarApi("GET", `/v1/products/${productId}`);
      expect(live.body.benefits.map((b: { id: string }) => b.id)).toEqual([BENEFIT_B, BENEFIT_A]);
      expect(live.body.trial_interval).toBe("week");
      expect(live.body.prices[1]).toMatchObject({
        amount_type: "metered_unit",
        unit_amount: "0.500000000000",
      });

      expect((await stack.preview()).changeSummary).toEqual({ same: 2 });
      expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 2 });
      expect((await stack.preview()).changeSummary).toEqual({ same: 2 });

      const changed = await polarApi("POST", `/v1/products/${productId}/benefits`, { benefits: [BENEFIT_A] });
      expect(changed.status).toBe(200);
      const repaired = await stack.up({ refresh: true });
      expect(repaired.summary.resourceChanges).toEqual({ same: 1, update: 1 });
      const after = await polarApi("GET", `/v1/products/${productId}`);
      expect(after.body.benefits.map((b: { id: string }) => b.id)).toEqual([BENEFIT_B, BENEFIT_A]);
    });
  });
});
