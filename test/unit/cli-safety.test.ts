import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import {
  endpointFor,
  endpointOverrides,
  isLoopback,
  namedAccounts,
  refuseEndpointOverrides,
} from "../../cli/endpoints";
import { UsageError } from "../../cli/errors";
import { parse } from "../../cli/main";
import { blockedSteps, destructiveSteps } from "../../cli/safety";
import { chooseBackend } from "../../cli/session";

function step(op: OpType, type: string, name: string, oldInputs: Record<string, unknown> = {}): EngineEvent {
  const urn = `urn:pulumi:prod::shop::${type}::${name}`;
  return {
    sequence: 0,
    timestamp: 0,
    resourcePreEvent: {
      metadata: {
        op,
        urn,
        type,
        provider: "",
        old: { type, urn, id: "x", parent: "", provider: "", inputs: oldInputs, outputs: {} },
      },
    },
  } as EngineEvent;
}

const FYNN_LINK = "pulumi-nodejs:dynamic/fynn:CheckoutLink";
const CORE_LINK = "pulumi-nodejs:dynamic/coreapi:CheckoutLink";
const POLAR_LINK = "pulumi-nodejs:dynamic/polar:CheckoutLink";

describe("endpoints", () => {
  it("follows the providers' order: config, environment, coreapi falling back to fynn, production", () => {
    expect(endpointFor("polar", undefined, {}, {})).toBe("https://api.polar.sh");
    expect(
      endpointFor("polar", undefined, {}, { CHECKOUT_LINKS_POLAR_BASE_URL: "http://127.0.0.1:9/polar" }),
    ).toBe("http://127.0.0.1:9/polar");
    expect(
      endpointFor(
        "polar",
        undefined,
        { "checkout-links:polar.baseUrl": "https://sandbox-api.polar.sh" },
        { CHECKOUT_LINKS_POLAR_BASE_URL: "http://127.0.0.1:9/polar" },
      ),
    ).toBe("https://sandbox-api.polar.sh");
    expect(
      endpointFor("coreapi", undefined, {}, { CHECKOUT_LINKS_FYNN_BASE_URL: "http://localhost:1/fynn" }),
    ).toBe("http://localhost:1/fynn");
    expect(endpointFor("fynn", "eu", { "checkout-links:fynn.eu.baseUrl": "https://eu.example" }, {})).toBe(
      "https://eu.example",
    );
    expect(endpointFor("fynn", "eu", {}, { CHECKOUT_LINKS_FYNN_EU_BASE_URL: "http://[::1]:3/fynn" })).toBe(
      "http://[::1]:3/fynn",
    );
  });

  it("treats only loopback addresses as the emulator", () => {
    expect(
      ["http://127.0.0.1:1/fynn", "http://localhost:2", "http://[::1]:3/x", "http://127.9.9.9"].map(
        isLoopback,
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ["https://coreapi.io", "http://10.0.0.1", "http://127.0.0.1.example.com", "not a url"].map(isLoopback),
    ).toEqual([false, false, false, false]);
  });

  it("finds config keys that would win over the emulator, and named accounts to redirect", () => {
    const config = {
      "checkout-links:polar.token": "x",
      "checkout-links:fynn.eu.baseUrl": "https://eu",
      "checkout-links:polar.ratePerMinute": "5",
      "shop:fynnProductId": "p",
    };
    expect(endpointOverrides(config)).toEqual([
      "checkout-links:fynn.eu.baseUrl",
      "checkout-links:polar.token",
    ]);
    const accounts = namedAccounts(config, {
      CHECKOUT_LINKS_POLAR_US_TOKEN: "t",
      CHECKOUT_LINKS_POLAR_TOKEN: "t",
    });
    expect(Object.fromEntries([...accounts].map(([b, s]) => [b, [...s]]))).toEqual({
      fynn: ["eu"],
      polar: ["us"],
    });
  });

  it("refuses an emulator run on a stack whose config sets endpoints, naming every key", () => {
    const config = {
      "checkout-links:polar.token": "x",
      "checkout-links:fynn.eu.baseUrl": "https://eu",
      "checkout-links:polar.ratePerMinute": "5",
    };
    expect(() => refuseEndpointOverrides("prod", config)).toThrow(UsageError);
    expect(() => refuseEndpointOverrides("prod", config)).toThrowErrorMatchingInlineSnapshot(
      `[Error: stack prod sets checkout-links:fynn.eu.baseUrl, checkout-links:polar.token in its config, which would win over the emulator; use another stack for emulator runs or remove those keys]`,
    );
    expect(() => refuseEndpointOverrides("dev", { "checkout-links:polar.ratePerMinute": "5" })).not.toThrow();
  });
});

describe("safety of up", () => {
  const live = { "checkout-links:fynn.baseUrl": "https://coreapi.io" };
  const events = [
    step("delete", FYNN_LINK, "old-promo"),
    step("create-replacement", CORE_LINK, "team-pro"),
    step("replace", CORE_LINK, "team-pro"),
    step("delete-replaced", CORE_LINK, "team-pro"),
    step("update", FYNN_LINK, "partner"),
    step("delete", "pulumi-nodejs:dynamic/custom:Thing", "other"),
    step("delete", POLAR_LINK, "local", {}),
  ];
  const env = { CHECKOUT_LINKS_POLAR_BASE_URL: "http://127.0.0.1:4010/polar" };

  it("lists deletes and replaces of this library's resources with their endpoints", () => {
    expect(destructiveSteps(events, live, env)).toEqual([
      {
        urn: "urn:pulumi:prod::shop::pulumi-nodejs:dynamic/fynn:CheckoutLink::old-promo",
        type: FYNN_LINK,
        op: "delete",
        endpoint: "https://coreapi.io",
      },
      {
        urn: "urn:pulumi:prod::shop::pulumi-nodejs:dynamic/coreapi:CheckoutLink::team-pro",
        type: CORE_LINK,
        op: "replace",
        endpoint: "https://coreapi.io",
      },
      {
        urn: "urn:pulumi:prod::shop::pulumi-nodejs:dynamic/polar:CheckoutLink::local",
        type: POLAR_LINK,
        op: "delete",
        endpoint: "http://127.0.0.1:4010/polar",
      },
    ]);
  });

  it("blocks them on a live endpoint unless the matching flag allows it; the emulator is never blocked", () => {
    const steps = destructiveSteps(events, live, env);
    const names = (allowDestroy: boolean, allowReplace: boolean) =>
      blockedSteps(steps, { allowDestroy, allowReplace }).map((s) => `${s.op} ${s.urn.split("::").pop()}`);
    expect(names(false, false)).toEqual(["delete old-promo", "replace team-pro"]);
    expect(names(true, false)).toEqual(["replace team-pro"]);
    expect(names(false, true)).toEqual(["delete old-promo"]);
    expect(names(true, true)).toEqual([]);
  });

  it("reads a named account's endpoint from the old inputs", () => {
    const steps = destructiveSteps(
      [step("delete", FYNN_LINK, "eu-link", { account: "eu" })],
      { "checkout-links:fynn.eu.baseUrl": "http://127.0.0.1:5/fynn" },
      {},
    );
    expect(steps.map((s) => s.endpoint)).toEqual(["http://127.0.0.1:5/fynn"]);
    expect(blockedSteps(steps, { allowDestroy: false, allowReplace: false })).toEqual([]);
  });
});

describe("state backend", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cli-unit-"));
  const plain = path.join(dir, "Pulumi.yaml");
  fs.writeFileSync(plain, "name: shop\nruntime: nodejs\n");
  const withBackend = path.join(dir, "Pulumi.backend.yaml");
  fs.writeFileSync(withBackend, "name: shop\nruntime: nodejs\nbackend:\n  url: s3://bucket\n");
  const home = { PULUMI_HOME: path.join(dir, "no-home") };

  it("keeps emulator state apart in the work dir, even when a backend is configured", () => {
    expect(chooseBackend({ emulator: true }, "/w", plain, { ...home, PULUMI_BACKEND_URL: "s3://real" })).toBe(
      "file:///w/.emulator/state",
    );
  });

  it("leaves the usual Pulumi settings alone, else uses a file backend in the work dir", () => {
    expect(
      chooseBackend({ emulator: false }, "/w", plain, { ...home, PULUMI_BACKEND_URL: "s3://real" }),
    ).toBe(undefined);
    expect(chooseBackend({ emulator: false }, "/w", withBackend, home)).toBe(undefined);
    expect(chooseBackend({ emulator: false }, "/w", plain, home)).toBe("file:///w/.pulumi-state");
    expect(chooseBackend({ emulator: false, backend: "file:///x" }, "/w", plain, home)).toBe("file:///x");
  });
});

describe("arguments", () => {
  it("parses a pipeline's preview", () => {
    expect(
      parse(
        ["preview", "--stack", "prod", "--report-md", "r.md", "--report-json", "r.json", "--cwd", "infra"],
        "/repo",
      ),
    ).toEqual({
      command: "preview",
      cwd: "infra",
      stack: "prod",
      reportMd: "r.md",
      reportJson: "r.json",
      emulator: false,
      expectNoChanges: false,
      allowDestroy: false,
      allowReplace: false,
      refresh: false,
    });
  });

  it("rejects unknown commands, stray arguments and bad ports", () => {
    expect(() => parse(["apply"], "/")).toThrow('unknown command "apply"');
    expect(() => parse(["up", "now"], "/")).toThrow("unexpected arguments: now");
    expect(() => parse(["up", "--emulator", "--emulator-port", "x"], "/")).toThrow("not a port");
    expect(() => parse(["up", "--emulator-port", "4010"], "/")).toThrow("--emulator-port needs --emulator");
    expect(() => parse(["up", "--force"], "/")).toThrow(/--force/);
    expect(parse(["--help"], "/")).toBe("help");
  });
});
