/**
 * The emulator's `docsOnly` mode answers coreapi and Fynn classic with only the keys the vendor's
 * docs show, and the providers work against it (the engine lifecycle tests run in it too).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { PlanProvider } from "../../provider/coreapi/plan";
import { FynnCheckoutLinkProvider } from "../../provider/fynn/checkoutLink";
import { coreapiActivePlan, fynnCatalog } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

const token = DEMO_TOKENS.fynnAcme;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ docsOnly: true });
  process.env.CHECKOUT_LINKS_COREAPI_BASE_URL = emu.baseUrls.coreapi;
  process.env.CHECKOUT_LINKS_COREAPI_TOKEN = token;
  process.env.CHECKOUT_LINKS_FYNN_BASE_URL = emu.baseUrls.fynn;
  process.env.CHECKOUT_LINKS_FYNN_TOKEN = token;
});
afterAll(async () => {
  await emu?.close();
});

describe("docsOnly emulator", () => {
  it("leaves out plan description, summary status, item quantityEditable and classic item ids", async () => {
    const plan = await coreapiActivePlan(emu, token, "docs-only");
    const got = (await call("GET", `${emu.baseUrls.coreapi}/api/plans/${plan.id}`, { token })).body;
    expect(got).not.toHaveProperty("description");
    expect(got.tiers[0].items[0]).not.toHaveProperty("quantityEditable");
    expect(got.tiers[0].items[0]).toHaveProperty("pricePlanId");
    const list = (await call("GET", `${emu.baseUrls.coreapi}/api/plans`, { token })).body;
    expect(Object.keys(list.data[0]).sort()).toEqual([
      "code",
      "currency",
      "id",
      "name",
      "tierCount",
      "updatedAt",
    ]);
    const { productId, priceId } = await fynnCatalog(emu, token, "Docs");
    const link = await call("POST", `${emu.baseUrls.fynn}/checkout-links`, {
      token,
      body: { items: [{ type: "product", product: productId, price: priceId, quantity: 1 }] },
    });
    expect(link.status).toBe(201);
    expect(link.body.items[0]).not.toHaveProperty("id");
  });

  it("the providers create, read without drift and update against it", async () => {
    const { productId, priceId } = await fynnCatalog(emu, token, "Docs provider");
    const plans = new PlanProvider();
    const checked = await plans.check(
      {},
      {
        code: "docs-provider",
        name: "Docs",
        description: "kept in state though the API does not report it",
        tiers: [{ name: "Pro", items: [{ productId, pricePlanId: priceId, quantityEditable: true }] }],
      },
    );
    expect(checked.failures ?? []).toEqual([]);
    const made = await plans.create(checked.inputs);
    expect(made.outs.description).toBe("kept in state though the API does not report it");
    expect(made.outs.tiers[0].items[0].quantityEditable).toBe(true);
    const read = await plans.read(made.id, made.outs);
    expect(read.inputs).toBeUndefined();
    expect((await plans.diff(made.id, made.outs, checked.inputs)).changes).toBe(false);

    const links = new FynnCheckoutLinkProvider();
    const linkArgs = await links.check(
      {},
      { items: [{ productId, pricePlanId: priceId }], slug: "docs-only" },
    );
    const link = await links.create(linkArgs.inputs);
    expect((await links.read(link.id, link.outs)).inputs).toBeUndefined();
    const upd = await links.update(link.id, link.outs, { ...linkArgs.inputs, isEnabled: false });
    expect(upd.outs).toMatchObject({ isEnabled: false, slug: "docs-only" });
    await links.delete(link.id, upd.outs);
    await plans.delete(made.id, made.outs);
  });
});
