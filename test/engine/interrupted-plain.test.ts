/**
 * A killed plain `pulumi up` recovers with Pulumi's own documented steps, without `checkout-links`:
 * `pulumi cancel` (on a DIY backend it deletes the stack's lock, which a killed run leaves behind),
 * `pulumi refresh --clear-pending-creates` and `pulumi up`. A stack of ten resources, every type of
 * the three backends (a coreapi plan, two coreapi links, two Fynn links, two Polar products, three
 * Polar links), is SIGKILLed with every process below the CLI (language host, provider) at eleven
 * points: at the first vendor request, and the moment each of its objects appears at the vendor,
 * which is when the engine has not heard of it yet. After the recovery `up` (exit 0), the vendor
 * holds every declared object once and the state the same ids: no duplicate, no orphan.
 *
 * The same runs with the state in PostgreSQL (Pulumi's `postgres://` DIY backend; a private server
 * started for the file, see test/helpers/postgres.ts), at one point per resource type, plus two
 * `pulumi up` of one stack started at once: the stack's lock lets one run and refuses the other
 * with a clear message, and nothing is lost or made twice.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetDeclared, fleetInState, fleetLive, fleetProgram } from "../../bench/fleet.cjs";
import { killTree } from "../../bench/processes.cjs";
import { type Emulator, startEmulator } from "../../emulator/index";
import { cliEnv, finished } from "../helpers/cli";
import { emulatorEnv } from "../helpers/emulator";
import { engineRoot, installedProject } from "../helpers/engine";
import { newProject } from "../helpers/installed";
import { type Postgres, startPostgres } from "../helpers/postgres";

const N = 7;
const DECLARED = fleetDeclared(N);
type Kind = keyof typeof DECLARED;

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

/** A stack of the fleet program in its own project, on `backend`, driven by the plain `pulumi` CLI. */
function plainStack(backend: string | ((home: string) => string), prefix: string) {
  const project = newProject(installedProject(), "interrupted-plain", {
    index: fleetProgram({ n: N, prefix }),
  });
  const home = fs.mkdtempSync(path.join(project, ".home-"));
  const env = cliEnv(home, "interrupted-plain", {
    ...emulatorEnv(emu, "fynn", "polar"),
    CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE: "0",
    PULUMI_BACKEND_URL: typeof backend === "string" ? backend : backend(home),
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  });
  const stackName = prefix;
  const start = (args: string[]): ChildProcess =>
    spawn(path.join(engineRoot(), "bin", "pulumi"), [...args, "--stack", stackName, "--non-interactive"], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
  const run = (args: string[]) => finished(start(args));
  return {
    start,
    run,
    /** Ids of the fleet's resources in the stack's state, by kind. */
    async inState() {
      const exported = await run(["stack", "export"]);
      expect(exported.code).toBe(0);
      return fleetInState({ checkpoint: { latest: JSON.parse(exported.stdout).deployment } });
    },
    /** The folder of a file backend given as a function of it. */
    home,
    cleanUp: () => fs.rmSync(project, { recursive: true, force: true }),
  };
}

/** Deletes the checkpoint metadata files under a file backend's folder that do not parse; their paths. */
function removeTornAttrs(home: string): string[] {
  const torn: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json.attrs")) {
        try {
          JSON.parse(fs.readFileSync(p, "utf8"));
        } catch {
          fs.rmSync(p);
          torn.push(p);
        }
      }
    }
  };
  walk(path.join(home, ".pulumi"));
  return torn;
}

const live = (prefix: string) => fleetLive(emu.state(), prefix) as Record<Kind, string[]>;
const counts = (ids: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(ids).map(([kind, xs]) => [kind, xs.length]));

/** Kill points: at the first vendor request, or when the `count`-th object of `kind` exists at the vendor. */
type KillPoint = ["request", 0] | [Kind, number];
const EVERY_OBJECT: KillPoint[] = [
  ["request", 0],
  ...(Object.entries(DECLARED) as [Kind, number][]).flatMap(([kind, n]) =>
    Array.from({ length: n }, (_, i): KillPoint => [kind, i + 1]),
  ),
];
const ONE_PER_KIND: KillPoint[] = (Object.keys(DECLARED) as Kind[]).map((kind): KillPoint => [kind, 1]);

async function killAt(child: ChildProcess, prefix: string, [kind, count]: KillPoint): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (kind === "request" ? emu.requests().length > 0 : live(prefix)[kind].length >= count) break;
    if (child.exitCode !== null) throw new Error(`pulumi up ended before kill point ${kind} ${count}`);
    if (Date.now() - start > 120_000) throw new Error(`kill point ${kind} ${count} not reached`);
    await new Promise((r) => setTimeout(r, 10));
  }
  killTree(child.pid as number);
}

/** Kill, recover as Pulumi documents, and check the vendor against the declaration and the state. */
async function killAndRecover(
  backend: string | ((home: string) => string),
  prefix: string,
  point: KillPoint,
) {
  const stack = plainStack(backend, prefix);
  try {
    const init = await stack.run(["stack", "init"]);
    expect([init.code, init.out]).toEqual([0, expect.any(String)]);
    emu.clearRequests();
    const child = stack.start(["up", "--yes", "--skip-preview"]);
    const first = finished(child);
    await killAt(child, prefix, point);
    await first;

    let cancel = await stack.run(["cancel", "--yes"]);
    if (
      cancel.code !== 0 &&
      /failed to load checkpoint: EOF/.test(cancel.out) &&
      typeof backend !== "string"
    ) {
      // README "If an update was interrupted": a kill can cut short the file backend's checkpoint
      // metadata (`<stack>.json.attrs`); delete it and run the steps again.
      expect(removeTornAttrs(stack.home).length).toBeGreaterThan(0);
      cancel = await stack.run(["cancel", "--yes"]);
    }
    expect([cancel.code, cancel.out]).toEqual([0, expect.any(String)]);
    const refresh = await stack.run(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
    expect([refresh.code, refresh.out]).toEqual([0, expect.any(String)]);
    const up = await stack.run(["up", "--yes", "--skip-preview"]);
    expect([up.code, up.out]).toEqual([0, expect.not.stringMatching(/already used|error:/)]);

    const vendor = live(prefix);
    expect(counts(vendor)).toEqual(DECLARED);
    expect(vendor).toEqual(await stack.inState());

    const down = await stack.run(["destroy", "--yes", "--skip-preview"]);
    expect([down.code, down.out]).toEqual([0, expect.any(String)]);
    expect(Object.values(live(prefix)).flat()).toEqual([]);
  } finally {
    stack.cleanUp();
  }
}

describe("plain pulumi up killed, recovered with cancel, refresh --clear-pending-creates and up (file backend)", () => {
  it.each(EVERY_OBJECT.map((p, i) => [i, ...p] as const))(
    "kill point %i (%s %i): no duplicate, no orphan, the recovery up exits 0",
    async (i, kind, count) => {
      await killAndRecover((home) => `file://${home}`, `pf${i}`, [kind, count] as KillPoint);
    },
  );
});

describe("state in PostgreSQL", () => {
  let pg: Postgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => {
    pg?.stop();
  });

  it.each(ONE_PER_KIND.map((p, i) => [i, ...p] as const))(
    "kill point %i (%s %i): no duplicate, no orphan, the recovery up exits 0",
    async (i, kind, count) => {
      await killAndRecover(pg.url, `pg${i}`, [kind, count] as KillPoint);
    },
  );

  it("two pulumi up of one stack at once: one runs, the other is refused by the lock, nothing made twice", async () => {
    const prefix = "pgtwo";
    const stack = plainStack(pg.url, prefix);
    try {
      const init = await stack.run(["stack", "init"]);
      expect([init.code, init.out]).toEqual([0, expect.any(String)]);
      const runs = await Promise.all([
        stack.run(["up", "--yes", "--skip-preview"]),
        stack.run(["up", "--yes", "--skip-preview"]),
      ]);
      const [ran, refused] = runs[0]?.code === 0 ? runs : [...runs].reverse();
      expect(ran?.code).toBe(0);
      expect([refused?.code === 0, refused?.out]).toEqual([
        false,
        expect.stringMatching(/the stack is currently locked by 1 lock\(s\)/),
      ]);
      const vendor = live(prefix);
      expect(counts(vendor)).toEqual(DECLARED);
      expect(vendor).toEqual(await stack.inState());
      expect((await stack.run(["destroy", "--yes", "--skip-preview"])).code).toBe(0);
    } finally {
      stack.cleanUp();
    }
  });
});
