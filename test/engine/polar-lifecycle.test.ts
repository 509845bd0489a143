/**
 * Polar products and checkout links through the real Pulumi engine (Automation API, inline
 * program, compiled library) against the emulator: create, no-op preview and refresh, in-place
 * update, replacement, out-of-band delete / change / archive, adoption, secrets, destroy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { lib, resourcesOfType, storedState, storedStateFiles, upOps, withStack } from "../helpers/engine";

const LINK_TYPE = "pulumi-nodejs:dynamic/polar:CheckoutLink";
const PRODUCT_TYPE = "pulumi-nodejs:dynamic/polar:Product";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let polarApi: ReturnType<typeof vendorApi>;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 1000 });
  polarApi = vendorApi(emu, "polar", DEMO_TOKENS.polarAcme);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
});

/** Live (not soft-deleted) checkout links of org acme. */
async function liveLinks(): Promise<any[]> {
  const res = await polarApi("GET", "/v1/checkout-links/?limit=100");
  return res.body.items;
}

const config = () =>
  emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme, globex: DEMO_TOKENS.polarGlobex });

interface Spec {
  productName: string;
  amount: number;
  interval: "month" | "year";
  label: string;
  /** Put the link in the globex account (with a globex product): forces a replacement. */
  globex: boolean;
}

function programFor(get: () => Spec) {
  return async () => {
    const { polar } = lib();
    const s = get();
    const opts = s.globex ? { account: "globex" } : {};
    const product = new polar.Product("pro", {
      name: s.productName,
      recurringInterval: s.interval,
      prices: [{ type: "fixed", amount: s.amount }],
      metadata: { plan: "pro" },
      ...opts,
    });
    const link = new polar.CheckoutLink("pro-link", {
      products: [product.productId],
      label: s.label,
      successUrl: "https://example.com/thanks?checkout_id={CHECKOUT_ID}",
      metadata: { campaign: "launch" },
      ...opts,
    });
    return {
      url: link.url,
      linkId: link.id,
      productId: product.productId,
      priceIds: product.priceIds,
      clientSecret: link.clientSecret,
    };
  };
}

describe("polar engine lifecycle", () => {
  it("creates, previews empty, updates in place, replaces, and destroys", async () => {
    let spec: Spec = { productName: "Pro", amount: 1900, interval: "month", label: "pro", globex: false };
    await withStack(
      "polar-lifecycle",
      programFor(() => spec),
      async ({ stack, dir }) => {
        await stack.setAllConfig(config());
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toEqual({ create: 3 });
        const linkId = up.outputs.linkId?.value as string;
        const links = await liveLinks();
        expect(links.map((l) => l.id)).toEqual([linkId]);
        expect(links[0].payment_processor).toBe("stripe");
        expect(links[0].metadata).toEqual({
          campaign: "launch",
          "pulumi-checkout-links:name": "pro-link",
          "pulumi-checkout-links:create": expect.any(String),
        });
        expect(up.outputs.url?.value).toBe(links[0].url);
        expect(up.outputs.clientSecret?.secret).toBe(true);

        // Nothing changed: preview and refresh are empty.
        const pv = await stack.preview();
        expect(pv.changeSummary).toEqual({ same: 3 });
        const rf = await stack.refresh();
        expect(rf.summary.resourceChanges).toEqual({ same: 3 });
        expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

        // The token never reaches state; the client secret is encrypted there.
        const clientSecret = links[0].client_secret as string;
        expect(storedStateFiles(dir)).toHaveLength(1);
        const stored = storedState(dir);
        expect(stored).not.toContain(DEMO_TOKENS.polarAcme);
        const storedLink = JSON.parse(stored).checkpoint.latest.resources.find(
          (r: any) => r.type === LINK_TYPE,
        );
        expect(storedLink.outputs.clientSecret).toEqual({
          [SECRET_SIG]: expect.any(String),
          ciphertext: expect.any(String),
        });
        expect(JSON.stringify(storedLink.outputs.clientSecret)).not.toContain(clientSecret);
        expect(storedLink.outputs.metadata).toEqual({ campaign: "launch" });

        // In-place update of both resources.
        spec = { ...spec, productName: "Pro Plus", amount: 2900, label: "pro plus" };
        const upd = await upOps(stack);
        expect(upd.ops).toEqual({ pro: "update", "pro-link": "update" });
        expect(upd.res.outputs.linkId?.value).toBe(linkId);
        const linksAfter = await liveLinks();
        expect(linksAfter.map((l) => [l.id, l.label])).toEqual([[linkId, "pro plus"]]);
        const prod = await polarApi("GET", `/v1/products/${upd.res.outputs.productId?.value}`);
        expect(prod.body.name).toBe("Pro Plus");
        expect(prod.body.prices.filter((p: any) => !p.is_archived).map((p: any) => p.price_amount)).toEqual([
          2900,
        ]);
        expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

        // Billing interval cannot change on Polar: the product is replaced, the link follows in place.
        spec = { ...spec, interval: "year" };
        const rep = await upOps(stack);
        expect(rep.ops).toEqual({ pro: "replace", "pro-link": "update" });
        const oldProduct = prod.body.id as string;
        expect((await polarApi("GET", `/v1/products/${oldProduct}`)).body.is_archived).toBe(true);
        expect(rep.res.outputs.linkId?.value).toBe(linkId);

        // Another account: the link is replaced (new link in globex, the acme one soft-deleted).
        spec = { ...spec, globex: true };
        const acct = await upOps(stack);
        expect(acct.ops).toEqual({ pro: "replace", "pro-link": "replace" });
        expect(acct.res.outputs.linkId?.value).not.toBe(linkId);
        expect(await liveLinks()).toEqual([]);
        expect((await polarApi("GET", `/v1/checkout-links/${linkId}`)).status).toBe(404);
        const globexLinks = (await polarApi("GET", "/v1/checkout-links/", undefined, DEMO_TOKENS.polarGlobex))
          .body.items;
        expect(globexLinks.map((l: any) => l.id)).toEqual([acct.res.outputs.linkId?.value]);
        expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

        // Destroy: the link is soft-deleted, the product archived.
        const productId = acct.res.outputs.productId?.value as string;
        const down = await stack.destroy();
        expect(down.summary.resourceChanges).toEqual({ delete: 3 });
        const globexAfter = (await polarApi("GET", "/v1/checkout-links/", undefined, DEMO_TOKENS.polarGlobex))
          .body.items;
        expect(globexAfter).toEqual([]);
        const archived = await polarApi(
          "GET",
          `/v1/products/${productId}`,
          undefined,
          DEMO_TOKENS.polarGlobex,
        );
        expect(archived.body.is_archived).toBe(true);
      },
      { skipDestroy: true },
    );
  });

  it("notices out-of-band deletes, changes and archives on refresh, and puts them right on up", async () => {
    const spec: Spec = { productName: "Team", amount: 4900, interval: "month", label: "team", globex: false };
    await withStack(
      "polar-drift",
      programFor(() => spec),
      async ({ stack }) => {
        await stack.setAllConfig(config());
        const up = await stack.up();
        const linkId = up.outputs.linkId?.value as string;
        const productId = up.outputs.productId?.value as string;

        // Deleted out of band: refresh drops the link, up creates a new one.
        expect((await polarApi("DELETE", `/v1/checkout-links/${linkId}`)).status).toBe(204);
        const rf = await stack.refresh();
        expect(rf.summary.resourceChanges).toEqual({ same: 2, delete: 1 });
        expect(await resourcesOfType(stack, LINK_TYPE)).toEqual([]);
        const re = await upOps(stack);
        expect(re.ops).toEqual({ pro: "same", "pro-link": "create" });
        const newLinkId = re.res.outputs.linkId?.value as string;
        expect(newLinkId).not.toBe(linkId);
        expect((await liveLinks()).map((l) => l.id)).toEqual([newLinkId]);

        // Changed out of band: refresh records it, up puts the declared values back.
        await polarApi("PATCH", `/v1/checkout-links/${newLinkId}`, {
          label: "hacked",
          allow_discount_codes: false,
        });
        const rf2 = await stack.refresh();
        expect(rf2.summary.resourceChanges).toEqual({ same: 2, update: 1 });
        const fix = await upOps(stack);
        expect(fix.ops).toEqual({ pro: "same", "pro-link": "update" });
        const [fixed] = await liveLinks();
        expect([fixed.label, fixed.allow_discount_codes]).toEqual(["team", true]);
        expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

        // Product changed out of band (name and price): refresh records it, up puts it back.
        await polarApi("PATCH", `/v1/products/${productId}`, {
          name: "Renamed elsewhere",
          prices: [{ amount_type: "fixed", price_amount: 1 }],
        });
        const rf4 = await stack.refresh();
        expect(rf4.summary.resourceChanges).toEqual({ same: 2, update: 1 });
        const fixProduct = await upOps(stack);
        expect(fixProduct.ops).toEqual({ pro: "update", "pro-link": "same" });
        const restored = (await polarApi("GET", `/v1/products/${productId}`)).body;
        expect(restored.name).toBe("Team");
        expect(restored.prices.filter((p: any) => !p.is_archived).map((p: any) => p.price_amount)).toEqual([
          4900,
        ]);
        expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

        // Product archived out of band: refresh shows it gone (and the link Polar deleted with it).
        expect((await polarApi("PATCH", `/v1/products/${productId}`, { is_archived: true })).status).toBe(
          200,
        );
        const rf3 = await stack.refresh();
        expect(rf3.summary.resourceChanges).toEqual({ same: 1, delete: 2 });
        expect(await resourcesOfType(stack, PRODUCT_TYPE)).toEqual([]);
        const back = await upOps(stack);
        expect(back.ops).toEqual({ pro: "create", "pro-link": "create" });
        expect(back.res.outputs.productId?.value).not.toBe(productId);
        expect((await liveLinks()).map((l) => l.products.map((p: any) => p.id))).toEqual([
          [back.res.outputs.productId?.value],
        ]);
      },
    );
  });

  it("adopts an existing product and link by their tags instead of creating second ones", async () => {
    // Objects made earlier (e.g. by a stack whose state was lost) carrying the provider's tag.
    const product = await polarApi("POST", "/v1/products/", {
      name: "Adopted product",
      prices: [{ amount_type: "fixed", price_amount: 500 }],
      metadata: { "pulumi-checkout-links:name": "adopted-product" },
    });
    const existing = await polarApi("POST", "/v1/checkout-links/", {
      payment_processor: "stripe",
      products: [product.body.id],
      label: "adopt me",
      allow_discount_codes: false,
      metadata: { "pulumi-checkout-links:name": "adopted" },
    });
    expect(existing.status).toBe(201);
    await withStack(
      "polar-adopt",
      async () => {
        const { polar } = lib();
        const p = new polar.Product("adopted-product", {
          name: "Adopted product",
          prices: [{ type: "fixed", amount: 700 }],
          adopt: true,
        });
        const link = new polar.CheckoutLink("adopted", {
          products: [p.productId],
          label: "adopt me",
          adopt: true,
        });
        return { linkId: link.id, productId: p.productId };
      },
      async ({ stack }) => {
        await stack.setAllConfig(config());
        const before = (await liveLinks()).length;
        const up = await stack.up();
        expect(up.outputs.linkId?.value).toBe(existing.body.id);
        expect(up.outputs.productId?.value).toBe(product.body.id);
        expect((await liveLinks()).length).toBe(before);
        // The adopted product got the declared price (the old one archived, as Polar does).
        const adopted = (await polarApi("GET", `/v1/products/${product.body.id}`)).body;
        expect(adopted.prices.filter((x: any) => !x.is_archived).map((x: any) => x.price_amount)).toEqual([
          700,
        ]);
        const products = (await polarApi("GET", "/v1/products/?limit=100&is_archived=false")).body.items;
        expect(products.map((x: any) => x.id)).toEqual([product.body.id]);
        // Brought to the declared arguments (allowDiscountCodes defaults to true).
        expect(
          (await polarApi("GET", `/v1/checkout-links/${existing.body.id}`)).body.allow_discount_codes,
        ).toBe(true);
        expect((await stack.preview()).changeSummary).toEqual({ same: 3 });
      },
    );
    // The stack's destroy deleted the adopted link.
    expect((await polarApi("GET", `/v1/checkout-links/${existing.body.id}`)).status).toBe(404);
  });
});
