/**
 * polar.Meter and polar.CustomField providers called as plain functions against the emulator:
 * create, read without drift, update with only what changed, delete (a meter is archived), diff
 * (replace vs update), adoption by tag, drift, bad input failing at check with no request, and an
 * unreadable create answer that makes no second object.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { changedFields, type DiffTable } from "../../provider/core/diff";
import { UNKNOWN } from "../../provider/core/engine";
import { CREATE_TAG, NAME_TAG } from "../../provider/polar/common";
import {
  CustomFieldProvider,
  type CustomFieldState,
  polarCustomFieldDiffTable,
} from "../../provider/polar/customField";
import { MeterProvider, type MeterState, polarMeterDiffTable } from "../../provider/polar/meter";
import { call as httpCall } from "../fixtures/http";
import { fakeTiming } from "../fixtures/timing";

let emu: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

function forgetClients(): void {
  const r = (globalThis as Record<symbol, { clients?: Map<string, unknown> } | undefined>)[
    Symbol.for("pulumi-checkout-links.http")
  ];
  r?.clients?.clear();
}

async function control(method: string, p: string, body?: unknown): Promise<any> {
  return (await httpCall(method, emu.url + p, { body })).body;
}

/** Polar requests the emulator has seen. */
function requests() {
  return emu.requests().filter((e) => e.path.startsWith("/polar/"));
}

/** A request straight to the API, as a dashboard user would make it. */
async function api(method: string, p: string, body?: unknown): Promise<any> {
  return (await httpCall(method, `${emu.baseUrls.polar}${p}`, { token: DEMO_TOKENS.polarAcme, body })).body;
}

function configured<P extends { configure(req: any): Promise<void> }>(p: P): P {
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": DEMO_TOKENS.polarAcme,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
    "checkout-links:polar.timeoutMs": "2000",
  };
  void p.configure({ config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string } });
  return p;
}

/** The inputs that differ, as the diff table sees them. */
function changed(table: DiffTable, olds: unknown, news: unknown): string[] {
  return changedFields(table, olds as Record<string, unknown>, news as Record<string, unknown>).map(
    (c) => c.field,
  );
}

let meters: MeterProvider;
let fields: CustomFieldProvider;

beforeEach(async () => {
  await control("POST", "/_emulator/reset");
  await control("DELETE", "/_emulator/faults");
  forgetClients();
  meters = configured(new MeterProvider({ timing: fakeTiming() }));
  fields = configured(new CustomFieldProvider({ timing: fakeTiming() }));
});

async function checked(
  p: { check(o: any, n: any): Promise<{ inputs?: any; failures?: unknown[] }> },
  news: object,
): Promise<Record<string, unknown>> {
  const r = await p.check({}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as Record<string, unknown>;
}

const CALLS = {
  name: "API calls",
  filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] },
  aggregation: { func: "count" },
};

async function newMeter(extra: object = {}): Promise<{ id: string; s: MeterState; inputs: any }> {
  const inputs = await checked(meters, { adoptionKey: "calls", ...CALLS, ...extra });
  const r = await meters.create(inputs);
  return { id: r.id, s: r.outs as MeterState, inputs };
}

const SIZE = {
  type: "select",
  slug: "size",
  name: "Size",
  properties: { formLabel: "Team size", options: [{ value: "s", label: "Small" }] },
};

async function newField(extra: object = {}): Promise<{ id: string; s: CustomFieldState; inputs: any }> {
  const inputs = await checked(fields, { adoptionKey: "size", ...SIZE, ...extra });
  const r = await fields.create(inputs);
  return { id: r.id, s: r.outs as CustomFieldState, inputs };
}

describe("polar.Meter provider", () => {
  it("creates a meter with its tags, and reads it back without drift; its id is Polar's", async () => {
    const { id, s, inputs } = await newMeter({
      unit: "custom",
      customLabel: "request",
      metadata: { team: "core" },
      filter: {
        conjunction: "or",
        clauses: [
          { property: "name", operator: "eq", value: "api.call" },
          { conjunction: "and", clauses: [{ property: "tokens", operator: "gte", value: 10 }] },
        ],
      },
      aggregation: { func: "sum", property: "tokens" },
    });
    expect(s.meterId).toBe(id);
    // Polar's default multiplier is filled in, so that Polar's answer shows no drift.
    expect([s.unit, s.customLabel, s.customMultiplier]).toEqual(["custom", "request", 1]);
    const post = requests().find((r) => r.method === "POST");
    expect(post?.body).toEqual({
      name: "API calls",
      unit: "custom",
      custom_label: "request",
      custom_multiplier: 1,
      filter: inputs.filter,
      aggregation: { func: "sum", property: "tokens" },
      metadata: { team: "core", [NAME_TAG]: "calls", [CREATE_TAG]: expect.any(String) },
    });
    const read = await meters.read(id, s);
    expect(read).toEqual({ id, props: s });
    expect(await meters.diff(id, read.props as MeterState, inputs)).toEqual({ changes: false });
  });

  it("updates in place with only what changed; only the account replaces", async () => {
    const { id, s, inputs } = await newMeter();
    const news = { ...inputs, name: "Tokens", aggregation: { func: "max", property: "tokens" } };
    expect(await meters.diff(id, s, news)).toEqual({ changes: true });
    expect(changed(polarMeterDiffTable, s, news)).toEqual(["name", "aggregation"]);
    expect((await meters.diff(id, s, { ...inputs, account: "other" })).replaces).toEqual(["account"]);
    const before = requests().length;
    const { outs } = await meters.update(id, s, news);
    expect(
      requests()
        .slice(before)
        .map((r) => [r.method, r.body]),
    ).toEqual([["PATCH", { name: "Tokens", aggregation: { func: "max", property: "tokens" } }]]);
    expect((outs as MeterState).aggregation).toEqual({ func: "max", property: "tokens" });
  });

  it("a unit that stops being custom clears label and multiplier, and reads back without drift", async () => {
    const { id, s, inputs } = await newMeter({
      unit: "custom",
      customLabel: "request",
      customMultiplier: 1000,
    });
    const news = await checked(meters, { adoptionKey: "calls", ...CALLS, unit: "token" });
    const before = requests().length;
    const { outs } = await meters.update(id, s, news);
    expect(
      requests()
        .slice(before)
        .map((r) => r.body),
    ).toEqual([{ unit: "token", custom_label: null, custom_multiplier: null }]);
    const read = await meters.read(id, outs as MeterState);
    expect(await meters.diff(id, read.props as MeterState, news)).toEqual({ changes: false });
    expect(inputs.customMultiplier).toBe(1000);
  });

  it("leaves a filter value not known yet (another resource's output) for later, at any depth", async () => {
    const r = await meters.check(
      {},
      {
        adoptionKey: "m",
        ...CALLS,
        filter: {
          conjunction: "and",
          clauses: [{ conjunction: "or", clauses: [{ property: "x", operator: "eq", value: UNKNOWN }] }],
        },
      },
    );
    expect(r.failures ?? []).toEqual([]);
  });

  it("archives on delete (Polar has no meter delete), then counts as gone; a missing meter deletes cleanly", async () => {
    const { id, s } = await newMeter();
    await meters.delete(id, s);
    expect(requests().at(-1)).toMatchObject({ method: "PATCH", status: 200, body: { is_archived: true } });
    expect((await api("GET", `/v1/meters/${id}`)).archived_at).toEqual(expect.any(String));
    expect(await meters.read(id, s)).toEqual({ id: "" });
    const missing = "9b2d7c1e-5a4f-4e3b-8c2d-1a0b9c8d7e6f";
    await meters.delete(missing, s);
    expect(await meters.read(missing, s)).toEqual({ id: "" });
  });

  it("shows a change made in the dashboard as drift, which the next update puts back", async () => {
    const { id, s, inputs } = await newMeter();
    await api("PATCH", `/v1/meters/${id}`, { name: "Renamed by hand" });
    const read = await meters.read(id, s);
    expect((read.props as MeterState).name).toBe("Renamed by hand");
    expect(await meters.diff(id, read.props as MeterState, inputs)).toEqual({ changes: true });
    expect(changed(polarMeterDiffTable, read.props, inputs)).toEqual(["name"]);
    await meters.update(id, read.props as MeterState, inputs);
    expect((await api("GET", `/v1/meters/${id}`)).name).toBe("API calls");
  });

  it("adopts the meter carrying its adoption key, writing only what differs", async () => {
    const made = await api("POST", "/v1/meters/", {
      ...CALLS,
      name: "Old name",
      metadata: { [NAME_TAG]: "calls" },
    });
    const before = requests().length;
    const r = await meters.create(await checked(meters, { adoptionKey: "calls", adopt: true, ...CALLS }));
    expect(r.id).toBe(made.id);
    expect(
      requests()
        .slice(before)
        .filter((x) => x.method !== "GET")
        .map((x) => [x.method, x.body]),
    ).toEqual([["PATCH", { name: "API calls" }]]);
    expect((await api("GET", "/v1/meters/")).items).toHaveLength(1);
  });

  it("fails bad input at check naming the field, with no request", async () => {
    const before = requests().length;
    const failures = async (extra: object) =>
      (await meters.check({}, { adoptionKey: "m", ...CALLS, ...extra })).failures?.map((f) => f.property);
    expect(await failures({ name: "ab" })).toEqual(["name"]);
    expect(await failures({ aggregation: { func: "sum" } })).toEqual(["aggregation"]);
    expect(await failures({ aggregation: { func: "median", property: "x" } })).toEqual(["aggregation"]);
    expect(await failures({ unit: "custom" })).toEqual(["customLabel"]);
    expect(await failures({ customMultiplier: 1000 })).toEqual(["customMultiplier"]);
    expect(await failures({ customLabel: "x", unit: "custom", customMultiplier: 0 })).toEqual([
      "customMultiplier",
    ]);
    const nested = await meters.check(
      {},
      {
        adoptionKey: "m",
        ...CALLS,
        filter: {
          conjunction: "and",
          clauses: [{ conjunction: "or", clauses: [{ property: "x", operator: "contains", value: 1 }] }],
        },
      },
    );
    expect(nested.failures).toEqual([
      { property: "filter", reason: expect.stringMatching(/^filter\.clauses\.0\.clauses\.0\.operator: /) },
    ]);
    const misspelt = await meters.check(
      {},
      { adoptionKey: "m", ...CALLS, filter: { conjunction: "and", clauses: [{ propery: "x" }] } },
    );
    expect(misspelt.failures?.map((f) => f.reason)).toContain(
      "filter.clauses.0.propery: is not an argument of this resource",
    );
    expect(requests().length).toBe(before);
    await expect(meters.create({ adoptionKey: "m", ...CALLS, name: "ab" })).rejects.toThrow(/name: /);
    expect(requests().length).toBe(before);
  });

  it("a 201 whose body cannot be read: finds the meter by its tag, no second meter", async () => {
    await control("POST", "/_emulator/faults", {
      method: "POST",
      path: "/polar/v1/meters",
      attempts: [1],
      garble: true,
    });
    const { id } = await newMeter();
    expect(
      requests()
        .filter((r) => r.method === "POST")
        .map((r) => r.status),
    ).toEqual([201]);
    expect((await api("GET", "/v1/meters/")).items.map((m: { id: string }) => m.id)).toEqual([id]);
  });
});

describe("polar.CustomField provider", () => {
  it("creates a field with camelCase properties sent snake_case, and reads it back without drift", async () => {
    const { id, s, inputs } = await newField();
    expect(s.customFieldId).toBe(id);
    const post = requests().find((r) => r.method === "POST");
    expect(post?.body).toEqual({
      type: "select",
      slug: "size",
      name: "Size",
      properties: { form_label: "Team size", options: [{ value: "s", label: "Small" }] },
      metadata: { [NAME_TAG]: "size", [CREATE_TAG]: expect.any(String) },
    });
    const read = await fields.read(id, s);
    expect(read.props).toEqual(s);
    expect(await fields.diff(id, s, inputs)).toEqual({ changes: false });
  });

  it("updates slug, name and properties in place, sending the type Polar's update requires", async () => {
    const { id, s, inputs } = await newField({
      type: "text",
      slug: "company",
      name: "Company",
      properties: { textarea: true },
    });
    const news = { ...inputs, slug: "firm", properties: { textarea: true, maxLength: 80 } };
    expect(await fields.diff(id, s, news)).toEqual({ changes: true });
    const before = requests().length;
    const { outs } = await fields.update(id, s, news);
    expect(
      requests()
        .slice(before)
        .map((r) => r.body),
    ).toEqual([{ type: "text", slug: "firm", properties: { textarea: true, max_length: 80 } }]);
    expect((outs as CustomFieldState).properties).toEqual({ textarea: true, maxLength: 80 });
  });

  it("replaces on a new type, deleting the old field first to free its slug", async () => {
    const { id, s, inputs } = await newField();
    const diff = await fields.diff(id, s, { ...inputs, type: "text", properties: {} });
    expect(diff).toMatchObject({ changes: true, replaces: ["type"], deleteBeforeReplace: true });
  });

  it("deletes with Polar's delete, then counts as gone; a second delete is done", async () => {
    const { id, s } = await newField();
    await fields.delete(id, s);
    expect(requests().at(-1)).toMatchObject({ method: "DELETE", status: 204 });
    expect(await fields.read(id, s)).toEqual({ id: "" });
    await fields.delete(id, s);
  });

  it("shows a change made in the dashboard as drift", async () => {
    const { id, s, inputs } = await newField();
    await api("PATCH", `/v1/custom-fields/${id}`, {
      type: "select",
      properties: { options: [{ value: "m", label: "Medium" }] },
    });
    const read = await fields.read(id, s);
    expect((read.props as CustomFieldState).properties).toEqual({
      options: [{ value: "m", label: "Medium" }],
    });
    expect(await fields.diff(id, read.props as CustomFieldState, inputs)).toEqual({ changes: true });
    expect(changed(polarCustomFieldDiffTable, read.props, inputs)).toEqual(["properties"]);
  });

  it("adopts the field carrying its adoption key; refuses one of another type", async () => {
    const made = await api("POST", "/v1/custom-fields/", {
      type: "select",
      slug: "size",
      name: "Size",
      properties: { form_label: "Team size", options: [{ value: "s", label: "Small" }] },
      metadata: { [NAME_TAG]: "size" },
    });
    const before = requests().length;
    const r = await fields.create(await checked(fields, { adoptionKey: "size", adopt: true, ...SIZE }));
    expect(r.id).toBe(made.id);
    expect(
      requests()
        .slice(before)
        .filter((x) => x.method !== "GET"),
    ).toEqual([]);
    await expect(
      fields.create(
        await checked(fields, { adoptionKey: "size", adopt: true, type: "text", slug: "size", name: "Size" }),
      ),
    ).rejects.toThrow(/custom field .* is of type select but type is text/);
  });

  it("a slug another field holds: one refused create saying how to adopt it, no retry", async () => {
    await api("POST", "/v1/custom-fields/", {
      type: "text",
      slug: "size",
      name: "Dashboard",
      properties: {},
    });
    const inputs = await checked(fields, { adoptionKey: "size", ...SIZE });
    await expect(fields.create(inputs)).rejects.toThrow(
      /^\[SLUG_TAKEN\] polar: the custom field slug "size" is already used by another custom field/,
    );
    expect(
      requests()
        .filter((r) => r.method === "POST")
        .map((r) => r.status),
    ).toEqual([201, 422]);
  });

  it("fails bad input at check naming the field, with no request", async () => {
    const before = requests().length;
    const failures = async (news: object) =>
      (await fields.check({}, { adoptionKey: "f", ...news })).failures?.map((f) => [f.property, f.reason]);
    expect(await failures({ ...SIZE, slug: "Has Space" })).toEqual([["slug", expect.stringMatching(/a-z/)]]);
    expect(await failures({ ...SIZE, properties: {} })).toEqual([
      ["properties", "properties.options: a select field needs options"],
    ]);
    expect(await failures({ ...SIZE, type: "text", properties: { ge: 1 } })).toEqual([
      ["properties", expect.stringMatching(/^properties\.ge: a text field has no ge/)],
    ]);
    expect(await failures({ ...SIZE, properties: { options: [] } })).toEqual([
      ["properties", expect.stringMatching(/^properties\.options: a select field needs at least one/)],
    ]);
    expect(await failures({ ...SIZE, type: "color" })).toEqual([["type", expect.any(String)]]);
    expect(await failures({ ...SIZE, properties: { ...SIZE.properties, formLable: "x" } })).toEqual([
      ["properties", "properties.formLable: is not an argument of this resource"],
    ]);
    expect(requests().length).toBe(before);
  });

  it("a 201 whose body cannot be read: finds the field by its tag, no second field", async () => {
    await control("POST", "/_emulator/faults", {
      method: "POST",
      path: "/polar/v1/custom-fields",
      attempts: [1],
      garble: true,
    });
    const { id } = await newField();
    expect(
      requests()
        .filter((r) => r.method === "POST")
        .map((r) => r.status),
    ).toEqual([201]);
    expect((await api("GET", "/v1/custom-fields/")).items.map((f: { id: string }) => f.id)).toEqual([id]);
  });
});

describe("polar.Meter and polar.CustomField on an ambiguous 404", () => {
  // A 404 that is not Polar's ResourceNotFound (a route Polar does not have, a proxy's page) says
  // nothing about the object: read and delete fail naming it, and the object stays in state.
  const ROUTE_404 = { status: 404, body: { detail: "Not Found" } };

  it("a meter read or archive answered by a bare route 404 fails; Polar's own 404 counts as gone", async () => {
    const { id, s } = await newMeter();
    await control("POST", "/_emulator/faults", {
      method: "GET",
      path: `/polar/v1/meters/${id}`,
      ...ROUTE_404,
    });
    await expect(meters.read(id, s)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    await control("DELETE", "/_emulator/faults");
    await control("POST", "/_emulator/faults", {
      method: "PATCH",
      path: `/polar/v1/meters/${id}`,
      ...ROUTE_404,
    });
    await expect(meters.delete(id, s)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    await control("DELETE", "/_emulator/faults");
    expect((await api("GET", `/v1/meters/${id}`)).archived_at).toBeNull();
    await control("POST", "/_emulator/faults", {
      method: "GET",
      path: `/polar/v1/meters/${id}`,
      status: 404,
      body: { error: "ResourceNotFound", detail: "Not found" },
    });
    expect(await meters.read(id, s)).toEqual({ id: "" });
  });

  it("a custom field read or delete answered by a bare route 404 fails and the field stays", async () => {
    const { id, s } = await newField();
    const path = `/polar/v1/custom-fields/${id}`;
    await control("POST", "/_emulator/faults", { method: "GET", path, ...ROUTE_404 });
    await expect(fields.read(id, s)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    await control("DELETE", "/_emulator/faults");
    await control("POST", "/_emulator/faults", { method: "DELETE", path, ...ROUTE_404 });
    await expect(fields.delete(id, s)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    await control("DELETE", "/_emulator/faults");
    expect((await api("GET", `/v1/custom-fields/${id}`)).id).toBe(id);
  });
});
