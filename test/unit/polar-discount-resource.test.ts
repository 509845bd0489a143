/**
 * polar.Discount's provider called as plain functions against the emulator: percentage and fixed
 * discounts of every duration with a code, a validity window, redemption limits and a product
 * restriction; the diff table's replace and update; adoption by tag and by id; drift; bad input that
 * fails at check naming the field with no request; a create whose answer cannot be read. Every Polar
 * exchange is checked against Polar's OpenAPI at teardown (test/helpers/global-setup.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { ACME_ORG_ID, DEMO_TOKENS } from "../../emulator/seed";
import { OWNER_INPUT } from "../../provider/core/spec";
import { CheckoutLinkProvider, type CheckoutLinkState } from "../../provider/polar/checkoutLink";
import { CREATE_TAG, NAME_TAG } from "../../provider/polar/common";
import { DiscountProvider, type DiscountState, polarDiscountDiffTable } from "../../provider/polar/discount";
import { polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";
import { fakeTiming } from "../fixtures/timing";

let emu: Awaited<ReturnType<typeof startEmulator>>;
const token = DEMO_TOKENS.polarAcme;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

/** Clients are cached per account in the process; each test starts afresh. */
function forgetClients(): void {
  const r = (globalThis as Record<symbol, { clients?: Map<string, unknown> } | undefined>)[
    Symbol.for("pulumi-checkout-links.http")
  ];
  r?.clients?.clear();
}

const api = (method: string, p: string, body?: unknown) =>
  call(method, `${emu.baseUrls.polar}${p}`, body === undefined ? { token } : { token, body });

function configured<P extends { configure(req: any): Promise<void> }>(p: P): P {
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": token,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.globex.token": DEMO_TOKENS.polarGlobex,
    "checkout-links:polar.globex.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
    "checkout-links:polar.timeoutMs": "2000",
  };
  void p.configure({ config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string } });
  return p;
}

let discounts: DiscountProvider;

beforeEach(() => {
  emu.reset();
  forgetClients();
  discounts = configured(new DiscountProvider());
});

/** Polar requests the emulator has seen. */
const polarRequests = () => emu.requests().filter((e) => e.path.startsWith("/polar/"));

async function checked(news: object): Promise<Record<string, unknown>> {
  const r = await discounts.check({}, { adoptionKey: "launch", ...news });
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as Record<string, unknown>;
}

async function made(
  news: object,
): Promise<{ id: string; s: DiscountState; inputs: Record<string, unknown> }> {
  const inputs = await checked(news);
  const r = await discounts.create(inputs);
  return { id: r.id, s: r.outs as DiscountState, inputs };
}

/** Live discounts of org acme, straight from the API. */
async function live(): Promise<any[]> {
  return (await api("GET", "/v1/discounts/?limit=100")).body.items;
}

const LAUNCH = {
  name: "Launch",
  type: "percentage",
  basisPoints: 2500,
  duration: "repeating",
  durationInMonths: 3,
  code: "LAUNCH25",
  startsAt: "2026-05-01T00:00:00Z",
  endsAt: "2026-06-01T00:00:00+02:00",
  maxRedemptions: 100,
  maxRedemptionsPerCustomer: 1,
};

describe("polar.Discount: create, read, update, delete", () => {
  it("a percentage discount with every option is created as asked and reads back without drift", async () => {
    const pro = await polarProduct(emu, token);
    const { id, s, inputs } = await made({ ...LAUNCH, products: [pro.id], metadata: { campaign: "launch" } });
    expect(s).toEqual({
      ...LAUNCH,
      products: [pro.id],
      metadata: { campaign: "launch" },
      adoptionKey: "launch",
      stateVersion: 1,
      discountId: id,
      redemptionsCount: 0,
      organizationId: ACME_ORG_ID,
      createdAt: expect.any(String),
      modifiedAt: null,
    });
    const wire = (await api("GET", `/v1/discounts/${id}`)).body;
    expect(wire).toMatchObject({
      type: "percentage",
      basis_points: 2500,
      duration: "repeating",
      duration_in_months: 3,
      code: "LAUNCH25",
      max_redemptions: 100,
      max_redemptions_per_customer: 1,
      products: [{ id: pro.id }],
    });
    expect(wire.metadata).toMatchObject({ campaign: "launch", [NAME_TAG]: "launch" });
    expect(typeof wire.metadata[CREATE_TAG]).toBe("string");
    // The end written with an offset reads back in the program's spelling: no false drift.
    const read = await discounts.read(id, s);
    expect(read).toEqual({ id, props: s });
    expect(await discounts.diff(id, s, inputs)).toEqual({ changes: false });
    // Another spelling of the same instant is no change either.
    expect(await discounts.diff(id, s, { ...inputs, startsAt: "2026-05-01T02:00:00+02:00" })).toEqual({
      changes: false,
    });
  });

  it("fixed discounts: amounts per currency, or amount with currency folded into amounts; once and forever", async () => {
    const multi = await made({
      name: "Ten off",
      type: "fixed",
      amounts: { usd: 1000, eur: 900 },
      duration: "once",
    });
    expect(multi.s).toMatchObject({
      type: "fixed",
      amounts: { usd: 1000, eur: 900 },
      duration: "once",
      products: [],
    });
    expect(multi.s.basisPoints).toBeUndefined();
    expect(multi.s.durationInMonths).toBeUndefined();
    const one = await checked({
      name: "Five off",
      type: "fixed",
      amount: 500,
      currency: "eur",
      duration: "forever",
    });
    expect(one).toMatchObject({ amounts: { eur: 500 } });
    expect(one).not.toHaveProperty("amount");
    const r = await discounts.create({ ...one, adoptionKey: "five" });
    expect((r.outs as DiscountState).amounts).toEqual({ eur: 500 });
    expect((await api("GET", `/v1/discounts/${r.id}`)).body).toMatchObject({
      amounts: { eur: 500 },
      duration: "forever",
    });
    // `amount` alone is in usd, Polar's default.
    expect(await checked({ name: "x", type: "fixed", amount: 100, duration: "once" })).toMatchObject({
      amounts: { usd: 100 },
    });
    // The shorthand compares as the amounts it stands for: no change, no replace.
    expect(
      await discounts.diff(r.id, r.outs as DiscountState, {
        ...one,
        amounts: undefined,
        amount: 500,
        currency: "eur",
        adoptionKey: "five",
      }),
    ).toEqual({ changes: false });
  });

  it("updates in place with a PATCH of what changed: name, code, window, limits, months, products, metadata", async () => {
    const [pro, team] = [await polarProduct(emu, token), await polarProduct(emu, token, { name: "Team" })];
    const { id, s } = await made({ ...LAUNCH, products: [pro.id] });
    const news = await checked({
      name: "Launch week",
      type: "percentage",
      basisPoints: 2500,
      duration: "repeating",
      durationInMonths: 6,
      code: "WEEK1",
      maxRedemptions: 50,
      products: [team.id, pro.id],
      metadata: { week: 1 },
    });
    const diff = await discounts.diff(id, s, news);
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);
    const before = polarRequests().length;
    const up = (await discounts.update(id, s, news)).outs as DiscountState;
    const sent = polarRequests().slice(before);
    expect(sent.map((e) => `${e.method} ${e.status}`)).toEqual(["PATCH 200"]);
    expect(sent[0]?.body).toEqual({
      name: "Launch week",
      code: "WEEK1",
      starts_at: null,
      ends_at: null,
      max_redemptions: 50,
      max_redemptions_per_customer: null,
      duration_in_months: 6,
      products: [team.id, pro.id],
      metadata: { week: 1, [NAME_TAG]: "launch" },
    });
    expect(up).toMatchObject({
      name: "Launch week",
      code: "WEEK1",
      durationInMonths: 6,
      maxRedemptions: 50,
      products: [team.id, pro.id],
      metadata: { week: 1 },
      discountId: id,
    });
    expect(up.startsAt).toBeUndefined();
    expect(up.maxRedemptionsPerCustomer).toBeUndefined();
    // The same products in another order: the state takes the program's order, and the diff settles.
    const reordered = await checked({ ...news, products: [pro.id, team.id] });
    const turned = (await discounts.update(id, up, reordered)).outs as DiscountState;
    expect(turned.products).toEqual([pro.id, team.id]);
    expect(await discounts.diff(id, turned, reordered)).toEqual({ changes: false });
    expect((await discounts.read(id, turned)).inputs).toBeUndefined();
    // Clearing the code and lifting the restriction: null and an empty list.
    const cleared = await checked({ ...news, code: undefined, products: [] });
    await discounts.update(id, up, cleared);
    expect((await api("GET", `/v1/discounts/${id}`)).body).toMatchObject({ code: null, products: [] });
    // Nothing changed between state and inputs: no request at all.
    const quiet = polarRequests().length;
    expect((await discounts.update(id, up, news)).outs).toEqual(up);
    expect(polarRequests().length).toBe(quiet);
  });

  it("delete removes it (soft on Polar's side); read then drops it and a second delete is done", async () => {
    const { id, s } = await made({ name: "Gone", type: "percentage", basisPoints: 100, duration: "once" });
    await discounts.delete(id, s);
    expect((await api("GET", `/v1/discounts/${id}`)).status).toBe(404);
    expect(await discounts.read(id, s)).toEqual({ id: "" });
    await expect(discounts.delete(id, s)).resolves.toBeUndefined();
    expect(await live()).toEqual([]);
  });

  it("a link takes the discount by its id", async () => {
    const pro = await polarProduct(emu, token);
    const { id } = await made({
      name: "Pro ten",
      type: "percentage",
      basisPoints: 1000,
      duration: "once",
      products: [pro.id],
    });
    const links = configured(new CheckoutLinkProvider());
    const inputs = (await links.check({}, { adoptionKey: "main", products: [pro.id], discountId: id }))
      .inputs;
    const link = await links.create(inputs as Record<string, unknown>);
    expect((link.outs as CheckoutLinkState).discountId).toBe(id);
    expect((await api("GET", `/v1/checkout-links/${link.id}`)).body.discount).toMatchObject({
      id,
      basis_points: 1000,
    });
  });
});

describe("polar.Discount diff table", () => {
  const base = { ...LAUNCH, products: [], metadata: {}, adoptionKey: "launch" };
  const changed: Record<string, unknown> = {
    name: "Other",
    code: "OTHER1",
    startsAt: "2026-05-02T00:00:00Z",
    endsAt: "2026-07-01T00:00:00Z",
    maxRedemptions: 7,
    maxRedemptionsPerCustomer: 2,
    durationInMonths: 12,
    products: ["0b1e4f0a-3c2d-4e5f-8a9b-1c2d3e4f5a6b"],
    metadata: { a: "b" },
    adoptionKey: "other",
    type: "fixed",
    duration: "forever",
    basisPoints: 5000,
    amounts: { usd: 100 },
    account: "globex",
  };

  it("lists every input, and each change replaces or updates as the table says", async () => {
    expect(Object.keys(changed).sort()).toEqual(Object.keys(polarDiscountDiffTable).sort());
    const olds = { ...base, stateVersion: 1, discountId: "x" } as unknown as DiscountState;
    const got: Record<string, string> = {};
    for (const field of Object.keys(changed)) {
      const d = await discounts.diff("x", olds, { ...base, [field]: changed[field] });
      expect(d.changes).toBe(true);
      got[field] = d.replaces?.includes(field) ? "replace" : "update";
    }
    expect(got).toEqual(
      Object.fromEntries(Object.entries(polarDiscountDiffTable).map(([k, r]) => [k, r.change])),
    );
    expect(
      Object.entries(got)
        .filter(([, c]) => c === "replace")
        .map(([k]) => k)
        .sort(),
    ).toEqual(["account", "amounts", "basisPoints", "duration", "type"]);
  });

  it("a replacement deletes the old discount first when the new one has a code (codes are unique)", async () => {
    const olds = { ...base } as unknown as DiscountState;
    expect(await discounts.diff("x", olds, { ...base, basisPoints: 3000 })).toEqual({
      changes: true,
      replaces: ["basisPoints"],
      deleteBeforeReplace: true,
    });
    expect(await discounts.diff("x", olds, { ...base, code: undefined, basisPoints: 3000 })).toEqual({
      changes: true,
      replaces: ["basisPoints"],
    });
  });

  it("Polar refuses what the table replaces: type and duration never change in place", async () => {
    const { id } = await made({ name: "Fixed", type: "percentage", basisPoints: 100, duration: "once" });
    for (const [field, value, msg] of [
      ["type", "fixed", "Type cannot be changed."],
      ["duration", "forever", "Duration cannot be changed."],
    ] as const) {
      const r = await api("PATCH", `/v1/discounts/${id}`, { [field]: value });
      expect(r.status).toBe(422);
      expect(r.body.detail).toEqual([{ type: "value_error", loc: ["body", field], msg, input: value }]);
    }
  });
});

describe("polar.Discount adoption and drift", () => {
  it("adopt: true takes over the discount carrying the adoption key and brings it to the arguments", async () => {
    const dash = await api("POST", "/v1/discounts/", {
      type: "percentage",
      name: "Made by hand",
      basis_points: 2500,
      duration: "repeating",
      duration_in_months: 3,
      metadata: { [NAME_TAG]: "launch" },
    });
    const { id, s } = await made({ ...LAUNCH, adopt: true });
    expect(id).toBe(dash.body.id);
    expect(s).toMatchObject({ name: "Launch", code: "LAUNCH25", maxRedemptions: 100 });
    expect(await live()).toHaveLength(1);
  });

  it("adoptId takes over a dashboard discount with no tag; another type or duration is refused", async () => {
    const dash = await api("POST", "/v1/discounts/", {
      type: "fixed",
      name: "Hand",
      amounts: { usd: 300 },
      duration: "once",
    });
    const { id, s } = await made({
      name: "Three off",
      type: "fixed",
      amounts: { usd: 300 },
      duration: "once",
      adopt: true,
      adoptId: dash.body.id,
    });
    expect(id).toBe(dash.body.id);
    expect(s).toMatchObject({ name: "Three off", adoptionKey: "launch" });
    const pct = await api("POST", "/v1/discounts/", {
      type: "percentage",
      name: "P",
      basis_points: 10,
      duration: "once",
    });
    await expect(
      made({
        name: "x",
        type: "fixed",
        amounts: { usd: 1 },
        duration: "once",
        adopt: true,
        adoptId: pct.body.id,
        adoptionKey: "x",
      }),
    ).rejects.toThrow(/is percentage, once but the arguments say fixed, once/);
  });

  it("a change made out of band shows on read as changed inputs, and the next update puts it back", async () => {
    const { id, s, inputs } = await made({ ...LAUNCH });
    await api("PATCH", `/v1/discounts/${id}`, { name: "Edited", max_redemptions: 5, code: null });
    const read = await discounts.read(id, s);
    expect(read.inputs).toMatchObject({ name: "Edited", maxRedemptions: 5 });
    expect(read.inputs?.code).toBeUndefined();
    const drifted = read.props as DiscountState;
    const d = await discounts.diff(id, drifted, inputs);
    expect(d).toEqual({ changes: true });
    await discounts.update(id, drifted, inputs);
    expect((await api("GET", `/v1/discounts/${id}`)).body).toMatchObject({
      name: "Launch",
      code: "LAUNCH25",
      max_redemptions: 100,
    });
  });
});

describe("polar.Discount bad input fails at check, naming the field, with no request", () => {
  const ok = { name: "Ok", type: "percentage", basisPoints: 1000, duration: "once" };
  const cases: [string, Record<string, unknown>][] = [
    ["name", { name: "" }],
    ["type", { type: "bogus" }],
    ["basisPoints", { basisPoints: 0 }],
    ["basisPoints", { basisPoints: 10_001 }],
    ["basisPoints", { basisPoints: undefined }],
    ["amounts", { type: "fixed", basisPoints: undefined }],
    ["amounts", { type: "fixed", basisPoints: undefined, amounts: { USD: 100 } }],
    ["amounts", { type: "fixed", basisPoints: undefined, amounts: { usd: -1 } }],
    ["amounts", { type: "fixed", basisPoints: undefined, amounts: {} }],
    ["amount", { type: "fixed", basisPoints: undefined, amount: 1, amounts: { usd: 1 } }],
    ["currency", { type: "fixed", basisPoints: undefined, amount: 1, currency: "euro" }],
    ["amounts", { amounts: { usd: 1 } }],
    ["duration", { duration: "weekly" }],
    ["durationInMonths", { duration: "repeating" }],
    ["durationInMonths", { durationInMonths: 3 }],
    ["durationInMonths", { duration: "repeating", durationInMonths: 1000 }],
    ["code", { code: "AB" }],
    ["code", { code: "LAUNCH-25" }],
    ["startsAt", { startsAt: "tomorrow" }],
    ["endsAt", { endsAt: "2026-05-01" }],
    ["endsAt", { startsAt: "2026-06-01T00:00:00Z", endsAt: "2026-05-01T00:00:00Z" }],
    ["maxRedemptions", { maxRedemptions: 0 }],
    ["maxRedemptionsPerCustomer", { maxRedemptionsPerCustomer: 2_147_483_648 }],
    ["products", { products: ["not-an-id"] }],
    ["metadata", { metadata: { [NAME_TAG]: "x" } }],
    ["adoptId", { adoptId: "0b1e4f0a-3c2d-4e5f-8a9b-1c2d3e4f5a6b" }],
    ["colour", { colour: "red" }],
  ];

  it.each(cases)("%s: %j", async (field, bad) => {
    const before = polarRequests().length;
    const r = await discounts.check({}, { adoptionKey: "launch", ...ok, ...bad });
    expect(r.failures?.map((f) => f.property)).toContain(field);
    expect(polarRequests().length).toBe(before);
  });
});

describe("polar.Discount under faults", () => {
  it("a 201 whose body cannot be read makes one discount, held in state by the lookup of its create tag", async () => {
    discounts = configured(new DiscountProvider({ timing: fakeTiming() }));
    emu.injectFault({ method: "POST", path: "/polar/v1/discounts", attempts: [1], garble: true });
    const before = polarRequests().length;
    const { id } = await made({ ...LAUNCH });
    const sent = polarRequests().slice(before);
    expect(sent.filter((e) => e.method === "POST").map((e) => e.status)).toEqual([201]);
    expect((await live()).map((d) => d.id)).toEqual([id]);
  });

  it("a create dropped after it applied makes one discount", async () => {
    discounts = configured(new DiscountProvider({ timing: fakeTiming() }));
    emu.injectFault({ method: "POST", path: "/polar/v1/discounts", attempts: [1], drop: "after" });
    const { id } = await made({ ...LAUNCH });
    expect((await live()).map((d) => d.id)).toEqual([id]);
  });
});

describe("polar.Discount after an interrupted run", () => {
  const STACK = "0123456789abcdef";
  const OTHER_STACK = "fedcba9876543210";
  /** A provider of one run, taking as candidates what was made before `startedAt`. */
  const run = (startedAt = Date.now()) => configured(new DiscountProvider({ runStartedAt: startedAt }));
  const tick = () => new Promise((r) => setTimeout(r, 20));
  const args = (extra: Record<string, unknown> = {}) => ({
    ...LAUNCH,
    adoptionKey: "launch",
    [OWNER_INPUT]: STACK,
    ...extra,
  });
  async function createWith(p: DiscountProvider, news: Record<string, unknown>) {
    const r = await p.check({}, news);
    expect(r.failures ?? []).toEqual([]);
    return p.create(r.inputs as Record<string, unknown>);
  }

  it("takes over the discount the interrupted run of the stack made, code and all, and puts it into the declared state", async () => {
    const first = await createWith(run(), args());
    await tick();
    // Without the take-over, the second create would fail on its own code.
    const again = await createWith(run(), args({ name: "Launch (renamed)" }));
    expect(again.id).toBe(first.id);
    expect((await live()).map((d) => [d.id, d.name])).toEqual([[first.id, "Launch (renamed)"]]);
  });

  it("takes over neither another stack's discount nor one of another type", async () => {
    const theirs = await createWith(run(), args({ code: undefined, [OWNER_INPUT]: OTHER_STACK }));
    const fixed = await createWith(
      run(),
      args({ code: undefined, type: "fixed", basisPoints: undefined, amounts: { usd: 100 } }),
    );
    await tick();
    const mine = await createWith(run(), args({ code: undefined }));
    expect(new Set([theirs.id, fixed.id, mine.id]).size).toBe(3);
  });

  it("checkout-links' recovery (findCreated) finds only this stack's discount for a pending create", async () => {
    await createWith(run(), args({ code: undefined, [OWNER_INPUT]: OTHER_STACK }));
    const p = run();
    const inputs = (await p.check({}, args())).inputs as Record<string, unknown>;
    expect(await p.findCreated(inputs, [])).toBeUndefined();
    const mine = await createWith(run(0), args());
    expect(await p.findCreated(inputs, [])).toBe(mine.id);
    expect(await p.findCreated(inputs, [mine.id])).toBeUndefined();
  });
});

describe("polar.Discount on an ambiguous 404", () => {
  // A 404 that is not Polar's ResourceNotFound (a route Polar does not have, a proxy's page) says
  // nothing about the discount: read and delete fail naming it, and the discount stays.
  it("a read or delete answered by a bare route 404 fails and the discount stays; Polar's own 404 counts as gone", async () => {
    const { id, s } = await made({ name: "Launch", type: "percentage", basisPoints: 2000, duration: "once" });
    const path = `/polar/v1/discounts/${id}`;
    const fault = async (method: string, body: object) =>
      (await call("POST", `${emu.url}/_emulator/faults`, { body: { method, path, status: 404, body } })).body;
    await fault("GET", { detail: "Not Found" });
    await expect(discounts.read(id, s)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    emu.clearFaults();
    await fault("DELETE", { detail: "Not Found" });
    await expect(discounts.delete(id, s)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    emu.clearFaults();
    expect((await live()).map((d) => d.id)).toContain(id);
    await fault("GET", { error: "ResourceNotFound", detail: "Not found" });
    expect(await discounts.read(id, s)).toEqual({ id: "" });
  });
});
