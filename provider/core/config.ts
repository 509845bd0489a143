/**
 * The import path `provider/core/config` as earlier code knows it: state written by version 0.1.0
 * carries serialized code that requires this file by path and calls `new Accounts(get)`, and
 * programs reach it as the package's `core` namespace. It gives the settings of
 * provider/core/settings.ts and the accounts of provider/core/accounts.ts over the backends of
 * provider/backends.ts, which the rest of the core is handed instead (the one import of the list
 * of backends in provider/core, allowed by .dependency-cruiser.cjs for this file alone).
 */
import { BACKENDS } from "../backends";
import { Accounts as AccountsOf } from "./accounts";
import type { Backend, BackendDirectory } from "./backend";
import type { ConfigGetter } from "./settings";

export { AccountSource, type ResolvedAccount } from "./accounts";
export type { Backend } from "./backend";
export {
  type Account,
  type ClientTuning,
  CONFIG_NAMESPACE,
  type ConfigGetter,
  CURRENT_TOKENS_ENV,
  envName,
  isValidAccountName,
  unknownConfigKeys,
  unknownConfigKeysError,
} from "./settings";

/** Accounts among the backends of provider/backends.ts unless told otherwise. */
export class Accounts extends AccountsOf {
  /**
   * @param get stack config lookup with full keys (`checkout-links:polar.token`); omit to use the
   *   environment only.
   * @default env `process.env`
   * @default backends every backend of provider/backends.ts
   */
  constructor(
    get?: ConfigGetter,
    env: NodeJS.ProcessEnv = process.env,
    backends: BackendDirectory = BACKENDS,
  ) {
    super(get, env, backends);
  }
}

/**
 * A backend's production endpoint (the sandbox ones are `https://preview.coreapi.io` and
 * `https://sandbox-api.polar.sh`).
 */
export function defaultBaseUrl(backend: Backend): string {
  return BACKENDS.get(backend).defaultBaseUrl;
}
