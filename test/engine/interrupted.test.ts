/**
 * A killed `up` recovers with nothing lost and nothing duplicated. A stack of 37 resources on the
 * three backends (`checkout-links up`, from a project that installed the packed tarball) is killed
 * with SIGKILL, the command and every process below it (engine, language host, provider), at five
 * points: before the first create, with a quarter, half and three quarters of the creates sent, and
 * after the last. `checkout-links up` is then run again, as the README's "If an update was
 * interrupted" says. After it every declared object is in the state and at the vendor exactly once:
 * no duplicate, no orphan, and no error about a slug or code that this stack took itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetDeclared, fleetInState, fleetLive, fleetProgram } from "../../bench/fleet.cjs";
import { killTree } from "../../bench/processes.cjs";
import { type Emulator, startEmulator } from "../../emulator/index";
import { cliEnv, finished, startCli } from "../helpers/cli";
import { emulatorEnv } from "../helpers/emulator";
import { installedProject, storedState } from "../helpers/engine";
import { newProject } from "../helpers/installed";

const N = 30;
const DECLARED = fleetDeclared(N);
const RESOURCES = Object.values(DECLARED).reduce((a, b) => a + b, 0);

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0, requestLogLimit: 100_000 });
  // Slow enough answers that a kill lands with creates in flight.
  emu.injectFault("* /fynn/** latency=60-200");
  emu.injectFault("* /polar/** latency=60-200");
});
afterAll(async () => {
  await emu?.close();
});

const cli = (project: string, home: string, args: string[]) =>
  startCli([...args, "--stack", "k", "--backend", `file://${home}`], {
    cwd: project,
    env: cliEnv(home, "interrupted", {
      ...emulatorEnv(emu, "fynn", "polar"),
      CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE: "0",
    }),
  });

const creates = (prefix: string) =>
  emu.requests().filter((r) => r.method === "POST" && JSON.stringify(r.body ?? "").includes(prefix)).length;

// Creates sent when the kill lands: none, a quarter, half, three quarters, all (and a moment after).
const KILL_POINTS = [
  0,
  Math.round(RESOURCES / 4),
  Math.round(RESOURCES / 2),
  Math.round((RESOURCES * 3) / 4),
  RESOURCES,
];

describe("an up killed at any point", () => {
  it.each(KILL_POINTS.map((k, i) => [i, k]))(
    "kill point %i (%i creates sent): a second up recovers exactly",
    async (i, k) => {
      const prefix = `k${i}`;
      const project = newProject(installedProject(), "interrupted", {
        index: fleetProgram({ n: N, prefix }),
      });
      const home = fs.mkdtempSync(path.join(project, ".state-"));
      try {
        emu.clearRequests();
        const child = cli(project, home, ["up"]);
        const first = finished(child);
        const start = Date.now();
        // Kill once k creates went out (k = 0: at the first vendor request, before any create).
        for (;;) {
          const sent = creates(prefix);
          const anyRequest = emu.requests().length > 0;
          if ((k === 0 && anyRequest) || (k > 0 && sent >= k)) break;
          if (Date.now() - start > 120_000) throw new Error(`kill point ${k} not reached: ${sent} creates`);
          await new Promise((r) => setTimeout(r, 20));
        }
        if (k === RESOURCES) await new Promise((r) => setTimeout(r, 150));
        killTree(child.pid as number);
        const killed = await first;
        expect(killed.code).not.toBe(0);

        const again = await finished(cli(project, home, ["up"]));
        expect([again.code, again.out]).toEqual([0, expect.not.stringMatching(/already used|adopt: true/)]);
        const vendor = fleetLive(emu.state(), prefix);
        expect(Object.fromEntries(Object.entries(vendor).map(([kind, ids]) => [kind, ids.length]))).toEqual(
          DECLARED,
        );
        expect(vendor).toEqual(fleetInState(JSON.parse(storedState(home))));

        const down = await finished(cli(project, home, ["destroy", "--allow-destroy"]));
        expect(down.code).toBe(0);
        expect(Object.values(fleetLive(emu.state(), prefix)).flat()).toEqual([]);
      } finally {
        fs.rmSync(project, { recursive: true, force: true });
      }
    },
  );
});
