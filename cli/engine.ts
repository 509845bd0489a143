/**
 * Finds the Pulumi engine: PULUMI_ENGINE_ROOT, else the project's `scripts/engine.sh` (which itself
 * prefers a recent `pulumi` on PATH, then a cached build, then builds one from the Go modules), else
 * a `pulumi` on PATH. The root is the folder holding `bin/pulumi`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The package's own folder (holds package.json), from the compiled or the source location. */
function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, "utf8")).name === "pulumi-checkout-links") return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the pulumi-checkout-links package above ${__dirname}`);
    dir = up;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.realpathSync(candidate);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function resolveEngineRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PULUMI_ENGINE_ROOT;
  if (fromEnv) {
    if (!fs.existsSync(path.join(fromEnv, "bin", "pulumi"))) {
      throw new Error(`PULUMI_ENGINE_ROOT=${fromEnv} has no bin/pulumi`);
    }
    return fromEnv;
  }
  const script = path.join(packageRoot(), "scripts", "engine.sh");
  if (fs.existsSync(script)) {
    // The script reports progress on stderr (a cold build takes minutes) and the root last on stdout.
    const out = execFileSync("bash", [script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env,
    });
    const root = out.trim().split("\n").pop();
    if (!root) throw new Error(`${script} printed no engine root`);
    return root;
  }
  const pulumi = onPath("pulumi", env);
  if (pulumi) return path.dirname(path.dirname(pulumi));
  throw new Error(
    "no Pulumi engine found: install Pulumi (https://www.pulumi.com/docs/install/) or set PULUMI_ENGINE_ROOT",
  );
}
