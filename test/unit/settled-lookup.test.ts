/**
 * The second look after an ambiguous create waits on the injectable clock, not a real timer: given
 * a fake timing, or run as the lookup of a createOnce that has one, it returns at once, having
 * "slept" exactly the settle time.
 */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../provider/core/errors";
import { createOnce, settledLookup } from "../../provider/core/http";
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

  it("as the lookup of a createOnce, sleeps on that create's timing without being handed it", async () => {
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
    const started = performance.now();
    const made = await createOnce({
      deadlineMs: 120_000,
      timing,
      create: async () => {
        throw ambiguous;
      },
      // As the providers write it: no timing passed.
      lookup: () => settledLookup(lookup.find, SETTLE_MS),
    });
    expect(made).toEqual({ id: "obj-1" });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(timing.slept).toEqual([SETTLE_MS]);
  }, 5_000);
});
