/**
 * What every command does before it acts on a stack: find the Pulumi project, the stack name and
 * where its state lives, set up the engine's workspace and read the stack's config (secrets
 * decrypted), and with `--emulator` start the embedded emulator. `run` (preview, up, refresh,
 * destroy) opens the stack itself on top of these; `import` and `doctor` take the accounts of a stack
 * as the providers resolve them ({@link openAccounts}).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { BACKENDS } from "../provider/backends";
import { type Account, Accounts } from "../provider/core/config";
import { type EmulatorSession, startEmulatorSession } from "./emulator";
import { type ConfigValues, namedAccounts, refuseEndpointOverrides } from "./endpoints";
import { resolveEngineRoot } from "./engine";
import { UsageError } from "./errors";
import type { Io } from "./io";

export interface SessionOptions {
  /** Work dir: where a Pulumi project's stack config is read from, and the emulator's data lives. */
  cwd: string;
  /** @default `$PULUMI_STACK`, else `emulator` with --emulator, else `dev` */
  stack?: string;
  /** Run against the embedded emulator. */
  emulator: boolean;
  /** Port for the emulator. @default the remembered one, else ephemeral */
  emulatorPort?: number;
}

/** The passphrase of emulator stacks when PULUMI_CONFIG_PASSPHRASE(_FILE) is not set: local demo data only. */
export const EMULATOR_PASSPHRASE = "checkout-links-emulator";

/** The project file of a work dir, if it is a Pulumi project. */
export function projectFile(dir: string): string | undefined {
  return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

export function stackNameOf(
  opts: Pick<SessionOptions, "stack" | "emulator">,
  env: NodeJS.ProcessEnv,
): string {
  return opts.stack ?? env.PULUMI_STACK ?? (opts.emulator ? "emulator" : "dev");
}

function loggedIn(env: NodeJS.ProcessEnv): boolean {
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8")) as {
      current?: string;
    };
    return typeof creds.current === "string" && creds.current !== "";
  } catch {
    return false;
  }
}

function projectHasBackend(file: string): boolean {
  return /^backend:\s*\n\s+url:\s*\S/m.test(fs.readFileSync(file, "utf8"));
}

/**
 * Where state lives: `--backend`, else (emulator runs) `<work dir>/.emulator/state` so emulator
 * state never mixes with real state, else PULUMI_BACKEND_URL / the project's backend / `pulumi
 * login`, else a local file backend in `<work dir>/.pulumi-state`.
 */
export function chooseBackend(
  opts: { backend?: string; emulator: boolean },
  workDir: string,
  file: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (opts.backend) return opts.backend;
  if (opts.emulator) return `file://${path.join(workDir, ".emulator", "state")}`;
  if (env.PULUMI_BACKEND_URL || projectHasBackend(file) || loggedIn(env)) return undefined;
  return `file://${path.join(workDir, ".pulumi-state")}`;
}

/**
 * The engine's environment for a stack: no update check, the state backend when the command chooses
 * one ({@link chooseBackend}), and the emulator's passphrase for emulator stacks without one.
 */
export function engineEnv(
  opts: { backend?: string; emulator: boolean },
  workDir: string,
  file: string,
  env: NodeJS.ProcessEnv,
): { env: Record<string, string>; backend: string | undefined } {
  const out: Record<string, string> = { PULUMI_SKIP_UPDATE_CHECK: env.PULUMI_SKIP_UPDATE_CHECK ?? "true" };
  const backend = chooseBackend(opts, workDir, file, env);
  if (backend) out.PULUMI_BACKEND_URL = backend;
  if (opts.emulator && !env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    out.PULUMI_CONFIG_PASSPHRASE = EMULATOR_PASSPHRASE;
  }
  return { env: out, backend };
}

/** The engine's workspace on a work dir, with the engine {@link resolveEngineRoot} finds. */
export async function openWorkspace(
  workDir: string,
  envVars: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<{ ws: LocalWorkspace; engineRoot: string }> {
  const engineRoot = resolveEngineRoot(env);
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot, skipVersionCheck: false });
  const ws = await LocalWorkspace.create({ workDir, pulumiCommand, envVars });
  return { ws, engineRoot };
}

/** A stack's config as plain values (secrets decrypted). */
export async function configOf(stack: Stack): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(await stack.getAllConfig())) out[k] = v.value;
  return out;
}

/**
 * Starts the embedded emulator for a stack, its backends (and the named accounts given) pointed at
 * it through the returned session's environment. Refuses a stack whose config sets endpoints or
 * tokens, which would win over that environment.
 */
export async function startEmulatorFor(
  opts: SessionOptions,
  workDir: string,
  stackName: string,
  config: ConfigValues,
  named: ReturnType<typeof namedAccounts>,
  io: Io,
): Promise<EmulatorSession> {
  refuseEndpointOverrides(stackName, config);
  const session = await startEmulatorSession({
    workDir,
    ...(opts.emulatorPort !== undefined ? { port: opts.emulatorPort } : {}),
    namedAccounts: named,
  });
  io.err(`checkout-links: emulator at ${session.emulator.url} (data: ${session.dataFile})`);
  return session;
}

export interface AccountSession {
  accounts: Accounts;
  stackName: string;
  /** Stops the emulator, when one was started. */
  close(): Promise<void>;
}

/**
 * The stack's config when the work dir is a Pulumi project and the stack has a config file; the
 * engine reads it (secrets decrypted), as for the other commands. Empty otherwise.
 */
async function stackConfig(
  opts: SessionOptions,
  workDir: string,
  stackName: string,
  io: Io,
): Promise<Record<string, string>> {
  const file = projectFile(workDir);
  if (file === undefined || !fs.existsSync(path.join(workDir, `Pulumi.${stackName}.yaml`))) return {};
  const { env } = engineEnv({ emulator: opts.emulator }, workDir, file, io.env);
  try {
    const { ws } = await openWorkspace(workDir, env, io.env);
    return await configOf(await Stack.select(stackName, ws));
  } catch (e) {
    const reason = (e as Error).message.split("\n").find((l) => /error/i.test(l)) ?? (e as Error).message;
    io.err(
      `checkout-links: could not read the config of stack ${stackName} (${reason.trim()}); using the environment only`,
    );
    return {};
  }
}

/**
 * Opens the accounts of a stack, resolved as the providers resolve them: stack config (when the work
 * dir is a Pulumi project whose stack has a config file), then the environment. With `--emulator` the
 * embedded emulator is started (named accounts in `extraAccounts` get demo tokens too).
 */
export async function openAccounts(
  opts: SessionOptions,
  io: Io,
  extraAccounts: { backends: readonly string[]; account: string } | undefined,
): Promise<AccountSession> {
  const workDir = path.resolve(opts.cwd);
  const stackName = stackNameOf(opts, io.env);
  const config = await stackConfig(opts, workDir, stackName, io);
  const env: NodeJS.ProcessEnv = { ...io.env };
  let session: EmulatorSession | undefined;
  if (opts.emulator) {
    const named = namedAccounts(config, io.env);
    if (extraAccounts !== undefined && extraAccounts.account !== "default") {
      for (const b of extraAccounts.backends)
        named.set(b, new Set([...(named.get(b) ?? []), extraAccounts.account]));
    }
    session = await startEmulatorFor(opts, workDir, stackName, config, named, io);
    Object.assign(env, session.env);
  }
  return {
    accounts: new Accounts((k) => config[k], env, BACKENDS),
    stackName,
    close: async () => {
      await session?.emulator.close();
    },
  };
}

/**
 * The account named `account` of each backend, one at a time as the caller goes. A backend the user
 * named (`explicit`) must have it; otherwise a backend the user has no account for is simply not
 * theirs, and is skipped with a line on stderr starting with `who`.
 */
export function* accountsOf(
  session: AccountSession,
  backends: readonly string[],
  account: string,
  explicit: boolean,
  io: Io,
  who: string,
): Generator<{ backend: string; account: Account }> {
  for (const backend of backends) {
    let resolved: Account;
    try {
      resolved = session.accounts.resolve(backend, account);
    } catch (e) {
      if (explicit) throw new UsageError((e as Error).message);
      io.err(`${who}: ${backend}: skipped, ${(e as Error).message}`);
      continue;
    }
    yield { backend, account: resolved };
  }
}
