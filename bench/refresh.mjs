#!/usr/bin/env node
/**
 * Refresh under engine settings: one `up` of the deploy benchmark's fleet (bench/fleet.cjs, the
 * package installed from its tarball, the embedded emulator) and of its floor at one size, then
 * `refresh` of each under every setting in turn, several rounds interleaved, with the engine's and
 * the provider's CPU seconds. What it is for: which part of a refresh is the engine's diff against
 * the program's inputs, which Pulumi 3.1xx+ runs for every resource after reading it, and which
 * `PULUMI_ENABLE_LEGACY_REFRESH_DIFF` turns off.
 *
 *   npm run bench:refresh -- --n 1000 --rounds 2 --out bench/refresh-results.md
 *
 * Options: --n (links, default 1000), --rounds (default 2), --settings (comma-separated names of
 * SETTINGS, default all), --parallel (default 32), --out FILE (Markdown; default: print only).
 * The stacks are not destroyed: their state and the emulator go away with the run.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { benchEnv, floorProgram, median, procSampler } from "./engine-bench.mjs";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { engineRoot, pack, installProject, newProject } = require("../scripts/user-project.cjs");
const { fleetProgram, fleetResources, fleetConfig } = require("./fleet.cjs");

/** Engine settings a refresh runs under, on top of benchEnv (what `checkout-links` sets). */
const SETTINGS = {
  default: { env: {}, what: "as `checkout-links` runs it: read, then diff against the program's inputs" },
  "legacy-diff": {
    env: { PULUMI_ENABLE_LEGACY_REFRESH_DIFF: "true" },
    what: "`PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true`: read, then compare outputs only (no Diff call)",
  },
};

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "1000" },
    rounds: { type: "string", default: "2" },
    settings: { type: "string", default: Object.keys(SETTINGS).join(",") },
    parallel: { type: "string", default: "32" },
    out: { type: "string" },
  },
});
const N = Number(values.n);
const PARALLEL = Number(values.parallel);
const names = values.settings.split(",");
for (const s of names)
  if (!SETTINGS[s]) throw new Error(`unknown setting ${s}: ${Object.keys(SETTINGS).join(", ")}`);

const { startEmulator, DEMO_TOKENS } = require(path.join(REPO, "dist/emulator/index.js"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");

async function deployed(label, dir, config, cmd, home) {
  const stack = await LocalWorkspace.createStack(
    { stackName: "bench", workDir: dir },
    { pulumiCommand: cmd, pulumiHome: home, envVars: benchEnv(home) },
  );
  await stack.setAllConfig(config);
  process.stderr.write(`refresh: N=${N}: up of ${label}\n`);
  await stack.up({ parallel: PARALLEL });
  return stack;
}

async function main() {
  if (!fs.existsSync(path.join(REPO, "dist/provider/index.js")))
    throw new Error("build first: npm run build");
  const cmd = await PulumiCommand.get({ root: engineRoot() });
  const installed = installProject(pack(REPO, path.join(REPO, "bench/.tmp")));
  const total = fleetResources(N);
  const emu = await startEmulator({
    seed: "examples",
    polarRateLimitPerMinute: 0,
    requestLogLimit: 1_000_000,
  });
  const temporary = []; // the stacks' PULUMI_HOMEs and project folders
  const rows = [];
  try {
    const stacks = {};
    for (const label of ["floor", "ours"]) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-refresh-"));
      temporary.push(home);
      const dir =
        label === "floor"
          ? newProject(installed, `refresh-floor-${N}`, { index: floorProgram(total) })
          : newProject(installed, `refresh-fleet-${N}`, { index: fleetProgram({ n: N, prefix: `r${N}` }) });
      temporary.push(dir);
      stacks[label] = {
        stack: await deployed(
          label,
          dir,
          label === "floor" ? {} : fleetConfig(emu.baseUrls, DEMO_TOKENS),
          cmd,
          home,
        ),
      };
    }
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const setting of names) {
        for (const label of ["floor", "ours"]) {
          const { stack } = stacks[label];
          const env = stack.workspace.envVars;
          for (const other of Object.values(SETTINGS)) for (const k of Object.keys(other.env)) delete env[k];
          Object.assign(env, SETTINGS[setting].env);
          emu.clearRequests();
          const procs = procSampler({ provider: /dynamic-provider/, engine: /bin[/]pulumi refresh/ });
          const t0 = performance.now();
          await stack.refresh({ parallel: PARALLEL });
          const seconds = (performance.now() - t0) / 1000;
          const { cpuSeconds } = procs.stop();
          rows.push({ round, setting, label, seconds, cpuSeconds, requests: emu.requests().length });
          process.stderr.write(`refresh: ${JSON.stringify(rows.at(-1))}\n`);
        }
      }
    }
  } finally {
    await emu.close();
    for (const d of temporary) fs.rmSync(d, { recursive: true, force: true });
  }
  const med = (setting, label, f) =>
    median(rows.filter((r) => r.setting === setting && r.label === label).map(f));
  const lines = [
    `# Refresh benchmark`,
    "",
    `Command: \`npm run bench:refresh -- --n ${N} --rounds ${values.rounds} --settings ${names.join(",")}\``,
    "",
    `N=${N} links (${total} resources), parallel ${PARALLEL}, ${values.rounds} interleaved rounds, median; Node.js ${process.version}, ${os.cpus().length} cores; ${new Date().toISOString()}. The floor is the deploy benchmark's (no-op resources, no \`read\`).`,
    "",
    "| setting | what | ours (s) | floor (s) | ratio | ours: engine / provider CPU s | floor: engine / provider CPU s | vendor requests |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const setting of names) {
    const o = med(setting, "ours", (r) => r.seconds);
    const f = med(setting, "floor", (r) => r.seconds);
    const cpu = (label) =>
      ["engine", "provider"].map((p) => med(setting, label, (r) => r.cpuSeconds[p]).toFixed(1)).join(" / ");
    lines.push(
      `| \`${setting}\` | ${SETTINGS[setting].what} | ${o.toFixed(2)} | ${f.toFixed(2)} | ${(o / f).toFixed(2)}× | ${cpu("ours")} | ${cpu("floor")} | ${med(setting, "ours", (r) => r.requests)} |`,
    );
  }
  lines.push(
    "",
    "Every run, in the order run:",
    "",
    "| round | setting | stack | seconds | engine / provider CPU s | vendor requests |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.round + 1} | \`${r.setting}\` | ${r.label} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.engine} / ${r.cpuSeconds.provider} | ${r.requests} |`,
    ),
  );
  const doc = `${lines.join("\n")}\n`;
  if (values.out) fs.writeFileSync(values.out, doc);
  process.stdout.write(doc);
}

main().catch((e) => {
  process.stderr.write(`refresh: ${e.stack ?? e}\n`);
  process.exit(1);
});
