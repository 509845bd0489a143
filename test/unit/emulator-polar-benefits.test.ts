/**
 * Polar benefits in the emulator (`/v1/benefits/`), as Polar's OpenAPI and server describe them:
 * each type's properties stored with Polar's defaults, list filters, the type fixed on update,
 * visibility only where the type allows it, soft delete answered 404 in Polar's not-found form, and
 * the types that need a connected account refused as Polar refuses an organization token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { call } from "../fixtures/http";
import { emulatorWithMeter, SEEDED_METER_ID } from "../fixtures/polar-meter";

let emu: Emulator;
const token = DEMO_TOKENS.polarAcme;
const FILE_ID = "3a3c1e6b-2f4d-4b8e-9a10-5c7d9e1f2a33";

beforeAll(async () => {
  emu = await emulatorWithMeter({ polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

const api = (method: string, p: string, body?: unknown, as: string = token) =>
  call(method, `${emu.baseUrls.polar}${p}`, body === undefined ? { token: as } : { token: as, body });

describe("Polar benefits in the emulator", () => {
  it("creates each type a token can create, with Polar's stored properties and visibility defaults", async () => {
    const custom = await api("POST", "/v1/benefits/", {
      type: "custom",
      description: "Priority support",
      properties: {},
    });
    expect(custom.status).toBe(201);
    expect(custom.body).toMatchObject({
      type: "custom",
      description: "Priority support",
      properties: { note: null },
      visibility: "public",
      visibility_configurable: true,
      selectable: true,
      deletable: true,
      is_deleted: false,
      metadata: {},
      modified_at: null,
    });
    const keys = await api("POST", "/v1/benefits/", {
      type: "license_keys",
      description: "License key",
      properties: { prefix: "ACME", activations: { limit: 3, enable_customer_admin: true } },
    });
    expect(keys.body.properties).toEqual({
      prefix: "ACME",
      expires: null,
      activations: { limit: 3, enable_customer_admin: true },
      limit_usage: null,
    });
    const files = await api("POST", "/v1/benefits/", {
      type: "downloadables",
      description: "Downloads",
      properties: { files: [FILE_ID] },
    });
    expect(files.body).toMatchObject({
      properties: { archived: {}, files: [FILE_ID] },
      visibility: "public",
      visibility_configurable: false,
    });
    const credit = await api("POST", "/v1/benefits/", {
      type: "meter_credit",
      description: "1000 API calls",
      properties: { units: 1000, rollover: false, meter_id: SEEDED_METER_ID },
    });
    expect(credit.body.properties).toEqual({ units: 1000, rollover: false, meter_id: SEEDED_METER_ID });
    const flag = await api("POST", "/v1/benefits/", {
      type: "feature_flag",
      description: "Beta access",
      properties: {},
      metadata: { tier: "pro" },
    });
    expect(flag.body).toMatchObject({ properties: {}, visibility: "private", metadata: { tier: "pro" } });
  });

  it("refuses what Polar refuses, naming the field", async () => {
    const detail = async (body: unknown) => {
      const res = await api("POST", "/v1/benefits/", body);
      expect(res.status).toBe(422);
      return res.body.detail.map((d: { loc: unknown[] }) => d.loc.join("."));
    };
    expect(
      await detail({
        type: "meter_credit",
        description: "Credits",
        properties: { units: 5, rollover: true },
      }),
    ).toContain("body.meter_credit.properties.meter_id");
    expect(
      await detail({
        type: "meter_credit",
        description: "Credits",
        properties: { units: 5, rollover: true, meter_id: FILE_ID },
      }),
    ).toEqual(["body.properties.meter_id"]);
    expect(await detail({ type: "custom", description: "ab", properties: {} })).toEqual([
      "body.custom.description",
    ]);
    expect(
      await detail({
        type: "downloadables",
        description: "Files",
        visibility: "private",
        properties: { files: [FILE_ID] },
      }),
    ).toEqual(["body.visibility"]);
    expect(
      await detail({
        type: "github_repository",
        description: "Repo access",
        properties: { repository_owner: "acme", repository_name: "private", permission: "pull" },
      }),
    ).toEqual(["body.properties.repository_owner"]);
    expect(
      await detail({
        type: "discord",
        description: "Discord role",
        properties: { guild_token: "x", role_id: "1", kick_member: false },
      }),
    ).toEqual(["body.properties.guild_token"]);
    expect(
      await detail({
        type: "slack_shared_channel",
        description: "Slack channel",
        properties: { slack_integration_id: FILE_ID, channel_name_template: "acme-{customer_name}" },
      }),
    ).toEqual(["body.type"]);
  });

  it("lists with Polar's filters, updates in place and never changes the type", async () => {
    const a = await api("POST", "/v1/benefits/", {
      type: "custom",
      description: "Listed one",
      properties: {},
    });
    await api("POST", "/v1/benefits/", { type: "feature_flag", description: "Listed two", properties: {} });
    const byQuery = await api("GET", "/v1/benefits/?query=listed&type=custom");
    expect(byQuery.body.items.map((b: { id: string }) => b.id)).toEqual([a.body.id]);
    const paged = await api("GET", "/v1/benefits/?query=listed&limit=1&sorting=-created_at");
    expect(paged.body.pagination).toEqual({ total_count: 2, max_page: 2 });
    expect(paged.body.items[0].description).toBe("Listed two");
    expect((await api("GET", "/v1/benefits/?type=nope")).status).toBe(422);
    const tagged = await api("POST", "/v1/benefits/", {
      type: "custom",
      description: "Listed by tag",
      properties: {},
      metadata: { tier: "pro", seats: 5 },
    });
    const byMetadata = await api("GET", "/v1/benefits/?metadata[tier]=pro&metadata[seats]=5");
    expect(byMetadata.body.items.map((b: { id: string }) => b.id)).toEqual([tagged.body.id]);
    expect((await api("GET", "/v1/benefits/?metadata[tier]=team")).body.items).toEqual([]);

    const patched = await api("PATCH", `/v1/benefits/${a.body.id}`, {
      type: "custom",
      description: "Listed one, renamed",
      properties: { note: "Write to us" },
      visibility: "private",
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      description: "Listed one, renamed",
      properties: { note: "Write to us" },
      visibility: "private",
    });
    expect(patched.body.modified_at).not.toBeNull();
    const files = await api("POST", "/v1/benefits/", {
      type: "downloadables",
      description: "Listed files",
      properties: { files: [FILE_ID] },
    });
    const hidden = await api("PATCH", `/v1/benefits/${files.body.id}`, {
      type: "downloadables",
      visibility: "private",
    });
    expect(hidden.body.detail[0]).toMatchObject({ loc: ["body", "visibility"] });
    const credit = await api("POST", "/v1/benefits/", {
      type: "meter_credit",
      description: "Listed credits",
      properties: { units: 1, rollover: false, meter_id: SEEDED_METER_ID },
    });
    const otherMeter = await api("PATCH", `/v1/benefits/${credit.body.id}`, {
      type: "meter_credit",
      properties: { units: 1, rollover: false, meter_id: FILE_ID },
    });
    expect(otherMeter.body.detail[0]).toMatchObject({ loc: ["body", "properties", "meter_id"] });
    const retyped = await api("PATCH", `/v1/benefits/${a.body.id}`, { type: "feature_flag" });
    expect(retyped.status).toBe(422);
    expect(retyped.body.detail[0]).toMatchObject({
      loc: ["body", "type"],
      msg: "Benefit type cannot be changed.",
    });
  });

  it("soft-deletes: 204, then 404 in Polar's not-found form, gone from lists, and another org sees nothing", async () => {
    const b = await api("POST", "/v1/benefits/", {
      type: "custom",
      description: "Short lived",
      properties: {},
    });
    expect((await api("GET", `/v1/benefits/${b.body.id}`, undefined, DEMO_TOKENS.polarGlobex)).status).toBe(
      404,
    );
    expect((await api("DELETE", `/v1/benefits/${b.body.id}`)).status).toBe(204);
    const gone = await api("GET", `/v1/benefits/${b.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: "ResourceNotFound", detail: "Not found" });
    expect((await api("DELETE", `/v1/benefits/${b.body.id}`)).status).toBe(404);
    expect((await api("PATCH", `/v1/benefits/${b.body.id}`, { type: "custom" })).status).toBe(404);
    expect((await api("GET", "/v1/benefits/?query=short")).body.items).toEqual([]);
    const stored = emu.state().polar.benefits?.[b.body.id];
    expect(stored?.is_deleted).toBe(true);
    expect((await api("GET", "/v1/benefits/not-a-uuid")).status).toBe(422);
  });
});
