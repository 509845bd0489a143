/** Polar benefits: the minimal `Benefit` rendering products embed (the benefits routes replace this file). */
import type { PolarBenefitRec } from "./state";

/** A benefit as Polar's `Benefit*` response schemas require it. */
export function renderBenefit(rec: PolarBenefitRec): Record<string, unknown> {
  const { is_deleted, ...rest } = rec;
  return {
    ...rest,
    is_deleted,
    selectable: true,
    deletable: true,
    visibility_configurable: true,
  };
}
