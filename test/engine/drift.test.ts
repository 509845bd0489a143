/**
 * The nightly drift job: `checkout-links preview --refresh` after changes made in the vendors'
 * dashboards. For every drifted resource the report shows each field with the vendor's value and the
 * declared one, marks a resource deleted outside Pulumi, and warns when repairing it gives a link a
 * new URL (a recreated Polar link). And the GitOps job's `up --refresh` when nothing drifted: the
 * refresh keeps the program's inputs, so the `up` after it writes the checkpoint no more often than an
 * `up` without it. The example catalog runs from a project that installed the packed tarball, against
 * the emulator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { cliEnv, runCli } from "../helpers/cli";
import { emulatorEnv, vendorApi } from "../helpers/emulator";
import { installedProject, REPO, storedStateFiles } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

/** What someone does in a vendor's dashboard; throws unless it worked. */
async function vendor(backend: string, token: string, method: string, p: string, body?: unknown) {
  const res = await vendorApi(emu, backend, token)(method, p, body);
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * The checkpoint copies a file backend kept (`PULUMI_DIY_BACKEND_RETAIN_CHECKPOINTS`): one per save,
 * `<stack>.json.<time>`.
 */
function checkpointSaves(home: string, stack: string): number {
  const root = path.join(home, ".pulumi", "stacks");
  const pattern = new RegExp(`(^|/)${stack}\\.json\\.\\d+$`);
  return fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => pattern.test(f)).length;
}

/** Each resource's stored inputs by URN. */
function storedInputs(home: string): Record<string, unknown> {
  const [file] = storedStateFiles(home);
  if (file === undefined) throw new Error(`no stack state under ${home}`);
  const state = JSON.parse(fs.readFileSync(file, "utf8"));
  return Object.fromEntries(
    (state.checkpoint.latest.resources as { urn: string; inputs?: unknown }[]).map((r) => [r.urn, r.inputs]),
  );
}

describe("refresh without drift", () => {
  it("keeps the program's inputs, so the next up writes the checkpoint no more than an unchanged up", async () => {
    // Its own emulator: the catalog's plan codes stay taken after a destroy (plans are archived).
    const own = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0 });
    const project = newProject(installedProject(), "refresh-clean", {
      index: fs.readFileSync(path.join(REPO, "examples/catalog/index.ts"), "utf8"),
    });
    const home = fs.mkdtempSync(path.join(project, ".home-"));
    const env = cliEnv(home, "refresh-clean", {
      ...emulatorEnv(own, "fynn", "polar"),
      PULUMI_DIY_BACKEND_RETAIN_CHECKPOINTS: "true",
    });
    const run = (args: string[]) =>
      runCli([...args, "--stack", "gitops", "--backend", `file://${home}`], { cwd: project, env });
    try {
      expect((await run(["up"])).code).toBe(0);
      const declared = storedInputs(home);
      expect(Object.keys(declared).length).toBeGreaterThan(5);

      const before = checkpointSaves(home, "gitops");
      expect((await run(["up"])).code).toBe(0);
      const plainUp = checkpointSaves(home, "gitops") - before;

      expect((await run(["refresh"])).code).toBe(0);
      // Inputs read back from the vendor would also hold what it chose for arguments the catalog
      // leaves out (a coreapi link's sales channel, Fynn's defaults).
      expect(storedInputs(home)).toEqual(declared);

      const beforeRefreshUp = checkpointSaves(home, "gitops");
      expect((await run(["up", "--refresh"])).code).toBe(0);
      const refreshUp = checkpointSaves(home, "gitops") - beforeRefreshUp;
      expect(plainUp).toBeGreaterThan(0);
      expect(refreshUp).toBeLessThanOrEqual(plainUp);
      expect(storedInputs(home)).toEqual(declared);
      expect((await run(["destroy", "--allow-destroy"])).code).toBe(0);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
      await own.close();
    }
  });
});

describe("drift reports", () => {
  it("show each drifted field with the vendor's and the declared value, and what a repair republishes", async () => {
    const project = newProject(installedProject(), "drift", {
      index: fs.readFileSync(path.join(REPO, "examples/catalog/index.ts"), "utf8"),
    });
    const home = fs.mkdtempSync(path.join(project, ".home-"));
    const env = cliEnv(home, "drift", emulatorEnv(emu, "fynn", "polar"));
    const run = (args: string[]) =>
      runCli([...args, "--stack", "nightly", "--backend", `file://${home}`], { cwd: project, env });
    try {
      expect((await run(["up"])).code).toBe(0);
      const s = emu.state();
      const teamPro = Object.values(s.coreapi.links).find(
        (l) => l.slug === "team-pro" && l.deletedAt === null,
      );
      const fynnLink = Object.values(s.fynn.links).find(
        (l) => l.slug === "basic-partners" && l.deletedAt === null,
      );
      const polarLinks = Object.values(s.polar.links).filter((l) => l.deleted_at === null);
      const pro = polarLinks.find((l) => l.label === "pro launch");
      const onboarding = polarLinks.find((l) => l.label === "onboarding");
      if (!teamPro || !fynnLink || !pro || !onboarding)
        throw new Error("the catalog's links are not all there");
      const onboardingUrl = `${emu.baseUrls.polar}/v1/checkout-links/${onboarding.client_secret}/redirect`;

      // What someone does in the dashboards.
      await vendor(
        "coreapi",
        DEMO_TOKENS.fynnAcme,
        "PUT",
        `/api/plans/${teamPro.planId}/checkout-links/${teamPro.id}`,
        {
          slug: "team-pro",
          couponsAllowed: false,
          isEnabled: true,
          salesChannel: teamPro.salesChannelId,
        },
      );
      await vendor("polar", DEMO_TOKENS.polarAcme, "PATCH", `/v1/checkout-links/${pro.id}`, {
        label: "pro (edited in the dashboard)",
      });
      await vendor("polar", DEMO_TOKENS.polarAcme, "DELETE", `/v1/checkout-links/${onboarding.id}`);
      await vendor("fynn", DEMO_TOKENS.fynnAcme, "DELETE", `/checkout-links/${fynnLink.id}`);

      const nightly = await run([
        "preview",
        "--refresh",
        "--report-json",
        "drift.json",
        "--report-md",
        "drift.md",
      ]);
      expect(nightly.code).toBe(2);
      const report = JSON.parse(fs.readFileSync(path.join(project, "drift.json"), "utf8")) as Report;
      const byName = Object.fromEntries(report.resources.map((r) => [r.name, r]));
      expect(report.resources.map((r) => [r.name, r.op, r.drift]).sort()).toEqual(
        [
          ["shop-basic-partners", "create", "deleted"],
          ["shop-onboarding", "create", "deleted"],
          ["shop-pro", "update", "changed"],
          ["shop-team-pro", "update", "changed"],
        ].sort(),
      );
      expect(byName["shop-team-pro"]?.fields).toEqual([
        { field: "couponsAllowed", old: false, new: true, drift: true },
      ]);
      expect(byName["shop-pro"]?.fields).toEqual([
        { field: "label", old: "pro (edited in the dashboard)", new: "pro launch", drift: true },
      ]);
      expect(report.warnings.map((w) => [w.kind, w.name]).sort()).toEqual(
        [
          ["link-recreated", "shop-basic-partners"],
          ["link-recreated", "shop-onboarding"],
        ].sort(),
      );
      const polarWarning = report.warnings.find((w) => w.name === "shop-onboarding")?.message;
      expect(polarWarning).toContain(`creates a new link with a new URL: ${onboardingUrl} stays dead`);
      const md = fs.readFileSync(path.join(project, "drift.md"), "utf8");
      expect(md).toContain("> [!CAUTION]");
      expect(md).toContain("| `couponsAllowed` | <code>false</code> | <code>true</code> |");
      expect(md).toContain("| Field | At the vendor | Declared |");

      // The repair puts back what the program declares.
      expect((await run(["up", "--refresh"])).code).toBe(0);
      expect((await run(["preview", "--refresh"])).code).toBe(0);
      expect((await run(["destroy", "--allow-destroy"])).code).toBe(0);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
