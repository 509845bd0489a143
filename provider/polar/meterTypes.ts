/**
 * What a `polar.Meter` holds once checked and once applied: the shapes that the resource and its
 * wire mapping (meterWire.ts) share, below both.
 */
import type { MetadataValue } from "./common";

/** How a filter clause compares an event's property with its value. */
export type MeterFilterOperator = "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "like" | "not_like";

/** One condition on an event: `property operator value`, e.g. `name eq "api.call"`. */
export interface MeterFilterClause {
  /** The event property, e.g. `name` or `metadata.model`. */
  property: string;
  /** `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `like` or `not_like`. */
  operator: MeterFilterOperator;
  /** A string of at most 1,000 characters, a 32-bit integer or a boolean. */
  value: string | number | boolean;
}

/** Which events a meter counts: clauses (and nested filters) joined by `and` or `or`. */
export interface MeterFilter {
  /** Whether every clause must hold (`and`) or one is enough (`or`). */
  conjunction: "and" | "or";
  /** Clauses, and filters nested inside (a nested filter has the same two fields). */
  clauses: (MeterFilterClause | MeterFilter)[];
}

/** How a meter turns the filtered events into a quantity. */
export type MeterAggregationFunction = "count" | "sum" | "max" | "min" | "avg" | "unique";

/** `count` the events, or `sum`/`max`/`min`/`avg`/`unique` one of their properties. */
export interface MeterAggregation {
  /** `count`, `sum`, `max`, `min`, `avg` or `unique` (distinct values of `property`). */
  func: MeterAggregationFunction;
  /** The event property aggregated; every function but `count` needs one. */
  property?: string;
}

/** The unit a meter shows its quantity in. */
export type MeterUnit = "scalar" | "token" | "custom";

/** Inputs after `check()`: plain values with defaults filled in. */
export interface MeterInputs {
  name: string;
  filter: MeterFilter;
  aggregation: MeterAggregation;
  unit: MeterUnit;
  customLabel?: string;
  customMultiplier?: number;
  metadata: Record<string, MetadataValue>;
  account?: string;
  adopt?: boolean;
  adoptId?: string;
  adoptionKey: string;
}

/** What the provider stores for a meter: the inputs as applied plus what Polar generated. */
export interface MeterState extends MeterInputs {
  stateVersion: 1;
  meterId: string;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}
