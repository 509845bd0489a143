/**
 * The README's main job, `checkout-links up --emulator` on the example catalog, run twice: the second
 * run has nothing to do. It runs as a user runs it: the catalog program copied into a project that
 * installed the packed tarball, with the command from that project's `node_modules/.bin`. The
 * stored checkpoint stays small: every resource type's `__provider` at most 2 KB, and each
 * resource's whole entry at most 5 KB.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { inheritedEnv, runCli } from "../helpers/cli";
import { installedProject, REPO, storedState } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let dir: string;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(args, { cwd: dir, env });

beforeAll(() => {
  const installed = installedProject();
  dir = newProject(installed, "checkout-links-catalog", {
    index: fs.readFileSync(path.join(REPO, "examples/catalog/index.ts"), "utf8"),
  });
  env = inheritedEnv({
    PULUMI_HOME: path.join(dir, ".pulumi-home"),
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  });
});

afterAll(async () => {
  if (dir && fs.existsSync(path.join(dir, ".emulator/state")))
    await cli("destroy", "--emulator", "--allow-destroy");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.sequential("the main job: checkout-links up --emulator", () => {
  it("deploys the root catalog and lists a link of every backend", async () => {
    const run = await cli("up", "--emulator", "--report-json", "up.json");
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, "up.json"), "utf8")) as Report;
    const port = fs.readFileSync(path.join(dir, ".emulator/port"), "utf8").trim();
    const links = report.links ?? [];
    expect(new Set(links.map((l) => l.backend))).toEqual(new Set(["coreapi", "fynn", "polar"]));
    for (const l of links) expect(l.url.startsWith(`http://127.0.0.1:${port}/`)).toBe(true);
    // Every link answers on the emulator, started again on its data file and port after the run.
    const { startEmulator } = createRequire(path.join(dir, "index.js"))(
      "pulumi-checkout-links/emulator",
    ) as typeof import("../../emulator/index");
    const emu = await startEmulator({ dataFile: path.join(dir, ".emulator/data.json"), port: Number(port) });
    try {
      for (const l of links) {
        const res = await fetch(l.url, { redirect: "manual" });
        expect([l.url, res.status]).toEqual([l.url, l.backend === "polar" ? 307 : 302]);
      }
    } finally {
      await emu.close();
    }
  });

  it("stores a small checkpoint: a short __provider module per resource, at most 5 KB a resource", () => {
    const state = JSON.parse(storedState(path.join(dir, ".emulator/state")));
    const resources = (state.checkpoint.latest.resources as Record<string, any>[]).filter((r) =>
      String(r.type).startsWith("pulumi-nodejs:dynamic/"),
    );
    const sizes: Record<string, { provider: number; entry: number }> = {};
    for (const r of resources) {
      const provider = Math.max(
        JSON.stringify(r.inputs.__provider).length,
        JSON.stringify(r.outputs.__provider).length,
      );
      const entry = JSON.stringify(r).length;
      const seen = sizes[r.type] ?? { provider: 0, entry: 0 };
      sizes[r.type] = { provider: Math.max(seen.provider, provider), entry: Math.max(seen.entry, entry) };
    }
    expect(Object.keys(sizes).sort()).toEqual([
      "pulumi-nodejs:dynamic/coreapi:CheckoutLink",
      "pulumi-nodejs:dynamic/coreapi:Plan",
      "pulumi-nodejs:dynamic/fynn:CheckoutLink",
      "pulumi-nodejs:dynamic/polar:CheckoutLink",
      "pulumi-nodejs:dynamic/polar:Product",
    ]);
    for (const [type, size] of Object.entries(sizes)) {
      expect([type, size.provider <= 2048, size.entry <= 5120, size]).toEqual([type, true, true, size]);
    }
  });

  it("records each resource as declared at the program's line, not inside the package", () => {
    const state = JSON.parse(storedState(path.join(dir, ".emulator/state")));
    const resources = (state.checkpoint.latest.resources as Record<string, any>[]).filter((r) =>
      String(r.type).startsWith("pulumi-nodejs:dynamic/"),
    );
    const line = fs
      .readFileSync(path.join(dir, "index.ts"), "utf8")
      .split("\n")
      .findIndex((l) => l.includes("new Catalog("));
    expect(line).toBeGreaterThanOrEqual(0);
    // The Catalog makes every resource; the engine's positions are 1-based lines.
    const where = new Set(resources.map((r) => String(r.sourcePosition).replace(/,\d+$/, "")));
    expect([...where]).toEqual([`project:///index.ts#${line + 1}`]);
    // The stored call stack is the program's own path: no frame of the package, of Pulumi's runtime
    // or of Node.
    for (const r of resources) {
      const frames = (r.stackTrace as { sourcePosition?: string }[]).map((f) => f.sourcePosition ?? "");
      expect(frames).toEqual([r.sourcePosition]);
    }
  });

  it("has nothing to do on the second run", async () => {
    const preview = await cli("preview", "--emulator", "--report-json", "second.json");
    expect(preview.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, "second.json"), "utf8")) as Report;
    expect(report.resources).toEqual([]);
    const again = await cli("up", "--emulator", "--expect-no-changes");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes to apply.");
  });
});
