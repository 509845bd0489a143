/**
 * Keeps API tokens out of the engine's logs. The engine hands a dynamic provider the whole stack
 * config in its Configure call and, at `--verbose=9`, logs every value it marshals there, secrets
 * decrypted. So `checkout-links` reads the token keys (`checkout-links:<backend>[.<account>].token`)
 * from the stack config itself, gives them to the provider process through its environment
 * (`CHECKOUT_LINKS_<BACKEND>[_<ACCOUNT>]_TOKEN`, which the provider reads the same way), and runs the
 * engine on a copy of the stack's config file without them. The copy lives in a private temporary
 * folder that is removed when the command ends; the other secrets in it stay encrypted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { backendNames } from "../provider/backends";
import { type Backend, envName } from "../provider/core/config";

/** `checkout-links:<backend>[.<account>].token`, for every registered backend. */
function tokenKey(): RegExp {
  return new RegExp(`^checkout-links:(${backendNames().join("|")})(?:\\.([A-Za-z][A-Za-z0-9_-]*))?\\.token$`);
}

export interface TokenHandoff {
  /** Environment for the engine (and so the provider process). */
  env: Record<string, string>;
  /** The config file to run the engine with, when tokens were taken out of it. */
  configFile?: string;
  /** Removes the temporary copy. */
  dispose(): void;
}

/** Removes the top-level `config:` entries named in `keys` from a Pulumi stack config file's text. */
export function withoutKeys(yaml: string, keys: readonly string[]): string {
  const lines = yaml.split("\n");
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const entry = /^ {2}("?)([^\s:"][^:"]*(?::[^:"]+)?)\1:(\s|$)/.exec(line);
    if (entry) skipping = keys.includes(entry[2] as string);
    else if (!/^ {3,}/.test(line)) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join("\n");
}

export function handOffTokens(opts: {
  workDir: string;
  stack: string;
  config: Record<string, string>;
}): TokenHandoff {
  const env: Record<string, string> = {};
  const keys: string[] = [];
  const pattern = tokenKey();
  for (const [key, value] of Object.entries(opts.config)) {
    const m = pattern.exec(key);
    if (!m) continue;
    env[envName(m[1] as Backend, m[2] ?? "default", "token")] = value;
    keys.push(key);
  }
  const file = path.join(opts.workDir, `Pulumi.${opts.stack}.yaml`);
  if (keys.length === 0 || !fs.existsSync(file)) return { env: {}, dispose: () => undefined };
  const text = fs.readFileSync(file, "utf8");
  const stripped = withoutKeys(text, keys);
  // Only when every token key really left the copy (a hand-written file in another layout stays as is).
  if (keys.some((k) => stripped.includes(k))) return { env: {}, dispose: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkout-links-config-"));
  fs.chmodSync(dir, 0o700);
  const configFile = path.join(dir, `Pulumi.${opts.stack}.yaml`);
  fs.writeFileSync(configFile, stripped, { mode: 0o600 });
  return { env, configFile, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
