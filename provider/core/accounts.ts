/**
 * Accounts: which endpoint and token a resource talks to. Read from stack config (the token set with
 * `pulumi config set --secret`) or from the environment, at call time inside the provider process,
 * so that no credential ever enters inputs, outputs or the serialized provider. The keys and
 * variables are those of provider/core/settings.ts; the backends are handed in, never imported.
 *
 * In a plain `pulumi refresh` or `destroy` the engine configures the provider with the stack config
 * stored in state by the last `up`; the environment is always the current one.
 */

import { z } from "zod";
import type { BackendDirectory } from "./backend";
import { CheckoutLinksError } from "./failure";
import { type ApiClient, clientFor } from "./http";
import {
  ACCOUNT_NAME,
  ACCOUNT_NAME_RULE,
  type Account,
  type ClientTuning,
  type ConfigGetter,
  configKey,
  DEFAULT_ACCOUNT,
  envName,
  isValidAccountName,
  readSetting,
  type SettingSources,
  unknownConfigKeys,
  unknownConfigKeysError,
} from "./settings";
import type { Timing } from "./timing";

/** Resolves accounts from stack config and the environment. */
export class Accounts {
  private readonly sources: SettingSources;

  /**
   * @param get stack config lookup with full keys (`checkout-links:polar.token`), as
   *   `ConfigureRequest.config.get` offers; undefined to use the environment only.
   * @param env the environment the settings are read from.
   * @param backends the backends whose accounts are resolved.
   */
  constructor(
    get: ConfigGetter | undefined,
    env: NodeJS.ProcessEnv,
    private readonly backends: BackendDirectory,
  ) {
    this.sources = { config: get ?? (() => undefined), env };
  }

  private setting(
    backend: string,
    account: string,
    key: string,
  ): { value: string; from: string } | undefined {
    return readSetting(this.sources, this.backends.settingsChain(backend), account, key);
  }

  private number(backend: string, key: string, fallback: number, min: number): number {
    const s = this.setting(backend, DEFAULT_ACCOUNT, key);
    if (s === undefined) return fallback;
    const n = Number(s.value);
    if (!Number.isFinite(n) || n < min) {
      throw new Error(`${s.from} must be a number of at least ${min}, got ${JSON.stringify(s.value)}`);
    }
    return n;
  }

  /** A backend's production endpoint, where its base URL is not set. */
  defaultBaseUrl(backend: string): string {
    return this.backends.get(backend).defaultBaseUrl;
  }

  /** The base URL an account's requests go to: its setting, else the vendor's production endpoint. */
  baseUrl(backend: string, account = DEFAULT_ACCOUNT): string {
    return this.setting(backend, account, "baseUrl")?.value ?? this.defaultBaseUrl(backend);
  }

  /** Resolves a backend's account; throws an error that names the config key and variable to set. */
  resolve(backend: string, account = DEFAULT_ACCOUNT): Account {
    if (!isValidAccountName(account)) {
      throw new Error(
        `account: ${JSON.stringify(account)} is not a valid account name (${ACCOUNT_NAME_RULE})`,
      );
    }
    const token = this.setting(backend, account, "token");
    if (token === undefined) {
      throw new CheckoutLinksError(
        "MISSING_TOKEN",
        `no ${backend} token for account "${account}": run \`pulumi config set --secret ${configKey(backend, account, "token")} <token>\` ` +
          `or set ${envName(backend, account, "token")}`,
      );
    }
    const base = this.baseUrl(backend, account);
    let baseUrl: string;
    try {
      baseUrl = new URL(base).toString().replace(/\/+$/, "");
    } catch {
      throw new Error(`${backend} base URL ${JSON.stringify(base)} is not a URL`);
    }
    const rate = this.setting(backend, DEFAULT_ACCOUNT, "ratePerMinute");
    const tuning: ClientTuning = {
      timeoutMs: this.number(backend, "timeoutMs", 30_000, 1),
      deadlineMs: this.number(backend, "deadlineMs", 120_000, 1),
      maxRetries: this.number(backend, "maxRetries", 100, 0),
      maxRetryAfterMs: this.number(backend, "maxRetryAfterMs", 60_000, 0),
      ratePerMinute:
        rate !== undefined
          ? this.number(backend, "ratePerMinute", 0, 0) || undefined
          : this.backends.get(backend).defaultRatePerMinute?.(baseUrl),
    };
    const backends = this.backends;
    return { backend, name: account, baseUrl, token: token.value, tokenFrom: token.from, tuning, backends };
  }
}

/** An account resolved with its client. */
export interface ResolvedAccount {
  account: Account;
  client: ApiClient;
}

/**
 * What every provider keeps of its configuration: the stack config getter handed to `configure()`.
 * Accounts are resolved from it at call time, so the serialized provider never carries a credential;
 * without it (methods called directly, as unit tests do) accounts come from the environment alone.
 */
export class AccountSource {
  private get: ConfigGetter | undefined;
  private unknownKeys: Error | undefined;
  private readonly timing: Timing | undefined;
  private readonly env: NodeJS.ProcessEnv;

  /**
   * @param options.timing the clock the clients retry and wait on. @default the real clock
   * @param options.env the environment settings are read from. @default `process.env`
   */
  constructor(
    private readonly backends: BackendDirectory,
    options: { timing?: Timing | undefined; env?: NodeJS.ProcessEnv | undefined } = {},
  ) {
    this.timing = options.timing;
    this.env = options.env ?? process.env;
  }

  /**
   * @param keys every key of the stack config, when the engine's request lists them: keys of the
   *   `checkout-links:` namespace that no backend reads fail every operation.
   */
  setConfig(get: ConfigGetter, keys?: readonly string[]): void {
    this.get = get;
    const unknown = unknownConfigKeys(keys ?? [], this.backends.names());
    this.unknownKeys = unknown.length > 0 ? unknownConfigKeysError(unknown) : undefined;
  }

  /** Throws when the stack config has a key in this package's namespace that nothing reads. */
  assertKnownKeys(): void {
    if (this.unknownKeys !== undefined) throw new Error(this.unknownKeys.message);
  }

  /** Resolves an account of `backend` (`default` when `name` is undefined) and its client. */
  resolve(backend: string, name: string | undefined): ResolvedAccount {
    this.assertKnownKeys();
    const account = new Accounts(this.get, this.env, this.backends).resolve(backend, name ?? DEFAULT_ACCOUNT);
    return { account, client: clientFor(account, this.timing) };
  }
}

/** The `account` argument of every resource, under the account-name rule. @internal */
export const accountNameSchema = z
  .string()
  .regex(ACCOUNT_NAME, { message: `must be an account name (${ACCOUNT_NAME_RULE})` });

/** @deprecated use {@link accountNameSchema} @internal */
export const accountName = () => accountNameSchema;
