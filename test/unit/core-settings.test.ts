/**
 * The settings grammar, in one module for the providers and the command: config keys and variables
 * are written and read back by the same rules, one account-name rule holds for the `account`
 * argument, config keys, variables, `stackTokens` and the emulator's named accounts, and settings
 * are read in one order (the command's current tokens, then stack config, then the environment, for
 * the backend and then its fallback).
 */
import { describe, expect, it } from "vitest";
import { stackTokens } from "../../cli/credentials";
import { namedAccounts } from "../../cli/endpoints";
import { BACKENDS } from "../../provider/backends";
import { accountName } from "../../provider/core/accounts";
import {
  CURRENT_TOKENS_ENV,
  configKey,
  envName,
  isValidAccountName,
  parseConfigKey,
  parseEnvName,
  readSetting,
  SETTINGS,
  unknownConfigKeys,
} from "../../provider/core/settings";

const NAMES = ["coreapi", "fynn", "polar"];

describe("config keys and variables", () => {
  it("are written for the default account and for a named one", () => {
    expect(configKey("polar", "default", "token")).toBe("checkout-links:polar.token");
    expect(configKey("polar", "eu", "baseUrl")).toBe("checkout-links:polar.eu.baseUrl");
    expect(envName("polar", "default", "ratePerMinute")).toBe("CHECKOUT_LINKS_POLAR_RATE_PER_MINUTE");
    expect(envName("coreapi", "eu-west", "baseUrl")).toBe("CHECKOUT_LINKS_COREAPI_EU_WEST_BASE_URL");
  });

  it("read back into backend, account and setting, for every setting", () => {
    for (const setting of SETTINGS) {
      expect(parseConfigKey(configKey("fynn", "default", setting), NAMES)).toEqual({
        backend: "fynn",
        setting,
      });
      expect(parseConfigKey(configKey("fynn", "eu", setting), NAMES)).toEqual({
        backend: "fynn",
        account: "eu",
        setting,
      });
      expect(parseEnvName(envName("fynn", "default", setting), NAMES)).toEqual({ backend: "fynn", setting });
      expect(parseEnvName(envName("fynn", "eu", setting), NAMES)).toEqual({
        backend: "fynn",
        account: "eu",
        setting,
      });
    }
    // A variable cannot keep an account name's case nor tell - from _.
    expect(parseEnvName("CHECKOUT_LINKS_POLAR_EU_WEST_TOKEN", NAMES)).toEqual({
      backend: "polar",
      account: "eu_west",
      setting: "token",
    });
  });

  it("of another namespace, an unknown backend or an invalid account name are not read", () => {
    expect(parseConfigKey("shop:polar.token", NAMES)).toBeUndefined();
    expect(parseConfigKey("checkout-links:toy.token", NAMES)).toBeUndefined();
    expect(parseConfigKey("checkout-links:toy.token", [...NAMES, "toy"])).toEqual({
      backend: "toy",
      setting: "token",
    });
    expect(parseConfigKey("checkout-links:polar.1eu.token", NAMES)).toBeUndefined();
    expect(parseConfigKey("checkout-links:polar.eu.west.token", NAMES)).toBeUndefined();
    expect(parseConfigKey("checkout-links:polar", NAMES)).toBeUndefined();
    expect(parseEnvName("CHECKOUT_LINKS_TOY_TOKEN", NAMES)).toBeUndefined();
    expect(parseEnvName("CHECKOUT_LINKS_POLAR_1EU_TOKEN", NAMES)).toBeUndefined();
    expect(parseEnvName("CHECKOUT_LINKS_POLAR_COLOUR", NAMES)).toBeUndefined();
    expect(parseEnvName("CHECKOUT_LINKS_POLAR_TOKEN", NAMES, ["baseUrl"])).toBeUndefined();
  });
});

describe("the account-name rule", () => {
  const names = ["eu", "EU-west_2", "a", "x".repeat(40), "x".repeat(41), "1eu", "-eu", "e.u", "e u", ""];

  it("is a letter, then letters, digits, - and _, at most 40 characters", () => {
    expect(names.filter(isValidAccountName)).toEqual(["eu", "EU-west_2", "a", "x".repeat(40)]);
  });

  it("is the same for the account argument, config keys, the tokens handed over and named accounts", () => {
    for (const name of names) {
      const valid = isValidAccountName(name);
      expect(accountName().safeParse(name).success, name).toBe(valid);
      const key = `checkout-links:polar.${name}.token`;
      expect(parseConfigKey(key, NAMES) !== undefined, name).toBe(valid);
      expect(Object.keys(stackTokens({ [key]: "polar_oat_token" }).env).length > 0, name).toBe(valid);
      expect(
        namedAccounts({ [key]: "polar_oat_token" }, {})
          .get("polar")
          ?.has(name) ?? false,
        name,
      ).toBe(valid);
    }
  });
});

describe("reading a setting", () => {
  const chain = ["coreapi", "fynn"];

  it("prefers stack config to the environment, and the backend to its fallback", () => {
    const config: Record<string, string> = { "checkout-links:fynn.baseUrl": "https://cfg.fynn" };
    const env = {
      CHECKOUT_LINKS_COREAPI_BASE_URL: "https://env.coreapi",
      CHECKOUT_LINKS_FYNN_TOKEN: "api_fynn",
    };
    const sources = { config: (k: string) => config[k], env };
    expect(readSetting(sources, chain, "default", "baseUrl")).toEqual({
      value: "https://env.coreapi",
      from: "environment CHECKOUT_LINKS_COREAPI_BASE_URL",
    });
    expect(readSetting(sources, chain, "default", "token")).toEqual({
      value: "api_fynn",
      from: "environment CHECKOUT_LINKS_FYNN_TOKEN",
    });
    config["checkout-links:coreapi.baseUrl"] = "https://cfg.coreapi";
    expect(readSetting(sources, chain, "default", "baseUrl")?.from).toBe(
      "stack config checkout-links:coreapi.baseUrl",
    );
  });

  it("takes the tokens the command marks as current before stack config, and an empty value as unset", () => {
    const config: Record<string, string> = { "checkout-links:polar.eu.token": "polar_stored" };
    const env = { CHECKOUT_LINKS_POLAR_EU_TOKEN: "polar_current" };
    const get = (k: string) => config[k];
    expect(readSetting({ config: get, env }, ["polar"], "eu", "token")?.value).toBe("polar_stored");
    expect(
      readSetting({ config: get, env: { ...env, [CURRENT_TOKENS_ENV]: "1" } }, ["polar"], "eu", "token")
        ?.value,
    ).toBe("polar_current");
    expect(readSetting({ config: () => "", env: {} }, ["polar"], "eu", "token")).toBeUndefined();
  });

  it("refuses a setting missing from the list that unknown keys are checked against", () => {
    expect(() => readSetting({ config: () => undefined, env: {} }, ["polar"], "default", "colour")).toThrow(
      'setting "colour" is missing from SETTINGS (provider/core/settings.ts)',
    );
  });

  it("knows the keys of every backend it is given, a backend added at run time too", () => {
    const keys = ["checkout-links:toy.token", "checkout-links:toy.eu.baseUrl"];
    expect(unknownConfigKeys(keys, BACKENDS.names()).map((k) => k.key)).toEqual(keys);
    expect(unknownConfigKeys(keys, [...BACKENDS.names(), "toy"])).toEqual([]);
  });
});
