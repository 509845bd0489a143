#!/usr/bin/env node
/**
 * Deploy benchmark: the package as users install it (the packed tarball in a user project), the real
 * engine and file backend, the embedded emulator. For each N it runs a stack of N checkout links
 * across the three backends (bench/fleet.cjs) and, in the same run, the engine's own floor: the same
 * number of resources as no-op dynamic resources with a tiny serialized provider. For each it times
 * `up` from empty, an unchanged `preview`, `refresh`, an `up` touching 10% of the links, and
 * `destroy`; and it records the stored state per resource, the peak RSS of the provider process and
 * of the language host, and the vendor requests each operation made. The API floor is the same
 * objects created by direct requests to the emulator.
 *
 *   npm run bench:deploy -- --sizes 50,200,1000 --out bench/deploy-results.md
 *
 * Options: --sizes (default 50,200,1000), --out (Markdown results; default: print only), --json FILE
 * (raw numbers), --parallel P (default 32, what `checkout-links` uses), --profile DIR (the engine
 * writes a Go CPU profile of every operation to DIR/<stack>-<op>.<pid>.cpu, through its hidden
 * `--profiling` flag; read with `go tool pprof -top`; profiling slows the engine, so times of a
 * profiled run are not results), --notes FILE (appended to the results; default
 * bench/deploy-notes.md), --from-json A.json[,B.json] (no run: render the raw numbers of earlier runs,
 * e.g. the small sizes and N=1000 run separately), --repeat R (default 1: each size's floor and fleet
 * run R times, alternating, and each time and ratio is the median of the R runs, with their range;
 * runs of one tree differ by 10-20% on a shared machine). Timings are reported, never asserted: the
 * goals are computed and marked met or not.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { engineRoot, pack, installProject, newProject } = require("../scripts/user-project.cjs");
const { fleetProgram, fleetShape, fleetResources, fleetConfig } = require("./fleet.cjs");

import { benchEnv, floorProgram, procSampler, profilingRoot, storedState } from "./engine-bench.mjs";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "50,200,1000" },
    out: { type: "string" },
    json: { type: "string" },
    parallel: { type: "string", default: "32" },
    profile: { type: "string" },
    "from-json": { type: "string" },
    notes: { type: "string", default: path.join(REPO, "bench/deploy-notes.md") },
    repeat: { type: "string", default: "1" },
  },
});
const SIZES = values.sizes.split(",").map(Number);
const PARALLEL = Number(values.parallel);
const REPEAT = Number(values.repeat);
if (!Number.isInteger(REPEAT) || REPEAT < 1)
  throw new Error(`--repeat: a whole number ≥ 1, not ${values.repeat}`);
const OPS = ["up", "preview", "refresh", "update", "destroy"];

const { startEmulator, DEMO_TOKENS } = require(path.join(REPO, "dist/emulator/index.js"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");

const elapsed = (t0) => (performance.now() - t0) / 1000;

/** Runs the five operations on one stack; returns seconds, requests and RSS per operation. */
async function runStack({ label, workDir, config, change, expectResources, emu, cmd }) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-bench-"));
  const envVars = benchEnv(home, values.profile && path.resolve(values.profile, label));
  const stack = await LocalWorkspace.createStack(
    { stackName: "bench", workDir },
    { pulumiCommand: cmd, pulumiHome: home, envVars },
  );
  await stack.setAllConfig(config);
  const result = {
    seconds: {},
    requests: {},
    writes: {},
    rssMb: {},
    cpuSeconds: {},
    stateBytes: 0,
    resources: 0,
  };
  const step = async (name, fn) => {
    emu?.clearRequests();
    const procs = procSampler({
      provider: /dynamic-provider/,
      languageHost: /pulumi-language-nodejs|@pulumi[/]pulumi[/]cmd[/]run/,
      engine: /bin[/]pulumi (up|preview|refresh|destroy)/,
    });
    const t0 = performance.now();
    let res;
    try {
      res = await fn();
    } finally {
      const seen = procs.stop();
      result.rssMb[name] = seen.rssMb;
      result.cpuSeconds[name] = seen.cpuSeconds;
    }
    result.seconds[name] = elapsed(t0);
    if (emu) {
      const log = emu.requests();
      result.requests[name] = log.length;
      result.writes[name] = log.filter((r) => r.method !== "GET").length;
    }
    return res;
  };
  try {
    const up = await step("up", () => stack.up({ parallel: PARALLEL }));
    const created = up.summary.resourceChanges?.create ?? 0;
    if (created !== expectResources + 1)
      throw new Error(`up created ${created}, expected ${expectResources + 1}`);
    const state = storedState(home);
    const resources = state.checkpoint.latest.resources.filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/"),
    );
    result.resources = resources.length;
    result.stateBytes = resources.reduce((n, r) => n + JSON.stringify(r).length, 0);
    result.providerBytes = Math.max(...resources.map((r) => JSON.stringify(r.outputs.__provider).length));
    const preview = await step("preview", () => stack.preview({ parallel: PARALLEL }));
    if (Object.keys(preview.changeSummary).join() !== "same")
      throw new Error(`preview not empty: ${JSON.stringify(preview.changeSummary)}`);
    await step("refresh", () => stack.refresh({ parallel: PARALLEL }));
    await change(stack);
    const update = await step("update", () => stack.up({ parallel: PARALLEL }));
    result.updated = update.summary.resourceChanges?.update ?? 0;
    await step("destroy", () => stack.destroy({ parallel: PARALLEL }));
  } finally {
    await stack.workspace.removeStack("bench", { force: true }).catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
  }
  return result;
}

/** The same objects as the fleet, created by direct requests to the emulator, 16 at a time. */
async function apiFloor(emu, n) {
  const s = fleetShape(n);
  const id = "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b";
  const call = async (base, token, method, p, body) => {
    const res = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const fy = (m, p, b) => call(emu.baseUrls.fynn, DEMO_TOKENS.fynnAcme, m, p, b);
  const po = (m, p, b) => call(emu.baseUrls.polar, DEMO_TOKENS.polarAcme, m, p, b);
  const pool = async (jobs) => {
    const queue = [...jobs];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let j = queue.shift(); j; j = queue.shift()) await j();
      }),
    );
  };
  const t0 = performance.now();
  const perPlan = Math.ceil(s.coreapiLinks / s.plans);
  const planJobs = [];
  const linkJobs = [];
  for (let p = 0; p < s.plans; p++) {
    const tiers = Math.min(perPlan, s.coreapiLinks - p * perPlan);
    planJobs.push(async () => {
      const plan = await fy("POST", "/api/plans", {
        code: `api-floor-${n}-${p}`,
        name: `Plan ${p}`,
        tiers: Array.from({ length: tiers }, (_, t) => ({
          name: `T${t}`,
          items: [{ productId: id, pricePlanId: id }],
        })),
      });
      await fy("POST", `/api/plans/${plan.id}/activate`, {});
      for (let t = 0; t < tiers; t++)
        linkJobs.push(() =>
          fy("POST", `/api/plans/${plan.id}/checkout-links`, {
            planTierId: plan.tiers[t].id,
            slug: `af-${n}-${p}-${t}`,
          }),
        );
    });
  }
  const products = [];
  for (let p = 0; p < s.polarProducts; p++)
    planJobs.push(async () => {
      products[p] = await po("POST", "/v1/products/", {
        name: `api floor ${p}`,
        recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_amount: 1000 + p, price_currency: "usd" }],
      });
    });
  for (let f = 0; f < s.fynnLinks; f++)
    planJobs.push(() =>
      fy("POST", "/checkout-links", {
        items: [{ type: "product", product: id, price: id, quantity: 1 }],
        slug: `af-fy-${n}-${f}`,
      }),
    );
  await pool(planJobs);
  for (let l = 0; l < s.polarLinks; l++)
    linkJobs.push(() =>
      po("POST", "/v1/checkout-links/", {
        payment_processor: "stripe",
        products: [products[l % s.polarProducts].id],
        label: `af-${l}`,
      }),
    );
  await pool(linkJobs);
  return elapsed(t0);
}

/** One run of the floor: N no-op dynamic resources through the five operations. */
async function floorRun(installed, n, total, cmd) {
  const floorDir = newProject(installed, `floor-${n}`, { index: floorProgram(total) });
  try {
    return await runStack({
      label: `floor-${n}`,
      workDir: floorDir,
      config: {},
      change: async () => fs.writeFileSync(path.join(floorDir, "index.ts"), floorProgram(total, 1)),
      expectResources: total,
      cmd,
    });
  } finally {
    fs.rmSync(floorDir, { recursive: true, force: true });
  }
}

/** One run of the fleet of N checkout links against a fresh embedded emulator. */
async function fleetRun(installed, n, total, cmd) {
  const emu = await startEmulator({
    seed: "examples",
    polarRateLimitPerMinute: 0,
    requestLogLimit: 1_000_000,
  });
  const dir = newProject(installed, `fleet-${n}`, { index: fleetProgram({ n, prefix: `b${n}` }) });
  try {
    return await runStack({
      label: `fleet-${n}`,
      workDir: dir,
      config: fleetConfig(emu.baseUrls, DEMO_TOKENS),
      change: async () =>
        fs.writeFileSync(path.join(dir, "index.ts"), fleetProgram({ n, prefix: `b${n}`, revision: 1 })),
      expectResources: total,
      emu,
      cmd,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The runs of one stack folded into one: each operation's time is the median over the runs; the
 * other figures (requests, RSS, CPU, state) are the first run's (requests and state do not vary).
 */
function medianRun(results) {
  if (results.length === 1) return results[0];
  const seconds = Object.fromEntries(OPS.map((op) => [op, median(results.map((r) => r.seconds[op]))]));
  return { ...results[0], seconds };
}

function ratio(a, b) {
  return b > 0 ? a / b : Number.NaN;
}

async function main() {
  if (values["from-json"]) {
    const parts = values["from-json"].split(",").map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
    const runs = parts.flatMap((p) => p.runs).sort((a, b) => a.n - b.n);
    const meta = parts[0].meta;
    if (!meta) throw new Error("--from-json: the file has no meta (written by an older deploy.mjs)");
    const merged = { ...meta, date: parts.map((p) => p.meta.date).join(", ") };
    if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ meta: merged, runs }, null, 2)}\n`);
    return output(runs, merged);
  }
  const realRoot = engineRoot();
  const root = values.profile ? profilingRoot(realRoot, path.resolve(values.profile)) : realRoot;
  const cmd = await PulumiCommand.get({ root });
  const version = execFileSync(path.join(realRoot, "bin/pulumi"), ["version"], { encoding: "utf8" }).trim();
  if (!fs.existsSync(path.join(REPO, "dist/provider/index.js")))
    throw new Error("build first: npm run build");
  const tarball = pack(REPO, path.join(REPO, "bench/.tmp"));
  const installed = installProject(tarball);
  // The first runs of a benchmark pay for what later runs find warm (the engine's and Node's caches,
  // the files read): without this unreported run of the floor, the first size's floor, which runs
  // before anything else, is slower than it is, and its ratios flatter ours.
  {
    const total = fleetResources(SIZES[0]);
    process.stderr.write(`bench: warm-up, the floor at N=${SIZES[0]} (not reported)\n`);
    const dir = newProject(installed, "warm-up", { index: floorProgram(total) });
    await runStack({
      label: "warm-up",
      workDir: dir,
      config: {},
      change: async () => fs.writeFileSync(path.join(dir, "index.ts"), floorProgram(total, 1)),
      expectResources: total,
      cmd,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const runs = [];
  for (const n of SIZES) {
    const total = fleetResources(n);
    const loadBefore = os.loadavg()[0];
    const floors = [];
    const fleets = [];
    for (let i = 0; i < REPEAT; i++) {
      const tag = REPEAT > 1 ? ` (run ${i + 1} of ${REPEAT})` : "";
      process.stderr.write(`bench: N=${n} (${total} resources): floor${tag}\n`);
      floors.push(await floorRun(installed, n, total, cmd));
      process.stderr.write(`bench: N=${n}: checkout links${tag}\n`);
      fleets.push(await fleetRun(installed, n, total, cmd));
    }
    const floor = medianRun(floors);
    const ours = medianRun(fleets);
    const emu2 = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0 });
    const api = await apiFloor(emu2, n).finally(() => emu2.close());
    // The machine's 1-minute load average before and after: other work on it inflates every figure.
    const load = [loadBefore, os.loadavg()[0]].map((l) => Math.round(l * 10) / 10);
    // sampler: CPU and RSS are of this run's own processes (earlier runs matched by name machine-wide).
    runs.push({
      n,
      resources: total,
      floor,
      ours,
      apiFloorSeconds: api,
      load,
      sampler: "descendants",
      repeat: REPEAT,
      ...(REPEAT > 1
        ? { each: { floor: floors.map((r) => r.seconds), ours: fleets.map((r) => r.seconds) } }
        : {}),
    });
    process.stderr.write(
      `bench: N=${n}: ${JSON.stringify({ floor: floor.seconds, ours: ours.seconds, api })}\n`,
    );
  }
  const meta = {
    repeat: REPEAT,
    version,
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    parallel: PARALLEL,
  };
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ meta, runs }, null, 2)}\n`);
  output(runs, meta);
}

function output(runs, meta) {
  const notes = fs.existsSync(values.notes) ? `\n${fs.readFileSync(values.notes, "utf8")}` : "";
  const doc = render({ runs, ...meta }) + notes;
  if (values.out) fs.writeFileSync(values.out, doc);
  process.stdout.write(doc);
}

function goals(runs) {
  const lines = [];
  const mark = (ok) => (ok ? "met" : "**not met**");
  const limits = { up: 1.15, preview: 1.1, refresh: 1.2, destroy: 1.2 };
  for (const [op, limit] of Object.entries(limits)) {
    const rs = runs.map((r) => ratio(r.ours.seconds[op], r.floor.seconds[op]));
    lines.push(
      `- \`${op}\` ≤ ${limit}× floor at every N: ${rs.map((x, i) => `N=${runs[i].n} ${x.toFixed(2)}×`).join(", ")} — ${mark(rs.every((x) => x <= limit))}`,
    );
  }
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (first && last && last !== first) {
    const per = (r) => r.ours.seconds.up / r.n;
    const f = per(last) / per(first);
    lines.push(
      `- flat cost, \`up\` time per link at N=${last.n} ≤ 1.2× that at N=${first.n}: ${(per(last) * 1000).toFixed(0)} ms vs ${(per(first) * 1000).toFixed(0)} ms = ${f.toFixed(2)}× — ${mark(f <= 1.2)}`,
    );
  }
  const state = runs.map((r) => r.ours.stateBytes / r.ours.resources);
  lines.push(
    `- state ≤ 5 KB per resource: ${state.map((b, i) => `N=${runs[i].n} ${(b / 1024).toFixed(2)} KB`).join(", ")} — ${mark(state.every((b) => b <= 5 * 1024))}`,
  );
  const rss = Math.max(...Object.values(last.ours.rssMb).map((m) => m.provider));
  lines.push(`- provider RSS ≤ 250 MB at N=${last.n}: ${rss} MB — ${mark(rss <= 250)}`);
  const quiet = runs.every((r) => r.ours.requests.preview === 0);
  lines.push(
    `- an unchanged \`preview\` makes no vendor request (check and diff call no API): ${runs.map((r) => r.ours.requests.preview).join(", ")} requests — ${mark(quiet)}`,
  );
  const noWrite = runs.every((r) => r.ours.writes.refresh === 0);
  lines.push(
    `- \`refresh\` makes no vendor write: ${runs.map((r) => r.ours.writes.refresh).join(", ")} writes — ${mark(noWrite)}`,
  );
  return lines.join("\n");
}

/** Runs whose per-process CPU and RSS were sampled by command line over the whole machine. */
function sampledByName(runs) {
  const old = runs.filter((r) => r.sampler !== "descendants").map((r) => r.n);
  return old.length
    ? ` At N=${old.join(", ")} the CPU and peak RSS columns were sampled from every process on the machine with the engine's, language host's or provider's command line, other users' included; they are not this run's alone.`
    : "";
}

function cpuCell(c) {
  return c ? `${c.engine} / ${c.languageHost} / ${c.provider}` : "";
}

function render({ runs, version, date, cpus, memGb, node, parallel, repeat = 1 }) {
  const rows = [];
  for (const r of runs) {
    for (const op of OPS) {
      const a = r.ours.seconds[op];
      const b = r.floor.seconds[op];
      rows.push(
        `| ${r.n} | ${op} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${ratio(a, b).toFixed(2)}× | ${((a / r.resources) * 1000).toFixed(0)} | ${r.ours.requests[op]} | ${r.ours.writes[op]} | ${r.ours.rssMb[op].provider} / ${r.floor.rssMb[op].provider} | ${r.ours.rssMb[op].languageHost} / ${r.floor.rssMb[op].languageHost} | ${cpuCell(r.ours.cpuSeconds[op])} | ${cpuCell(r.floor.cpuSeconds[op])} |`,
      );
    }
  }
  const sizes = runs.map(
    (r) =>
      `| ${r.n} | ${r.resources} | ${(r.ours.stateBytes / r.ours.resources / 1024).toFixed(2)} | ${(r.floor.stateBytes / r.floor.resources / 1024).toFixed(2)} | ${r.ours.providerBytes} | ${r.apiFloorSeconds.toFixed(2)} | ${r.ours.seconds.up.toFixed(1)} |`,
  );
  return `# Deploy benchmark

Command: \`npm run bench:deploy -- --sizes ${runs.map((r) => r.n).join(",")}${repeat > 1 ? ` --repeat ${repeat}` : ""} --out bench/deploy-results.md\`

Machine: ${cpus} cores, ${memGb} GiB, Node.js ${node}, Pulumi ${version}, file backend, parallel
${parallel}, \`PULUMI_PARALLEL_DIFF=true\`, programs transpiled without type check (as \`checkout-links\`
runs them). Run ${date}. ${repeat > 1 ? `Each time is the median of ${repeat} runs, the floor's and ours alternating (ranges under "Spread")` : "One run per figure"}. The machine's 1-minute load average before and after
each size (other work on the machine inflates every figure): ${runs.map((r) => (r.load ? `N=${r.n} ${r.load.join(" → ")}` : `N=${r.n} not recorded`)).join(", ")}.${sampledByName(runs)}

The package is installed from its packed tarball into a user project. "ours" is a stack of N
checkout links across the three backends (30% coreapi links on N/10·0.3 plans, 30% Fynn links, 40%
Polar links on half as many products) against the embedded emulator; "floor" is the same number of
resources as no-op dynamic resources with a tiny serialized provider, declared one statement each
like the fleet, same engine, same run. The update edits the program so that every tenth link (10%)
changes (the floor: every tenth resource). Times are wall seconds of one CLI run each (program run
included); requests are what the emulator received during the operation. Before the first size, one
run of the floor through all five operations warms up the engine and the caches and is not reported.

## Goals

${goals(runs)}

## Operations

| N links | operation | ours (s) | floor (s) | ratio | ms per resource | vendor requests | vendor writes | provider peak RSS MB (ours / floor) | language host peak RSS MB (ours / floor) | CPU s engine / language host / provider (ours) | (floor) |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

## State and the API floor

| N links | resources | state per resource, KB (ours) | state per resource, KB (floor) | largest \`__provider\` (bytes) | API floor: the same creates sent straight to the emulator (s) | ours, \`up\` (s) |
|---|---|---|---|---|---|---|
${sizes.join("\n")}

${spread(runs)}Raw numbers: \`--json FILE\`.
`;
}

/** The range of each time over repeated runs, ours and the floor's. */
function spread(runs) {
  const rows = [];
  for (const r of runs) {
    if (!r.each) continue;
    for (const op of OPS) {
      const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
      const ours = r.each.ours.map((s) => s[op]);
      const floor = r.each.floor.map((s) => s[op]);
      const ratios = ours.map((x, i) => ratio(x, floor[i]));
      rows.push(
        `| ${r.n} | ${op} | ${range(ours)} | ${range(floor)} | ${ratios.map((x) => `${x.toFixed(2)}×`).join(", ")} |`,
      );
    }
  }
  if (rows.length === 0) return "";
  return `## Spread

| N links | operation | ours, min–max (s) | floor, min–max (s) | ratio of each pair of runs |
|---|---|---|---|---|
${rows.join("\n")}

`;
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
