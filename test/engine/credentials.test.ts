/**
 * One credential story for `checkout-links` and plain `pulumi` on the same stack: the state either
 * leaves can be refreshed and destroyed by the other, and a token changed in stack config is the one
 * later operations use (plain `pulumi refresh`/`destroy` with `--run-program`, or the command; a plain
 * refresh without the program, which the engine configures from the state, says what to run).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS, POLAR_SCOPES } from "../../emulator/seed";
import { runCli } from "../helpers/cli";
import { emulatorConfig } from "../helpers/emulator";
import { engineEnv, engineRoot, failureText, installedProject, pulumiCommand } from "../helpers/engine";
import { newProject } from "../helpers/installed";

const OLD = "polar_oat_rotation_old_acme";
const NEW = "polar_oat_rotation_new_acme";
const WRONG = "polar_oat_rotation_wrong";

let emu: Emulator;
beforeAll(async () => {
  const scopes = Object.values(POLAR_SCOPES);
  emu = await startEmulator({
    tokens: [
      { token: OLD, family: "polar", org: "acme", scopes },
      { token: NEW, family: "polar", org: "acme", scopes },
    ],
  });
});
afterAll(async () => {
  await emu?.close();
});

const PROGRAM = `import { polar } from "pulumi-checkout-links";

const product = new polar.Product("creds", {
  name: "Credentials",
  prices: [{ type: "fixed", amount: 900, currency: "usd" }],
});
const link = new polar.CheckoutLink("creds", { products: [product.productId], label: "creds" });
export const productId = product.productId;
export const linkId = link.linkId;
`;

interface Ctx {
  stack: Stack;
  project: string;
  cli(args: string[]): ReturnType<typeof runCli>;
  setToken(token: string): Promise<void>;
}

async function withProject(name: string, token: string, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const project = newProject(installedProject(), name, { index: PROGRAM });
  const home = fs.mkdtempSync(path.join(project, ".home-"));
  const env = { ...engineEnv(home), PULUMI_BACKEND_URL: `file://${home}` };
  try {
    const stack = await LocalWorkspace.createStack(
      { stackName: "t", workDir: project },
      { pulumiCommand: await pulumiCommand(), pulumiHome: home, envVars: env },
    );
    await stack.setAllConfig(emulatorConfig(emu, "polar", { default: token }));
    await fn({
      stack,
      project,
      cli: (args) =>
        runCli([...args, "--stack", "t"], {
          cwd: project,
          env: { PATH: process.env.PATH, ...env, PULUMI_ENGINE_ROOT: engineRoot() },
        }),
      setToken: (t) => stack.setConfig("checkout-links:polar.token", { value: t, secret: true }),
    });
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

/** The stack's objects at the vendor that are still live (a link not deleted, a product not archived). */
function live(productId: string, linkId: string): string[] {
  const s = emu.state().polar;
  return [
    ...(s.products[productId] && !s.products[productId].is_archived ? [`product ${productId}`] : []),
    ...(s.links[linkId] && s.links[linkId].deleted_at === null ? [`link ${linkId}`] : []),
  ];
}

async function ids(stack: Stack): Promise<{ productId: string; linkId: string }> {
  const out = await stack.outputs();
  return { productId: out.productId?.value as string, linkId: out.linkId?.value as string };
}

describe("checkout-links and plain pulumi on one stack", () => {
  it("plain refresh, preview --refresh and destroy operate a stack that checkout-links up made", async () => {
    await withProject("creds-mix", DEMO_TOKENS.polarAcme, async ({ stack, cli }) => {
      const up = await cli(["up"]);
      expect([up.code, up.code === 0 ? "" : up.out.slice(-1500)]).toEqual([0, ""]);
      const made = await ids(stack);
      expect(live(made.productId, made.linkId)).toHaveLength(2);

      const refresh = await stack.refresh();
      expect(refresh.summary.result).toBe("succeeded");
      expect(refresh.summary.resourceChanges).toEqual({ same: 3 });
      const preview = await stack.preview({ refresh: true });
      expect(preview.changeSummary).toEqual({ same: 3 });

      const destroy = await stack.destroy();
      expect(destroy.summary.result).toBe("succeeded");
      expect(live(made.productId, made.linkId)).toEqual([]);
    });
  }, 600_000);
});

describe("a token changed in stack config", () => {
  it("is the one later refreshes and destroys use; a rejected one is a 401 naming the host, never the token", async () => {
    await withProject("creds-rotate", OLD, async ({ stack, cli, setToken }) => {
      await stack.up();
      const made = await ids(stack);
      const host = new URL(emu.url).host;

      // A wrong token in stack config: refresh with the program (the engine configures the provider
      // with the current config) and the command's refresh both fail on the vendor's 401.
      await setToken(WRONG);
      const plain = await failureText(() => stack.refresh({ runProgram: true }));
      expect(plain).toMatch(/polar GET \/v1\/(products|checkout-links)\/\S+ failed \(HTTP 401\) at /);
      expect(plain).toContain(`failed (HTTP 401) at ${host}`);
      const viaCli = await cli(["refresh"]);
      expect(viaCli.code).not.toBe(0);
      expect(viaCli.out).toMatch(/failed \(HTTP 401/);
      for (const text of [plain, viaCli.out]) {
        for (const t of [OLD, WRONG]) expect(text.includes(t)).toBe(false);
      }

      // A new valid token, the old one revoked at the vendor.
      await setToken(NEW);
      emu.revokeToken(OLD);
      // Plain refresh without the program runs on the config stored by the last up (the old token):
      // the vendor's 401 says so and what to run.
      const stale = await failureText(() => stack.refresh());
      expect(stale).toMatch(/failed \(HTTP 401/);
      expect(stale).toContain("--run-program");
      expect(stale.includes(OLD) || stale.includes(NEW)).toBe(false);
      // With the program, and through the command, the current token is used.
      expect((await stack.refresh({ runProgram: true })).summary.resourceChanges).toEqual({ same: 3 });
      const cliRefresh = await cli(["refresh"]);
      expect([cliRefresh.code, cliRefresh.code === 0 ? "" : cliRefresh.out.slice(-1500)]).toEqual([0, ""]);
      const destroy = await stack.destroy({ runProgram: true });
      expect(destroy.summary.result).toBe("succeeded");
      expect(live(made.productId, made.linkId)).toEqual([]);
    });
  }, 600_000);
});
