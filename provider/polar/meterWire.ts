/**
 * A Polar meter on the wire: the create body, the PATCH body of what changed, and the meter Polar
 * returns read back into the provider's state.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import { NAME_TAG, stripTags, withTags } from "./common";
import type { PolarMeter } from "./meterSchemas";
import type { MeterAggregation, MeterFilter, MeterInputs, MeterState, MeterUnit } from "./meterTypes";

/** The unit fields as Polar takes them: a label and multiplier with a custom unit only. */
function unitFields(a: MeterInputs) {
  const custom = a.unit === "custom";
  return {
    unit: a.unit,
    custom_label: custom ? (a.customLabel ?? null) : null,
    custom_multiplier: custom ? (a.customMultiplier ?? 1) : null,
  };
}

/** @internal */
export function meterCreateBody(a: MeterInputs, createToken: string): Record<string, unknown> {
  const unit = unitFields(a);
  return jsonSafe({
    name: a.name,
    unit: unit.unit,
    custom_label: unit.custom_label ?? undefined,
    custom_multiplier: unit.custom_multiplier ?? undefined,
    filter: a.filter,
    aggregation: a.aggregation,
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/** The PATCH body: only what differs from `olds`. @internal */
export function meterPatch(olds: Partial<MeterState>, a: MeterInputs): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (olds.name !== a.name) body.name = a.name;
  if (
    olds.unit !== a.unit ||
    (olds.customLabel ?? null) !== (a.customLabel ?? null) ||
    (a.unit === "custom" && (olds.customMultiplier ?? 1) !== (a.customMultiplier ?? 1))
  ) {
    Object.assign(body, unitFields(a));
  }
  if (!deepEqual(olds.filter, a.filter)) body.filter = a.filter;
  if (!deepEqual(olds.aggregation, a.aggregation)) body.aggregation = a.aggregation;
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    body.metadata = withTags(a.metadata, a.adoptionKey);
  }
  return body;
}

/** @internal */
export function meterStateFromWire(m: PolarMeter, mine: Partial<MeterInputs>): MeterState {
  const tag = m.metadata[NAME_TAG];
  const unit = m.unit as MeterUnit;
  return jsonSafe({
    name: m.name,
    filter: m.filter as unknown as MeterFilter,
    aggregation: m.aggregation as unknown as MeterAggregation,
    unit,
    customLabel: unit === "custom" ? (m.custom_label ?? undefined) : undefined,
    customMultiplier: unit === "custom" ? (m.custom_multiplier ?? 1) : undefined,
    metadata: stripTags(m.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    adoptionKey: typeof tag === "string" ? tag : "",
    stateVersion: 1 as const,
    meterId: m.id,
    organizationId: m.organization_id,
    createdAt: m.created_at,
    modifiedAt: m.modified_at ?? null,
  });
}
