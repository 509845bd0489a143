/**
 * `checkout-links doctor`: every route the resources use probed read-only against an account, one
 * table, and a non-zero exit when a route does not answer as the provider expects (here: a route
 * the server lacks, answering its framework's 404, and a refused token). It never writes.
 */
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Io } from "../../cli/io";
import { parseDoctor } from "../../cli/main";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { coreapiActivePlan, fynnCatalog, polarLink, polarProduct } from "../fixtures/emulator-setup";
import { call } from "../fixtures/http";

let emu: Emulator;

function envFor(over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    CHECKOUT_LINKS_FYNN_TOKEN: DEMO_TOKENS.fynnAcme,
    CHECKOUT_LINKS_FYNN_BASE_URL: emu.baseUrls.fynn,
    CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
    CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
    ...over,
  };
}

/**
 * The built command: the registry loads each backend's route list on first use with `require`,
 * which finds the compiled modules, not the TypeScript sources the test runner transforms.
 */
const main = () =>
  (
    createRequire(__filename)(
      path.resolve(__dirname, "../../dist/cli/main.js"),
    ) as typeof import("../../cli/main")
  ).main;

async function doctor(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  const code = await main()(["doctor", ...argv], io, os.tmpdir());
  return { code, out, err, row: (route: string) => out.find((l) => l.includes(`\`${route}\``)) };
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  const plan = await coreapiActivePlan(emu, DEMO_TOKENS.fynnAcme, "doctor-plan");
  await call("POST", `${emu.baseUrls.coreapi}/api/plans/${plan.id}/checkout-links`, {
    token: DEMO_TOKENS.fynnAcme,
    body: { planTierId: plan.tiers[0]?.id, slug: "doctor-pro" },
  });
  const classic = await fynnCatalog(emu, DEMO_TOKENS.fynnAcme, "Doctor");
  const made = await call("POST", `${emu.baseUrls.fynn}/checkout-links`, {
    token: DEMO_TOKENS.fynnAcme,
    body: { items: [{ type: "product", product: classic.productId, price: classic.priceId, quantity: 1 }] },
  });
  expect(made.status).toBe(201);
  const product = await polarProduct(emu, DEMO_TOKENS.polarAcme);
  await polarLink(emu, DEMO_TOKENS.polarAcme, [product.id]);
  await call("POST", `${emu.baseUrls.polar}/v1/benefits/`, {
    token: DEMO_TOKENS.polarAcme,
    body: { type: "custom", description: "Doctor benefit", properties: {} },
  });
  for (const [p, body] of [
    [
      "/v1/meters/",
      { name: "Calls", filter: { conjunction: "and", clauses: [] }, aggregation: { func: "count" } },
    ],
    ["/v1/custom-fields/", { type: "checkbox", slug: "terms", name: "Terms", properties: {} }],
  ] as const) {
    expect(
      (await call("POST", `${emu.baseUrls.polar}${p}`, { token: DEMO_TOKENS.polarAcme, body })).status,
    ).toBe(201);
  }
  const discount = await call("POST", `${emu.baseUrls.polar}/v1/discounts/`, {
    token: DEMO_TOKENS.polarAcme,
    body: { type: "percentage", name: "Doctor", basis_points: 1000, duration: "once" },
  });
  expect(discount.status).toBe(201);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await call("DELETE", `${emu.url}/_emulator/faults`);
});

describe("checkout-links doctor", () => {
  it("parses its options, naming a wrong vendor", () => {
    expect(parseDoctor(["doctor", "--vendor", "polar", "--account", "eu"], "/w")).toEqual({
      command: "doctor",
      cwd: "/w",
      emulator: false,
      backends: ["polar"],
      account: "eu",
    });
    expect(() => parseDoctor(["doctor", "--vendor", "stripe"], "/w")).toThrow(
      '--vendor: unknown backend "stripe"; one of coreapi, fynn, polar',
    );
  });

  it("probes every route of every backend with an account, read-only, and exits 0 when all answer", async () => {
    const before = emu.requests().length;
    const r = await doctor([], envFor());
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.row("GET /api/plans/{id}")).toMatch(/\| inferred \| .* \| ok: answered and parsed \|$/);
    expect(r.row("GET /v1/products/{id} (an id that does not exist)")).toContain(
      "ok: a missing object answers the vendor's not-found form",
    );
    expect(r.row("DELETE /checkout-links/{id}")).toContain("| inferred |");
    expect(r.row("DELETE /checkout-links/{id}")).toContain("not probed: a write");
    expect(r.out.filter((l) => l.includes("| skipped:"))).toEqual([]);
    expect(r.out.at(-1)).toMatch(
      /^51 routes \(6 inferred\): 25 ok, 0 failed, 0 skipped \(nothing to read\), 26 writes not probed\.$/,
    );
    const sent = emu.requests().slice(before);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.filter((s) => s.method !== "GET")).toEqual([]);
    expect(r.out.join("\n")).not.toContain(DEMO_TOKENS.fynnAcme);
  });

  it("fails a route that answers its framework's 404 while the object exists, naming the route", async () => {
    await call("POST", `${emu.url}/_emulator/faults`, {
      body: { method: "GET", path: "/fynn/api/plans/*", missingRoute: "json" },
    });
    const r = await doctor(["--vendor", "coreapi"], envFor());
    expect(r.code).toBe(1);
    const row = r.row("GET /api/plans/{id}") ?? "";
    expect(row).toContain("| inferred |");
    expect(row).toContain("**FAILED**: coreapi GET /api/plans/");
    expect(row).toContain("(HTTP 404)");
    expect(row).toContain("may differ from what this package expects");
    // The documented list still answers: only the route the server lacks fails.
    expect(r.row("GET /api/plans")).toContain("ok: answered and parsed");
    expect(r.out.join("\n")).toContain("A route that failed here fails a stack that uses it");
  });

  it("fails every probed route of a backend whose token is refused, and never prints the token", async () => {
    const r = await doctor(["--vendor", "polar"], envFor({ CHECKOUT_LINKS_POLAR_TOKEN: "polar_oat_wrong" }));
    expect(r.code).toBe(1);
    expect(r.row("GET /v1/products/")).toContain("the token was rejected");
    expect(r.out.join("\n")).not.toContain("polar_oat_wrong");
  });

  it("says so when no backend has an account", async () => {
    const r = await doctor([], {});
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain("no backend has an account to check: set a token");
  });
});
