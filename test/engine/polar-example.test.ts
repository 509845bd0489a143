/**
 * The `examples/polar` program as users run it (a work-dir TypeScript program importing
 * "pulumi-checkout-links") against the emulator: it deploys, every exported URL opens a checkout
 * (307), a second preview is empty, and destroy leaves no live link.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { engineEnv, pulumiCommand, REPO } from "../helpers/engine";

let emu: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

async function liveLinks(): Promise<any[]> {
  const res = await fetch(`${emu.baseUrls.polar}/v1/checkout-links/?limit=100`, {
    headers: { authorization: `Bearer ${DEMO_TOKENS.polarAcme}` },
  });
  return ((await res.json()) as { items: any[] }).items;
}

describe("examples/polar", () => {
  it("deploys, exports working checkout URLs, previews empty and destroys", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-polar-example-"));
    const stackName = `t${randomUUID().slice(0, 8)}`;
    const stack = await LocalWorkspace.createStack(
      { stackName, workDir: path.join(REPO, "examples/polar") },
      {
        pulumiCommand: await pulumiCommand(),
        pulumiHome: dir,
        envVars: { ...engineEnv(dir), PULUMI_BACKEND_URL: `file://${dir}` },
      },
    );
    try {
      await stack.setAllConfig({
        "checkout-links:polar.token": { value: DEMO_TOKENS.polarAcme, secret: true },
        "checkout-links:polar.baseUrl": { value: emu.baseUrls.polar },
      });
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ create: 6 });
      const urls = [up.outputs.proUrl?.value, up.outputs.onboardingUrl?.value] as string[];
      expect((await liveLinks()).map((l) => l.url).sort()).toEqual([...urls].sort());
      for (const url of urls) {
        const res = await fetch(url, { redirect: "manual" });
        expect(res.status).toBe(307);
      }
      const [pro] = (await liveLinks()).filter((l) => l.label === "pro plan");
      expect(pro.products.map((p: any) => p.name)).toEqual(["Pro (monthly)", "Pro (yearly)"]);
      expect([pro.trial_interval, pro.trial_interval_count]).toEqual(["day", 14]);

      const preview = await stack.preview();
      expect(preview.changeSummary).toEqual({ same: 6 });

      const down = await stack.destroy();
      expect(down.summary.resourceChanges).toEqual({ delete: 6 });
      expect(await liveLinks()).toEqual([]);
    } finally {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
