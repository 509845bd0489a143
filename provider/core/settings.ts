/**
 * The settings grammar, in one place for the providers and the `checkout-links` command: which keys
 * of stack config and which environment variables set what, the account-name rule, and the parsers
 * that read a key or a variable back into its parts.
 *
 * Keys, for the default account and for a named one (`account: "eu"` on a resource):
 *
 * | setting | stack config | environment |
 * |---|---|---|
 * | token | `checkout-links:polar.token`, `checkout-links:polar.eu.token` | `CHECKOUT_LINKS_POLAR_TOKEN`, `CHECKOUT_LINKS_POLAR_EU_TOKEN` |
 * | base URL | `checkout-links:polar.baseUrl`, `checkout-links:polar.eu.baseUrl` | `CHECKOUT_LINKS_POLAR_BASE_URL`, `CHECKOUT_LINKS_POLAR_EU_BASE_URL` |
 * | pacing | `checkout-links:polar.ratePerMinute` | `CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE` |
 * | timeouts | `checkout-links:polar.timeoutMs`, `checkout-links:polar.deadlineMs` | `CHECKOUT_LINKS_POLAR_TIMEOUT_MS`, `…_DEADLINE_MS` |
 * | retries | `checkout-links:polar.maxRetries` | `CHECKOUT_LINKS_POLAR_MAX_RETRIES` |
 *
 * Stack config wins over the environment, except for the tokens `checkout-links` hands over (see
 * {@link CURRENT_TOKENS_ENV}). A backend with a `configFallback` reads that backend's settings when
 * it has none of its own (`coreapi` falls back to `fynn`: both APIs are served by the same Fynn host
 * with the same Organisation token).
 */
import type { Backend, BackendDirectory } from "./backend";

export const CONFIG_NAMESPACE = "checkout-links";

/** The account a resource uses when it names none. */
export const DEFAULT_ACCOUNT = "default";

/**
 * Set (to `1`) by `checkout-links` when the `CHECKOUT_LINKS_*_TOKEN` variables it hands the provider
 * are the stack config's current tokens: they then win over the config the engine configured the
 * provider with, which in a refresh or destroy is the one stored by the last `up`.
 */
export const CURRENT_TOKENS_ENV = "CHECKOUT_LINKS_CURRENT_TOKENS";

/** Stack config lookup with full keys (`checkout-links:polar.token`), as `ConfigureRequest.config.get` offers. */
export type ConfigGetter = (key: string) => string | undefined;

export interface ClientTuning {
  /** Per-attempt timeout. @default 30000 */
  timeoutMs: number;
  /** Overall deadline for one logical call including retries. @default 120000 */
  deadlineMs: number;
  /** Retries after the first attempt; the deadline bounds them first. @default 100 */
  maxRetries: number;
  /** Longest `Retry-After` honoured before giving up. @default 60000 */
  maxRetryAfterMs: number;
  /** Client-side pacing, requests per minute per account; undefined for none. */
  ratePerMinute: number | undefined;
}

/** An account as its settings resolve: the endpoint and token a resource talks to. */
export interface Account {
  backend: Backend;
  /** `default` or the name given on the resource. */
  name: string;
  baseUrl: string;
  token: string;
  /** Where the token was read: `stack config <key>` or `environment <variable>`. */
  tokenFrom?: string;
  tuning: ClientTuning;
  /** The backends it was resolved among: their error dialects reach its client (`clientFor`). */
  backends?: BackendDirectory;
}

/**
 * An account name: a letter, then letters, digits, `-` and `_`, at most 40 characters, any case. The
 * one rule for the `account` argument, config keys, variables and `--account`.
 */
export const ACCOUNT_NAME = /^[a-z][a-z0-9_-]{0,39}$/i;

/** How {@link isValidAccountName}'s rule reads in a message. */
export const ACCOUNT_NAME_RULE = "letters, digits, - and _";

export function isValidAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}

/**
 * The settings a backend reads for its default account (the tuning ones only there). The one list
 * of them: reading a setting missing here fails, so that a new one cannot be flagged as unknown by
 * {@link unknownConfigKeys}.
 */
export const SETTINGS: readonly string[] = [
  "token",
  "baseUrl",
  "timeoutMs",
  "deadlineMs",
  "maxRetries",
  "maxRetryAfterMs",
  "ratePerMinute",
];
/** The settings a named account reads. */
export const ACCOUNT_SETTINGS: readonly string[] = ["token", "baseUrl"];

/** `checkout-links:<backend>[.<account>].<setting>`: the stack config key of a setting. */
export function configKey(backend: Backend, account: string, setting: string): string {
  return account === DEFAULT_ACCOUNT
    ? `${CONFIG_NAMESPACE}:${backend}.${setting}`
    : `${CONFIG_NAMESPACE}:${backend}.${account}.${setting}`;
}

function snakeCase(setting: string): string {
  return setting.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** `CHECKOUT_LINKS_<BACKEND>[_<ACCOUNT>]_<SETTING>`: the environment variable of a setting. */
export function envName(backend: Backend, account: string, setting: string): string {
  const acct = account === DEFAULT_ACCOUNT ? "" : `_${account.toUpperCase().replace(/-/g, "_")}`;
  return `CHECKOUT_LINKS_${backend.toUpperCase()}${acct}_${snakeCase(setting)}`;
}

/** A config key or variable read back into its parts. */
export interface SettingKey {
  backend: Backend;
  /** The named account; undefined for the default one. */
  account?: string;
  setting: string;
}

/**
 * Reads a stack config key of the grammar `checkout-links:<backend>[.<account>].<setting>`, for one
 * of `backends`; undefined when the key is not of that form (another namespace, an unknown backend,
 * an invalid account name). The setting is not checked against {@link SETTINGS}.
 */
export function parseConfigKey(key: string, backends: readonly string[]): SettingKey | undefined {
  const prefix = `${CONFIG_NAMESPACE}:`;
  if (!key.startsWith(prefix)) return undefined;
  const parts = key.slice(prefix.length).split(".");
  const [backend, second, third] = parts;
  if (backend === undefined || !backends.includes(backend)) return undefined;
  if (parts.length === 2 && second) return { backend, setting: second };
  if (parts.length === 3 && second !== undefined && isValidAccountName(second) && third) {
    return { backend, account: second, setting: third };
  }
  return undefined;
}

/**
 * Reads an environment variable of the grammar `CHECKOUT_LINKS_<BACKEND>[_<ACCOUNT>]_<SETTING>`, for
 * one of `backends` and one of `settings`; undefined when it is not of that form. A variable cannot
 * tell `-` from `_` nor the case of an account name: the account comes back lower-case, with `_`.
 */
export function parseEnvName(
  name: string,
  backends: readonly string[],
  settings: readonly string[] = SETTINGS,
): SettingKey | undefined {
  for (const backend of backends) {
    const prefix = `CHECKOUT_LINKS_${backend.toUpperCase()}_`;
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    for (const setting of settings) {
      const tail = snakeCase(setting);
      if (rest === tail) return { backend, setting };
      const account = rest.endsWith(`_${tail}`) ? rest.slice(0, -tail.length - 1) : undefined;
      if (account !== undefined && /^[A-Z][A-Z0-9_]*$/.test(account) && isValidAccountName(account)) {
        return { backend, account: account.toLowerCase(), setting };
      }
    }
  }
  return undefined;
}

/** Where settings are read: stack config, then the environment. */
export interface SettingSources {
  config: ConfigGetter;
  env: NodeJS.ProcessEnv;
}

/**
 * One setting of an account: for each backend of `chain` (the backend, then its fallback), stack
 * config, then the environment; the tokens `checkout-links` marks as current first. Undefined when
 * none is set; an empty value counts as unset.
 */
export function readSetting(
  sources: SettingSources,
  chain: readonly string[],
  account: string,
  setting: string,
): { value: string; from: string } | undefined {
  // Every setting read here must be known to unknownConfigKeys, or setting it would fail the preview.
  if (!SETTINGS.includes(setting))
    throw new Error(`setting "${setting}" is missing from SETTINGS (provider/core/settings.ts)`);
  const fromEnv = (b: string) => {
    const name = envName(b, account, setting);
    const value = sources.env[name];
    return value !== undefined && value !== "" ? { value, from: `environment ${name}` } : undefined;
  };
  // Tokens the command read from the current stack config come first (see CURRENT_TOKENS_ENV).
  if (setting === "token" && sources.env[CURRENT_TOKENS_ENV] === "1") {
    for (const b of chain) {
      const current = fromEnv(b);
      if (current !== undefined) return current;
    }
  }
  for (const b of chain) {
    const key = configKey(b, account, setting);
    const value = sources.config(key);
    if (value !== undefined && value !== "") return { value, from: `stack config ${key}` };
    const env = fromEnv(b);
    if (env !== undefined) return env;
  }
  return undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * The keys of the `checkout-links:` config namespace that no backend of `backends` reads, each with
 * the known key nearest to it. A misspelt key would otherwise be ignored silently, and a misspelt
 * base URL sends the stack to the vendor's production endpoint.
 */
export function unknownConfigKeys(
  keys: readonly string[],
  backends: readonly string[],
): { key: string; nearest: string }[] {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const out: { key: string; nearest: string }[] = [];
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const parsed = parseConfigKey(key, backends);
    const known =
      parsed !== undefined &&
      (parsed.account === undefined ? SETTINGS : ACCOUNT_SETTINGS).includes(parsed.setting);
    if (known) continue;
    const parts = key.slice(prefix.length).split(".");
    const second = parts[1];
    const candidates = backends.flatMap((n) => [
      ...SETTINGS.map((s) => `${n}.${s}`),
      ...(parts.length === 3 && second !== undefined && isValidAccountName(second)
        ? ACCOUNT_SETTINGS.map((s) => `${n}.${second}.${s}`)
        : []),
    ]);
    const rest = key.slice(prefix.length).toLowerCase();
    let nearest = candidates[0] as string;
    let best = Number.POSITIVE_INFINITY;
    for (const c of candidates) {
      const d = distance(rest, c.toLowerCase());
      if (d < best) [best, nearest] = [d, c];
    }
    out.push({ key, nearest: prefix + nearest });
  }
  return out;
}

/** The error for {@link unknownConfigKeys}' findings, naming each key and the nearest known one. */
export function unknownConfigKeysError(found: readonly { key: string; nearest: string }[]): Error {
  const lines = found.map((f) => `${f.key} (did you mean ${f.nearest}?)`);
  return new Error(
    `unknown stack config key${found.length > 1 ? "s" : ""} in the ${CONFIG_NAMESPACE} namespace: ` +
      `${lines.join(", ")}; pulumi-checkout-links would ignore ${found.length > 1 ? "them" : "it"} ` +
      "(a misspelt base URL sends requests to the vendor's production endpoint). " +
      "Rename or remove it with `pulumi config`",
  );
}
