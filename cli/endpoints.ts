/**
 * Which endpoint a resource talks to, worked out the way the providers do (provider/core/config.ts):
 * stack config `checkout-links:<backend>[.<account>].baseUrl`, then the environment
 * `CHECKOUT_LINKS_<BACKEND>[_<ACCOUNT>]_BASE_URL`, coreapi falling back to the fynn settings, then
 * the vendor's production URL. The command uses it to tell the emulator (a loopback address) from
 * a real vendor, where deleting or replacing a published link needs an explicit flag.
 */
import { backendNames, isBackendName, settingsChain } from "../provider/backends";
import { type Backend, CONFIG_NAMESPACE, defaultBaseUrl, envName } from "../provider/core/config";
import { UsageError } from "./errors";

export type ConfigValues = Record<string, string | undefined>;

/** Every registered backend's name, as a regular-expression alternation (names are `[a-z][a-z0-9]*`). */
function names(): string {
  return backendNames().join("|");
}

export function isBackend(s: string): s is Backend {
  return isBackendName(s);
}

export function endpointFor(
  backend: Backend,
  account: string | undefined,
  config: ConfigValues,
  env: NodeJS.ProcessEnv,
): string {
  const acct = account && account !== "default" ? account : "default";
  for (const b of settingsChain(backend)) {
    const key =
      acct === "default" ? `${CONFIG_NAMESPACE}:${b}.baseUrl` : `${CONFIG_NAMESPACE}:${b}.${acct}.baseUrl`;
    const fromConfig = config[key];
    if (fromConfig) return fromConfig;
    const fromEnv = env[envName(b, acct, "baseUrl")];
    if (fromEnv) return fromEnv;
  }
  return defaultBaseUrl(backend);
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
  const re = new RegExp(`^${CONFIG_NAMESPACE}:(${names()})\\.(?:[A-Za-z0-9_-]+\\.)?(baseUrl|token)$`);
  return Object.keys(config)
    .filter((k) => re.test(k))
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
  const configKey = new RegExp(`^${CONFIG_NAMESPACE}:(${names()})\\.([A-Za-z0-9_-]+)\\.(token|baseUrl)$`);
  const envKey = new RegExp(`^CHECKOUT_LINKS_(${names().toUpperCase()})_([A-Z0-9_]+)_(TOKEN|BASE_URL)$`);
  for (const k of Object.keys(config)) {
    const m = configKey.exec(k);
    if (m) add(m[1]!, m[2]!);
  }
  for (const k of Object.keys(env)) {
    const m = envKey.exec(k);
    if (m && m[2] !== "BASE" && m[2] !== "") add(m[1]!.toLowerCase(), m[2]!.toLowerCase());
  }
  return out;
}
