/**
 * The emulator as the engine tests use it: stack config and provider environment that point a
 * backend at it, and a caller of a backend's API on it.
 */
import type { ConfigMap } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator/index";
import { acmeToken } from "../../emulator/seed";
import { backend as backendEntry } from "../../provider/backends";
import { envName } from "../../provider/core/config";
import { type CallResult, call } from "../fixtures/http";

/**
 * Stack config that points `backend` at the emulator: the default account and each named one, with
 * its token as a secret (`{ default: token, globex: otherToken }`).
 */
export function emulatorConfig(emu: Emulator, backend: string, tokens: Record<string, string>): ConfigMap {
  const config: ConfigMap = {};
  for (const [account, token] of Object.entries(tokens)) {
    const prefix =
      account === "default" ? `checkout-links:${backend}` : `checkout-links:${backend}.${account}`;
    config[`${prefix}.token`] = { value: token, secret: true };
    config[`${prefix}.baseUrl`] = { value: emu.baseUrls[backend] as string };
  }
  return config;
}

/**
 * Provider environment (`CHECKOUT_LINKS_<BACKEND>_BASE_URL` and `_TOKEN`) that points each of
 * `backends` at the emulator with organisation acme's token of its family.
 */
export function emulatorEnv(emu: Emulator, ...backends: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const b of backends) {
    const token = acmeToken(backendEntry(b).family);
    if (token === undefined) throw new Error(`the emulator seeds no token for backend "${b}"`);
    env[envName(b, "default", "baseUrl")] = emu.baseUrls[b] as string;
    env[envName(b, "default", "token")] = token;
  }
  return env;
}

/** One backend's API on the emulator, called as `token` unless a call names another: JSON in and out. */
export function vendorApi(emu: Emulator, backend: string, token: string) {
  return (method: string, p: string, body?: unknown, as: string = token): Promise<CallResult> =>
    call(method, `${emu.baseUrls[backend]}${p}`, body === undefined ? { token: as } : { token: as, body });
}
