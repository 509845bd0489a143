/**
 * What `import` and `doctor` share: the accounts of a stack resolved as the providers resolve them
 * (stack config when the work dir is a Pulumi project whose stack has a config file, then the
 * environment), or the embedded emulator's demo accounts with `--emulator`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { BACKENDS } from "../provider/backends";
import { Accounts } from "../provider/core/config";
import { type EmulatorSession, startEmulatorSession } from "./emulator";
import { namedAccounts, refuseEndpointOverrides } from "./endpoints";
import { resolveEngineRoot } from "./engine";
import { chooseBackend, EMULATOR_PASSPHRASE, type Io } from "./run";

export interface SessionOptions {
  /** Work dir: where a Pulumi project's stack config is read from, and the emulator's data lives. */
  cwd: string;
  /** @default `$PULUMI_STACK`, else `emulator` with --emulator, else `dev` */
  stack?: string;
  emulator: boolean;
  emulatorPort?: number;
}

export interface AccountSession {
  accounts: Accounts;
  stackName: string;
  /** Stops the emulator, when one was started. */
  close(): Promise<void>;
}

function projectFile(dir: string): string | undefined {
  return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
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
  const env: Record<string, string> = { PULUMI_SKIP_UPDATE_CHECK: io.env.PULUMI_SKIP_UPDATE_CHECK ?? "true" };
  const backend = chooseBackend({ emulator: opts.emulator }, workDir, file, io.env);
  if (backend) env.PULUMI_BACKEND_URL = backend;
  if (opts.emulator && !io.env.PULUMI_CONFIG_PASSPHRASE && !io.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    env.PULUMI_CONFIG_PASSPHRASE = EMULATOR_PASSPHRASE;
  }
  try {
    const pulumiCommand = await PulumiCommand.get({
      root: resolveEngineRoot(io.env),
      skipVersionCheck: false,
    });
    const ws = await LocalWorkspace.create({ workDir, pulumiCommand, envVars: env });
    const stack = await Stack.select(stackName, ws);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(await stack.getAllConfig())) out[k] = v.value;
    return out;
  } catch (e) {
    const reason = (e as Error).message.split("\n").find((l) => /error/i.test(l)) ?? (e as Error).message;
    io.err(
      `checkout-links: could not read the config of stack ${stackName} (${reason.trim()}); using the environment only`,
    );
    return {};
  }
}

/**
 * Opens the accounts of a stack. With `--emulator` the embedded emulator is started (named accounts
 * in `extraAccounts` get demo tokens too) and the stack must not set endpoints of its own.
 */
export async function openAccounts(
  opts: SessionOptions,
  io: Io,
  extraAccounts: { backends: readonly string[]; account: string } | undefined,
): Promise<AccountSession> {
  const workDir = path.resolve(opts.cwd);
  const stackName = opts.stack ?? io.env.PULUMI_STACK ?? (opts.emulator ? "emulator" : "dev");
  const config = await stackConfig(opts, workDir, stackName, io);
  const env: NodeJS.ProcessEnv = { ...io.env };
  let session: EmulatorSession | undefined;
  if (opts.emulator) {
    refuseEndpointOverrides(stackName, config);
    const named = namedAccounts(config, io.env);
    if (extraAccounts !== undefined && extraAccounts.account !== "default") {
      for (const b of extraAccounts.backends)
        named.set(b, new Set([...(named.get(b) ?? []), extraAccounts.account]));
    }
    session = await startEmulatorSession({
      workDir,
      ...(opts.emulatorPort !== undefined ? { port: opts.emulatorPort } : {}),
      namedAccounts: named,
    });
    Object.assign(env, session.env);
    io.err(`checkout-links: emulator at ${session.emulator.url} (data: ${session.dataFile})`);
  }
  return {
    accounts: new Accounts((k) => config[k], env, BACKENDS),
    stackName,
    close: async () => {
      await session?.emulator.close();
    },
  };
}
