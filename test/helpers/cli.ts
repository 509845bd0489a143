/**
 * The `checkout-links` command as users run it in the engine tests: the bin of the package installed
 * from the packed tarball, spawned with an environment of the test's choosing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { engineRoot, installedProject } from "./engine";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  out: string;
}

export interface CliOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The command's bin in the installed user project. */
function cliBin(): string {
  return path.join(installedProject(), "node_modules/.bin/checkout-links");
}

/** Starts the command (for tests that stop it midway); {@link finished} collects its output. */
export function startCli(args: string[], opts: CliOptions): ChildProcess {
  return spawn(cliBin(), args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
}

/** The exit code and output of a started command, once it has exited. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let out = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
    out += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
    out += d;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, out }));
  });
}

/** Runs the command to its end. */
export function runCli(args: string[], opts: CliOptions): Promise<CliRun> {
  return finished(startCli(args, opts));
}

/**
 * A minimal environment for the command: PATH, the engine, its own PULUMI_HOME and passphrase, no
 * update checks or plugin downloads; nothing else of the test process's. `extra` is added last.
 */
export function cliEnv(home: string, passphrase: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    PULUMI_ENGINE_ROOT: engineRoot(),
    PULUMI_HOME: home,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
}

/**
 * The test process's environment without this package's and Pulumi's settings (`CHECKOUT_LINKS_*`,
 * `PULUMI_*`) or the variables named in `drop`, with the engine and `extra` added.
 */
export function inheritedEnv(extra: NodeJS.ProcessEnv, drop: string[] = []): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("CHECKOUT_LINKS_") && !k.startsWith("PULUMI_") && !drop.includes(k),
    ),
  );
  return { ...env, PULUMI_ENGINE_ROOT: engineRoot(), ...extra };
}
