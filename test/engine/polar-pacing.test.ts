/**
 * Polar limits requests per minute (100 in the sandbox, 500 in production) and answers 429 beyond.
 * A stack that needs more requests than the limit allows in a minute must still deploy with no
 * failed operation and no 429 surfacing: the provider paces itself, shared by every resource in the
 * provider process. The limit and the stack are scaled down together to keep the test short:
 * 10 requests a minute, and a stack of 14 creates.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RequestLogEntry, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { emulatorConfig } from "../helpers/emulator";
import { lib, withStack } from "../helpers/engine";

const LIMIT = 10;
const PAIRS = 7;

let emu: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emu = await startEmulator({ polarRateLimitPerMinute: LIMIT });
});
afterAll(async () => {
  await emu?.close();
});

describe("polar pacing", () => {
  it("deploys a stack needing more requests than the per-minute limit, with no 429 and no failure", async () => {
    const events: string[] = [];
    await withStack(
      "polar-pacing",
      async () => {
        const { polar } = lib();
        const urls: Record<string, unknown> = {};
        for (let i = 0; i < PAIRS; i++) {
          const p = new polar.Product(`tier-${i}`, {
            name: `Tier ${i}`,
            prices: [{ type: "fixed", amount: 100 * (i + 1) }],
          });
          const l = new polar.CheckoutLink(`link-${i}`, { products: [p.productId], label: `tier ${i}` });
          urls[`link${i}`] = l.url;
        }
        return urls;
      },
      async ({ stack }) => {
        await stack.setAllConfig({
          ...emulatorConfig(emu, "polar", { default: DEMO_TOKENS.polarAcme }),
          "checkout-links:polar.ratePerMinute": { value: String(LIMIT) },
        });
        const started = Date.now();
        const up = await stack.up({
          onEvent: (e) => {
            const d = e.diagnosticEvent;
            // Debug diagnostics carry request traces and provider text; what users see is the rest.
            if (d && String(d.severity) !== "debug") events.push(`${d.severity}: ${d.message}`);
            if (e.resOpFailedEvent) events.push(`failed: ${JSON.stringify(e.resOpFailedEvent)}`);
          },
        });
        const took = Date.now() - started;
        expect(up.summary.result).toBe("succeeded");
        expect(up.summary.resourceChanges).toEqual({ create: 2 * PAIRS + 1 });
        expect(Object.keys(up.outputs)).toHaveLength(PAIRS);
        expect(events.filter((m) => /^(error|warning)|failed|429|rate limited/i.test(m))).toEqual([]);

        // More than a minute's allowance went out, and the emulator never had to refuse one.
        const list = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as RequestLogEntry[];
        const polarCalls = list.filter((r) => r.path.startsWith("/polar/v1/"));
        // One create per object, plus the once-per-run listings of products and links in which a
        // create looks for what an interrupted run of it made.
        expect(polarCalls.filter((r) => r.method === "POST")).toHaveLength(2 * PAIRS);
        expect(polarCalls.filter((r) => r.method !== "POST").map((r) => r.method)).toEqual(["GET", "GET"]);
        expect(polarCalls.filter((r) => r.status === 429)).toEqual([]);
        expect(took).toBeGreaterThan(55_000);
      },
      // Tearing 14 resources down at 10 a minute would double the test's time; the emulator goes away with it.
      { skipDestroy: true },
    );
  }, 170_000);
});
