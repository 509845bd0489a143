/**
 * The `examples/coreapi` program run by the real engine as users run it (a copy of the program in
 * a project that installed the packed tarball) against the emulator: it deploys, exports the slug and
 * URL it promises, previews empty, and destroys.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { engineEnv, installedProject, pulumiCommand } from "../helpers/engine";
import { exampleProject } from "../helpers/installed";

let emu: Awaited<ReturnType<typeof startEmulator>>;

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(emu.baseUrls.fynn + p, {
    method,
    headers: { authorization: `Bearer ${DEMO_TOKENS.fynnAcme}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

describe("coreapi example through the engine", () => {
  it("deploys a plan and its Pro link, exports slug and URL, previews and refreshes empty, updates and destroys", async () => {
    const productId = (await api("POST", "/products", { name: "Seats" })).body.id;
    const starter = (
      await api("POST", "/price-plans", { product: productId, internalName: "S", amount: 900 })
    ).body.id;
    const pro = (await api("POST", "/price-plans", { product: productId, internalName: "P", amount: 2900 }))
      .body.id;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-coreapi-example-"));
    const stackName = `t${randomUUID().slice(0, 8)}`;
    const workDir = exampleProject(installedProject(), "coreapi");
    const stack = await LocalWorkspace.createStack(
      { stackName, workDir },
      {
        pulumiCommand: await pulumiCommand(),
        pulumiHome: dir,
        envVars: { ...engineEnv(dir), PULUMI_BACKEND_URL: `file://${dir}` },
      },
    );
    try {
      await stack.setAllConfig({
        "checkout-links:coreapi.token": { value: DEMO_TOKENS.fynnAcme, secret: true },
        "checkout-links:coreapi.baseUrl": { value: emu.baseUrls.fynn },
        productId: { value: productId },
        starterPricePlanId: { value: starter },
        proPricePlanId: { value: pro },
      });
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ create: 3 });
      const planId = up.outputs.planId?.value as string;
      const plan = (await api("GET", `/api/plans/${planId}`)).body;
      expect([plan.code, plan.name, plan.status]).toEqual(["pro-plan", "Pro Plan", "active"]);
      expect(plan.tiers.map((t: any) => [t.name, t.commitmentPeriod, t.items[0].pricePlanId])).toEqual([
        ["Starter", null, starter],
        ["Pro", "P1Y", pro],
      ]);
      expect(up.outputs.linkSlug?.value).toBe("pro-monthly");
      expect(up.outputs.url?.value).toBe(`${emu.baseUrls.fynn}/checkout-link/pro-monthly/cart`);
      const links = (await api("GET", `/api/plans/${planId}/checkout-links`)).body;
      expect(links.map((l: any) => [l.id, l.planTierName])).toEqual([[up.outputs.linkId?.value, "Pro"]]);
      expect((await fetch(up.outputs.url?.value as string, { redirect: "manual" })).status).toBe(302);
      await stack.preview({ expectNoChanges: true });
      expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 3 });

      await stack.setConfig("couponsAllowed", { value: "true" });
      const update = await stack.up();
      expect(update.summary.resourceChanges).toEqual({ same: 2, update: 1 });
      expect(update.outputs.url?.value).toBe(up.outputs.url?.value);
      const [updated] = (await api("GET", `/api/plans/${planId}/checkout-links`)).body;
      expect([updated.id, updated.couponsAllowed]).toEqual([up.outputs.linkId?.value, true]);

      const down = await stack.destroy();
      expect(down.summary.resourceChanges).toEqual({ delete: 3 });
      expect((await api("GET", `/api/plans/${planId}`)).body.status).toBe("archived");
      expect((await api("GET", `/api/plans/${planId}/checkout-links`)).body).toEqual([]);
    } finally {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      fs.rmSync(workDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
