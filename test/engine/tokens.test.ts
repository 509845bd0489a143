/**
 * No API token in the engine's verbose logs. The example catalog (all three backends, tokens set as
 * secrets in the stack config, as the README says) goes through `checkout-links up`, `preview`,
 * `refresh` and `destroy` with `--verbose 9` (the engine's `--verbose=9 --logflow --logtostderr`),
 * from a project that installed the packed tarball. Nothing the runs print, nothing they leave under
 * their temporary folder, and nothing under PULUMI_HOME but the encrypted state holds a token.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { runCli } from "../helpers/cli";
import { emulatorConfig } from "../helpers/emulator";
import { engineEnv, engineRoot, installedProject, pulumiCommand, REPO } from "../helpers/engine";
import { newProject } from "../helpers/installed";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
});
afterAll(async () => {
  await emu?.close();
});

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}

describe("tokens and the engine's verbose logs", () => {
  it("stay out of everything a verbose lifecycle prints and leaves behind", async () => {
    const project = newProject(installedProject(), "tokens", {
      index: fs.readFileSync(path.join(REPO, "examples/catalog/index.ts"), "utf8"),
    });
    const home = fs.mkdtempSync(path.join(project, ".home-"));
    const tmp = fs.mkdtempSync(path.join(project, ".tmp-"));
    const env = { ...engineEnv(home), PULUMI_BACKEND_URL: `file://${home}` };
    try {
      const stack = await LocalWorkspace.createStack(
        { stackName: "t", workDir: project },
        { pulumiCommand: await pulumiCommand(), pulumiHome: home, envVars: env },
      );
      await stack.setAllConfig({
        ...emulatorConfig(emu, "fynn", { default: DEMO_TOKENS.fynnAcme }),
        ...emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }),
      });
      const run = (args: string[]) =>
        runCli([...args, "--stack", "t", "--verbose", "9"], {
          cwd: project,
          env: { PATH: process.env.PATH, ...env, PULUMI_ENGINE_ROOT: engineRoot(), TMPDIR: tmp },
        });
      const outputs: string[] = [];
      for (const args of [["up"], ["preview"], ["refresh"], ["destroy", "--allow-destroy"]]) {
        const r = await run(args);
        expect([args[0], r.code, r.code === 0 ? "" : r.out.slice(-1500)]).toEqual([args[0], 0, ""]);
        outputs.push(r.out);
      }
      const all = outputs.join("\n");
      // The runs really logged at level 9, Configure included.
      expect(all).toMatch(/Configure\(\)/);
      expect(all.length).toBeGreaterThan(100_000);
      expect(emu.requests().some((r) => r.method === "POST")).toBe(true);
      for (const token of [DEMO_TOKENS.fynnAcme, DEMO_TOKENS.polarAcme]) {
        expect(all.includes(token)).toBe(false);
        const leaks = [...filesUnder(tmp), ...filesUnder(home)].filter((f) =>
          fs.readFileSync(f, "latin1").includes(token),
        );
        expect(leaks).toEqual([]);
      }
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
