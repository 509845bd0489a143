/**
 * A backend added at run time is served by the emulator: a toy backend registered in the backend
 * registry, with a tiny vendor module (create, read, update and delete of one object type) and a
 * family module registered in-process, is reached through `startEmulator()` under its family's
 * prefix, with the emulator's tokens, faults, request log, self-check and state (reset, the state
 * route, the data file), next to the three real backends.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME_ORG_ID,
  type Emulator,
  registerFamily,
  registerVendor,
  startEmulator,
} from "../../emulator/index";
import { registerBackend } from "../../provider/registry";
import { call } from "../fixtures/http";
import { TOKEN, TOY_BACKEND, TOY_VENDOR } from "../fixtures/toy-backend";

let emu: Emulator;
const undo: (() => void)[] = [];
beforeAll(async () => {
  undo.push(
    registerBackend({ ...TOY_BACKEND, resources: {} }),
    registerFamily({ family: "toy", headers: { "toy-version": "1" } }),
    registerVendor(TOY_VENDOR),
  );
  emu = await startEmulator({ tokens: [{ token: TOKEN, family: "toy", org: "acme", scopes: [] }] });
});
afterAll(async () => {
  await emu?.close();
  for (const u of undo.reverse()) u();
});

const widgets = () => `${emu.baseUrls.toy}/widgets`;

describe("a toy backend on the emulator", () => {
  it("is served under its family's prefix, next to the real backends", () => {
    expect(emu.baseUrls).toEqual({
      coreapi: `${emu.url}/fynn`,
      fynn: `${emu.url}/fynn`,
      polar: `${emu.url}/polar`,
      toy: `${emu.url}/toy`,
    });
  });

  it("creates, reads, updates and deletes a widget", async () => {
    const made = await call("POST", widgets(), { token: TOKEN, body: { name: "sprocket" } });
    expect([made.status, made.body]).toEqual([201, { id: "w1", name: "sprocket", size: 1 }]);
    expect(made.headers["toy-version"]).toBe("1");

    const read = await call("GET", `${widgets()}/w1`, { token: TOKEN });
    expect([read.status, read.body]).toEqual([200, { id: "w1", name: "sprocket", size: 1 }]);

    const updated = await call("PATCH", `${widgets()}/w1`, { token: TOKEN, body: { size: 3 } });
    expect([updated.status, updated.body]).toEqual([200, { id: "w1", name: "sprocket", size: 3 }]);

    expect((await call("DELETE", `${widgets()}/w1`, { token: TOKEN })).status).toBe(204);
    const gone = await call("GET", `${widgets()}/w1`, { token: TOKEN });
    expect([gone.status, gone.body]).toEqual([404, { message: "no such widget" }]);
  });

  it("knows its own tokens only, and answers what it does not route in the plain dialect", async () => {
    expect((await call("POST", widgets(), { body: { name: "x" } })).status).toBe(401);
    const polarToken = await call("POST", widgets(), { token: emu.tokens.polarAcme, body: { name: "x" } });
    expect([polarToken.status, polarToken.body]).toEqual([401, { message: "who are you?" }]);
    const bad = await call("POST", widgets(), { token: TOKEN, body: { size: 2 } });
    expect(bad.status).toBe(400);

    const unknown = await call("GET", `${emu.baseUrls.toy}/gadgets`, { token: TOKEN });
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { error: "emulator_error", detail: "No route GET /toy/gadgets" },
    ]);
    const wrongMethod = await call("PUT", widgets(), { token: TOKEN });
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, "POST"]);
  });

  it("takes faults and logs its requests under its own name", async () => {
    emu.clearRequests();
    emu.injectFault("POST /toy/widgets status=503 attempts=1");
    const failed = await call("POST", widgets(), { token: TOKEN, body: { name: "cog" } });
    expect([failed.status, failed.body]).toEqual([
      503,
      { error: "injected_fault", detail: "Injected fault: HTTP 503" },
    ]);
    const made = await call("POST", widgets(), { token: TOKEN, body: { name: "cog" } });
    expect(made.status).toBe(201);
    expect(emu.requests().map((r) => [r.method, r.path, r.vendor, r.org, r.status, r.fault ?? null])).toEqual(
      [
        ["POST", "/toy/widgets", "toy", "acme", 503, "fault-1"],
        ["POST", "/toy/widgets", "toy", "acme", 201, null],
      ],
    );
  });

  it("checks its answers against their schema before sending them", async () => {
    emu.injectFault("POST /toy/widgets corrupt=name attempts=1");
    const corrupted = await call("POST", widgets(), { token: TOKEN, body: { name: "gear" } });
    expect(corrupted.status).toBe(500);
    expect(corrupted.body.detail).toMatch(/^Emulator self-check failed: .*name/);
  });

  it("keeps its widgets in its state slice: the state route shows them, the data file keeps them, reset clears them", async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-toy-")), "state.json");
    const tokens = [{ token: TOKEN, family: "toy", org: "acme", scopes: [] }];
    const stored = { widgets: { w1: { id: "w1", orgId: ACME_ORG_ID, name: "flange", size: 2 } } };
    const onDisk = () => JSON.parse(fs.readFileSync(dataFile, "utf8")) as Record<string, unknown>;

    const first = await startEmulator({ dataFile, tokens });
    try {
      expect(first.state()["toy"]).toEqual({ widgets: {} });
      const made = await call("POST", `${first.baseUrls.toy}/widgets`, {
        token: TOKEN,
        body: { name: "flange", size: 2 },
      });
      expect([made.status, made.body]).toEqual([201, { id: "w1", name: "flange", size: 2 }]);
      const shown = await call("GET", `${first.url}/_emulator/state`);
      expect(shown.body.toy).toEqual(stored);
      expect(first.state()["toy"]).toEqual(stored);
    } finally {
      await first.close();
    }
    expect(onDisk()["toy"]).toEqual(stored);

    // Restarted on the same data file, without a reset: the widget is still there.
    const second = await startEmulator({ dataFile, tokens });
    try {
      const read = await call("GET", `${second.baseUrls.toy}/widgets/w1`, { token: TOKEN });
      expect([read.status, read.body]).toEqual([200, { id: "w1", name: "flange", size: 2 }]);
      expect(second.state()["toy"]).toEqual(stored);

      expect((await call("POST", `${second.url}/_emulator/reset`)).status).toBe(200);
      expect(second.state()["toy"]).toEqual({ widgets: {} });
      expect(onDisk()["toy"]).toEqual({ widgets: {} });
      const gone = await call("GET", `${second.baseUrls.toy}/widgets/w1`, { token: TOKEN });
      expect([gone.status, gone.body]).toEqual([404, { message: "no such widget" }]);
    } finally {
      await second.close();
    }
  });

  it("starts with an empty slice on a data file written before it was served", async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-toy-")), "state.json");
    const tokens = [{ token: TOKEN, family: "toy", org: "acme", scopes: [] }];
    const first = await startEmulator({ dataFile, tokens });
    const product = await call("POST", `${first.baseUrls.polar}/v1/products/`, {
      token: first.tokens.polarAcme,
      body: { name: "Kept", prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 100 }] },
    });
    await first.close();
    const { toy: _toy, ...older } = JSON.parse(fs.readFileSync(dataFile, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(dataFile, JSON.stringify(older));

    const second = await startEmulator({ dataFile, tokens });
    try {
      expect(second.state()["toy"]).toEqual({ widgets: {} });
      expect(Object.keys(second.state().polar.products)).toEqual([product.body.id]);
      const made = await call("POST", `${second.baseUrls.toy}/widgets`, {
        token: TOKEN,
        body: { name: "pin" },
      });
      expect([made.status, made.body]).toEqual([201, { id: "w1", name: "pin", size: 1 }]);
    } finally {
      await second.close();
    }
  });

  it("needs a registered backend, and is gone from emulators started after it is removed", async () => {
    expect(() => registerVendor({ backend: "nosuch", routes: () => [] })).toThrow(
      'no backend "nosuch" is registered',
    );
    expect(() => registerVendor(TOY_VENDOR)).toThrow('the emulator already serves backend "toy"');

    undo.pop()?.(); // the toy vendor
    const later = await startEmulator();
    try {
      expect(later.baseUrls.toy).toBeUndefined();
      const res = await call("GET", `${later.url}/toy/widgets/w1`, { token: TOKEN });
      expect([res.status, res.body]).toEqual([
        404,
        { error: "emulator_error", detail: "No route GET /toy/widgets/w1" },
      ]);
    } finally {
      await later.close();
    }
    // The emulator started before still serves it.
    expect((await call("POST", widgets(), { token: TOKEN, body: { name: "axle" } })).status).toBe(201);
  });
});
