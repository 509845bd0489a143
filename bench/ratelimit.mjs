#!/usr/bin/env node
/**
 * Rate-limit benchmark: a stack of Polar products and checkout links (25 and 50 by default) deployed
 * with plain `pulumi up` (the package as users install it, the real engine, a file backend) against
 * the embedded emulator with the organisation limited to each of the given requests a minute. The
 * emulator refuses over the limit as Polar's server does (429, `Retry-After` of the whole window).
 * Nothing about pacing is configured: the stack config holds the base URL and the token only.
 *
 * For each limit it reports the wall time of `up` against the theoretical minimum, requests ÷ limit ×
 * window, where requests are those the emulator accepted (the ones the limit counts; the refused
 * ones are reported beside), and the failures: a non-zero exit, or an object missing or made twice
 * at the vendor. Goal: at most 1.15× the minimum, 0 failures.
 *
 *   npm run bench:ratelimit -- --limits 30,100,0 --out bench/ratelimit-results.md
 * (limit 0: no limit at the vendor, the engine's own time for the same stack, the floor)
 *
 * Options: --limits (default 30,100), --products (25), --links (50), --out (Markdown results;
 * default: print only). Run it on a machine with nothing else running: load stretches the short rows.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { engineRoot, pack, installProject, newProject } = require("../scripts/user-project.cjs");
const { polarFleetProgram } = require("./fleet.cjs");
const { startEmulator, DEMO_TOKENS } = require(path.join(REPO, "dist/emulator/index.js"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");

const { values } = parseArgs({
  options: {
    limits: { type: "string", default: "30,100" },
    products: { type: "string", default: "25" },
    links: { type: "string", default: "50" },
    out: { type: "string" },
  },
});
const LIMITS = values.limits.split(",").map(Number);
const PRODUCTS = Number(values.products);
const LINKS = Number(values.links);
const WINDOW_S = 60;
const GOAL = 1.15;

/** Runs a command; resolves with its exit code and output. */
function run(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** One limit: a fresh emulator and stack, one plain `pulumi up`, its figures. */
async function runLimit(limit, installed, cmd, pulumiBin) {
  const prefix = `r${limit}`;
  const emu = await startEmulator({ polarRateLimitPerMinute: limit, requestLogLimit: 1_000_000 });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-bench-"));
  const workDir = newProject(installed, `ratelimit-${limit}`, {
    index: polarFleetProgram({ products: PRODUCTS, links: LINKS, prefix }),
  });
  // As a user's pipeline runs pulumi: no engine settings beyond its home and backend.
  const env = {
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${home}`,
  };
  try {
    const stack = await LocalWorkspace.createStack(
      { stackName: "bench", workDir },
      { pulumiCommand: cmd, pulumiHome: home, envVars: env },
    );
    await stack.setAllConfig({
      "checkout-links:polar.baseUrl": { value: emu.baseUrls.polar },
      "checkout-links:polar.token": { value: DEMO_TOKENS.polarAcme, secret: true },
    });
    emu.clearRequests();
    const t0 = performance.now();
    const up = await run(pulumiBin, ["up", "--yes", "--stack", "bench"], {
      cwd: workDir,
      env: { ...process.env, ...env },
    });
    const seconds = (performance.now() - t0) / 1000;
    const calls = emu.requests().filter((r) => r.path.startsWith("/polar/v1/"));
    const accepted = calls.filter((r) => r.status !== 429).length;
    const refused = calls.length - accepted;
    const state = emu.state();
    const productNames = Object.values(state.polar.products)
      .filter((p) => !p.is_archived && p.name.startsWith(`${prefix} `))
      .map((p) => p.name);
    const linkLabels = Object.values(state.polar.links)
      .filter((l) => l.deleted_at === null && String(l.label).startsWith(`${prefix}-`))
      .map((l) => l.label);
    const missingOrTwice =
      PRODUCTS -
      new Set(productNames).size +
      (productNames.length - new Set(productNames).size) +
      (LINKS - new Set(linkLabels).size) +
      (linkLabels.length - new Set(linkLabels).size);
    const surfaced = up.out.split("\n").filter((l) => /\b429\b|rate limited|deadline/i.test(l)).length;
    const failures = (up.code === 0 ? 0 : 1) + missingOrTwice;
    // Limit 0: no limit at the vendor, the engine's own time for the same stack (the floor).
    const minimum = limit === 0 ? Number.NaN : (accepted / limit) * WINDOW_S;
    if (up.code !== 0) process.stderr.write(up.out.slice(-4000));
    return { limit, resources: PRODUCTS + LINKS, accepted, refused, seconds, minimum, failures, surfaced };
  } finally {
    await emu.close();
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function render(rows, meta) {
  const lines = [
    "# Rate-limit benchmark",
    "",
    `${PRODUCTS} Polar products and ${LINKS} checkout links, one plain \`pulumi up\` per limit against the`,
    "embedded emulator, which refuses over the organisation's limit as Polar's server does (429,",
    "`Retry-After` of the whole minute). No pacing configured: the stack config holds the base URL and",
    "the token only. Minimum: requests the emulator accepted ÷ limit × 60 s. Goal: ≤ 1.15× the minimum,",
    "0 failures (a non-zero exit, an object missing or made twice).",
    "",
    `Reproduce: \`npm run bench:ratelimit -- --limits ${LIMITS.join(",")} --out bench/ratelimit-results.md\``,
    "",
    `Run ${meta.date}, pulumi ${meta.version}, Node.js ${meta.node}, ${meta.cpus} CPUs.`,
    "",
    "Limit 0 is the floor: the same stack with no limit at the vendor, the engine's own time. The last",
    "column sets each run against the larger of the minimum and that floor (information; the goal is",
    "the minimum's).",
    "",
    "| limit / min | resources | requests accepted | refused (429) | `up` wall s | minimum s | ratio | failures | 429 or deadline lines in the output | goal | vs max(minimum, floor) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
  ];
  const floor = rows.find((r) => r.limit === 0)?.seconds;
  for (const r of rows) {
    if (r.limit === 0) {
      lines.push(
        `| none (floor) | ${r.resources} | ${r.accepted} | ${r.refused} | ${r.seconds.toFixed(1)} | — | — | ${r.failures} | ${r.surfaced} | — | — |`,
      );
      continue;
    }
    const ratio = r.seconds / r.minimum;
    const met = ratio <= GOAL && r.failures === 0 && r.surfaced === 0;
    const bound = floor === undefined ? undefined : Math.max(r.minimum, floor);
    lines.push(
      `| ${r.limit} | ${r.resources} | ${r.accepted} | ${r.refused} | ${r.seconds.toFixed(1)} | ${r.minimum.toFixed(1)} | ${ratio.toFixed(2)}× | ${r.failures} | ${r.surfaced} | ${met ? "met" : "not met"} | ${bound === undefined ? "—" : `${(r.seconds / bound).toFixed(2)}×`} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main() {
  if (!fs.existsSync(path.join(REPO, "dist/provider/index.js")))
    throw new Error("build first: npm run build");
  const root = engineRoot();
  const cmd = await PulumiCommand.get({ root });
  const version = execFileSync(path.join(root, "bin/pulumi"), ["version"], { encoding: "utf8" }).trim();
  const tarball = pack(REPO, path.join(REPO, "bench/.tmp"));
  const installed = installProject(tarball);
  const rows = [];
  for (const limit of LIMITS) {
    process.stderr.write(`bench: limit ${limit}/min\n`);
    const row = await runLimit(limit, installed, cmd, path.join(root, "bin/pulumi"));
    process.stderr.write(`bench: ${JSON.stringify(row)}\n`);
    rows.push(row);
  }
  const meta = { version, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length };
  const text = render(rows, meta);
  if (values.out) {
    // Notes written by hand below the generated table are kept.
    const old = fs.existsSync(values.out) ? fs.readFileSync(values.out, "utf8") : "";
    const notes = old.includes("\n## Notes") ? old.slice(old.indexOf("\n## Notes")) : "";
    fs.writeFileSync(values.out, text + notes);
  }
  process.stdout.write(text);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
