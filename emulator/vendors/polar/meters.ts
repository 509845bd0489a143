/** Polar meters: the minimal `Meter` rendering metered prices embed (the meters routes replace this file). */
import type { PolarMeterRec } from "./state";

/** A meter as Polar's `Meter` response schema requires it. */
export function renderMeter(rec: PolarMeterRec): Record<string, unknown> {
  return { ...rec };
}
