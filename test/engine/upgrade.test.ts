/**
 * Upgrading the package keeps existing stacks working, in the manner of Pulumi's provider-upgrade
 * tests: apply the example catalog with the previous release (0.1.0, kept as a fixture tarball, see
 * test/fixtures/upgrade/README.md), then, on the same stack and backend, install this version and
 * preview, refresh, update and destroy. The preview and refresh find nothing to change and make no
 * vendor write, `__provider` never shows as a change, and destroy leaves nothing behind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { engineEnv, installedProject, pulumiCommand, REPO, storedState } from "../helpers/engine";
import { installProject, newProject } from "../helpers/installed";

const OLD_TARBALL = path.join(REPO, "test/fixtures/upgrade/pulumi-checkout-links-0.1.0.tgz");
const PROJECT = "checkout-links-upgrade";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0 });
});
afterAll(async () => {
  await emu?.close();
});

/** Live objects per kind at the vendor: not archived, not deleted. */
function live() {
  const s = emu.state();
  return {
    coreapiPlans: Object.values(s.coreapi.plans).filter((p) => p.status !== "archived").length,
    coreapiLinks: Object.values(s.coreapi.links).filter((l) => l.deletedAt === null).length,
    fynnLinks: Object.values(s.fynn.links).filter((l) => l.deletedAt === null).length,
    polarProducts: Object.values(s.polar.products).filter((p) => !p.is_archived).length,
    polarLinks: Object.values(s.polar.links).filter((l) => l.deleted_at === null).length,
  };
}

const writes = () => emu.requests().filter((r) => r.method !== "GET");

describe("state written by 0.1.0", () => {
  it("previews and refreshes with no change under this version, then updates and destroys", async () => {
    const catalog = fs.readFileSync(path.join(REPO, "examples/catalog/index.ts"), "utf8");
    const oldDir = newProject(installProject(OLD_TARBALL), PROJECT, { index: catalog });
    const newDir = newProject(installedProject(), PROJECT, { index: catalog });
    const home = fs.mkdtempSync(path.join(path.dirname(oldDir), ".home-"));
    const envVars = { ...engineEnv(home), PULUMI_BACKEND_URL: `file://${home}` };
    const opts = (workDir: string) => ({ workDir, pulumiHome: home, envVars });
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const b of ["coreapi", "fynn", "polar"] as const) {
      config[`checkout-links:${b}.baseUrl`] = { value: emu.baseUrls[b] };
      config[`checkout-links:${b}.token`] = {
        value: b === "polar" ? DEMO_TOKENS.polarAcme : DEMO_TOKENS.fynnAcme,
        secret: true,
      };
    }

    const cmd = await pulumiCommand();
    const old = await LocalWorkspace.createStack(
      { stackName: "upgrade", workDir: oldDir },
      { ...opts(oldDir), pulumiCommand: cmd },
    );
    let stack = old;
    const empty = live();
    try {
      await old.setAllConfig(config);
      const up = await old.up();
      expect(up.summary.result).toBe("succeeded");
      const created = up.summary.resourceChanges?.create ?? 0;
      expect(created).toBeGreaterThan(8);
      // 0.1.0 stored its provider code in every resource.
      const oldState = JSON.parse(storedState(home));
      const oldProvider = oldState.checkpoint.latest.resources.find((r: any) =>
        String(r.type).startsWith("pulumi-nodejs:dynamic/"),
      ).outputs.__provider as string;
      expect(oldProvider.length).toBeGreaterThan(10_000);
      const before = live();
      expect(before).not.toEqual(empty);

      // The user upgrades: the same stack (config file included) from a project with this version.
      fs.copyFileSync(path.join(oldDir, "Pulumi.upgrade.yaml"), path.join(newDir, "Pulumi.upgrade.yaml"));
      stack = await LocalWorkspace.selectStack(
        { stackName: "upgrade", workDir: newDir },
        { ...opts(newDir), pulumiCommand: cmd },
      );
      emu.clearRequests();
      const preview = await stack.preview({ diff: true });
      expect(preview.changeSummary).toEqual({ same: created });
      expect(preview.stdout).not.toContain("__provider");
      const refresh = await stack.refresh();
      expect(refresh.summary.resourceChanges).toEqual({ same: created });
      expect(writes()).toEqual([]);
      expect((await stack.up()).summary.resourceChanges).toEqual({ same: created });
      expect(writes()).toEqual([]);
      expect(live()).toEqual(before);

      // A real change goes through this version, and the changed resource's state gets the small module.
      fs.writeFileSync(
        path.join(newDir, "index.ts"),
        catalog.replace('name: "Team Plan"', 'name: "Team Plan (2026)"'),
      );
      const update = await stack.up();
      expect(update.summary.resourceChanges).toEqual({ same: created - 1, update: 1 });
      const plan = JSON.parse(storedState(home)).checkpoint.latest.resources.find(
        (r: any) => r.type === "pulumi-nodejs:dynamic/coreapi:Plan",
      );
      expect(plan.outputs.name).toBe("Team Plan (2026)");
      expect(plan.outputs.__provider.length).toBeLessThan(2048);

      const down = await stack.destroy();
      expect(down.summary.resourceChanges).toEqual({ delete: created });
      expect(live()).toEqual(empty);
    } finally {
      await stack.workspace.removeStack("upgrade", { force: true }).catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
