#!/usr/bin/env node
/**
 * Where the engine's time goes: `up` (and an unchanged `preview`) of controlled variants of the
 * deploy benchmark's stacks at one size, in one run, with the CPU seconds of the engine process, the
 * language host and the provider, the stored state per resource, and the checkpoint file's size.
 *
 *   npm run bench:variants -- --n 200 --variants floor,noop-fleet,noop-fleet-nosecret,fleet
 *
 * Variants (see VARIANTS): the floor of bench/deploy.mjs; "noop-fleet", the fleet's resources and
 * stored shape served by a no-op provider (bench/engine-bench.mjs noopFleetProgram), and the same
 * with one feature taken away; the fleet itself; and the fleet or the floor under other engine
 * settings. Options: --n (links, default 200), --variants (comma-separated, default all),
 * --repeat R (runs the list R times, interleaved, and reports the median), --ops (up or up,preview;
 * default up,preview), --parallel (default 32), --profile DIR (CPU profiles, see deploy.mjs),
 * --baseline-package DIR (a package folder with its dist built, e.g. an earlier commit's, packed and
 * installed for the variant fleet-baseline), --engine-env K=V (repeatable; set for every variant), --node-profile DIR (the program writes a V8 CPU
 * profile of itself there, one per operation), --keep DIR (copy each variant's state
 * backend there before removing it), --out FILE (Markdown), --json FILE.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  benchEnv,
  floorProgram,
  median,
  noopFleetProgram,
  procSampler,
  profilingRoot,
  storedState,
} from "./engine-bench.mjs";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { engineRoot, pack, installProject, newProject } = require("../scripts/user-project.cjs");
const { fleetProgram, fleetResources, fleetConfig } = require("./fleet.cjs");

/** program: floor | noop (knobs of noopFleetProgram) | fleet; env: engine settings; query: backend URL. */
const VARIANTS = {
  floor: { program: "floor", what: "the deploy benchmark's floor: {i, v} + serialized provider" },
  "noop-min": {
    program: "noop",
    knobs: { props: "min", deps: false, secret: false },
    what: "{i, v}, no dependencies, no secret, a 645-byte __provider module",
  },
  "noop-fleet": {
    program: "noop",
    knobs: {},
    what: "our stored shape, dependencies and secret, no-op provider",
  },
  "noop-fleet-nosecret": {
    program: "noop",
    knobs: { secret: false },
    what: "noop-fleet without the secret output",
  },
  "noop-fleet-nodeps": { program: "noop", knobs: { deps: false }, what: "noop-fleet without dependencies" },
  "noop-fleet-minprops": {
    program: "noop",
    knobs: { props: "min" },
    what: "noop-fleet with {i, v} instead of our inputs and outputs",
  },
  "noop-fleet-provider200": {
    program: "noop",
    knobs: { providerBytes: 200 },
    what: "noop-fleet with a 200-byte __provider module",
  },
  fleet: { program: "fleet", what: "the fleet: our package, emulator" },
  "fleet-baseline": {
    program: "fleet",
    baseline: true,
    what: "the fleet from the --baseline-package build of the package (an A/B in one run)",
  },
  "fleet-gogc200": { program: "fleet", env: { GOGC: "200" }, what: "the fleet, engine with GOGC=200" },
  "fleet-gogc400": { program: "fleet", env: { GOGC: "400" }, what: "the fleet, engine with GOGC=400" },
  "fleet-zstd": {
    program: "fleet",
    env: { PULUMI_DIY_BACKEND_ZSTD: "true" },
    what: "the fleet, zstd-compressed checkpoint",
  },
  "fleet-nosidecar": {
    program: "fleet",
    query: "?metadata=skip",
    what: "the fleet, file backend without .attrs sidecars (metadata=skip)",
  },
  "floor-gogc400": { program: "floor", env: { GOGC: "400" }, what: "the floor, engine with GOGC=400" },
};

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "200" },
    variants: { type: "string", default: Object.keys(VARIANTS).join(",") },
    repeat: { type: "string", default: "1" },
    ops: { type: "string", default: "up,preview" },
    parallel: { type: "string", default: "32" },
    profile: { type: "string" },
    "engine-env": { type: "string", multiple: true, default: [] },
    "node-profile": { type: "string" },
    "baseline-package": { type: "string" },
    keep: { type: "string" },
    out: { type: "string" },
    json: { type: "string" },
  },
});
const N = Number(values.n);
const PARALLEL = Number(values.parallel);
const OPS = values.ops.split(",");
const names = values.variants.split(",");
const ENGINE_ENV = Object.fromEntries(
  values["engine-env"].map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
for (const v of names)
  if (!VARIANTS[v]) throw new Error(`unknown variant ${v}: ${Object.keys(VARIANTS).join(", ")}`);

const { startEmulator, DEMO_TOKENS } = require(path.join(REPO, "dist/emulator/index.js"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");

function checkpointBytes(home) {
  const root = path.join(home, ".pulumi", "stacks");
  const file = fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .find((f) => /[/]bench[.]json(\.zst)?$/.test(f));
  return file ? fs.statSync(path.join(root, file)).size : 0;
}

async function runVariant(name, round, { installed: ours, baseline, cmd, emu }) {
  const v = VARIANTS[name];
  if (v.baseline && !baseline) throw new Error(`${name} needs --baseline-package`);
  const installed = v.baseline ? baseline : ours;
  const total = fleetResources(N);
  const prefix = `v${round}${name.replace(/[^a-z0-9]/g, "")}`;
  const noop = v.program === "noop" ? noopFleetProgram(N, v.knobs) : undefined;
  const index = noop
    ? noop.index
    : v.program === "floor"
      ? floorProgram(total)
      : fleetProgram({ n: N, prefix });
  const dir = newProject(installed, `${name}-${N}`, { index });
  if (noop) fs.writeFileSync(path.join(dir, "noop.js"), noop.noop);
  if (values["node-profile"]) {
    // The engine does not hand runtime options to the language host it falls back to, so the program
    // profiles itself: a V8 CPU profile of each run, written when the program's process exits.
    const out = path.resolve(values["node-profile"], `${name}-${N}-r${round}`);
    fs.mkdirSync(out, { recursive: true });
    const prelude = `import * as inspector__ from "node:inspector";
import * as fs__ from "node:fs";
const session__ = new inspector__.Session();
session__.connect();
session__.post("Profiler.enable");
session__.post("Profiler.start");
process.on("exit", () =>
  session__.post("Profiler.stop", (err: unknown, r: any) => {
    if (!err) fs__.writeFileSync(${JSON.stringify(out)} + "/program-" + Date.now() + ".cpuprofile", JSON.stringify(r.profile));
  }),
);
`;
    fs.writeFileSync(path.join(dir, "index.ts"), prelude + index);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-variant-"));
  const env = benchEnv(home, values.profile && path.resolve(values.profile, `${name}-${N}-r${round}`), {
    PULUMI_BACKEND_URL: `file://${home}${v.query ?? ""}`,
    ...ENGINE_ENV,
    ...v.env,
  });
  const stack = await LocalWorkspace.createStack(
    { stackName: "bench", workDir: dir },
    { pulumiCommand: cmd, pulumiHome: home, envVars: env },
  );
  const out = { variant: name, round, seconds: {}, cpuSeconds: {}, resources: total };
  try {
    if (v.program === "fleet") await stack.setAllConfig(fleetConfig(emu.baseUrls, DEMO_TOKENS));
    for (const op of OPS) {
      const procs = procSampler({
        provider: /dynamic-provider/,
        languageHost: /pulumi-language-nodejs|@pulumi[/]pulumi[/]cmd[/]run/,
        engine: /bin[/]pulumi (up|preview|refresh|destroy)/,
      });
      const t0 = performance.now();
      try {
        if (op === "up") {
          const r = await stack.up({ parallel: PARALLEL });
          const created = r.summary.resourceChanges?.create ?? 0;
          if (created !== total + 1) throw new Error(`${name}: up created ${created}, expected ${total + 1}`);
        } else if (op === "preview") {
          const r = await stack.preview({ parallel: PARALLEL });
          if (Object.keys(r.changeSummary).join() !== "same")
            throw new Error(`${name}: preview not empty: ${JSON.stringify(r.changeSummary)}`);
        } else throw new Error(`unknown op ${op}`);
      } finally {
        out.cpuSeconds[op] = procs.stop().cpuSeconds;
      }
      out.seconds[op] = (performance.now() - t0) / 1000;
      if (op === "up") {
        out.checkpointBytes = checkpointBytes(home);
        if (!v.env?.PULUMI_DIY_BACKEND_ZSTD) {
          const resources = storedState(home).checkpoint.latest.resources.filter((r) =>
            r.type.startsWith("pulumi-nodejs:dynamic/"),
          );
          out.stateBytes = resources.reduce((n, r) => n + JSON.stringify(r).length, 0) / resources.length;
        }
      }
    }
  } finally {
    if (values.keep)
      fs.cpSync(path.join(home, ".pulumi"), path.join(values.keep, `${name}-${N}-r${round}`), {
        recursive: true,
      });
    // Forget the stack (its vendor objects stay in the emulator; every variant has its own prefix).
    await stack.workspace.removeStack("bench", { force: true }).catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function render(results) {
  const rows = [];
  const floorUp = median(results.filter((r) => r.variant === "floor").map((r) => r.cpuSeconds.up.engine));
  for (const name of names) {
    const rs = results.filter((r) => r.variant === name);
    const m = (f) => median(rs.map(f));
    const cells = [`\`${name}\``, VARIANTS[name].what];
    for (const op of OPS) {
      cells.push(m((r) => r.cpuSeconds[op].engine).toFixed(1));
      if (op === "up")
        cells.push(
          Number.isNaN(floorUp) ? "" : `${(m((r) => r.cpuSeconds.up.engine) / floorUp).toFixed(2)}×`,
        );
      cells.push(
        `${m((r) => r.cpuSeconds[op].languageHost).toFixed(1)} / ${m((r) => r.cpuSeconds[op].provider).toFixed(1)}`,
      );
      cells.push(m((r) => r.seconds[op]).toFixed(1));
    }
    cells.push(rs[0].stateBytes ? (m((r) => r.stateBytes) / 1024).toFixed(2) : "");
    cells.push((m((r) => r.checkpointBytes) / 1024).toFixed(0));
    rows.push(`| ${cells.join(" | ")} |`);
  }
  const head = ["variant", "what"];
  for (const op of OPS) {
    head.push(`${op}: engine CPU s`);
    if (op === "up") head.push("vs floor");
    head.push(`${op}: language host / provider CPU s`, `${op}: wall s`);
  }
  head.push("state per resource KB", "checkpoint KB");
  return [
    `N=${N} links (${results[0].resources} resources), parallel ${PARALLEL}, ${names.length} variants × ${values.repeat} rounds, median; node ${process.version}, ${os.cpus().length} cores; ${new Date().toISOString()}`,
    "",
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows,
    "",
  ].join("\n");
}

async function main() {
  const realRoot = engineRoot();
  const root = values.profile ? profilingRoot(realRoot, path.resolve(values.profile)) : realRoot;
  const cmd = await PulumiCommand.get({ root });
  if (!fs.existsSync(path.join(REPO, "dist/provider/index.js")))
    throw new Error("build first: npm run build");
  const installed = installProject(pack(REPO, path.join(REPO, "bench/.tmp")));
  const baseline = values["baseline-package"]
    ? installProject(pack(path.resolve(values["baseline-package"]), path.join(REPO, "bench/.tmp/baseline")))
    : undefined;
  const emu = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0, requestLogLimit: 0 });
  const results = [];
  try {
    for (let round = 0; round < Number(values.repeat); round++) {
      for (const name of names) {
        process.stderr.write(`variants: N=${N} round ${round + 1}: ${name}\n`);
        const r = await runVariant(name, round, { installed, baseline, cmd, emu });
        process.stderr.write(`variants: ${JSON.stringify(r)}\n`);
        results.push(r);
      }
    }
  } finally {
    await emu.close();
  }
  const doc = render(results);
  if (values.out) fs.writeFileSync(values.out, doc);
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ n: N, results }, null, 2)}\n`);
  process.stdout.write(doc);
}

main().catch((e) => {
  process.stderr.write(`variants: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
