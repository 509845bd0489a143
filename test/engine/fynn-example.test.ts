/**
 * fynn.CheckoutLink through the real Pulumi engine, driving the `examples/fynn` program as users run
 * it (a copy of the program in a project that installed the packed tarball), against the emulator: up,
 * empty preview and refresh, in-place updates, a slug change, replacement by account, out-of-band
 * delete and change, adoption, destroy, and a checkpoint that never holds the token.
 */
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { fynnProductWithPrices } from "../fixtures/emulator-setup";
import { emulatorConfig, vendorApi } from "../helpers/emulator";
import { previewOps, storedState, upOps, withExampleStack as withStackOf } from "../helpers/engine";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let api: ReturnType<typeof vendorApi>;
const catalog: Record<"acme" | "globex", { productId: string; monthly: string; yearly: string }> = {} as any;

/** A "Seats" product with a monthly and a yearly price plan. */
const makeCatalog = (token: string) =>
  fynnProductWithPrices(emu, token, "Seats", { monthly: ["M", 900], yearly: ["Y", 9000] });

async function liveLinks(token: string = DEMO_TOKENS.fynnAcme): Promise<any[]> {
  return (await api("GET", "/checkout-links?limit=100", undefined, token)).body.data;
}

beforeAll(async () => {
  // Only the keys the vendor's docs show (no link item ids): the provider must need nothing more.
  emu = await startEmulator({ docsOnly: true });
  api = vendorApi(emu, "fynn", DEMO_TOKENS.fynnAcme);
  catalog.acme = await makeCatalog(DEMO_TOKENS.fynnAcme);
  catalog.globex = await makeCatalog(DEMO_TOKENS.fynnGlobex);
});
afterAll(async () => {
  await emu?.close();
});

function baseConfig(slug: string): ConfigMap {
  return {
    ...emulatorConfig(emu, "fynn", { default: DEMO_TOKENS.fynnAcme, globex: DEMO_TOKENS.fynnGlobex }),
    productId: { value: catalog.acme.productId },
    pricePlanId: { value: catalog.acme.monthly },
    slug: { value: slug },
  };
}

/** A stack of the example program with its own file backend and PULUMI_HOME; always destroyed. */
const withExampleStack = (fn: (stack: Stack, dir: string) => Promise<void>) =>
  withStackOf("fynn", ({ stack, dir }) => fn(stack, dir));

describe("fynn example through the engine", () => {
  it("creates, previews and refreshes empty, updates in place, replaces on a new slug and by account, destroys", async () => {
    await withExampleStack(async (stack, dir) => {
      await stack.setAllConfig(baseConfig("engine-starter"));
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.summary.resourceChanges).toEqual({ create: 2 });
      const linkId = up.outputs.linkId?.value as string;
      expect(up.outputs.slug?.value).toBe("engine-starter");
      expect(up.outputs.url?.value).toBe(`${emu.baseUrls.fynn}/checkout/engine-starter`);
      const [remote, ...others] = await liveLinks();
      expect(others).toEqual([]);
      expect(remote.id).toBe(linkId);
      expect(remote.options).toEqual({
        trialDays: 14,
        allowCoupons: true,
        quantityEditable: false,
        forceCompany: false,
      });
      expect(remote.afterCheckout).toEqual({
        action: "redirect",
        url: "https://example.com/thanks",
        confirmationMessage: null,
        backToProviderUrl: null,
      });
      expect(remote.items.map((i: any) => [i.type, i.product.id, i.price.id, i.quantity])).toEqual([
        ["product", catalog.acme.productId, catalog.acme.monthly, 1],
      ]);

      await stack.preview({ expectNoChanges: true });
      expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 2 });
      await stack.preview({ expectNoChanges: true });

      const state = storedState(dir);
      expect(state).not.toContain(DEMO_TOKENS.fynnAcme);
      expect(state).not.toContain(DEMO_TOKENS.fynnGlobex);

      // In place: quantity, price plan and the thank-you page.
      await stack.setAllConfig({
        quantity: { value: "3" },
        pricePlanId: { value: catalog.acme.yearly },
        thankYouUrl: { value: "https://example.com/danke" },
      });
      const upd = await upOps(stack);
      expect(upd.ops).toEqual({ starter: "update" });
      expect(upd.res.outputs.linkId?.value).toBe(linkId);
      const [updated] = await liveLinks();
      expect([updated.items[0].price.id, updated.items[0].quantity, updated.afterCheckout.url]).toEqual([
        catalog.acme.yearly,
        3,
        "https://example.com/danke",
      ]);

      // A new slug replaces the link (the documented PUT has no slug) and moves the public URL; the
      // old one stops working.
      await stack.setConfig("slug", { value: "engine-starter-2" });
      // The provider's warning reaches the CLI as a diagnostic next to the resource.
      const diagnostics: string[] = [];
      await stack.preview({
        onEvent: (e: any) => {
          if (e.diagnosticEvent) diagnostics.push(e.diagnosticEvent.message);
        },
      });
      expect(diagnostics.join("")).toContain(
        `slug changes from "engine-starter" to "engine-starter-2": the published link ${emu.baseUrls.fynn}/checkout/engine-starter stops working`,
      );
      const moved = await upOps(stack);
      expect(moved.ops).toEqual({ starter: "replace" });
      expect(moved.res.outputs.linkId?.value).not.toBe(linkId);
      expect(moved.res.outputs.url?.value).toBe(`${emu.baseUrls.fynn}/checkout/engine-starter-2`);
      expect(
        (await fetch(`${emu.baseUrls.fynn}/checkout/engine-starter`, { redirect: "manual" })).status,
      ).toBe(404);
      await stack.preview({ expectNoChanges: true });

      // Another account replaces the link, and preview names the key.
      await stack.setAllConfig({
        account: { value: "globex" },
        productId: { value: catalog.globex.productId },
        pricePlanId: { value: catalog.globex.monthly },
      });
      const pv = await previewOps(stack);
      expect(pv.ops).toEqual({ starter: "replace" });
      expect(pv.keys).toEqual({ starter: ["account"] });
      const rep = await upOps(stack);
      expect(rep.ops).toEqual({ starter: "replace" });
      const globexId = rep.res.outputs.linkId?.value as string;
      expect(globexId).not.toBe(moved.res.outputs.linkId?.value);
      expect(await liveLinks()).toEqual([]);
      expect((await liveLinks(DEMO_TOKENS.fynnGlobex)).map((l) => [l.id, l.slug])).toEqual([
        [globexId, "engine-starter-2"],
      ]);
      await stack.preview({ expectNoChanges: true });

      const down = await stack.destroy();
      expect(down.summary.resourceChanges).toEqual({ delete: 2 });
      expect(await liveLinks(DEMO_TOKENS.fynnGlobex)).toEqual([]);
    });
  });

  it("notices an out-of-band delete and change on refresh, and puts them right on up", async () => {
    await withExampleStack(async (stack) => {
      await stack.setAllConfig(baseConfig("engine-drift"));
      const up = await stack.up();
      const linkId = up.outputs.linkId?.value as string;

      expect((await api("DELETE", `/checkout-links/${linkId}`)).status).toBe(204);
      expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 1, delete: 1 });
      const re = await upOps(stack);
      expect(re.ops).toEqual({ starter: "create" });
      const newId = re.res.outputs.linkId?.value as string;
      expect(newId).not.toBe(linkId);
      expect((await liveLinks()).map((l) => [l.id, l.slug])).toEqual([[newId, "engine-drift"]]);

      await api("PUT", `/checkout-links/${newId}`, {
        items: [
          { type: "product", product: catalog.acme.productId, price: catalog.acme.yearly, quantity: 7 },
        ],
        isEnabled: false,
      });
      expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 1, update: 1 });
      const fix = await upOps(stack);
      expect(fix.ops).toEqual({ starter: "update" });
      const [fixed] = await liveLinks();
      expect([
        fixed.id,
        fixed.isEnabled,
        fixed.items[0].price.id,
        fixed.items[0].quantity,
        fixed.options.trialDays,
      ]).toEqual([newId, true, catalog.acme.monthly, 1, 14]);
      await stack.preview({ expectNoChanges: true });
    });
  });

  it("adopts an existing link by slug only with adopt: true", async () => {
    await withExampleStack(async (stack) => {
      const existing = await api("POST", "/checkout-links", {
        slug: "engine-adopt",
        items: [
          { type: "product", product: catalog.acme.productId, price: catalog.acme.yearly, quantity: 5 },
        ],
      });
      expect(existing.status).toBe(201);
      await stack.setAllConfig(baseConfig("engine-adopt"));
      const refused = stack.up();
      await expect(refused).rejects.toThrow(/"engine-adopt" is already used by another checkout link/);
      // Through the engine the error is text: its code leads it, for a pipeline to match.
      await expect(refused).rejects.toThrow(/\[SLUG_TAKEN\] fynn: the slug "engine-adopt"/);

      await stack.setConfig("adopt", { value: "true" });
      const up = await upOps(stack);
      expect(up.ops).toEqual({ starter: "create" });
      expect(up.res.outputs.linkId?.value).toBe(existing.body.id);
      const mine = (await liveLinks()).filter((l) => l.slug === "engine-adopt");
      expect(mine.map((l) => [l.id, l.items[0].price.id, l.items[0].quantity, l.options.trialDays])).toEqual([
        [existing.body.id, catalog.acme.monthly, 1, 14],
      ]);
      await stack.preview({ expectNoChanges: true });
    });
  });
});
