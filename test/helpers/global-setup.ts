import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installProject, pack } from "./installed";
import { describeViolations, PolarOpenApi } from "./polar-openapi";

/**
 * Once for the whole run: makes the Pulumi engine available (a cached build takes a second; a cold
 * build from Go modules takes minutes and says so), and packs this repository and installs the
 * tarball into a user project (see ./installed.ts). Hands both folders to every test file.
 *
 * Every emulator the run starts (in a test, in a worker, or the installed `checkout-links-emulator`)
 * records its exchanges under test-results/exchanges/; at the end of the run they are checked
 * against Polar's OpenAPI document (./polar-openapi.ts), and a violation fails the run.
 */
export default function setup(project: {
  provide(key: "engineRoot" | "installedProject" | "tarball", value: string): void;
}): () => void {
  const repo = path.resolve(__dirname, "../..");
  // One folder per run, so that two runs in one checkout do not check (or remove) each other's.
  const exchanges = path.join(repo, "test-results", "exchanges", String(process.pid));
  fs.rmSync(exchanges, { recursive: true, force: true });
  // Workers and the processes they start inherit the environment.
  process.env.CHECKOUT_LINKS_EMULATOR_RECORD_DIR = exchanges;
  const root = execFileSync("bash", [path.join(repo, "scripts/engine.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop() as string;
  project.provide("engineRoot", root);
  if (!fs.existsSync(path.join(repo, "dist/provider/index.js"))) {
    throw new Error("dist/ is missing: the test command builds it first (npm test)");
  }
  const tarball = pack(repo, path.join(repo, "test-results", "pack"));
  project.provide("tarball", tarball);
  project.provide("installedProject", installProject(tarball));
  return () => checkPolarExchanges(exchanges, path.join(repo, "test-results", "polar-openapi.json"));
}

/** Fails the run with one line per distinct violation; writes the coverage and violations to `out`. */
function checkPolarExchanges(dir: string, out: string): void {
  let report: ReturnType<PolarOpenApi["checkDir"]>;
  try {
    report = new PolarOpenApi().checkDir(dir);
  } catch (e) {
    // A check that cannot run fails the run too.
    process.exitCode = 1;
    throw e;
  }
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  const covered = Object.entries(report.covered)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  process.stdout.write(`Polar OpenAPI check: ${report.exchanges} exchanges; ${covered || "no operation"}\n`);
  if (report.violations.length === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  // Vitest reports an error thrown here ("error during close") but keeps exit code 0. The
  // exchanges stay in `dir` to look into.
  process.exitCode = 1;
  throw new Error(
    `${report.violations.length} exchange(s) with the emulator break Polar's OpenAPI document (details in ${out}):\n${describeViolations(report.violations)}`,
  );
}

declare module "vitest" {
  export interface ProvidedContext {
    engineRoot: string;
    installedProject: string;
    tarball: string;
  }
}
