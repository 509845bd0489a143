/**
 * The second look after an ambiguous create waits on the injectable clock, not a real timer: given
 * a fake timing, or run as the lookup of a provider's create-once on a fake timing, it returns at
 * once, having "slept" exactly the settle time.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BACKENDS } from "../../provider/backends";
import { ApiError } from "../../provider/core/errors";
import { settledLookup } from "../../provider/core/http";
import { type AccountArgs, providerClassOf, type ResourceSpec } from "../../provider/core/spec";
import { fakeTiming } from "../fixtures/timing";

/** A lookup that finds nothing the first time and `found` the second. */
function secondTimeLucky<T>(found: T) {
  let calls = 0;
  const find = async () => {
    calls += 1;
    return calls === 1 ? undefined : found;
  };
  return { find, calls: () => calls };
}

// Far above what a test may take: a real wait would time the test out.
const SETTLE_MS = 60_000;

describe("settledLookup", () => {
  it("sleeps on the timing it is given, not on a real timer", async () => {
    const timing = fakeTiming();
    const lookup = secondTimeLucky("obj-1");
    const started = performance.now();
    expect(await settledLookup(lookup.find, SETTLE_MS, timing)).toBe("obj-1");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(timing.slept).toEqual([SETTLE_MS]);
    expect(lookup.calls()).toBe(2);
  });

  it("does not wait at all when the first look finds the object", async () => {
    const timing = fakeTiming();
    expect(await settledLookup(async () => "obj-1", SETTLE_MS, timing)).toBe("obj-1");
    expect(timing.slept).toEqual([]);
  });

  it("as the lookup of a provider's create-once, sleeps on the provider's timing", async () => {
    const timing = fakeTiming();
    const lookup = secondTimeLucky({ id: "obj-1" });
    const ambiguous = new ApiError({
      code: "TIMEOUT",
      vendor: "polar",
      method: "POST",
      path: "/v1/products/",
      fieldErrors: [],
      ambiguous: true,
    });
    // A spec's create as the providers write it: the lookup is a plain closure, the timing the client's.
    const spec: ResourceSpec<AccountArgs, AccountArgs & { probeId: string }> = {
      backend: "polar",
      type: "Probe",
      args: z.object({ account: z.string().optional() }),
      diffTable: {},
      outputKeys: ["probeId"],
      stateOf: (made) => ({
        id: (made as { id: string }).id,
        state: { probeId: (made as { id: string }).id },
      }),
      send: async () => {
        throw ambiguous;
      },
      madeBy: lookup.find,
      read: async () => undefined,
      update: async (_ctx, _id, olds) => olds,
      remove: async () => {},
    };
    const Provider = providerClassOf(spec, BACKENDS);
    const p = new Provider({
      timing,
      env: { CHECKOUT_LINKS_POLAR_TOKEN: "polar_oat_secret_token", CHECKOUT_LINKS_POLAR_TIMEOUT_MS: "60000" },
    });
    const started = performance.now();
    expect(await p.create({})).toEqual({ id: "obj-1", outs: { probeId: "obj-1" } });
    expect(performance.now() - started).toBeLessThan(1_000);
    // The settle time of an account: its per-attempt timeout, at most 10 s.
    expect(timing.slept).toEqual([10_000]);
  }, 5_000);
});
