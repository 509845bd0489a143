import { describe, expect, it } from "vitest";
import { CURRENT_TOKENS_ENV, Redactor, stackTokens } from "../../cli/credentials";
import { BACKENDS } from "../../provider/backends";
import { Accounts } from "../../provider/core/config";

describe("the stack config's tokens as the command hands them to the provider", () => {
  it("maps each token key to its variable, marked as current, and nothing else", () => {
    const t = stackTokens({
      "checkout-links:fynn.token": "api_fynn_123",
      "checkout-links:polar.eu.token": "polar_oat_eu",
      "checkout-links:fynn.baseUrl": "http://127.0.0.1:1/fynn",
      "shop:plan": "pro",
    });
    expect(t.env).toEqual({
      CHECKOUT_LINKS_FYNN_TOKEN: "api_fynn_123",
      CHECKOUT_LINKS_POLAR_EU_TOKEN: "polar_oat_eu",
      [CURRENT_TOKENS_ENV]: "1",
    });
    expect(t.values).toEqual(["api_fynn_123", "polar_oat_eu"]);
    expect(stackTokens({ "shop:plan": "pro" })).toEqual({ values: [], env: {} });
  });

  it("masks a token under an account name the provider refuses, without handing it over", () => {
    const long = "a".repeat(41);
    const t = stackTokens({
      [`checkout-links:polar.${long}.token`]: "polar_oat_long_account",
      "checkout-links:polar.9lives.token": "polar_oat_digit_account",
    });
    expect(t).toEqual({ values: ["polar_oat_long_account", "polar_oat_digit_account"], env: {} });
  });

  it("current tokens win over the config stored in state; without the mark, stack config wins", () => {
    const stored = (key: string) => ({ "checkout-links:fynn.token": "api_stored" })[key];
    const env = { CHECKOUT_LINKS_FYNN_TOKEN: "api_current" };
    expect(new Accounts(stored, env, BACKENDS).resolve("fynn").token).toBe("api_stored");
    expect(
      new Accounts(stored, { ...env, [CURRENT_TOKENS_ENV]: "1" }, BACKENDS).resolve("fynn"),
    ).toMatchObject({
      token: "api_current",
      tokenFrom: "environment CHECKOUT_LINKS_FYNN_TOKEN",
    });
    // coreapi reads the Fynn token, also when it is handed over as current.
    expect(
      new Accounts(stored, { ...env, [CURRENT_TOKENS_ENV]: "1" }, BACKENDS).resolve("coreapi").token,
    ).toBe("api_current");
  });
});

describe("Redactor", () => {
  it("masks every token, raw and as JSON quotes it, also when split across chunks", () => {
    const r = new Redactor(["api_fynn_123", 'pol"ar\\x']);
    const out =
      r.write("Configure(): {checkout-links:fynn.token: api_fy") +
      r.write('nn_123}\nnext "pol\\"ar\\\\x" line\npartial api_fynn_') +
      r.write("123") +
      r.flush();
    expect(out).toBe(
      'Configure(): {checkout-links:fynn.token: [secret]}\nnext "[secret]" line\npartial [secret]',
    );
  });

  it("leaves text alone when there is nothing to mask", () => {
    const r = new Redactor([]);
    expect(r.redact("api_fynn_123")).toBe("api_fynn_123");
  });
});
