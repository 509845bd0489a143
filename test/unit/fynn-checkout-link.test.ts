/**
 * fynn.CheckoutLink (classic API) provider methods called as plain functions against a started
 * emulator: check, diff, create, read, update, delete, adoption, and every fault the emulator injects
 * on the create path ending in exactly one link.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { UNKNOWN } from "../../provider/core/check";
import { FynnCheckoutLinkProvider, fynnCheckoutLinkDiffTable } from "../../provider/fynn/checkoutLink";
import { atPath, failedPath } from "../fixtures/check";
import { type CallResult, call as httpCall } from "../fixtures/http";
import { fakeTiming } from "../fixtures/timing";

const TOKEN = "api_demo_acme";

let emu: Awaited<ReturnType<typeof startEmulator>>;
let fynnBase: string;

/** A request to the Fynn host as the acme organisation. */
function call(method: string, path: string, body?: unknown): Promise<CallResult> {
  return httpCall(method, fynnBase + path, { token: TOKEN, body, headers: { accept: "application/json" } });
}

/** The emulator's control routes (faults). */
async function control(method: string, path: string, body?: unknown): Promise<any> {
  return (await httpCall(method, `${emu.url}/_emulator/${path}`, { body })).body;
}

/** API requests the emulator has seen (control calls are not logged). */
function apiRequests() {
  return emu.requests();
}

async function allLinks(): Promise<any[]> {
  return (await call("GET", "/checkout-links?limit=100")).body.data;
}

let productId: string;
let pricePlanId: string;
let otherPrice: string;
const links = new FynnCheckoutLinkProvider();

async function checked(news: Record<string, unknown>) {
  const res = await links.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

function linkInputs(extra: Record<string, unknown> = {}) {
  return {
    items: [{ productId, pricePlanId, quantity: 2 }],
    afterCheckout: { action: "redirect", url: "https://example.com/thanks" },
    ...extra,
  };
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  fynnBase = emu.baseUrls.fynn;
  process.env.CHECKOUT_LINKS_FYNN_TOKEN = TOKEN;
  process.env.CHECKOUT_LINKS_FYNN_BASE_URL = fynnBase;
  process.env.CHECKOUT_LINKS_FYNN_TIMEOUT_MS = "1000";
  process.env.CHECKOUT_LINKS_FYNN_MAX_RETRIES = "3";
  productId = (await call("POST", "/products", { name: "Seats" })).body.id;
  pricePlanId = (
    await call("POST", "/price-plans", { product: productId, internalName: "Monthly", amount: 900 })
  ).body.id;
  otherPrice = (
    await call("POST", "/price-plans", { product: productId, internalName: "Yearly", amount: 9000 })
  ).body.id;
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await control("DELETE", "faults");
});

describe("fynn.CheckoutLink", () => {
  it("check fills defaults so that a second check is identical", async () => {
    const first = await checked(linkInputs({ slug: "defaults" }));
    expect(first).toEqual({
      items: [{ type: "product", productId, pricePlanId, quantity: 2, periods: [] }],
      options: { trialDays: null, allowCoupons: false, quantityEditable: false, forceCompany: false },
      afterCheckout: { action: "redirect", url: "https://example.com/thanks" },
      isEnabled: true,
      slug: "defaults",
      adopt: false,
    });
    expect(await checked(first)).toEqual(first);
  });

  it("check names each bad field and makes no API call", async () => {
    const before = (await apiRequests()).length;
    const res = await links.check(
      {},
      {
        items: [{ productId: "nope", pricePlanId, quantity: 0 }, { pricePlanId }],
        options: { trialDays: -1 },
        afterCheckout: { action: "redirect", confirmationMessage: "x".repeat(256) },
        slug: "-bad-",
      },
    );
    expect(res.failures?.map(failedPath).sort()).toEqual([
      "afterCheckout.confirmationMessage",
      "afterCheckout.url",
      "items.0.productId",
      "items.0.quantity",
      "items.1.type",
      "options.trialDays",
      "slug",
    ]);
    expect(res.failures?.map(atPath).find((f) => f.property === "items.1.type")?.reason).toBe(
      "an item needs productId (a product) or planId (a plan)",
    );
    const redirect = await links.check({}, linkInputs({ afterCheckout: { action: "redirect" } }));
    expect(redirect.failures?.map(atPath)).toEqual([
      { property: "afterCheckout.url", reason: "This value should not be blank." },
    ]);
    const empty = await links.check({}, { items: [] });
    expect(empty.failures).toEqual([{ property: "items", reason: "at least one item is required" }]);
    const typo = await links.check({}, linkInputs({ option: { trialDays: 3 } }));
    expect(typo.failures).toEqual([{ property: "option", reason: "is not an argument of this resource" }]);
    const adopt = await links.check({}, linkInputs({ adopt: true }));
    expect(adopt.failures).toEqual([
      { property: "slug", reason: "adopt: true needs a slug to find the link by" },
    ]);
    expect((await apiRequests()).length).toBe(before);
  });

  it("check refuses misspelt nested keys and URLs that are not http(s), with no API call", async () => {
    const before = (await apiRequests()).length;
    const nested = await links.check(
      {},
      linkInputs({
        options: { trailDays: 14 },
        afterCheckout: { action: "redirect", url: "https://example.com/ok", urll: "x" },
      }),
    );
    expect(nested.failures).toEqual(
      expect.arrayContaining([
        { property: "options", reason: "options.trailDays: is not an argument of this resource" },
        { property: "afterCheckout", reason: "afterCheckout.urll: is not an argument of this resource" },
      ]),
    );
    expect(nested.failures).toHaveLength(2);
    for (const url of ["not a url", "javascript:alert(1)", "ftp://example.com/file"]) {
      const bad = await links.check({}, linkInputs({ afterCheckout: { action: "redirect", url } }));
      expect(bad.failures).toEqual([
        {
          property: "afterCheckout",
          reason: "afterCheckout.url: must be an http(s) URL, e.g. https://example.com/thanks",
        },
      ]);
    }
    const back = await links.check(
      {},
      linkInputs({
        afterCheckout: { action: "confirmation_message", backToProviderUrl: "javascript:void(0)" },
      }),
    );
    expect(back.failures?.map(failedPath)).toEqual(["afterCheckout.backToProviderUrl"]);
    const ok = await links.check(
      {},
      linkInputs({ afterCheckout: { action: "redirect", url: "http://example.com/thanks?x=1" } }),
    );
    expect(ok.failures ?? []).toEqual([]);
    expect((await apiRequests()).length).toBe(before);
  });

  it("check lets values that are not known yet pass", async () => {
    const res = await links.check(
      {},
      { items: [{ productId: UNKNOWN, pricePlanId: UNKNOWN }], slug: UNKNOWN },
    );
    expect(res.failures ?? []).toEqual([]);
  });

  it("creates a link with exact outputs and reads it back without drift", async () => {
    const inputs = await checked(
      linkInputs({ slug: "starter", options: { trialDays: 14, allowCoupons: true }, isEnabled: true }),
    );
    const created = await links.create(inputs);
    expect(created.outs).toEqual({
      items: [{ type: "product", productId, pricePlanId, quantity: 2, periods: [] }],
      options: { trialDays: 14, allowCoupons: true, quantityEditable: false, forceCompany: false },
      afterCheckout: {
        action: "redirect",
        url: "https://example.com/thanks",
        confirmationMessage: null,
        backToProviderUrl: null,
      },
      isEnabled: true,
      slug: "starter",
      adopt: false,
      linkId: created.id,
      url: `${fynnBase}/checkout/starter`,
    });
    const read = await links.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual(created.outs);
    expect(await links.diff(created.id, read.props, inputs)).toEqual({ changes: false });
    expect((await fetch(created.outs.url, { redirect: "manual" })).status).toBe(302);
    await links.delete(created.id, created.outs);
  });

  it("sells a coreapi plan as a plan item", async () => {
    const plan = await call("POST", "/api/plans", {
      code: "classic-plan-item",
      name: "P",
      tiers: [{ name: "T", items: [{ productId, pricePlanId }] }],
    });
    const inputs = await checked(linkInputs({ items: [{ planId: plan.body.id, pricePlanId }] }));
    const created = await links.create(inputs);
    expect(created.outs.items).toEqual([{ type: "plan", planId: plan.body.id, pricePlanId, periods: [] }]);
    expect(await links.diff(created.id, created.outs, inputs)).toEqual({ changes: false });
    await links.delete(created.id, created.outs);
  });

  it("diffs by the declared table, and an omitted slug is not a change", async () => {
    const inputs = await checked(linkInputs());
    const { id, outs } = await links.create(inputs);
    expect(outs.slug).toMatch(/^[a-z0-9-]{3,64}$/);
    expect(await links.diff(id, outs, inputs)).toEqual({ changes: false });
    // The documented PUT has no slug: a new slug is a new link, made after the old one frees nothing.
    expect(await links.diff(id, outs, { ...inputs, slug: "new-slug" })).toEqual({
      changes: true,
      replaces: ["slug"],
      deleteBeforeReplace: true,
    });
    expect(
      await links.diff(id, outs, {
        ...inputs,
        options: { ...(inputs.options as object), forceCompany: true },
      }),
    ).toEqual({
      changes: true,
    });
    expect(await links.diff(id, outs, { ...inputs, account: "eu" })).toEqual({
      changes: true,
      replaces: ["account"],
    });
    expect(await links.diff(id, outs, { ...inputs, slug: outs.slug, account: "eu" })).toEqual({
      changes: true,
      replaces: ["account"],
      deleteBeforeReplace: true,
    });
    expect(fynnCheckoutLinkDiffTable.slug).toMatchObject({ change: "replace", publishes: true });
    await links.delete(id, outs);
  });

  it("updates in place with the full PUT, which carries no slug, and returns the full outputs", async () => {
    const { id, outs } = await links.create(await checked(linkInputs({ slug: "before" })));
    emu.clearRequests();
    const news = await checked(
      linkInputs({
        slug: "before",
        items: [{ productId, pricePlanId: otherPrice, quantity: 1 }],
        afterCheckout: { action: "confirmation_message", confirmationMessage: "Danke!" },
        isEnabled: false,
      }),
    );
    const { outs: after } = await links.update(id, outs, news);
    const put = emu.requests().find((r) => r.method === "PUT");
    expect(put?.body).not.toHaveProperty("slug");
    expect(put?.body).not.toHaveProperty("url");
    expect(after).toMatchObject({
      linkId: id,
      slug: "before",
      url: `${fynnBase}/checkout/before`,
      isEnabled: false,
      items: [{ type: "product", productId, pricePlanId: otherPrice, quantity: 1, periods: [] }],
      afterCheckout: { action: "confirmation_message", confirmationMessage: "Danke!", url: null },
    });
    expect(await links.diff(id, after, news)).toEqual({ changes: false });
    await links.delete(id, after);
  });

  it("detects an out-of-band change on read and puts it back on update", async () => {
    const inputs = await checked(linkInputs({ slug: "drift" }));
    const { id, outs } = await links.create(inputs);
    const remote = await call("PUT", `/checkout-links/${id}`, {
      items: [{ type: "product", product: productId, price: pricePlanId, quantity: 9 }],
      options: { allowCoupons: true },
    });
    expect(remote.status).toBe(200);
    const read = await links.read(id, outs);
    expect(read.props.items[0].quantity).toBe(9);
    expect(read.props.slug).toBe("drift");
    expect(await links.diff(id, read.props, inputs)).toEqual({ changes: true });
    const { outs: back } = await links.update(id, read.props, inputs);
    expect(back).toEqual(outs);
    await links.delete(id, back);
  });

  it("drops a link deleted out of band on read, and deleting it again succeeds", async () => {
    const { id, outs } = await links.create(await checked(linkInputs({ slug: "gone" })));
    expect((await call("DELETE", `/checkout-links/${id}`)).status).toBe(204);
    expect(await links.read(id, outs)).toEqual({ id: "" });
    await links.delete(id, outs);
  });

  it("a framework 404 on read or delete is never taken as gone or done", async () => {
    const { id, outs } = await links.create(await checked(linkInputs({ slug: "no-route" })));
    await control("POST", "faults", {
      method: "GET",
      path: `/fynn/checkout-links/${id}`,
      missingRoute: "html",
    });
    await expect(links.read(id, outs)).rejects.toThrow(
      `fynn GET /checkout-links/${id} failed (HTTP 404) at ${new URL(emu.url).host}: answered 404 in a form that is not the vendor's not-found answer`,
    );
    await control("POST", "faults", {
      method: "DELETE",
      path: `/fynn/checkout-links/${id}`,
      missingRoute: "json",
    });
    await expect(links.delete(id, outs)).rejects.toThrow(/DELETE .* failed \(HTTP 404\)/);
    await control("DELETE", "faults");
    expect((await call("GET", `/checkout-links/${id}`)).status).toBe(200);
    await links.delete(id, outs);
  });

  it("a create whose 2xx answer cannot be read finds the link: no orphan, no duplicate", async () => {
    for (const slug of ["garbled", undefined]) {
      await control("POST", "faults", {
        method: "POST",
        path: "/fynn/checkout-links",
        attempts: [1],
        garble: true,
      });
      const before = (await allLinks()).length;
      const created = await links.create(await checked(linkInputs(slug === undefined ? {} : { slug })));
      const after = await allLinks();
      expect(after).toHaveLength(before + 1);
      expect(after.map((l) => l.id)).toContain(created.id);
      expect(created.outs.url).toBe(`${fynnBase}/checkout/${created.outs.slug}`);
      await links.delete(created.id, created.outs);
      await control("DELETE", "faults");
    }
  });

  it("refuses a taken slug with a way out, and adopts the existing link with adopt: true", async () => {
    const other = await call("POST", "/checkout-links", {
      slug: "taken",
      items: [{ type: "product", product: productId, price: otherPrice, quantity: 1 }],
    });
    expect(other.status).toBe(201);
    await expect(links.create(await checked(linkInputs({ slug: "taken" })))).rejects.toThrow(
      'the slug "taken" is already used by another checkout link. Set `adopt: true`',
    );
    await expect(links.create(await checked(linkInputs({ slug: "taken" })))).rejects.toMatchObject({
      code: "SLUG_TAKEN",
      message: expect.stringMatching(/^\[SLUG_TAKEN\] fynn: the slug "taken"/),
    });
    const adopted = await links.create(await checked(linkInputs({ slug: "taken", adopt: true })));
    expect(adopted.id).toBe(other.body.id);
    expect(adopted.outs).toMatchObject({ slug: "taken", adopt: true, items: [{ pricePlanId, quantity: 2 }] });
    expect((await allLinks()).filter((l) => l.slug === "taken")).toHaveLength(1);
    await links.delete(adopted.id, adopted.outs);
  });

  it("keeps an adopted link in state with its id when putting it into shape fails", async () => {
    const other = await call("POST", "/checkout-links", {
      slug: "adopt-fails",
      items: [{ type: "product", product: productId, price: otherPrice, quantity: 1 }],
    });
    await control("POST", "faults", {
      method: "PUT",
      path: `/fynn/checkout-links/${other.body.id}`,
      status: 422,
    });
    const err = await links
      .create({ ...(await checked(linkInputs({ slug: "adopt-fails", adopt: true }))), __provider: "p" })
      .catch((e: unknown) => e as any);
    expect(err.id).toBe(other.body.id);
    expect(err.properties).toMatchObject({ slug: "adopt-fails", linkId: other.body.id, __provider: "p" });
    expect(err.reasons[0]).toContain("HTTP 422");
  });

  describe("faults on create end with exactly one link", () => {
    const cases: [string, Record<string, unknown>][] = [
      ["429 with Retry-After", { status: 429, retryAfter: 1 }],
      ["503 (not applied)", { status: 503 }],
      ["connection dropped before the create is applied", { drop: "before" }],
      ["connection dropped after the create was applied", { drop: "after" }],
      ["an answer slower than the per-attempt timeout", { latencyMs: 1500 }],
    ];
    let n = 0;
    for (const [name, effect] of cases) {
      for (const withSlug of [true, false]) {
        it(`${name} (${withSlug ? "given slug" : "generated slug"})`, async () => {
          n += 1;
          // A quantity of its own makes this case's link recognisable among the others.
          const quantity = 100 + n;
          await control("POST", "faults", {
            method: "POST",
            path: "/fynn/checkout-links",
            attempts: [1],
            ...effect,
          });
          const inputs = await checked(
            linkInputs({
              items: [{ productId, pricePlanId, quantity }],
              ...(withSlug ? { slug: `fault-${n}` } : {}),
            }),
          );
          // Retries, backoff and the settle wait run on a fake clock. A slow answer keeps the real
          // one: its create lands while the provider waits to look again, which is what it tests.
          const timing = effect.latencyMs === undefined ? fakeTiming() : undefined;
          const created = await (timing ? new FynnCheckoutLinkProvider({ timing }) : links).create(inputs);
          if (effect.retryAfter !== undefined) expect(timing?.slept).toEqual([1000]);
          const mine = (await allLinks()).filter((l) => l.items[0].quantity === quantity);
          expect(mine.map((l) => l.id)).toEqual([created.id]);
          if (withSlug) expect(created.outs.slug).toBe(`fault-${n}`);
        });
      }
    }
  });
});
