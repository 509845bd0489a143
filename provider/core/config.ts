/**
 * Accounts: which endpoint and token a resource talks to. Read from stack config (the token set with
 * `pulumi config set --secret`) or from the environment, at call time inside the provider process,
 * so that no credential ever enters inputs, outputs or the serialized provider.
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
 * {@link CURRENT_TOKENS_ENV}). In a plain `pulumi refresh` or `destroy` the engine configures the
 * provider with the stack config stored in state by the last `up`; the environment is always the
 * current one. `coreapi` falls back to the `fynn` settings, since both
 * APIs are served by the same Fynn host with the same Organisation token.
 */

import { backend as backendEntry, backendNames, settingsChain } from "../backends";

/** A backend's name as listed in the registry (provider/backends.ts); the three built-in ones are spelt out. */
export type Backend = "coreapi" | "fynn" | "polar" | (string & {});

export const CONFIG_NAMESPACE = "checkout-links";

/**
 * Set (to `1`) by `checkout-links` when the `CHECKOUT_LINKS_*_TOKEN` variables it hands the provider
 * are the stack config's current tokens: they then win over the config the engine configured the
 * provider with, which in a refresh or destroy is the one stored by the last `up`.
 */
export const CURRENT_TOKENS_ENV = "CHECKOUT_LINKS_CURRENT_TOKENS";

/**
 * A backend's production endpoint (the sandbox ones are `https://preview.coreapi.io` and
 * `https://sandbox-api.polar.sh`).
 */
export function defaultBaseUrl(backend: Backend): string {
  return backendEntry(backend).defaultBaseUrl;
}

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

export interface Account {
  backend: Backend;
  /** `default` or the name given on the resource. */
  name: string;
  baseUrl: string;
  token: string;
  /** Where the token was read: `stack config <key>` or `environment <variable>`. */
  tokenFrom?: string;
  tuning: ClientTuning;
}

export type ConfigGetter = (key: string) => string | undefined;

const ACCOUNT_NAME = /^[a-z][a-z0-9_-]{0,39}$/i;

export function isValidAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}

export class Accounts {
  private readonly get: ConfigGetter;
  private readonly env: NodeJS.ProcessEnv;

  /**
   * @param get stack config lookup with full keys (`checkout-links:polar.token`), as
   *   `ConfigureRequest.config.get` offers; omit to use the environment only.
   */
  constructor(get?: ConfigGetter, env: NodeJS.ProcessEnv = process.env) {
    this.get = get ?? (() => undefined);
    this.env = env;
  }

  private setting(
    backend: Backend,
    account: string,
    key: string,
  ): { value: string; from: string } | undefined {
    // Every setting read here must be known to unknownConfigKeys, or setting it would fail the preview.
    if (!SETTINGS.includes(key))
      throw new Error(`setting "${key}" is missing from SETTINGS (provider/core/config.ts)`);
    // Tokens the command read from the current stack config come first (see CURRENT_TOKENS_ENV).
    if (key === "token" && this.env[CURRENT_TOKENS_ENV] === "1") {
      for (const b of settingsChain(backend)) {
        const envKey = envName(b, account, key);
        const current = this.env[envKey];
        if (current !== undefined && current !== "") return { value: current, from: `environment ${envKey}` };
      }
    }
    for (const b of settingsChain(backend)) {
      const cfgKey =
        account === "default"
          ? `${CONFIG_NAMESPACE}:${b}.${key}`
          : `${CONFIG_NAMESPACE}:${b}.${account}.${key}`;
      const fromConfig = this.get(cfgKey);
      if (fromConfig !== undefined && fromConfig !== "")
        return { value: fromConfig, from: `stack config ${cfgKey}` };
      const envKey = envName(b, account, key);
      const fromEnv = this.env[envKey];
      if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, from: `environment ${envKey}` };
    }
    return undefined;
  }

  private number(backend: Backend, key: string, fallback: number, min: number): number {
    const s = this.setting(backend, "default", key);
    if (s === undefined) return fallback;
    const n = Number(s.value);
    if (!Number.isFinite(n) || n < min) {
      throw new Error(`${s.from} must be a number of at least ${min}, got ${JSON.stringify(s.value)}`);
    }
    return n;
  }

  /** Resolves a backend's account; throws an error that names the config key and variable to set. */
  resolve(backend: Backend, account = "default"): Account {
    if (!isValidAccountName(account)) {
      throw new Error(
        `account: ${JSON.stringify(account)} is not a valid account name (letters, digits, - and _)`,
      );
    }
    const token = this.setting(backend, account, "token");
    if (token === undefined) {
      const cfgKey =
        account === "default"
          ? `${CONFIG_NAMESPACE}:${backend}.token`
          : `${CONFIG_NAMESPACE}:${backend}.${account}.token`;
      throw new Error(
        `no ${backend} token for account "${account}": run \`pulumi config set --secret ${cfgKey} <token>\` ` +
          `or set ${envName(backend, account, "token")}`,
      );
    }
    const base = this.setting(backend, account, "baseUrl")?.value ?? defaultBaseUrl(backend);
    let baseUrl: string;
    try {
      baseUrl = new URL(base).toString().replace(/\/+$/, "");
    } catch {
      throw new Error(`${backend} base URL ${JSON.stringify(base)} is not a URL`);
    }
    const rate = this.setting(backend, "default", "ratePerMinute");
    const tuning: ClientTuning = {
      timeoutMs: this.number(backend, "timeoutMs", 30_000, 1),
      deadlineMs: this.number(backend, "deadlineMs", 120_000, 1),
      maxRetries: this.number(backend, "maxRetries", 100, 0),
      maxRetryAfterMs: this.number(backend, "maxRetryAfterMs", 60_000, 0),
      ratePerMinute:
        rate !== undefined
          ? this.number(backend, "ratePerMinute", 0, 0) || undefined
          : backendEntry(backend).defaultRatePerMinute?.(baseUrl),
    };
    return { backend, name: account, baseUrl, token: token.value, tokenFrom: token.from, tuning };
  }
}

/**
 * The settings a backend reads for its default account (the tuning ones only there). The one list
 * of them: {@link Accounts} refuses to read a setting missing here, so that a new one cannot be
 * flagged as unknown by {@link unknownConfigKeys}.
 */
const SETTINGS = [
  "token",
  "baseUrl",
  "timeoutMs",
  "deadlineMs",
  "maxRetries",
  "maxRetryAfterMs",
  "ratePerMinute",
];
/** The settings a named account reads. */
const ACCOUNT_SETTINGS = ["token", "baseUrl"];

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
 * The keys of the `checkout-links:` config namespace that no backend reads, each with the known key
 * nearest to it. A misspelt key would otherwise be ignored silently, and a misspelt base URL sends
 * the stack to the vendor's production endpoint.
 */
export function unknownConfigKeys(keys: readonly string[]): { key: string; nearest: string }[] {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const names = backendNames();
  const out: { key: string; nearest: string }[] = [];
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const parts = key.slice(prefix.length).split(".");
    const [b, second, third] = parts;
    const known =
      b !== undefined &&
      names.includes(b) &&
      ((parts.length === 2 && SETTINGS.includes(second as string)) ||
        (parts.length === 3 &&
          isValidAccountName(second as string) &&
          ACCOUNT_SETTINGS.includes(third as string)));
    if (known) continue;
    const candidates = names.flatMap((n) => [
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

export function envName(backend: Backend, account: string, key: string): string {
  const snake = key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  const acct = account === "default" ? "" : `_${account.toUpperCase().replace(/-/g, "_")}`;
  return `CHECKOUT_LINKS_${backend.toUpperCase()}${acct}_${snake}`;
}
