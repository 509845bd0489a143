#!/usr/bin/env node
/**
 * Interruption benchmark: `checkout-links up` of a stack on the three backends (the package installed
 * from its packed tarball, the real engine, the emulator answering in 60-200 ms) is SIGKILLed, with
 * every process below it, at evenly spread points (from the first vendor request to after the last
 * create), then recovered the way the README says (`checkout-links up` again). Each trial counts what
 * the vendor holds against what the state holds: duplicates (more live objects than declared) and
 * orphans (live objects the state does not know), and whether every declared object made it.
 *
 *   npm run bench:kill -- --points 10 --out bench/kill-results.md
 *
 * With --baseline each point is also recovered as the engine's own messages suggest (`pulumi
 * cancel`-style lock removal is not available there, so the lock is deleted by hand, then
 * `pulumi refresh --clear-pending-creates` and `pulumi up`), for comparison.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { engineRoot, pack, installProject, newProject } = require("../scripts/user-project.cjs");
const { KINDS, fleetDeclared, fleetInState, fleetLive, fleetProgram } = require("./fleet.cjs");
const { killTree } = require("./processes.cjs");
const { startEmulator, DEMO_TOKENS } = require(path.join(REPO, "dist/emulator/index.js"));

const { values } = parseArgs({
  options: {
    points: { type: "string", default: "10" },
    n: { type: "string", default: "30" },
    out: { type: "string" },
    baseline: { type: "boolean", default: false },
    at: { type: "string" },
  },
});
const POINTS = Number(values.points);
const N = Number(values.n);

function run(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    resolve({ child, done: new Promise((r) => child.on("close", (code) => r({ code, out }))) });
  });
}

function storedCheckpoint(home) {
  const root = path.join(home, ".pulumi", "stacks");
  const file = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).find((f) => f.endsWith(".json"));
  return JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
}

async function trial({ emu, installed, root, point, prefix, recovery, total }) {
  const project = newProject(installed, "kill", { index: fleetProgram({ n: N, prefix }) });
  const home = fs.mkdtempSync(path.join(project, ".state-"));
  const env = {
    PATH: process.env.PATH,
    PULUMI_ENGINE_ROOT: root,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${home}`,
    PULUMI_CONFIG_PASSPHRASE: "kill",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    CHECKOUT_LINKS_FYNN_BASE_URL: emu.baseUrls.fynn,
    CHECKOUT_LINKS_FYNN_TOKEN: DEMO_TOKENS.fynnAcme,
    CHECKOUT_LINKS_POLAR_BASE_URL: emu.baseUrls.polar,
    CHECKOUT_LINKS_POLAR_TOKEN: DEMO_TOKENS.polarAcme,
    CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE: "0",
  };
  const bin = path.join(installed, "node_modules/.bin/checkout-links");
  const pulumi = path.join(root, "bin/pulumi");
  const cli = (args) => run(bin, [...args, "--stack", "k"], { cwd: project, env });
  try {
    emu.clearRequests();
    const first = await cli(["up"]);
    const start = Date.now();
    // Creates sent so far: POSTs whose body names this trial's prefix.
    const sent = () =>
      emu.requests().filter((r) => r.method === "POST" && JSON.stringify(r.body ?? "").includes(prefix))
        .length;
    for (;;) {
      if (point === 0 ? emu.requests().length > 0 : sent() >= point) break;
      if (Date.now() - start > 180_000) throw new Error(`kill point ${point} not reached`);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (point >= total) await new Promise((r) => setTimeout(r, 150));
    const atKill = sent();
    killTree(first.child.pid);
    await first.done;
    let recovered;
    let takenOver = 0;
    if (recovery === "checkout-links") {
      recovered = await (await cli(["up"])).done;
      takenOver = (recovered.out.match(/taken over/g) ?? []).length;
    } else {
      fs.rmSync(path.join(home, ".pulumi", "locks"), { recursive: true, force: true });
      const p = (args) =>
        run(pulumi, [...args, "--stack", "k", "--yes", "--non-interactive", "--skip-preview"], {
          cwd: project,
          env,
        });
      await (await p(["refresh", "--clear-pending-creates"])).done;
      recovered = await (await p(["up"])).done;
    }
    const vendor = fleetLive(emu.state(), prefix);
    const state = fleetInState(storedCheckpoint(home));
    const declared = fleetDeclared(N);
    let duplicates = 0;
    let orphans = 0;
    let missing = 0;
    for (const kind of KINDS) {
      duplicates += Math.max(0, vendor[kind].length - declared[kind]);
      orphans += vendor[kind].filter((id) => !state[kind].includes(id)).length;
      missing += Math.max(0, declared[kind] - state[kind].filter((id) => vendor[kind].includes(id)).length);
    }
    // Clean up at the vendor whatever happened.
    await (await cli(["destroy", "--allow-destroy"])).done;
    if (recovered.code !== 0 && recovery === "checkout-links")
      process.stderr.write(`kill: recovery failed:\n${recovered.out.slice(-3000)}\n`);
    return { point, atKill, recovery, exit: recovered.code, takenOver, duplicates, orphans, missing };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

async function main() {
  if (!fs.existsSync(path.join(REPO, "dist/provider/index.js")))
    throw new Error("build first: npm run build");
  const root = engineRoot();
  const installed = installProject(pack(REPO, path.join(REPO, "bench/.tmp")));
  const total = Object.values(fleetDeclared(N)).reduce((a, b) => a + b, 0);
  const emu = await startEmulator({ seed: "examples", polarRateLimitPerMinute: 0, requestLogLimit: 200_000 });
  emu.injectFault("* /fynn/** latency=60-200");
  emu.injectFault("* /polar/** latency=60-200");
  const rows = [];
  try {
    const recoveries = values.baseline ? ["checkout-links", "pulumi"] : ["checkout-links"];
    // Evenly spread from the first request (0) to after the last create, or the points given with --at.
    const points = values.at
      ? values.at.split(",").map(Number)
      : Array.from({ length: POINTS }, (_, i) => Math.round((i * total) / Math.max(1, POINTS - 1)));
    for (const [i, point] of points.entries()) {
      for (const recovery of recoveries) {
        const row = await trial({
          emu,
          installed,
          root,
          point,
          prefix: `kb${i}${recovery[0]}`,
          recovery,
          total,
        });
        rows.push(row);
        process.stderr.write(`kill: ${JSON.stringify(row)}\n`);
      }
    }
  } finally {
    await emu.close();
  }
  const md = render(rows, total);
  if (values.out) fs.writeFileSync(values.out, md);
  process.stdout.write(md);
}

function render(rows, total) {
  const sum = (rec) => {
    const rs = rows.filter((r) => r.recovery === rec);
    if (rs.length === 0) return "";
    const ok = rs.filter(
      (r) => r.exit === 0 && r.duplicates === 0 && r.orphans === 0 && r.missing === 0,
    ).length;
    return `- recovered with \`${rec === "checkout-links" ? "checkout-links up" : "pulumi refresh --clear-pending-creates && pulumi up"}\`: ${rs.length} runs, ${rs.filter((r) => r.exit === 0).length} converged (exit 0), ${ok} exact; duplicates ${rs.reduce((n, r) => n + r.duplicates, 0)}, orphans ${rs.reduce((n, r) => n + r.orphans, 0)}, declared objects missing ${rs.reduce((n, r) => n + r.missing, 0)}`;
  };
  return `# Interruption benchmark

Command: \`npm run bench:kill -- --points ${POINTS}${values.baseline ? " --baseline" : ""} --out bench/kill-results.md\`

Machine: ${os.cpus().length} cores, Node.js ${process.version}. Run ${new Date().toISOString()}. A stack of ${total}
resources (${N} links across the three backends), \`checkout-links up\` killed with SIGKILL (the
command and every process below it) after the given number of creates had been sent, then recovered.

## Summary

${sum("checkout-links")}
${sum("pulumi")}

## Trials

| kill point (creates) | creates sent at the kill | recovery | exit | taken over | duplicates | orphans | missing |
|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.point} | ${r.atKill} | ${r.recovery} | ${r.exit} | ${r.recovery === "checkout-links" ? r.takenOver : ""} | ${r.duplicates} | ${r.orphans} | ${r.missing} |`).join("\n")}
`;
}

main().catch((e) => {
  process.stderr.write(`kill: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
