/**
 * The README's main job, `checkout-links up --emulator` on the root project, run twice: the second
 * run has nothing to do. Runs in a scratch work dir that links to the repository's program, so the
 * repository's own `.emulator/` stays untouched.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { engineRoot, REPO } from "../helpers/engine";

const BIN = path.join(REPO, "dist/cli/main.js");
let dir: string;
let env: NodeJS.ProcessEnv;

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-main-job-"));
  fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const entry of ["examples", "node_modules", "package.json"]) {
    fs.symlinkSync(path.join(REPO, entry), path.join(dir, entry));
  }
  env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("CHECKOUT_LINKS_") && !k.startsWith("PULUMI_")),
  );
  Object.assign(env, {
    PULUMI_ENGINE_ROOT: engineRoot(),
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
    const { startEmulator } = createRequire(__filename)(
      path.join(REPO, "dist/emulator/index.js"),
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
