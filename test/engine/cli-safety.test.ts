/**
 * The safety rule on a live endpoint: an `up` that would delete a published link on an endpoint
 * that is not a loopback address is refused and changes nothing, until --allow-destroy allows it.
 * The "live" endpoint is the emulator listening on this machine's non-loopback address. The program
 * and the command come from a project that installed the packed tarball.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inheritedEnv, runCli } from "../helpers/cli";
import { emulatorEnv } from "../helpers/emulator";
import { installedProject, REPO } from "../helpers/engine";

const FYNN_EXAMPLE_ID = "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b";
const address = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === "IPv4")?.address;

type Emulator = Awaited<ReturnType<typeof import("../../emulator/index").startEmulator>>;
let emu: Emulator;
let dir: string;
let workDir: string;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) =>
  runCli([...args, "--backend", `file://${path.join(dir, "state")}`], { cwd: workDir, env });

function writeCatalog(slugs: string[]): void {
  fs.writeFileSync(path.join(workDir, "catalog.json"), JSON.stringify({ slugs }));
}

/** Slugs of this program's links that the emulator serves (enabled and not deleted). */
function liveSlugs(): string[] {
  const found: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.slug === "string" && Array.isArray(o.items)) {
        if (o.slug.startsWith("safety-") && !o.deletedAt && o.isEnabled !== false) found.push(o.slug);
      } else Object.values(o).forEach(visit);
    }
  };
  visit(emu.state());
  return found.sort();
}

beforeAll(async () => {
  if (!address) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cli-safety-"));
  workDir = fs.mkdtempSync(path.join(installedProject(), "projects", "shop-"));
  fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nmain: index.js\n");
  fs.writeFileSync(
    path.join(workDir, "index.js"),
    `const fs = require("node:fs");
const { fynn } = require("pulumi-checkout-links");
const { slugs } = JSON.parse(fs.readFileSync(__dirname + "/catalog.json", "utf8"));
const id = ${JSON.stringify(FYNN_EXAMPLE_ID)};
for (const slug of slugs) new fynn.CheckoutLink(slug, { items: [{ productId: id, pricePlanId: id }], slug });
`,
  );
  const { startEmulator } = createRequire(__filename)(
    path.join(REPO, "dist/emulator/index.js"),
  ) as typeof import("../../emulator/index");
  emu = await startEmulator({ host: address, seed: "examples" });
  env = inheritedEnv({
    PULUMI_HOME: path.join(dir, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: "cli-safety",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...emulatorEnv(emu, "fynn"),
  });
});

afterAll(async () => {
  if (!address) return;
  await cli("destroy", "--stack", "live", "--allow-destroy");
  await emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(!address)("safety on a live endpoint", () => {
  it("applies creates without any flag", async () => {
    writeCatalog(["safety-a", "safety-b"]);
    const run = await cli("up", "--stack", "live");
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    expect(liveSlugs()).toEqual(["safety-a", "safety-b"]);
  });

  it("refuses an up that deletes a link, applying nothing", async () => {
    writeCatalog(["safety-a"]);
    const run = await cli("up", "--stack", "live", "--report-json", "refused.json");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "checkout-links: refused: this update would remove or replace published objects",
    );
    expect(run.stderr).toContain(`  - delete safety-b (fynn, ${emu.baseUrls.fynn})`);
    expect(run.stderr).toContain("rerun with --allow-destroy to allow it");
    expect(liveSlugs()).toEqual(["safety-a", "safety-b"]);
    const report = JSON.parse(fs.readFileSync(path.join(workDir, "refused.json"), "utf8"));
    expect(report.warnings.map((w: { kind: string; name: string }) => [w.kind, w.name])).toEqual([
      ["link-removed", "safety-b"],
    ]);
  });

  it("deletes it with --allow-destroy", async () => {
    const run = await cli("up", "--stack", "live", "--allow-destroy");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/deleted\s+fynn CheckoutLink safety-b/);
    expect(liveSlugs()).toEqual(["safety-a"]);
  });
});
