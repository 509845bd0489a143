/** Persistence across restarts (atomic data file), control routes, and public link URLs. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import { coreapiActivePlan, polarLink, polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

describe("persistence", () => {
  it("state survives a restart on the same data file, written atomically", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-"));
    const dataFile = path.join(dir, "state.json");
    const first = await startEmulator({ dataFile });
    const product = await polarProduct(first, "polar_oat_demo_acme");
    const link = await polarLink(first, "polar_oat_demo_acme", [product.id]);
    await first.close();
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);

    const second = await startEmulator({ dataFile });
    try {
      const res = await call("GET", `${second.baseUrls.polar}/v1/checkout-links/${link.id}`, {
        token: "polar_oat_demo_acme",
      });
      expect(res.status).toBe(200);
      expect(res.body.client_secret).toBe(link.client_secret);
      // The url follows the new port: it is derived, not stored.
      expect(res.body.url).toBe(`${second.baseUrls.polar}/v1/checkout-links/${link.client_secret}/redirect`);
    } finally {
      await second.close();
    }
  });

  it("a corrupt data file stops the start instead of silently losing state", async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-")), "state.json");
    fs.writeFileSync(dataFile, JSON.stringify({ version: 99 }));
    await expect(startEmulator({ dataFile })).rejects.toThrow("is not an emulator data file of version 1");
  });
});

describe("control routes and public URLs", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: "examples" });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it("state shows everything, reset restores the seed, requests log API calls without tokens", async () => {
    const token = "api_demo_acme";
    await call("DELETE", `${emu.baseUrls.fynn}/checkout-links/${EXAMPLE_IDS.fynnLink}`, { token });
    const state = await call("GET", `${emu.url}/_emulator/state`);
    expect(state.body.fynn.links[EXAMPLE_IDS.fynnLink].deletedAt).toEqual(expect.any(String));
    const requests = await call("GET", `${emu.url}/_emulator/requests`);
    expect(requests.body).toEqual([
      expect.objectContaining({ seq: 1, method: "DELETE", vendor: "fynn", org: "acme", status: 204 }),
    ]);
    expect(JSON.stringify(requests.body)).not.toContain(token);
    expect((await call("POST", `${emu.url}/_emulator/reset`)).status).toBe(200);
    expect(emu.state().fynn.links[EXAMPLE_IDS.fynnLink]?.deletedAt).toBeNull();
    expect(emu.requests()).toEqual([]);
  });

  it("coreapi: /checkout-link/{slug}/cart redirects 302 to a cart; 404 once disabled or deleted", async () => {
    const token = "api_demo_acme";
    const plan = await coreapiActivePlan(emu, token, "team-plan", ["Team"]);
    const linkUrl = `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`;
    const link = await call("POST", linkUrl, { token, body: { planTierId: plan.tiers[0]!.id } });
    const open = await call("GET", link.body.url);
    expect(open.status).toBe(302);
    expect(open.headers["location"]).toMatch(new RegExp(`^${emu.baseUrls.fynn}/carts/[0-9a-f-]{36}$`));
    expect((await call("GET", open.headers["location"]!)).status).toBe(200);
    const disabled = await call("PUT", `${linkUrl}/${link.body.id}`, { token, body: { isEnabled: false } });
    expect([disabled.status, disabled.body.isEnabled, disabled.body.slug]).toEqual([
      200,
      false,
      "team-plan-team",
    ]);
    expect((await call("GET", link.body.url)).status).toBe(404);
    await call("PUT", `${linkUrl}/${link.body.id}`, { token, body: { isEnabled: true } });
    expect((await call("GET", link.body.url)).status).toBe(302);
    await call("DELETE", `${linkUrl}/${link.body.id}`, { token });
    expect((await call("GET", link.body.url)).status).toBe(404);
  });

  it("Fynn classic: /checkout/{slug} redirects until the link is disabled", async () => {
    const token = "api_demo_acme";
    const url = `${emu.baseUrls.fynn}/checkout/my-checkout-slug`;
    expect((await call("GET", url)).status).toBe(302);
    const link = await call("GET", `${emu.baseUrls.fynn}/checkout-links/${EXAMPLE_IDS.fynnLink}`, { token });
    const { id: _id, url: _url, slug: _slug, ...rest } = link.body;
    const items = rest.items.map(
      (i: { product: { id: string }; price: { id: string }; quantity: number }) => ({
        type: "product",
        product: i.product.id,
        price: i.price.id,
        quantity: i.quantity,
      }),
    );
    await call("PUT", `${emu.baseUrls.fynn}/checkout-links/${EXAMPLE_IDS.fynnLink}`, {
      token,
      body: { ...rest, items, isEnabled: false },
    });
    expect((await call("GET", url)).status).toBe(404);
  });

  it("Polar: the redirect answers 307 to a new checkout, passes the query on, and 404s once deleted", async () => {
    const token = "polar_oat_demo_acme";
    const link = await polarLink(emu, token, [EXAMPLE_IDS.polarProductPro]);
    const open = await call("GET", `${link.url}?utm_source=news&customer_email=a%40b.c`);
    expect(open.status).toBe(307);
    expect(open.headers["location"]).toMatch(
      new RegExp(
        `^${emu.baseUrls.polar}/checkout/polar_c_[A-Za-z0-9]{43}\\?utm_source=news&customer_email=a%40b.c$`,
      ),
    );
    expect((await call("GET", open.headers["location"]!)).status).toBe(200);
    const again = await call("GET", link.url);
    expect(again.headers["location"]).not.toBe(open.headers["location"]);
    await call("DELETE", `${emu.baseUrls.polar}/v1/checkout-links/${link.id}`, { token });
    const gone = await call("GET", link.url);
    expect([gone.status, gone.body]).toEqual([404, { error: "ResourceNotFound", detail: "Not found" }]);
  });
});
