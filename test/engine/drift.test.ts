/**
 * The nightly drift job: `checkout-links preview --refresh` after changes made in the vendors'
 * dashboards. For every drifted resource the report shows each field with the vendor's value and the
 * declared one, marks a resource deleted outside Pulumi, and warns when repairing it gives a link a
 * new URL (a recreated Polar link). The example catalog runs from a project that installed the
 * packed tarball, against the emulator.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { engineRoot, installedProject, REPO } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

async function vendor(base: string, token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(base + p, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
}

describe("drift reports", () => {
  it("show each drifted field with the vendor's and the declared value, and what a repair republishes", async () => {
    const project = newProject(installedProject(), "drift", {
      index: fs.readFileSync(path.join(REPO, "examples/catalog/index.ts"), "utf8"),
    });
    const home = fs.mkdtempSync(path.join(project, ".home-"));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const bin = path.join(installedProject(), "node_modules/.bin/checkout-links");
        const child = spawn(bin, [...args, "--stack", "nightly", "--backend", `file://${home}`], {
          cwd: project,
          env: {
            PATH: process.env.PATH,
            PULUMI_ENGINE_ROOT: engineRoot(),
            PULUMI_HOME: home,
            PULUMI_CONFIG_PASSPHRASE: "drift",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            CHECKOUT_LINKS_FYNN_BASE_URL: emu.baseUrls.fynn,
            CHECKOUT_LINKS_FYNN_TOKEN: DEMO_TOKENS.fynnAcme,
            CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
            CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
          },
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, out }));
      });
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
        emu.baseUrls.fynn,
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
      await vendor(emu.baseUrls.polar, DEMO_TOKENS.polarAcme, "PATCH", `/v1/checkout-links/${pro.id}`, {
        label: "pro (edited in the dashboard)",
      });
      await vendor(
        emu.baseUrls.polar,
        DEMO_TOKENS.polarAcme,
        "DELETE",
        `/v1/checkout-links/${onboarding.id}`,
      );
      await vendor(emu.baseUrls.fynn, DEMO_TOKENS.fynnAcme, "DELETE", `/checkout-links/${fynnLink.id}`);

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
