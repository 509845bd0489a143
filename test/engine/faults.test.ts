/**
 * One `up` of a 100-link stack converges through a bad stretch of vendor weather: the emulator
 * answers a seeded 20% of requests with 500/502/503, 10% with 429 and `Retry-After: 1`, drops 5%
 * after applying them, and delays every request by 0-150 ms. The up succeeds, every declared object
 * exists exactly once at the vendor (no duplicate) and nothing lives there that the state does not
 * know (no orphan); a preview under the same faults is empty, and destroy under them leaves nothing.
 */
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetConfig, fleetDeclared, fleetInState, fleetLive, fleetProgram } from "../../bench/fleet.cjs";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS } from "../../emulator/seed";
import { installedProject, storedState, withWorkDirStack } from "../helpers/engine";
import { newProject } from "../helpers/installed";

const PREFIX = "ch";
const N = 100;
const CHAOS = [
  "* /fynn/** status=500 probability=0.07",
  "* /fynn/** status=502 probability=0.07",
  "* /fynn/** status=503 probability=0.06",
  "* /fynn/** status=429 retry-after=1 probability=0.1",
  "* /fynn/** drop=after probability=0.05",
  "* /fynn/** latency=0-150",
  "* /polar/** status=500 probability=0.07",
  "* /polar/** status=502 probability=0.07",
  "* /polar/** status=503 probability=0.06",
  "* /polar/** status=429 retry-after=1 probability=0.1",
  "* /polar/** drop=after probability=0.05",
  "* /polar/** latency=0-150",
];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    seed: "examples",
    polarRateLimitPerMinute: 0,
    faultSeed: 7,
    requestLogLimit: 100_000,
  });
});
afterAll(async () => {
  await emu?.close();
});

describe("a 100-link stack under injected faults", () => {
  it("converges in one up, with no duplicate and no orphan, previews empty and destroys", async () => {
    const declared = fleetDeclared(N);
    const resources = Object.values(declared).reduce((a, b) => a + b, 0);
    const project = newProject(installedProject(), "chaos", {
      index: fleetProgram({ n: N, prefix: PREFIX }),
    });
    const config = fleetConfig(emu.baseUrls, DEMO_TOKENS);
    // A shorter per-attempt timeout keeps the wait before a second look after an ambiguous create short.
    for (const b of ["coreapi", "fynn", "polar"]) config[`checkout-links:${b}.timeoutMs`] = { value: "5000" };
    try {
      await withWorkDirStack(
        project,
        async ({ stack, dir }) => {
          for (const f of CHAOS) emu.injectFault(f);
          const up = await stack.up();
          expect(up.summary.resourceChanges).toEqual({ create: resources + 1 });
          const faulted = emu.requests().filter((r) => r.status === null || (r.status ?? 0) >= 429).length;
          expect(faulted).toBeGreaterThan(50);

          const live = fleetLive(emu.state(), PREFIX);
          expect(Object.fromEntries(Object.entries(live).map(([k, v]) => [k, v.length]))).toEqual(declared);
          // Same ids on both sides: nothing at the vendor the state does not know, and the reverse.
          expect(live).toEqual(fleetInState(JSON.parse(storedState(dir))));

          const preview = await stack.preview();
          expect(preview.changeSummary).toEqual({ same: resources + 1 });

          const down = await stack.destroy();
          expect(down.summary.resourceChanges).toEqual({ delete: resources + 1 });
          expect(Object.values(fleetLive(emu.state(), PREFIX)).flat()).toEqual([]);
        },
        { config, skipDestroy: true },
      );
    } finally {
      emu.clearFaults();
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
