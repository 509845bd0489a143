/**
 * Smoke tests of the engine itself: the real pulumi CLI, a dynamic provider, the Automation API
 * with an inline program, and a work-dir TypeScript program run by `pulumi up` on the command line
 * (which needs the Node.js language host).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { engineEnv, engineRoot, REPO, withStack } from "../helpers/engine";

const run = promisify(execFile);
const { Greeting } = createRequire(__filename)("../helpers/smoke-provider.cjs");

function readStore(file: string): Record<string, { text: string }> {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("engine", () => {
  it("reports the version it was built as", async () => {
    const { stdout } = await run(path.join(engineRoot(), "bin/pulumi"), ["version"], {
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    const expected = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).pulumiEngine
      .version;
    if (!process.env.PULUMI_ENGINE_ROOT && engineRoot().includes("pulumi-checkout-links")) {
      expect(stdout.trim()).toBe(`v${expected}`);
    } else {
      expect(stdout.trim()).toMatch(/^v3\.\d+\.\d+/);
    }
  });

  it("runs an inline program with a dynamic resource through up, preview, refresh and destroy", async () => {
    const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pcl-smoke-")), "store.json");
    let text = "hello";
    const program = async () => {
      const g = new Greeting("greeting", { text });
      return { text: g.text, length: g.length };
    };
    await withStack(
      "smoke-inline",
      program,
      async ({ stack }) => {
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.text?.value).toBe("hello");
        expect(up.outputs.length?.value).toBe(5);
        expect(Object.values(readStore(store))).toEqual([{ text: "hello" }]);

        const preview = await stack.preview();
        expect(preview.changeSummary).toEqual({ same: 2 });

        const refresh = await stack.refresh();
        expect(refresh.summary.resourceChanges).toEqual({ same: 2 });

        text = "hello, world";
        const update = await stack.up();
        expect(update.summary.resourceChanges).toEqual({ same: 1, update: 1 });
        expect(update.outputs.length?.value).toBe(12);
        expect(Object.values(readStore(store))).toEqual([{ text: "hello, world" }]);

        const destroy = await stack.destroy();
        expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
        expect(readStore(store)).toEqual({});
      },
      { env: { SMOKE_STORE: store } },
    );
  });

  it("runs a work-dir TypeScript program with `pulumi up` on the command line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-smoke-cli-"));
    const store = path.join(dir, "store.json");
    const cwd = path.join(REPO, "test/programs/smoke");
    const env = {
      ...process.env,
      ...engineEnv(dir),
      PULUMI_BACKEND_URL: `file://${dir}`,
      SMOKE_STORE: store,
    };
    const pulumi = (args: string[]) =>
      run(path.join(engineRoot(), "bin/pulumi"), [...args, "--non-interactive"], { cwd, env });
    try {
      await pulumi(["stack", "init", "dev"]);
      await pulumi(["config", "set", "text", "from the cli"]);
      await pulumi(["up", "--yes", "--skip-preview"]);
      const { stdout } = await pulumi(["stack", "output", "--json"]);
      expect(JSON.parse(stdout)).toEqual({ text: "from the cli", length: 12 });
      expect(Object.values(readStore(store))).toEqual([{ text: "from the cli" }]);
      const preview = await pulumi(["preview", "--expect-no-changes"]);
      expect(preview.stdout).toContain("2 unchanged");
      await pulumi(["destroy", "--yes", "--skip-preview"]);
      expect(readStore(store)).toEqual({});
    } finally {
      await pulumi(["stack", "rm", "--yes", "--force", "dev"]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
