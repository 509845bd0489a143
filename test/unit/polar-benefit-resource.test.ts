/**
 * polar.Benefit's provider methods called as plain functions against the emulator: create, read,
 * update and delete of each type the API can create, replace versus update, adoption by tag and by
 * id, drift, bad input and account-bound types refused at check without a request, and a create
 * whose answer cannot be read that still makes exactly one benefit.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { UNKNOWN } from "../../provider/core/check";
import { diffTableMarkdown } from "../../provider/core/diff";
import { type BenefitState, PolarBenefitProvider, polarBenefitDiffTable } from "../../provider/polar/benefit";
import { CREATE_TAG, NAME_TAG } from "../../provider/polar/common";
import { call } from "../fixtures/http";
import { emulatorWithMeter, SEEDED_METER_ID } from "../fixtures/polar-meter";

let emu: Emulator;
const FILE_ID = "3a3c1e6b-2f4d-4b8e-9a10-5c7d9e1f2a33";
const OTHER_FILE_ID = "7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c44";

beforeAll(async () => {
  emu = await emulatorWithMeter({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

/** Clients are cached per account in the process; start afresh. */
function forgetClients(): void {
  const r = (globalThis as Record<symbol, { clients?: Map<string, unknown> } | undefined>)[
    Symbol.for("pulumi-checkout-links.http")
  ];
  r?.clients?.clear();
}

const api = (method: string, p: string, body?: unknown) =>
  call(
    method,
    `${emu.baseUrls.polar}${p}`,
    body === undefined ? { token: DEMO_TOKENS.polarAcme } : { token: DEMO_TOKENS.polarAcme, body },
  );

/** Polar requests the emulator has seen since the test began. */
const requests = () => emu.requests().filter((e) => e.path.startsWith("/polar/"));

let benefits: InstanceType<typeof PolarBenefitProvider>;

beforeEach(() => {
  // The meter lives in the emulator's data file, so the state stays; each test uses its own keys.
  emu.clearFaults();
  emu.clearRequests();
  forgetClients();
  const cfg: Record<string, string> = {
    "checkout-links:polar.token": DEMO_TOKENS.polarAcme,
    "checkout-links:polar.baseUrl": emu.baseUrls.polar,
    "checkout-links:polar.ratePerMinute": "0",
    "checkout-links:polar.timeoutMs": "2000",
  };
  benefits = new PolarBenefitProvider();
  void benefits.configure({
    config: { get: (k: string) => cfg[k], require: (k: string) => cfg[k] as string },
  } as never);
});

async function checked(news: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await benefits.check({}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as Record<string, unknown>;
}

async function create(news: Record<string, unknown>): Promise<{ id: string; outs: BenefitState }> {
  const r = await benefits.create(await checked(news));
  return { id: r.id, outs: r.outs as BenefitState };
}

/** Each type the API creates: the arguments, what Polar is sent, an update and what it sends. */
const CASES = [
  {
    type: "custom",
    args: { description: "Priority support", properties: { note: "Mail us" } },
    wire: { note: "Mail us" },
    visibility: "public",
    change: { properties: { note: "Call us" } },
    patch: { type: "custom", properties: { note: "Call us" } },
  },
  {
    type: "license_keys",
    args: {
      description: "License key",
      properties: { prefix: "ACME", activations: { limit: 3, enableCustomerAdmin: true } },
    },
    wire: {
      prefix: "ACME",
      expires: null,
      activations: { limit: 3, enable_customer_admin: true },
      limit_usage: null,
    },
    visibility: "public",
    change: { properties: { prefix: "ACME", expires: { ttl: 1, timeframe: "year" } } },
    patch: {
      type: "license_keys",
      properties: {
        prefix: "ACME",
        expires: { ttl: 1, timeframe: "year" },
        activations: null,
        limit_usage: null,
      },
    },
  },
  {
    type: "downloadables",
    args: { description: "Downloads", properties: { files: [FILE_ID] } },
    wire: { files: [FILE_ID], archived: {} },
    visibility: "public",
    change: { properties: { files: [FILE_ID, OTHER_FILE_ID], archived: { [FILE_ID]: true } } },
    patch: {
      type: "downloadables",
      properties: { files: [FILE_ID, OTHER_FILE_ID], archived: { [FILE_ID]: true } },
    },
  },
  {
    type: "meter_credit",
    args: {
      description: "1000 API calls",
      properties: { units: 1000, rollover: false, meterId: SEEDED_METER_ID },
    },
    wire: { units: 1000, rollover: false, meter_id: SEEDED_METER_ID },
    visibility: "public",
    change: {
      description: "2000 API calls",
      properties: { units: 2000, rollover: true, meterId: SEEDED_METER_ID },
    },
    patch: {
      type: "meter_credit",
      description: "2000 API calls",
      properties: { units: 2000, rollover: true, meter_id: SEEDED_METER_ID },
    },
  },
  {
    type: "feature_flag",
    args: { description: "Beta access" },
    wire: {},
    visibility: "private",
    change: { visibility: "public" },
    patch: { type: "feature_flag", visibility: "public" },
  },
] as const;

describe("polar.Benefit provider", () => {
  for (const c of CASES) {
    it(`${c.type}: creates with tags, reads back without drift, updates with a PATCH of what changed, deletes`, async () => {
      const key = `crud-${c.type}`;
      const inputs = await checked({ type: c.type, adoptionKey: key, ...c.args });
      const { id, outs } = await benefits.create(inputs);
      const post = requests().find((r) => r.method === "POST");
      expect(post?.body).toEqual({
        type: c.type,
        description: c.args.description,
        visibility: c.visibility,
        properties: c.wire,
        metadata: { [NAME_TAG]: key, [CREATE_TAG]: expect.any(String) },
      });
      const s = outs as BenefitState;
      expect(s).toMatchObject({ type: c.type, visibility: c.visibility, benefitId: id, adoptionKey: key });

      const read = await benefits.read(id, s);
      expect(read.props).toEqual(s);
      expect(await benefits.diff(id, s, inputs as unknown as BenefitState)).toEqual({ changes: false });

      const news = await checked({ type: c.type, adoptionKey: key, ...c.args, ...c.change });
      expect(await benefits.diff(id, s, news as unknown as BenefitState)).toEqual({ changes: true });
      const updated = await benefits.update(id, s, news);
      expect(requests().at(-1)).toMatchObject({ method: "PATCH", status: 200, body: c.patch });
      const after = updated.outs as BenefitState;
      expect(await benefits.diff(id, after, news as unknown as BenefitState)).toEqual({ changes: false });
      expect((await benefits.read(id, after)).props).toEqual(after);

      await benefits.delete(id, after);
      expect(requests().at(-1)).toMatchObject({ method: "DELETE", status: 204 });
      expect(await benefits.read(id, after)).toEqual({ id: "" });
      // Deleting what is gone is done, not an error.
      await benefits.delete(id, after);
    });
  }

  it("replaces on a type or account change and updates everything else", async () => {
    const { id, outs } = await create({ type: "custom", adoptionKey: "diff", description: "Support" });
    const diff = (news: object) => benefits.diff(id, outs, news as BenefitState);
    const base = { type: "custom", adoptionKey: "diff", description: "Support" };
    expect(await diff(await checked({ ...base, type: "feature_flag" }))).toEqual({
      changes: true,
      replaces: ["type"],
    });
    expect(await diff(await checked({ ...base, account: "other" }))).toEqual({
      changes: true,
      replaces: ["account"],
    });
    for (const change of [
      { description: "Support+" },
      { properties: { note: "x" } },
      { visibility: "private" },
      { metadata: { a: 1 } },
      { adoptionKey: "renamed" },
    ]) {
      expect(await diff(await checked({ ...base, ...change }))).toEqual({ changes: true });
    }
  });

  it("adopts by tag and by id, PATCHing only what differs, and refuses another type", async () => {
    const tagged = await api("POST", "/v1/benefits/", {
      type: "custom",
      description: "Made elsewhere",
      properties: { note: "n" },
      metadata: { [NAME_TAG]: "adopt-me" },
    });
    emu.clearRequests();
    const r = await benefits.create(
      await checked({
        type: "custom",
        adoptionKey: "adopt-me",
        adopt: true,
        description: "Made elsewhere",
        properties: { note: "changed" },
      }),
    );
    expect(r.id).toBe(tagged.body.id);
    expect(
      requests()
        .filter((e) => e.method !== "GET")
        .map((e) => [e.method, e.body]),
    ).toEqual([["PATCH", { type: "custom", properties: { note: "changed" } }]]);

    const dashboard = await api("POST", "/v1/benefits/", {
      type: "feature_flag",
      description: "Dashboard flag",
      properties: {},
    });
    const byId = await benefits.create(
      await checked({
        type: "feature_flag",
        adoptionKey: "flag",
        adopt: true,
        adoptId: dashboard.body.id,
        description: "Dashboard flag",
      }),
    );
    expect(byId.id).toBe(dashboard.body.id);
    expect((await api("GET", `/v1/benefits/${dashboard.body.id}`)).body.metadata).toEqual({
      [NAME_TAG]: "flag",
    });

    await expect(
      benefits.create(
        await checked({
          type: "license_keys",
          adoptionKey: "x",
          adopt: true,
          adoptId: dashboard.body.id,
          description: "Keys",
        }),
      ),
    ).rejects.toMatchObject({ code: "ADOPT_MISMATCH" });
  });

  it("reads drift made out of band and counts a benefit deleted out of band as gone", async () => {
    const { id, outs } = await create({
      type: "meter_credit",
      adoptionKey: "drift",
      description: "Credits",
      properties: { units: 10, rollover: false, meterId: SEEDED_METER_ID },
    });
    await api("PATCH", `/v1/benefits/${id}`, {
      type: "meter_credit",
      description: "Credits (edited)",
      properties: { units: 20, rollover: false, meter_id: SEEDED_METER_ID },
    });
    const read = (await benefits.read(id, outs)).props as BenefitState;
    expect(read).toMatchObject({ description: "Credits (edited)", properties: { units: 20 } });
    const inputs = await checked({
      type: "meter_credit",
      adoptionKey: "drift",
      description: "Credits",
      properties: { units: 10, rollover: false, meterId: SEEDED_METER_ID },
    });
    expect(await benefits.diff(id, read, inputs as unknown as BenefitState)).toEqual({ changes: true });
    await api("DELETE", `/v1/benefits/${id}`);
    expect(await benefits.read(id, read)).toEqual({ id: "" });
  });

  it("fails bad input at check naming the field, with no request", async () => {
    const failing = async (news: object) =>
      ((await benefits.check({}, { adoptionKey: "bad", ...news })).failures ?? []) as {
        property: string;
        reason: string;
      }[];
    expect(await failing({ type: "custom", description: "ab" })).toEqual([
      { property: "description", reason: "description must be 3 to 42 characters long" },
    ]);
    const units = await failing({
      type: "meter_credit",
      description: "Credits",
      properties: { units: 0, rollover: true, meterId: SEEDED_METER_ID },
    });
    expect(units).toEqual([{ property: "properties", reason: "properties.units: units must be at least 1" }]);
    const meter = await failing({
      type: "meter_credit",
      description: "Credits",
      properties: { units: 1, rollover: true, meterId: "nope" },
    });
    expect(meter).toEqual([
      { property: "properties", reason: "properties.meterId: must be a Polar id (a UUID4)" },
    ]);
    expect(
      (await failing({ type: "downloadables", description: "Files", properties: { files: [] } }))[0],
    ).toEqual({
      property: "properties",
      reason: "properties.files: files must list at least one file id",
    });
    expect(
      (
        await failing({
          type: "downloadables",
          description: "Files",
          visibility: "private",
          properties: { files: [FILE_ID] },
        })
      ).map((f) => f.property),
    ).toEqual(["visibility"]);
    expect(
      (await failing({ type: "custom", description: "Snake", properties: { meter_id: "x" } }))[0]?.property,
    ).toBe("properties");
    expect((await failing({ type: "coupon", description: "Unknown" })).map((f) => f.property)).toEqual([
      "type",
    ]);
    expect(
      (await failing({ type: "custom", description: "Color", colour: "red" })).map((f) => f.property),
    ).toEqual(["colour"]);
    expect(requests()).toEqual([]);
  });

  it("refuses Discord, GitHub repository and Slack benefits at check, naming type, with no request", async () => {
    for (const [type, properties] of [
      ["discord", { guildToken: "t", roleId: "1", kickMember: false }],
      ["github_repository", { repositoryOwner: "acme", repositoryName: "app", permission: "pull" }],
      ["slack_shared_channel", { slackIntegrationId: FILE_ID, channelNameTemplate: "acme" }],
    ] as const) {
      const r = await benefits.check({}, { type, adoptionKey: "x", description: "Connected", properties });
      expect(r.failures).toEqual([
        {
          property: "type",
          reason: expect.stringMatching(
            new RegExp(`^type "${type}" cannot be created through Polar's API with a token`),
          ),
        },
      ]);
    }
    // Also while another value is not known yet (a preview of another resource's output).
    const early = await benefits.check(
      {},
      { type: "discord", adoptionKey: "x", description: UNKNOWN, properties: { roleId: UNKNOWN } },
    );
    expect(early.failures?.map((f) => f.property)).toEqual(["type"]);
    expect(requests()).toEqual([]);
  });

  it("a create whose 2xx answer cannot be read makes exactly one benefit", async () => {
    emu.injectFault({ method: "POST", path: "/polar/v1/benefits", attempts: [1], garble: true });
    const { id } = await create({ type: "custom", adoptionKey: "garbled", description: "Garbled answer" });
    const listed = (await api("GET", "/v1/benefits/?query=garbled&limit=100")).body.items as { id: string }[];
    expect(listed.map((b) => b.id)).toEqual([id]);
    expect(requests().filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("passes a preview whose meter id is not known yet (a polar.Meter made in the same run)", async () => {
    const r = await benefits.check(
      {},
      {
        type: "meter_credit",
        adoptionKey: "later",
        description: "Credits",
        properties: { units: 5, rollover: false, meterId: UNKNOWN },
      },
    );
    expect(r.failures ?? []).toEqual([]);
    expect((r.inputs as { properties: unknown }).properties).toEqual({
      units: 5,
      rollover: false,
      meterId: UNKNOWN,
    });
    expect(requests()).toEqual([]);
  });

  it("is described in provider/polar/README.md with the diff table the provider uses", () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../provider/polar/README.md"), "utf8");
    // The formatter pads table cells; compare cell contents.
    const cells = (md: string) =>
      md
        .split("\n")
        .map((line) =>
          line.startsWith("|")
            ? line
                .split("|")
                .map((c) => c.trim().replace(/^-+$/, "---"))
                .join("|")
            : line,
        )
        .join("\n");
    expect(cells(readme)).toContain(
      cells(`### polar.Benefit\n\n${diffTableMarkdown(polarBenefitDiffTable)}`),
    );
  });
});

describe("polar.Benefit on an ambiguous 404", () => {
  // A 404 that is not Polar's ResourceNotFound (a route Polar does not have, a proxy's page) says
  // nothing about the benefit: read and delete fail naming it, and the benefit stays.
  it("a read or delete answered by a bare route 404 fails and the benefit stays; Polar's own 404 counts as gone", async () => {
    const { id, outs } = await create({ type: "custom", adoptionKey: "route-404", description: "Support" });
    const path = `/polar/v1/benefits/${id}`;
    const fault = (method: string, body: object) =>
      call("POST", `${emu.url}/_emulator/faults`, { body: { method, path, status: 404, body } });
    await fault("GET", { detail: "Not Found" });
    await expect(benefits.read(id, outs)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    emu.clearFaults();
    await fault("DELETE", { detail: "Not Found" });
    await expect(benefits.delete(id, outs)).rejects.toMatchObject({ code: "UNEXPECTED_404" });
    emu.clearFaults();
    expect((await api("GET", `/v1/benefits/${id}`)).body.id).toBe(id);
    await fault("GET", { error: "ResourceNotFound", detail: "Not found" });
    expect(await benefits.read(id, outs)).toEqual({ id: "" });
  });
});
