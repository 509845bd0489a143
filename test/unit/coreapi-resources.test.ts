/**
 * coreapi.Plan and coreapi.CheckoutLink provider methods called as plain functions against a
 * started emulator: check, diff, create, read, update, delete, adoption, and every fault the
 * emulator injects on the create path ending in exactly one link.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startEmulator } from "../../emulator/index";
import { UNKNOWN } from "../../provider/core/check";
import { CheckoutLinkProvider, checkoutLinkDiffTable } from "../../provider/coreapi/checkoutLink";
import { PlanProvider } from "../../provider/coreapi/plan";
import { atPath, failedPath } from "../fixtures/check";
import { type CallResult, call as httpCall } from "../fixtures/http";
import { fakeTiming } from "../fixtures/timing";

const TOKEN = "api_demo_acme";
const DEFAULT_CHANNEL = { id: "6a1d3c52-8f0e-4b7a-9c21-3e5f7a9b1c01", name: "default" };

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

async function fault(spec: Record<string, unknown>): Promise<void> {
  await control("POST", "faults", spec);
}

let productId: string;
let starterPrice: string;
let proPrice: string;

async function catalog(): Promise<void> {
  const product = await call("POST", "/products", { name: "Seats" });
  expect(product.status).toBe(201);
  productId = product.body.id;
  const starter = await call("POST", "/price-plans", {
    product: productId,
    internalName: "Starter monthly",
    amount: 900,
  });
  const pro = await call("POST", "/price-plans", {
    product: productId,
    internalName: "Pro monthly",
    amount: 2900,
  });
  starterPrice = starter.body.id;
  proPrice = pro.body.id;
}

function planInputs(code: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    name: "Pro Plan",
    tiers: [
      { name: "Starter", items: [{ productId, pricePlanId: starterPrice }] },
      {
        name: "Pro",
        commitmentPeriod: "P1Y",
        items: [{ productId, pricePlanId: proPrice, defaultQuantity: 2 }],
      },
    ],
    ...extra,
  };
}

const plans = new PlanProvider();
const links = new CheckoutLinkProvider();

async function checked<T extends { check: (o: any, n: any) => Promise<any> }>(
  p: T,
  news: Record<string, unknown>,
) {
  const res = await p.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

async function newPlan(code: string) {
  const created = await plans.create(await checked(plans, planInputs(code)));
  return { id: created.id, outs: created.outs as Record<string, any> };
}

async function liveLinks(planId: string): Promise<any[]> {
  return (await call("GET", `/api/plans/${planId}/checkout-links`)).body;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  fynnBase = emu.baseUrls.fynn;
  // coreapi falls back to the fynn settings (one host, one Organisation token).
  process.env.CHECKOUT_LINKS_FYNN_TOKEN = TOKEN;
  process.env.CHECKOUT_LINKS_FYNN_BASE_URL = fynnBase;
  process.env.CHECKOUT_LINKS_FYNN_TIMEOUT_MS = "1000";
  process.env.CHECKOUT_LINKS_FYNN_MAX_RETRIES = "3";
  await catalog();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await control("DELETE", "faults");
});

describe("coreapi.Plan", () => {
  it("check fills defaults so that a second check is identical", async () => {
    const first = await checked(plans, planInputs("defaults"));
    expect(first).toEqual({
      code: "defaults",
      name: "Pro Plan",
      description: null,
      activate: true,
      tiers: [
        {
          name: "Starter",
          upgradeable: true,
          downgradeable: true,
          commitmentPeriod: null,
          items: [
            {
              productId,
              pricePlanId: starterPrice,
              defaultQuantity: 1,
              minQuantity: null,
              maxQuantity: null,
              quantityEditable: false,
            },
          ],
        },
        {
          name: "Pro",
          upgradeable: true,
          downgradeable: true,
          commitmentPeriod: "P1Y",
          items: [
            {
              productId,
              pricePlanId: proPrice,
              defaultQuantity: 2,
              minQuantity: null,
              maxQuantity: null,
              quantityEditable: false,
            },
          ],
        },
      ],
    });
    expect(await checked(plans, first)).toEqual(first);
  });

  it("check names each bad field and makes no API call", async () => {
    const before = (await apiRequests()).length;
    const res = await plans.check(
      {},
      {
        code: "Not Kebab",
        name: "",
        tiers: [
          { name: "A", items: [{ productId: "nope", pricePlanId: proPrice }] },
          { name: "A", commitmentPeriod: "1 year" },
        ],
        account: "no spaces allowed",
      },
    );
    expect(res.failures?.map(failedPath).sort()).toEqual([
      "account",
      "code",
      "name",
      "tiers.0.items.0.productId",
      "tiers.1.commitmentPeriod",
      "tiers.1.name",
    ]);
    const dup = await plans.check({}, { code: "dup", name: "D", tiers: [{ name: "A" }, { name: "A" }] });
    expect(dup.failures?.map(atPath)).toEqual([
      { property: "tiers.1.name", reason: 'tier names must be unique in a plan ("A" is also tier 0)' },
    ]);
    expect((await apiRequests()).length).toBe(before);
  });

  it("check refuses a misspelt key inside a tier or an item instead of deploying without it", async () => {
    const before = (await apiRequests()).length;
    const res = await plans.check(
      {},
      {
        code: "typo",
        name: "Typo",
        tiers: [{ name: "A", comitmentPeriod: "P1Y", items: [{ productId, pricePlanId: proPrice, qty: 2 }] }],
      },
    );
    expect(res.failures).toEqual([
      { property: "tiers", reason: "tiers.0.comitmentPeriod: is not an argument of this resource" },
      { property: "tiers", reason: "tiers.0.items.0.qty: is not an argument of this resource" },
    ]);
    expect((await apiRequests()).length).toBe(before);
  });

  it("check lets values that are not known yet pass", async () => {
    const res = await plans.check({}, { code: UNKNOWN, name: "N", tiers: UNKNOWN });
    expect(res.failures ?? []).toEqual([]);
  });

  it("creates a draft, activates it, and reports tier ids by name", async () => {
    const { id, outs } = await newPlan("create-activate");
    const remote = (await call("GET", `/api/plans/${id}`)).body;
    expect(remote.status).toBe("active");
    expect(outs.planId).toBe(id);
    expect(outs.status).toBe("active");
    expect(outs.activate).toBe(true);
    expect(outs.currency).toBe("EUR");
    expect(outs.tierIds).toEqual({
      Starter: remote.tiers.find((t: any) => t.name === "Starter").id,
      Pro: remote.tiers.find((t: any) => t.name === "Pro").id,
    });
    expect(outs.createdAt).toBe(remote.createdAt);
    expect(outs.updatedAt).toBe(remote.updatedAt);
    expect(Object.values(outs).includes(undefined)).toBe(false);
  });

  it("leaves a plan as draft with activate: false, and activates it on update", async () => {
    const inputs = await checked(plans, planInputs("draft-first", { activate: false }));
    const created = await plans.create(inputs);
    expect(created.outs.status).toBe("draft");
    expect(created.outs.activate).toBe(false);
    const news = await checked(plans, planInputs("draft-first"));
    expect(await plans.diff(created.id, created.outs, news)).toEqual({ changes: true });
    const updated = await plans.update(created.id, created.outs, news);
    expect(updated.outs.status).toBe("active");
    expect(updated.outs.activate).toBe(true);
  });

  it("reads back exactly what create returned, and no inputs: the engine keeps the program's", async () => {
    const inputs = await checked(plans, planInputs("read-back"));
    const created = await plans.create(inputs);
    const read = await plans.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toEqual(created.outs);
    expect(read).not.toHaveProperty("inputs");
    expect(await plans.diff(created.id, read.props, inputs)).toEqual({ changes: false });
  });

  it("updates with the whole-plan PUT keeping tier ids by name, else by position", async () => {
    const { id, outs } = await newPlan("keep-ids");
    const renamed = planInputs("keep-ids", {
      name: "Pro Plan 2",
      tiers: [
        { name: "Basic", items: [{ productId, pricePlanId: starterPrice }] },
        { name: "Pro", items: [{ productId, pricePlanId: proPrice, defaultQuantity: 3 }] },
        { name: "Team", items: [{ productId, pricePlanId: proPrice, defaultQuantity: 5 }] },
      ],
    });
    const news = await checked(plans, renamed);
    expect(await plans.diff(id, outs as any, news)).toEqual({ changes: true });
    const live = (await call("GET", `/api/plans/${id}`)).body;
    const proItem = live.tiers.find((t: any) => t.name === "Pro").items[0].id;
    const updated = await plans.update(id, outs as any, news);
    // "Pro" keeps its id by name; "Basic" continues "Starter" at its position; "Team" is new.
    expect(updated.outs.tierIds.Pro).toBe(outs.tierIds.Pro);
    expect(updated.outs.tierIds.Basic).toBe(outs.tierIds.Starter);
    expect(Object.keys(updated.outs.tierIds).sort()).toEqual(["Basic", "Pro", "Team"]);
    expect(updated.outs.name).toBe("Pro Plan 2");
    expect(updated.outs.tiers.map((t: any) => [t.name, t.items[0].defaultQuantity])).toEqual([
      ["Basic", 1],
      ["Pro", 3],
      ["Team", 5],
    ]);
    const after = (await call("GET", `/api/plans/${id}`)).body;
    // Items keep their ids by product and price plan.
    expect(after.tiers.find((t: any) => t.name === "Pro").items[0].id).toBe(proItem);
  });

  it("detects an out-of-band change on read and puts it back on update", async () => {
    const inputs = await checked(plans, planInputs("drift"));
    const created = await plans.create(inputs);
    const remote = (await call("GET", `/api/plans/${created.id}`)).body;
    const put = await call("PUT", `/api/plans/${created.id}`, {
      code: remote.code,
      name: "Renamed elsewhere",
      tiers: remote.tiers,
    });
    expect(put.status).toBe(200);
    const read = await plans.read(created.id, created.outs);
    expect(read.props.name).toBe("Renamed elsewhere");
    // Drift: the inputs as the vendor has them now, so that the next preview shows the name coming back.
    expect(read.inputs).toMatchObject({ name: "Renamed elsewhere", code: inputs.code });
    expect(await plans.diff(created.id, read.props, inputs)).toEqual({ changes: true });
    const updated = await plans.update(created.id, read.props, inputs);
    expect(updated.outs.name).toBe("Pro Plan");
    expect((await call("GET", `/api/plans/${created.id}`)).body.name).toBe("Pro Plan");
  });

  it("deletes an unreferenced plan, drops an unknown plan on read, and deletes twice without error", async () => {
    const { id, outs } = await newPlan("delete-me");
    await plans.delete(id, outs as any);
    expect((await call("GET", `/api/plans/${id}`)).status).toBe(404);
    expect(await plans.read(id, outs as any)).toEqual({ id: "" });
    await plans.delete(id, outs as any);
    // The code is free again: the same plan can be made anew.
    await newPlan("delete-me");
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await plans.read(missing, outs as any)).toEqual({ id: "" });
    await plans.delete(missing, outs as any);
  });

  it("names the code conflict instead of creating a second plan", async () => {
    await newPlan("taken-code");
    await expect(plans.create(await checked(plans, planInputs("taken-code")))).rejects.toThrow(
      'the plan code "taken-code" is already used by another plan',
    );
    // A pipeline tells it apart by its code, which also leads the message the engine shows.
    await expect(plans.create(await checked(plans, planInputs("taken-code")))).rejects.toMatchObject({
      name: "CheckoutLinksError",
      code: "CODE_TAKEN",
      message: expect.stringMatching(/^\[CODE_TAKEN\] coreapi: the plan code/),
    });
  });

  it("keeps a plan whose activation failed in state, with its id", async () => {
    await fault({
      method: "POST",
      path: "/fynn/api/plans/*/activate",
      status: 422,
      body: { title: "No", detail: "nope" },
    });
    const inputs = await checked(plans, planInputs("half-created"));
    const err = await plans.create({ ...inputs, __provider: "serialized" }).catch((e: unknown) => e as any);
    expect(err.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.properties.status).toBe("draft");
    expect(err.properties.__provider).toBe("serialized");
    expect(err.reasons[0]).toContain("HTTP 422");
    const list = (await call("GET", "/api/plans?code=half-created")).body.data;
    expect(list.map((p: any) => p.id)).toEqual([err.id]);
  });

  it("never creates a plan twice when the answer to the POST is lost", async () => {
    await fault({ method: "POST", path: "/fynn/api/plans", attempts: [1], drop: "after" });
    const { id } = await newPlan("lost-answer");
    const list = (await call("GET", "/api/plans?code=lost-answer")).body.data;
    expect(list.map((p: any) => p.id)).toEqual([id]);
  });

  it("a create whose 2xx answer cannot be read finds the plan by its code: no orphan, no duplicate", async () => {
    await fault({ method: "POST", path: "/fynn/api/plans", attempts: [1], garble: true });
    emu.clearRequests();
    const { id, outs } = await newPlan("garbled-answer");
    const list = (await call("GET", "/api/plans?code=garbled-answer")).body.data;
    expect(list.map((p: any) => p.id)).toEqual([id]);
    expect(outs.status).toBe("active");
    expect(apiRequests().filter((r) => r.method === "POST" && r.path === "/fynn/api/plans")).toHaveLength(1);
  });

  it("round-trips changeTiming and creditType, and leaves them out when not declared", async () => {
    const inputs = await checked(
      plans,
      planInputs("switching", {
        tiers: [
          {
            name: "Pro",
            changeTiming: "end_of_period",
            creditType: "none",
            items: [{ productId, pricePlanId: proPrice }],
          },
          { name: "Starter", items: [{ productId, pricePlanId: starterPrice }] },
        ],
      }),
    );
    const created = await plans.create(inputs);
    const live = (await call("GET", `/api/plans/${created.id}`)).body;
    expect(live.tiers.map((t: any) => [t.name, t.changeTiming, t.creditType])).toEqual([
      ["Pro", "end_of_period", "none"],
      ["Starter", "immediately", "pro_rata"],
    ]);
    expect(created.outs.tiers.map((t: any) => [t.changeTiming, t.creditType])).toEqual([
      ["end_of_period", "none"],
      [undefined, undefined],
    ]);
    expect(await plans.diff(created.id, created.outs, inputs)).toEqual({ changes: false });
    const read = await plans.read(created.id, created.outs);
    expect(read.inputs).toBeUndefined();
  });

  it("refuses a plan code that is not lower kebab case at preview, naming the field", async () => {
    const res = await plans.check({}, planInputs("Pro_Plan"));
    expect(res.failures?.map((f: any) => f.property)).toEqual(["code"]);
  });

  it("a framework 404 on GET /api/plans/{id} is not taken as gone: read fails naming the route", async () => {
    const { id, outs } = await newPlan("no-route-read");
    await fault({ method: "GET", path: `/fynn/api/plans/${id}`, missingRoute: "json" });
    await expect(plans.read(id, outs as any)).rejects.toThrow(
      new RegExp(
        `coreapi GET /api/plans/${id} failed \\(HTTP 404\\) at ${new URL(emu.url).host}: answered 404 in a form that is not`,
      ),
    );
    await fault({ method: "DELETE", path: `/fynn/api/plans/${id}`, missingRoute: "html" });
    await expect(plans.delete(id, outs as any)).rejects.toThrow(/HTTP 404/);
    await control("DELETE", "faults");
    expect((await call("GET", `/api/plans/${id}`)).body.code).not.toBe(undefined);
  });

  it("destroy frees the code of a plan the API archives (still referenced), so it can be made again", async () => {
    const { id, outs } = await newPlan("sold-plan");
    const link = await call("POST", `/api/plans/${id}/checkout-links`, { planTierId: outs.tierIds.Pro });
    // A buyer went through the link: the plan is referenced for good.
    expect((await httpCall("GET", link.body.url, {})).status).toBe(302);
    await call("DELETE", `/api/plans/${id}/checkout-links/${link.body.id}`);
    await plans.delete(id, outs as any);
    const archived = (await call("GET", `/api/plans/${id}`)).body;
    expect([archived.status, archived.code]).toEqual(["archived", `sold-plan-archived-${id.slice(0, 8)}`]);
    expect(await plans.read(id, outs as any)).toEqual({ id: "" });
    const again = await newPlan("sold-plan");
    expect(again.id).not.toBe(id);
    expect(again.outs.code).toBe("sold-plan");
  });
});

describe("coreapi.CheckoutLink", () => {
  let plan: { id: string; outs: Record<string, any> };
  let proTier: string;
  let starterTier: string;

  beforeAll(async () => {
    plan = await newPlan("links");
    proTier = plan.outs.tierIds.Pro;
    starterTier = plan.outs.tierIds.Starter;
  });

  function linkInputs(extra: Record<string, unknown> = {}) {
    return { planId: plan.id, planTierId: proTier, ...extra };
  }

  it("check fills defaults so that a second check is identical", async () => {
    const first = await checked(links, linkInputs({ slug: "defaults" }));
    expect(first).toEqual({
      planId: plan.id,
      planTierId: proTier,
      slug: "defaults",
      couponsAllowed: false,
      isEnabled: true,
      adopt: false,
    });
    expect(await checked(links, first)).toEqual(first);
  });

  it("check names each bad field and makes no API call", async () => {
    const before = (await apiRequests()).length;
    const res = await links.check({}, { planId: "x", planTierId: 7, slug: "Bad_Slug", isEnabled: "yes" });
    expect(res.failures?.map(failedPath).sort()).toEqual(["isEnabled", "planId", "planTierId", "slug"]);
    const typo = await links.check({}, linkInputs({ couponAllowed: true }));
    expect(typo.failures).toEqual([
      { property: "couponAllowed", reason: "is not an argument of this resource" },
    ]);
    const adopt = await links.check({}, linkInputs({ adopt: true }));
    expect(adopt.failures).toEqual([
      { property: "slug", reason: "adopt: true needs a slug to find the link by" },
    ]);
    expect((await apiRequests()).length).toBe(before);
  });

  it("check lets values that are not known yet pass", async () => {
    const res = await links.check({}, { planId: UNKNOWN, planTierId: UNKNOWN, slug: "known-slug" });
    expect(res.failures ?? []).toEqual([]);
  });

  it("creates a link with exact outputs and reads it back without drift", async () => {
    const inputs = await checked(links, linkInputs({ slug: "pro-monthly", couponsAllowed: true }));
    const created = await links.create(inputs);
    const remote = (await liveLinks(plan.id)).find((l) => l.id === created.id);
    expect(created.outs).toEqual({
      planId: plan.id,
      planTierId: proTier,
      slug: "pro-monthly",
      couponsAllowed: true,
      isEnabled: true,
      salesChannel: "default",
      adopt: false,
      linkId: created.id,
      url: `${fynnBase}/checkout-link/pro-monthly/cart`,
      planTierName: "Pro",
      salesChannelId: DEFAULT_CHANNEL.id,
      salesChannelName: "default",
      createdAt: remote.createdAt,
      updatedAt: remote.updatedAt,
    });
    const read = await links.read(created.id, created.outs);
    expect(read).toEqual({ id: created.id, props: created.outs });
    expect(await links.diff(created.id, created.outs, inputs)).toEqual({ changes: false });
    const page = await fetch(created.outs.url, { redirect: "manual" });
    expect(page.status).toBe(302);
  });

  it("lets coreapi.io generate the slug when none is given, and does not diff on it", async () => {
    const inputs = await checked(links, linkInputs({ planTierId: starterTier }));
    const created = await links.create(inputs);
    expect(created.outs.slug).toBe("links-starter");
    expect(created.outs.url).toBe(`${fynnBase}/checkout-link/links-starter/cart`);
    expect(await links.diff(created.id, created.outs, inputs)).toEqual({ changes: false });
    await links.delete(created.id, created.outs);
  });

  it("diffs by the declared table: in place, replace, and delete-before-replace for a kept slug", async () => {
    const inputs = await checked(links, linkInputs({ slug: "diffs" }));
    const { id, outs } = await links.create(inputs);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(await links.diff(id, outs, { ...inputs, slug: "diffs-2" })).toEqual({ changes: true });
    // A change that breaks the published URL is called out.
    expect(warn.mock.calls).toEqual([
      [
        `slug changes from "diffs" to "diffs-2": the published link ${fynnBase}/checkout-link/diffs/cart stops working ` +
          "(updated in place, but the old URL stops working)",
      ],
    ]);
    warn.mockRestore();
    expect(await links.diff(id, outs, { ...inputs, isEnabled: false })).toEqual({ changes: true });
    expect(await links.diff(id, outs, { ...inputs, planTierId: starterTier })).toEqual({
      changes: true,
      replaces: ["planTierId"],
      deleteBeforeReplace: true,
    });
    expect(await links.diff(id, outs, { ...inputs, planId: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["planId"],
      deleteBeforeReplace: true,
    });
    // The same channel by id or by name is no change.
    expect(await links.diff(id, outs, { ...inputs, salesChannel: DEFAULT_CHANNEL.id })).toEqual({
      changes: false,
    });
    expect(await links.diff(id, outs, { ...inputs, salesChannel: "partners" })).toEqual({ changes: true });
    expect(checkoutLinkDiffTable.slug).toMatchObject({ change: "update", publishes: true });
    await links.delete(id, outs);
  });

  it("updates in place and returns the full outputs", async () => {
    const inputs = await checked(links, linkInputs({ slug: "update-me" }));
    const { id, outs } = await links.create(inputs);
    const news = await checked(
      links,
      linkInputs({ slug: "updated", couponsAllowed: true, salesChannel: "partners" }),
    );
    const { outs: after } = await links.update(id, outs, news);
    expect(after).toMatchObject({
      linkId: id,
      slug: "updated",
      url: `${fynnBase}/checkout-link/updated/cart`,
      couponsAllowed: true,
      isEnabled: true,
      salesChannel: "partners",
      salesChannelName: "partners",
      planTierName: "Pro",
      createdAt: outs.createdAt,
    });
    expect((await fetch(outs.url, { redirect: "manual" })).status).toBe(404);
    await links.delete(id, after);
  });

  it("detects an out-of-band change on read and puts it back on update", async () => {
    const inputs = await checked(links, linkInputs({ slug: "drifty" }));
    const { id, outs } = await links.create(inputs);
    const put = await call("PUT", `/api/plans/${plan.id}/checkout-links/${id}`, {
      isEnabled: false,
      couponsAllowed: true,
    });
    expect(put.status).toBe(200);
    const read = await links.read(id, outs);
    expect(read.props).toMatchObject({ isEnabled: false, couponsAllowed: true, slug: "drifty" });
    expect(read.inputs).toEqual({
      ...inputs,
      isEnabled: false,
      couponsAllowed: true,
      salesChannel: "default",
    });
    expect(await links.diff(id, read.props, inputs)).toEqual({ changes: true });
    const { outs: back } = await links.update(id, read.props, inputs);
    expect(back).toMatchObject({ isEnabled: true, couponsAllowed: false, slug: "drifty" });
    await links.delete(id, back);
  });

  it("drops a link deleted out of band on read, and deleting it again succeeds", async () => {
    const { id, outs } = await links.create(await checked(links, linkInputs({ slug: "gone" })));
    expect((await call("DELETE", `/api/plans/${plan.id}/checkout-links/${id}`)).status).toBe(204);
    expect(await links.read(id, outs)).toEqual({ id: "" });
    await links.delete(id, outs);
  });

  it("a framework 404 on the inferred single-link routes is never taken as gone or done", async () => {
    const { id, outs } = await links.create(await checked(links, linkInputs({ slug: "no-route" })));
    // Read goes through the documented list, so the inferred GET is not needed at all.
    await fault({
      method: "GET",
      path: `/fynn/api/plans/${plan.id}/checkout-links/${id}`,
      missingRoute: "json",
    });
    expect((await links.read(id, outs)).id).toBe(id);
    await fault({
      method: "DELETE",
      path: `/fynn/api/plans/${plan.id}/checkout-links/*`,
      missingRoute: "json",
    });
    await expect(links.delete(id, outs)).rejects.toThrow(
      `coreapi DELETE /api/plans/${plan.id}/checkout-links/${id} failed (HTTP 404) at ${new URL(emu.url).host}: answered 404 in a form that is not the vendor's not-found answer`,
    );
    await control("DELETE", "faults");
    await fault({
      method: "DELETE",
      path: `/fynn/api/plans/${plan.id}/checkout-links/*`,
      missingRoute: "html",
    });
    await expect(links.delete(id, outs)).rejects.toThrow(/HTTP 404/);
    await control("DELETE", "faults");
    // A not-found answer while the documented list still shows the link is not "done" either.
    await fault({
      method: "DELETE",
      path: `/fynn/api/plans/${plan.id}/checkout-links/*`,
      status: 404,
      body: { title: "Not Found", detail: "Resource not found" },
    });
    await expect(links.delete(id, outs)).rejects.toThrow("still shows link");
    await control("DELETE", "faults");
    expect((await liveLinks(plan.id)).map((l) => l.id)).toContain(id);
    await links.delete(id, outs);
    expect((await liveLinks(plan.id)).map((l) => l.id)).not.toContain(id);
  });

  it("a create whose 2xx answer cannot be read finds the link: no orphan, no duplicate", async () => {
    await fault({
      method: "POST",
      path: `/fynn/api/plans/${plan.id}/checkout-links`,
      attempts: [1],
      garble: true,
    });
    for (const slug of ["garbled", undefined]) {
      const before = (await liveLinks(plan.id)).length;
      const created = await links.create(
        await checked(links, linkInputs(slug === undefined ? { planTierId: starterTier } : { slug })),
      );
      const after = await liveLinks(plan.id);
      expect(after).toHaveLength(before + 1);
      expect(after.map((l) => l.id)).toContain(created.id);
      await links.delete(created.id, created.outs);
      await control("DELETE", "faults");
      await fault({
        method: "POST",
        path: `/fynn/api/plans/${plan.id}/checkout-links`,
        attempts: [1],
        garble: true,
      });
    }
  });

  it("refuses a taken slug with a way out, and adopts the existing link with adopt: true", async () => {
    const other = await call("POST", `/api/plans/${plan.id}/checkout-links`, {
      planTierId: proTier,
      slug: "taken",
    });
    expect(other.status).toBe(201);
    await expect(links.create(await checked(links, linkInputs({ slug: "taken" })))).rejects.toThrow(
      'the slug "taken" is already used by another checkout link. Set `adopt: true`',
    );
    await expect(links.create(await checked(links, linkInputs({ slug: "taken" })))).rejects.toMatchObject({
      code: "SLUG_TAKEN",
      message: expect.stringMatching(/^\[SLUG_TAKEN\] coreapi: the slug "taken"/),
    });
    const adopted = await links.create(
      await checked(links, linkInputs({ slug: "taken", adopt: true, couponsAllowed: true })),
    );
    expect(adopted.id).toBe(other.body.id);
    expect(adopted.outs).toMatchObject({ slug: "taken", couponsAllowed: true, adopt: true });
    expect((await liveLinks(plan.id)).filter((l) => l.slug === "taken")).toHaveLength(1);
    await links.delete(adopted.id, adopted.outs);
  });

  it("refuses to adopt a link that sells another tier, leaving it untouched", async () => {
    const other = await call("POST", `/api/plans/${plan.id}/checkout-links`, {
      planTierId: starterTier,
      slug: "other-tier",
    });
    await expect(
      links.create(
        await checked(links, linkInputs({ slug: "other-tier", adopt: true, couponsAllowed: true })),
      ),
    ).rejects.toThrow("cannot be adopted");
    await expect(
      links.create(
        await checked(links, linkInputs({ slug: "other-tier", adopt: true, couponsAllowed: true })),
      ),
    ).rejects.toMatchObject({ code: "ADOPT_MISMATCH" });
    expect(
      (await call("GET", `/api/plans/${plan.id}/checkout-links/${other.body.id}`)).body.couponsAllowed,
    ).toBe(false);
  });

  describe("faults on create end with exactly one link", () => {
    const path = () => `/fynn/api/plans/${plan.id}/checkout-links`;
    const cases: [string, Record<string, unknown>][] = [
      ["429 with Retry-After", { status: 429, retryAfter: 1 }],
      ["503 (not applied)", { status: 503 }],
      ["500 (not applied)", { status: 500 }],
      ["connection dropped before the create is applied", { drop: "before" }],
      ["connection dropped after the create was applied", { drop: "after" }],
      ["an answer slower than the per-attempt timeout", { latencyMs: 1500 }],
    ];
    for (const [name, effect] of cases) {
      for (const withSlug of [true, false]) {
        it(`${name} (${withSlug ? "given slug" : "generated slug"})`, async () => {
          const slug = `fault-${name
            .replace(/[^a-z0-9]+/gi, "-")
            .toLowerCase()
            .replace(/-+$/, "")}`.slice(0, 60);
          // Each case sells its own tier so that a generated slug is predictable and unique.
          const own = await newPlan(`f-${Math.random().toString(36).slice(2, 10)}`);
          await fault({ method: "POST", path: path().replace(plan.id, own.id), attempts: [1], ...effect });
          const inputs = await checked(links, {
            planId: own.id,
            planTierId: own.outs.tierIds.Pro,
            ...(withSlug ? { slug } : {}),
          });
          // Retries, backoff and the settle wait run on a fake clock. A slow answer keeps the real
          // one: its create lands while the provider waits to look again, which is what it tests.
          const timing = effect.latencyMs === undefined ? fakeTiming() : undefined;
          const created = await (timing ? new CheckoutLinkProvider({ timing }) : links).create(inputs);
          if (effect.retryAfter !== undefined) expect(timing?.slept).toEqual([1000]);
          const live = await liveLinks(own.id);
          expect(live.map((l) => l.id)).toEqual([created.id]);
          expect(created.outs.slug).toBe(withSlug ? slug : `${own.outs.code}-pro`);
          const posts = (await apiRequests()).filter(
            (r) => r.method === "POST" && r.path === path().replace(plan.id, own.id),
          );
          expect(posts.length).toBeGreaterThanOrEqual(effect.drop === "after" || effect.latencyMs ? 1 : 2);
        });
      }
    }

    it("a 5xx on every attempt fails the create at the deadline, saying so, without leaving a link", async () => {
      const own = await newPlan(`f-${Math.random().toString(36).slice(2, 10)}`);
      await fault({ method: "POST", path: path().replace(plan.id, own.id), status: 503 });
      // Creates are tried until the account's deadline; keep it short here.
      process.env.CHECKOUT_LINKS_FYNN_DEADLINE_MS = "2500";
      const timing = fakeTiming();
      try {
        await expect(
          new CheckoutLinkProvider({ timing }).create(
            await checked(links, { planId: own.id, planTierId: own.outs.tierIds.Pro, slug: "never" }),
          ),
        ).rejects.toThrow(/HTTP 503\) at 127\.0\.0\.1:\d+: .* after \d+ attempts over \d+\.\d s/);
      } finally {
        delete process.env.CHECKOUT_LINKS_FYNN_DEADLINE_MS;
      }
      expect(await liveLinks(own.id)).toEqual([]);
    });

    it("a 5xx on read and delete is retried (idempotent) and ends right", async () => {
      const { id, outs } = await links.create(await checked(links, linkInputs({ slug: "retry-read" })));
      await fault({
        method: "GET",
        path: `/fynn/api/plans/${plan.id}/checkout-links/${id}`,
        attempts: [1],
        status: 502,
      });
      expect((await links.read(id, outs)).props).toEqual(outs);
      await fault({
        method: "DELETE",
        path: `/fynn/api/plans/${plan.id}/checkout-links/${id}`,
        attempts: [1],
        drop: "after",
      });
      await links.delete(id, outs);
      expect(await links.read(id, outs)).toEqual({ id: "" });
    });
  });
});
