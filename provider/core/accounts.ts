/**
 * The `account` argument of every resource. Accounts themselves are resolved in provider/core/config.ts,
 * under the rule of provider/core/settings.ts.
 */
import { z } from "zod";
import { once } from "./memo";
import { ACCOUNT_NAME, ACCOUNT_NAME_RULE } from "./settings";

/** The `account` argument of every resource, under the account-name rule. @internal */
export function accountName() {
  return once("provider/core/accounts.ts:accountName", () => {
    return z.string().regex(ACCOUNT_NAME, { message: `must be an account name (${ACCOUNT_NAME_RULE})` });
  });
}
