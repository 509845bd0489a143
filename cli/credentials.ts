/**
 * Tokens as the command handles them: one credential story with plain `pulumi`.
 *
 * The command runs the engine on the stack's own config, tokens included, so that the state it leaves
 * is the state plain `pulumi up` leaves: the engine stores the config it configured the default
 * provider with (the whole stack config, secrets encrypted) and configures the provider of a later
 * plain `pulumi refresh` or `pulumi destroy` from it. Taking the tokens out of the engine's config
 * left a state with none, which plain `pulumi` could then not operate.
 *
 * Two things remain the command's own:
 * - **Logs.** At `--verbose=9` the engine logs what it marshals to the provider, secrets decrypted.
 *   The command knows the token values (it reads the stack config) and masks each of them in every
 *   line the engine prints and in its errors ({@link Redactor}).
 * - **The current token.** A plain `pulumi refresh` or `destroy` configures the provider from the
 *   config stored by the last `up`, so a token changed in stack config since is not seen. The command
 *   hands the provider the current stack config's tokens through its environment
 *   (`CHECKOUT_LINKS_<BACKEND>[_<ACCOUNT>]_TOKEN`) and says so with
 *   {@link CURRENT_TOKENS_ENV}, which makes them win over the stored config.
 */
import { BACKENDS } from "../provider/backends";
import {
  CONFIG_NAMESPACE,
  CURRENT_TOKENS_ENV,
  DEFAULT_ACCOUNT,
  envName,
  parseConfigKey,
} from "../provider/core/settings";

export { CURRENT_TOKENS_ENV };

export interface StackTokens {
  /** The token values of the stack config, for masking. */
  values: string[];
  /** Environment for the provider process: the current tokens, marked as current. */
  env: Record<string, string>;
}

/** The token keys of a stack config (`checkout-links:<backend>[.<account>].token`), as the provider reads them. */
export function stackTokens(config: Record<string, string>): StackTokens {
  const env: Record<string, string> = {};
  const values: string[] = [];
  const names = BACKENDS.names();
  for (const [key, value] of Object.entries(config)) {
    if (value === "") continue;
    const parsed = parseConfigKey(key, names);
    if (parsed?.setting !== "token") {
      // A token under a key the provider refuses (an account name it does not accept) is still a
      // token: masked in every line, though not handed to the provider.
      if (key.startsWith(`${CONFIG_NAMESPACE}:`) && /(^|[.:])token$/.test(key)) values.push(value);
      continue;
    }
    env[envName(parsed.backend, parsed.account ?? DEFAULT_ACCOUNT, "token")] = value;
    values.push(value);
  }
  if (Object.keys(env).length > 0) env[CURRENT_TOKENS_ENV] = "1";
  return { values, env };
}

const MASK = "[secret]";

/**
 * Masks secret values in text, including text that arrives in chunks (a value split across two
 * chunks is still masked: only whole lines are passed on, the rest waits for {@link flush}).
 */
export class Redactor {
  private readonly needles: string[];
  private pending = "";

  constructor(values: readonly string[]) {
    const forms = new Set<string>();
    for (const v of values) {
      // Short values would mask unrelated text; a token is never this short.
      if (v.length < 6) continue;
      forms.add(v);
      // As the engine's logs and JSON payloads quote it.
      forms.add(JSON.stringify(v).slice(1, -1));
    }
    // Longest first, so that a token containing another is masked whole.
    this.needles = [...forms].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const n of this.needles) out = out.split(n).join(MASK);
    return out;
  }

  /** Takes a chunk; returns the complete lines in it, masked (possibly an empty string). */
  write(chunk: string): string {
    const text = this.pending + chunk;
    const cut = text.lastIndexOf("\n");
    if (cut < 0) {
      this.pending = text;
      return "";
    }
    this.pending = text.slice(cut + 1);
    return this.redact(text.slice(0, cut + 1));
  }

  /** What is left of the last line, masked. */
  flush(): string {
    const rest = this.pending;
    this.pending = "";
    return this.redact(rest);
  }
}
