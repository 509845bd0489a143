/**
 * What a user reads when the vendor refuses or fails, through the real engine and through the
 * `checkout-links` command: the resource type and operation, the HTTP status (or that no answer
 * came), the vendor's message and field errors, the request id, and how many attempts were made over
 * how long. Never the token. The examples/fynn program runs from a project that installed the packed
 * tarball, against the emulator with faults.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { cliEnv, runCli } from "../helpers/cli";
import { emulatorConfig, emulatorEnv } from "../helpers/emulator";
import { failureText, installedProject, withWorkDirStack } from "../helpers/engine";
import { exampleProject } from "../helpers/installed";

let emu: Emulator;
let project: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
  project = exampleProject(installedProject(), "fynn");
});
afterEach(() => emu.clearFaults());
afterAll(async () => {
  await emu?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

function config(slug: string, extra: Record<string, string> = {}, token: string = DEMO_TOKENS.fynnAcme) {
  return {
    ...emulatorConfig(emu, "fynn", { default: token }),
    productId: { value: EXAMPLE_IDS.fynnProduct },
    pricePlanId: { value: EXAMPLE_IDS.fynnPricePlan },
    slug: { value: slug },
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: v }])),
  };
}

/** The text `pulumi up` printed when it failed (the Automation API's CommandError carries it). */
async function failedUp(cfg: ReturnType<typeof config>): Promise<string> {
  return withWorkDirStack(project, ({ stack }) => failureText(() => stack.up()), { config: cfg });
}

describe("failures as the engine shows them", () => {
  it("a 500 on every create: status, vendor message, request id, attempts and time", async () => {
    emu.injectFault("POST /fynn/checkout-links status=500");
    const text = await failedUp(
      config("err-500", { "checkout-links:fynn.deadlineMs": "3000", "checkout-links:fynn.timeoutMs": "500" }),
    );
    expect(text).toMatch(
      /fynn:CheckoutLink create: fynn POST \/checkout-links failed \(HTTP 500\) at 127\.0\.0\.1:\d+: An error occurred: Injected fault: HTTP 500 after \d+ attempts over \d+\.\d s/,
    );
    expect(text).toMatch(/request id: emu-\w+-\w+/);
    expect(text).not.toContain(DEMO_TOKENS.fynnAcme);
  });

  it("a rejected token: 401 and what to check, without the token", async () => {
    const text = await failedUp(config("err-401", {}, "api_not_a_real_token"));
    expect(text).toMatch(
      /fynn:CheckoutLink create: fynn GET \/checkout-links failed \(HTTP 401\) at 127\.0\.0\.1:\d+: the token was rejected; check the configured token\./,
    );
    expect(text).not.toContain("api_not_a_real_token");
  });

  it("a 422 with field errors: each field and the vendor's message", async () => {
    const text = await failedUp(config("err-422", { pricePlanId: "00000000-0000-4000-8000-000000000000" }));
    expect(text).toMatch(
      /fynn:CheckoutLink create: fynn POST \/checkout-links failed \(HTTP 422\) at 127\.0\.0\.1:\d+: the request was rejected\./,
    );
    expect(text).toMatch(
      / {2}- items\[0\]\.price: Item not found for "\/price-plans\/00000000-0000-4000-8000-000000000000"/,
    );
    expect(text).toMatch(/request id: emu-/);
  });

  it("no answer in time: the timeout, the attempts and the deadline", async () => {
    emu.injectFault("* /fynn/checkout-links latency=1500");
    const text = await failedUp(
      config("err-timeout", {
        "checkout-links:fynn.deadlineMs": "2500",
        "checkout-links:fynn.timeoutMs": "400",
      }),
    );
    expect(text).toMatch(
      /fynn:CheckoutLink create: fynn GET \/checkout-links failed at 127\.0\.0\.1:\d+: gave up at the overall deadline\./,
    );
    expect(text).toMatch(/last answer: no answer in time\. no answer within \d+ ms/);
    expect(text).toMatch(/after \d+ attempts over \d+\.\d s/);
  });
});

describe("failures as checkout-links shows them", () => {
  it("names the failed resource and the reason, in its output and its JSON report", async () => {
    emu.injectFault("POST /fynn/checkout-links status=503");
    const home = fs.mkdtempSync(path.join(project, ".cli-"));
    fs.writeFileSync(
      path.join(project, "Pulumi.cli.yaml"),
      `config:\n  fynn-example:slug: err-cli\n  fynn-example:productId: ${EXAMPLE_IDS.fynnProduct}\n` +
        `  fynn-example:pricePlanId: ${EXAMPLE_IDS.fynnPricePlan}\n`,
    );
    const env = cliEnv(home, "errors", {
      ...emulatorEnv(emu, "fynn"),
      CHECKOUT_LINKS_FYNN_DEADLINE_MS: "2000",
      CHECKOUT_LINKS_FYNN_TIMEOUT_MS: "400",
    });
    const args = ["up", "--stack", "cli", "--backend", `file://${home}`, "--report-json", "up.json"];
    const run = await runCli(args, { cwd: project, env });
    try {
      expect(run.code).toBe(1);
      expect(run.out).toMatch(
        /FAILED\s+fynn CheckoutLink starter: fynn:CheckoutLink create: fynn POST \/checkout-links failed \(HTTP 503\)/,
      );
      expect(run.out).not.toContain(DEMO_TOKENS.fynnAcme);
      const report = JSON.parse(fs.readFileSync(path.join(project, "up.json"), "utf8"));
      expect(report.failures).toEqual([
        expect.objectContaining({
          name: "starter",
          type: "fynn:CheckoutLink",
          message: expect.stringMatching(
            /^fynn:CheckoutLink create: fynn POST \/checkout-links failed \(HTTP 503\)/,
          ),
        }),
      ]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
