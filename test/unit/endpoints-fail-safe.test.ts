/**
 * Endpoints fail safe: a misspelt key of the `checkout-links:` namespace fails the preview naming the
 * nearest known key, an endpoint that refuses or does not resolve fails in seconds naming its host,
 * and every API error names the host it came from.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Config as DynamicConfig } from "@pulumi/pulumi/cmd/dynamic-provider/config";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "../../provider/backends";
import type { ClientTuning } from "../../provider/core/config";
import { unknownConfigKeys } from "../../provider/core/config";
import { ApiClient } from "../../provider/core/http";
import { PlanProvider } from "../../provider/coreapi/plan";
import { fakeTiming } from "../fixtures/timing";

const tuning: ClientTuning = {
  timeoutMs: 2_000,
  deadlineMs: 120_000,
  maxRetries: 100,
  maxRetryAfterMs: 60_000,
  ratePerMinute: undefined,
};

describe("unknown keys in the checkout-links config namespace", () => {
  it("are found, each with the nearest known key; known keys and other namespaces pass", () => {
    expect(
      unknownConfigKeys(
        [
          "checkout-links:coreapi.baseurl",
          "checkout-links:polar.token",
          "checkout-links:polar.eu.baseUrl",
          "checkout-links:fynn.eu.tokn",
          "checkout-links:polr.token",
          "checkout-links:fynn.timeoutMS",
          "shop:coreapi.baseurl",
        ],
        BACKENDS.names(),
      ),
    ).toEqual([
      { key: "checkout-links:coreapi.baseurl", nearest: "checkout-links:coreapi.baseUrl" },
      { key: "checkout-links:fynn.eu.tokn", nearest: "checkout-links:fynn.eu.token" },
      { key: "checkout-links:polr.token", nearest: "checkout-links:polar.token" },
      { key: "checkout-links:fynn.timeoutMS", nearest: "checkout-links:fynn.timeoutMs" },
    ]);
  });

  it("fail check (the preview) naming the key and the nearest one, through the SDK's own Config", async () => {
    const p = new PlanProvider();
    // The Config the Node.js SDK's dynamic-provider host builds from the engine's Configure call.
    const config = new DynamicConfig(
      {
        "checkout-links:coreapi.token": "api_x",
        "checkout-links:coreapi.baseurl": "https://preview.coreapi.io",
      },
      "proj",
    );
    await p.configure({ config } as never);
    const err = await p.check({}, { code: "team", name: "Team" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    // The same config spelt right passes.
    const right = new PlanProvider();
    await right.configure({
      config: new DynamicConfig(
        {
          "checkout-links:coreapi.token": "api_x",
          "checkout-links:coreapi.baseUrl": "https://preview.coreapi.io",
        },
        "proj",
      ),
    } as never);
    // (its failures are the arguments', not the config's)
    await expect(right.check({}, { code: "team", name: "Team" })).resolves.toHaveProperty("inputs");
    expect((err as Error).message).toMatch(
      /unknown stack config key in the checkout-links namespace: checkout-links:coreapi\.baseurl \(did you mean checkout-links:coreapi\.baseUrl\?\)/,
    );
  });
});

/** A port nothing listens on: one a server had, closed again. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("an endpoint that never answered", () => {
  it("fails a refused connection within seconds, naming the host and the setting to check", async () => {
    const port = await closedPort();
    const c = new ApiClient({
      vendor: "polar",
      baseUrl: `http://127.0.0.1:${port}/polar`,
      token: "polar_oat_secret_token",
      tuning,
    });
    const started = Date.now();
    const err = await c.request("GET", "/v1/products/").catch((e) => e);
    const took = Date.now() - started;
    expect(took).toBeLessThan(5_000);
    expect(err.code).toBe("NETWORK");
    expect(err.attempts).toBe(3);
    expect(err.message).toContain(
      `at 127.0.0.1:${port}: the connection failed. ECONNREFUSED: nothing listens at`,
    );
    expect(err.message).toContain(`checkout-links:polar.baseUrl or CHECKOUT_LINKS_POLAR_BASE_URL`);
    expect(err.message).not.toContain("polar_oat_secret_token");
  });

  it("fails an unresolvable host within seconds, naming it", async () => {
    const c = new ApiClient({
      vendor: "coreapi",
      baseUrl: "https://no-such-host.invalid",
      token: "api_secret",
      tuning,
    });
    const started = Date.now();
    const err = await c.request("GET", "/api/v1/plans").catch((e) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err.code).toBe("NETWORK");
    expect(err.message).toMatch(
      /at no-such-host\.invalid: .*(ENOTFOUND|EAI_AGAIN): cannot reach no-such-host\.invalid/,
    );
  });

  it("keeps retrying a refused connection once the endpoint has answered (a transient drop)", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const timing = fakeTiming();
    const c = new ApiClient({
      vendor: "polar",
      baseUrl: `http://127.0.0.1:${port}/polar`,
      token: "t",
      tuning: { ...tuning, deadlineMs: 30_000 },
      timing,
    });
    await c.request("GET", "/v1/products/");
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    const err = await c.request("GET", "/v1/products/").catch((e) => e);
    // Retried until the deadline, not stopped after three attempts.
    expect(err.code).toBe("DEADLINE");
    expect(err.attempts).toBeGreaterThan(3);
    expect(err.message).toContain(`at 127.0.0.1:${port}`);
  });
});

describe("API errors", () => {
  it("name the base URL's host", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_token" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const c = new ApiClient({
        vendor: "polar",
        baseUrl: `http://127.0.0.1:${port}/polar`,
        token: "t",
        tuning,
        timing: fakeTiming(),
      });
      const err = await c.request("GET", "/v1/products/x").catch((e) => e);
      expect(err.message).toMatch(
        new RegExp(
          `^polar GET /v1/products/x failed \\(HTTP 401\\) at 127\\.0\\.0\\.1:${port}: the token was rejected`,
        ),
      );
      expect(err.host).toBe(`127.0.0.1:${port}`);
    } finally {
      server.close();
    }
  });
});

describe("a long retry", () => {
  it("says it is still trying, at most every 10 s, naming the host and the last answer", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "unavailable" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const timing = fakeTiming();
      const lines: { at: number; line: string }[] = [];
      const c = new ApiClient({
        vendor: "polar",
        baseUrl: `http://127.0.0.1:${port}/polar`,
        token: "polar_oat_secret_token",
        tuning: { ...tuning, deadlineMs: 60_000 },
        timing: { ...timing, progress: (line) => lines.push({ at: timing.now(), line }) },
      });
      const started = timing.now();
      const err = await c.request("GET", "/v1/products/").catch((e) => e);
      expect(err.code).toBe("DEADLINE");
      // 60 s of retries: a line about every 10 s, never two within 10 s.
      expect(lines.length).toBeGreaterThanOrEqual(4);
      expect(lines.length).toBeLessThanOrEqual(6);
      let last = started;
      for (const { at, line } of lines) {
        expect(at - last).toBeGreaterThanOrEqual(10_000);
        last = at;
        expect(line).toMatch(
          new RegExp(
            `^polar GET /v1/products/ at 127\\.0\\.0\\.1:${port}: still trying after \\d+ s \\(\\d+ attempts; last: HTTP 503 `,
          ),
        );
        expect(line).not.toContain("polar_oat_secret_token");
      }
    } finally {
      server.close();
    }
  });
});
