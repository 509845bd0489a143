/**
 * What every provider keeps of its configuration: the stack config getter handed to `configure()`.
 * Accounts are resolved from it at call time, so the serialized provider never carries a credential;
 * without it (methods called directly, as unit tests do) accounts come from the environment alone.
 */
import { z } from "zod";
import {
  type Account,
  Accounts,
  type Backend,
  type ConfigGetter,
  unknownConfigKeys,
  unknownConfigKeysError,
} from "./config";
import { type ApiClient, clientFor, type Timing } from "./http";
import { once } from "./memo";

export class AccountSource {
  private get: ConfigGetter | undefined;

  /** @param timing the clock the clients retry and wait on. @default the real clock */
  constructor(private readonly timing?: Timing) {}

  private unknownKeys: Error | undefined;

  /**
   * @param keys every key of the stack config, when the engine's request lists them: keys of the
   *   `checkout-links:` namespace that no backend reads fail every operation.
   */
  setConfig(get: ConfigGetter, keys?: readonly string[]): void {
    this.get = get;
    const unknown = unknownConfigKeys(keys ?? []);
    this.unknownKeys = unknown.length > 0 ? unknownConfigKeysError(unknown) : undefined;
  }

  /** Throws when the stack config has a key in this package's namespace that nothing reads. */
  assertKnownKeys(): void {
    if (this.unknownKeys !== undefined) throw new Error(this.unknownKeys.message);
  }

  account(backend: Backend, name: string | undefined): Account {
    this.assertKnownKeys();
    return new Accounts(this.get).resolve(backend, name ?? "default");
  }

  client(backend: Backend, name: string | undefined): ApiClient {
    return clientFor(this.account(backend, name), this.timing);
  }
}

/** The `account` argument of every resource, as {@link Accounts} accepts it. @internal */
export function accountName() {
  return once("provider/core/accounts.ts:accountName", () => {
    return z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,39}$/i, { message: "must be an account name (letters, digits, - and _)" });
  });
}
