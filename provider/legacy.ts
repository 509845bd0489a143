// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/**
 * The module surface that state written by version 0.1.0 loads. A 0.1.0 resource stores its
 * provider as serialized code that requires this package's internal files by path
 * (`dist/provider/fynn/common.js`, `dist/provider/schemas/polar.js`, ...) and calls the helpers it
 * found there. Those files are kept as thin re-exports of what is here, so that such a stack still
 * refreshes, updates and destroys; each resource stores the small loader module (core/resource.ts)
 * from its next update on. Nothing written by later versions uses this module.
 */
import type { ZodType } from "zod";
import { BACKENDS } from "./backends";
import { checkArgs as checkArgsNow } from "./core/check";
import { AccountSource as AccountSourceNow } from "./core/accounts";
import type { Backend } from "./core/backend";
import type { Account, ConfigGetter } from "./core/settings";
import type { ApiClient } from "./core/http";
import { PartialCreateError as PartialCreateErrorNow } from "./core/spec";

/** @internal */
export { accountName } from "./core/accounts";
export { withoutEngineKeys as userInputs } from "./core/check";
export { warnPublishing } from "./core/diff";
export { slugTakenError } from "./core/errors";
export { settledLookup, settleMsFor } from "./core/http";
export { jsonSafe } from "./core/json";
export { isUniqueConflict } from "./fynnFamily";

/** 0.1.0's `new AccountSource()`: the built-in backends, `account(backend, name)` and `client(backend, name)`. */
export class AccountSource {
  private readonly source = new AccountSourceNow(BACKENDS);

  setConfig(get: ConfigGetter, keys?: readonly string[]): void {
    this.source.setConfig(get, keys);
  }

  assertKnownKeys(): void {
    this.source.assertKnownKeys();
  }

  account(backend: Backend, name: string | undefined): Account {
    return this.source.resolve(backend, name).account;
  }

  client(backend: Backend, name: string | undefined): ApiClient {
    return this.source.resolve(backend, name).client;
  }
}
export { AccountSource as FynnAccounts };

/** 0.1.0's `checkArgs(schema, news)`: `{inputs, failures?}`. @internal */
export function checkArgs(
  schema: ZodType,
  news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures?: { property: string; reason: string }[] } {
  const { inputs, failures } = checkArgsNow(schema, news);
  return failures === undefined ? { inputs } : { inputs, failures };
}

/** 0.1.0's `PartialCreateError(id, properties, provider, cause)`. */
export class PartialCreateError extends PartialCreateErrorNow {
  constructor(id: string, properties: object, provider: unknown, cause: unknown) {
    super(id, properties, cause);
    this.properties.__provider = provider;
  }
}
