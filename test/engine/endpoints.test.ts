/**
 * Endpoints fail safe through plain `pulumi`: a misspelt key of the `checkout-links:` namespace fails
 * `pulumi preview` before any request, and a base URL with nothing listening fails `pulumi up` in
 * seconds naming its host.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { failureText, lib, withStack } from "../helpers/engine";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

const product = async () => {
  const { polar } = lib();
  new polar.Product("endpoint", {
    name: "Endpoint",
    prices: [{ type: "fixed", amount: 900, currency: "usd" }],
  });
};

describe("endpoints through plain pulumi", () => {
  it("a misspelt key of the checkout-links namespace fails pulumi preview naming it and the known key, with no request", async () => {
    emu.clearRequests();
    const text = await withStack(
      "endpoints-typo",
      product,
      async ({ stack }) => failureText(() => stack.preview()),
      {
        config: {
          "checkout-links:polar.token": { value: emu.tokens.polarAcme, secret: true },
          // The right key points at the emulator; the misspelt one is what the user meant to change.
          "checkout-links:polar.baseUrl": { value: emu.baseUrls.polar },
          "checkout-links:polar.baseurl": { value: "https://sandbox-api.polar.sh" },
        },
        skipDestroy: true,
      },
    );
    expect(text).toContain(
      "unknown stack config key in the checkout-links namespace: checkout-links:polar.baseurl (did you mean checkout-links:polar.baseUrl?)",
    );
    expect(emu.requests()).toEqual([]);
  });

  it("a base URL with nothing listening fails pulumi up within seconds, naming the host", async () => {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const { text, seconds } = await withStack(
      "endpoints-refused",
      product,
      async ({ stack }) => {
        const started = Date.now();
        const text = await failureText(() => stack.up());
        return { text, seconds: (Date.now() - started) / 1000 };
      },
      {
        config: {
          "checkout-links:polar.token": { value: emu.tokens.polarAcme, secret: true },
          "checkout-links:polar.baseUrl": { value: `http://127.0.0.1:${port}/polar` },
        },
        skipDestroy: true,
      },
    );
    expect(text).toMatch(
      new RegExp(
        `failed at 127\\.0\\.0\\.1:${port}: the connection failed\\. ECONNREFUSED: nothing listens at`,
      ),
    );
    expect(text).not.toContain(emu.tokens.polarAcme);
    // The whole `up` (engine start, program, the failed create) in well under the old 117 s of retries.
    expect(seconds).toBeLessThan(60);
  });
});
