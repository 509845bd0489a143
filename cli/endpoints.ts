/**
 * Which endpoint a resource talks to, worked out by the providers' own accounts
 * (provider/core/config.ts, under the grammar of provider/core/settings.ts): stack config, then the
 * environment, coreapi falling back to the fynn settings, then the vendor's production URL. The
 * command uses it to tell the emulator (a loopback address) from a real vendor, where deleting or
 * replacing a published link needs an explicit flag.
 */
import { BACKENDS } from "../provider/backends";
import type { Backend } from "../provider/core/backend";
import { Accounts } from "../provider/core/config";
import { DEFAULT_ACCOUNT, parseConfigKey, parseEnvName } from "../provider/core/settings";
import { UsageError } from "./errors";

export type ConfigValues = Record<string, string | undefined>;

export function isBackend(s: string): s is Backend {
  return BACKENDS.find(s) !== undefined;
}

export function endpointFor(
  backend: Backend,
  account: string | undefined,
  config: ConfigValues,
  env: NodeJS.ProcessEnv,
): string {
  return new Accounts((k) => config[k], env, BACKENDS).baseUrl(backend, account || DEFAULT_ACCOUNT);
}

/** True for the emulator's kind of address: localhost, 127.0.0.0/8, ::1. */
export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** Stack config keys that would point the providers away from the emulator (config wins over env). */
export function endpointOverrides(config: ConfigValues): string[] {
  const names = BACKENDS.names();
  return Object.keys(config)
    .filter((k) => {
      const setting = parseConfigKey(k, names)?.setting;
      return setting === "baseUrl" || setting === "token";
    })
    .sort();
}

/**
 * Refuses an emulator run on a stack whose config sets endpoints or tokens: config wins over the
 * environment the emulator session sets, so the run would reach the vendor instead.
 */
export function refuseEndpointOverrides(stackName: string, config: ConfigValues): void {
  const overrides = endpointOverrides(config);
  if (overrides.length > 0) {
    throw new UsageError(
      `stack ${stackName} sets ${overrides.join(", ")} in its config, which would win over the emulator; ` +
        "use another stack for emulator runs or remove those keys",
    );
  }
}

/**
 * Named accounts the environment or config mentions (`CHECKOUT_LINKS_POLAR_EU_TOKEN`,
 * `checkout-links:polar.eu.token`), so that an emulator run can point them at the emulator too.
 */
export function namedAccounts(config: ConfigValues, env: NodeJS.ProcessEnv): Map<Backend, Set<string>> {
  const out = new Map<Backend, Set<string>>();
  const add = (b: string, a: string) => {
    if (!isBackend(b)) return;
    const set = out.get(b) ?? new Set<string>();
    set.add(a);
    out.set(b, set);
  };
  const names = BACKENDS.names();
  const keys = [
    ...Object.keys(config).map((k) => parseConfigKey(k, names)),
    ...Object.keys(env).map((k) => parseEnvName(k, names, ["token", "baseUrl"])),
  ];
  for (const key of keys) {
    if (key?.account !== undefined && (key.setting === "token" || key.setting === "baseUrl")) {
      add(key.backend, key.account);
    }
  }
  return out;
}
