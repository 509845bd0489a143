/**
 * A stack larger than the account's rate limit deploys with plain `pulumi up` and no pacing set: 25
 * Polar products and 50 checkout links against an organisation limited to 30 requests a minute (the
 * emulator answers over the limit as Polar's server does: 429, `Retry-After: 60`, nothing else). The
 * client queues on the 429s, learns the limit and paces itself to it, so `up` exits 0 with no 429
 * in its output, every object exists exactly once at the vendor, and the run takes close to
 * requests ÷ limit minutes. Before the client learnt limits this stack failed at the deadline with
 * "HTTP 429 rate limited" and links missing.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { polarFleetProgram } from "../../bench/fleet.cjs";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { engineEnv, engineRoot, installedProject, withWorkDirStack } from "../helpers/engine";
import { newProject } from "../helpers/installed";

const LIMIT = 30;
const PRODUCTS = 25;
const LINKS = 50;
const PREFIX = "rl";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: LIMIT, requestLogLimit: 100_000 });
});
afterAll(async () => {
  await emu?.close();
});

/** Runs the `pulumi` CLI as a user does in a pipeline step; resolves with its exit code and output. */
function pulumi(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(engineRoot(), "bin", "pulumi"),
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe("a Polar stack over the account's rate limit", () => {
  it("converges in one plain pulumi up with no pacing set: exit 0, no 429 shown, every object once", async () => {
    const project = newProject(installedProject(), "quota", {
      index: polarFleetProgram({ products: PRODUCTS, links: LINKS, prefix: PREFIX }),
    });
    // Only where the account is and its token: no ratePerMinute, no deadline or retry settings.
    const config = {
      "checkout-links:polar.baseUrl": { value: emu.baseUrls.polar },
      "checkout-links:polar.token": { value: DEMO_TOKENS.polarAcme, secret: true },
    };
    try {
      await withWorkDirStack(
        project,
        async ({ stack, dir }) => {
          const started = Date.now();
          const up = await pulumi(["up", "--yes", "--stack", stack.name], project, {
            ...engineEnv(dir),
            PULUMI_BACKEND_URL: `file://${dir}`,
          });
          const took = (Date.now() - started) / 1000;
          expect(up.output).toContain(`${PRODUCTS + LINKS + 1} created`);
          expect(up.code).toBe(0);
          expect(up.output.split("\n").filter((l) => /429|rate.?limit|deadline|error/i.test(l))).toEqual([]);

          const state = emu.state();
          const products = Object.values(state.polar.products)
            .filter((p) => !p.is_archived && p.name.startsWith(`${PREFIX} `))
            .map((p) => p.name)
            .sort();
          const links = Object.values(state.polar.links)
            .filter((l) => l.deleted_at === null && String(l.label).startsWith(`${PREFIX}-`))
            .map((l) => l.label)
            .sort();
          expect(products).toEqual(
            Array.from({ length: PRODUCTS }, (_, i) => `${PREFIX} product ${i}`).sort(),
          );
          expect(links).toEqual(Array.from({ length: LINKS }, (_, i) => `${PREFIX}-pl-${i}`).sort());

          // The vendor was asked more than two minutes' allowance, refused only while the client
          // learnt the limit, and the run took close to the minimum that allowance sets.
          const calls = emu.requests().filter((r) => r.path.startsWith("/polar/v1/"));
          const accepted = calls.filter((r) => r.status !== 429).length;
          const refused = calls.length - accepted;
          // Every object made once, and besides the creates only the lookups for what an interrupted
          // run made: one listing of products and one of links for the whole run.
          expect(calls.filter((r) => r.method === "POST" && r.status !== 429)).toHaveLength(PRODUCTS + LINKS);
          const others = calls.filter((r) => r.method !== "POST" && r.status !== 429);
          expect(others.every((r) => r.method === "GET")).toBe(true);
          expect(others.length).toBeLessThanOrEqual(2);
          expect(refused).toBeLessThanOrEqual(LINKS);
          const minimum = (accepted / LIMIT) * 60;
          console.log(
            `rate limit ${LIMIT}/min: ${accepted} accepted, ${refused} refused, up ${took.toFixed(1)} s, ` +
              `minimum ${minimum.toFixed(1)} s, ratio ${(took / minimum).toFixed(2)}`,
          );
          expect(took).toBeGreaterThan(2 * 60);
          expect(took).toBeLessThan(1.3 * minimum);
        },
        // Tearing 75 resources down at 30 a minute would double the test's time; the emulator goes away with it.
        { config, skipDestroy: true },
      );
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  }, 400_000);
});
