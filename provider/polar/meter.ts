/**
 * `polar.Meter`: a usage meter as code — which ingested events count (a filter) and how they add
 * up (an aggregation), for metered prices and meter-credit benefits to refer to.
 *
 * - Polar has no meter delete: deleting the resource archives the meter (PATCH `is_archived: true`);
 *   Polar refuses while a live product's metered price or a meter-credit benefit still uses it.
 * - A meter archived out of band counts as gone: refresh drops it from state, `up` creates a new one.
 * - Everything updates in place. Polar refuses a new filter or aggregation once the meter has
 *   billed events (a 422 naming the field); replace the meter then (`replaceOnChanges`).
 */

import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BACKENDS } from "../backends";
import {
  type AccountArgument,
  type AdoptArgument,
  type AdoptionKeyArguments,
  accountField,
  adoptIdNeedsAdopt,
} from "../core/args";
import type { DiffTable } from "../core/diff";
import { jsonSafe } from "../core/json";
import {
  providerClassOf,
  type ResourceSpec,
  type SpecContext,
  type SpecProvider,
  SpecResource,
} from "../core/spec";
import { keptWith, patchTo, taggedLookups } from "./adoption";
import { type MetadataValue, NAME_TAG, polarAdoptionFields, polarMetadataArgSchema } from "./common";
import { type PolarMeter, polarMeterSchema } from "./meterSchemas";
import type {
  MeterAggregation,
  MeterFilter,
  MeterFilterClause,
  MeterInputs,
  MeterState,
  MeterUnit,
} from "./meterTypes";
import { meterCreateBody, meterPatch, meterStateFromWire } from "./meterWire";

export type {
  MeterAggregation,
  MeterAggregationFunction,
  MeterFilter,
  MeterFilterClause,
  MeterFilterOperator,
  MeterInputs,
  MeterState,
  MeterUnit,
} from "./meterTypes";

/** Arguments of {@link Meter}. */
export interface MeterArgs extends AccountArgument, AdoptArgument, AdoptionKeyArguments {
  /** Meter name, at least 3 characters; shown on the customer's invoices and usage. */
  name: pulumi.Input<string>;
  /**
   * Which events the meter counts, e.g.
   * `{ conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "api.call" }] }`.
   */
  filter: pulumi.Input<MeterFilter>;
  /** How the events add up: `{ func: "count" }`, or `sum`/`max`/`min`/`avg`/`unique` with a `property`. */
  aggregation: pulumi.Input<MeterAggregation>;
  /** The unit the quantity is shown in. @default "scalar" */
  unit?: pulumi.Input<MeterUnit>;
  /** The label of a `custom` unit, e.g. "request"; required with it, refused with any other unit. @default none */
  customLabel?: pulumi.Input<string>;
  /** Base units per displayed unit of a `custom` unit, e.g. 1000 to show per 1,000. @default 1 with a custom unit */
  customMultiplier?: pulumi.Input<number>;
  /** Key-value pairs, same rules as on checkout links (at most 48). @default {} */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
}

/** How each input changes the meter; the README shows this table. */
export const polarMeterDiffTable: DiffTable<Exclude<keyof MeterInputs, "adopt" | "adoptId">> = {
  name: { change: "update", why: "PATCH" },
  filter: {
    change: "update",
    why: "PATCH; Polar refuses it once the meter has billed events (then replace the meter)",
  },
  aggregation: {
    change: "update",
    why: "PATCH; Polar refuses it once the meter has billed events (then replace the meter)",
  },
  unit: { change: "update", why: "PATCH sends the unit with its label and multiplier" },
  customLabel: { change: "update", why: "PATCH" },
  customMultiplier: { change: "update", why: "PATCH" },
  metadata: { change: "update", why: "PATCH replaces the whole metadata object (tags included)" },
  adoptionKey: { change: "update", why: "PATCH rewrites the pulumi-checkout-links:name metadata tag" },
  account: { change: "replace", why: "a meter belongs to one organization" },
};

const INT32 = { min: -2147483648, max: 2147483647 };

const clauseArgSchema = z.strictObject({
  property: z.string().min(1, { message: "property must name an event property" }),
  operator: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "like", "not_like"]),
  value: z.union([
    z.string().max(1000, { message: "a string value is at most 1000 characters long" }),
    z
      .int({ message: "a number value must be an integer" })
      .min(INT32.min, { message: "a number value must fit in 32 bits" })
      .max(INT32.max, { message: "a number value must fit in 32 bits" }),
    z.boolean(),
  ]),
});

const filterArgSchema: z.ZodType<MeterFilter> = z.lazy(() =>
  z.strictObject({
    conjunction: z.enum(["and", "or"]),
    clauses: z.array(
      // A clause has `property`, a nested filter `conjunction`: tell them apart by key.
      z.custom<MeterFilterClause | MeterFilter>().superRefine((v, ctx) => {
        const inner =
          v !== null && typeof v === "object" && "conjunction" in v ? filterArgSchema : clauseArgSchema;
        const r = inner.safeParse(v);
        if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue } as never);
      }),
    ),
  }),
) as z.ZodType<MeterFilter>;

const aggregationArgSchema = z
  .strictObject({
    func: z.enum(["count", "sum", "max", "min", "avg", "unique"]),
    property: z.string().min(1).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.func === "count" && a.property !== undefined) {
      ctx.addIssue({ code: "custom", path: ["property"], message: "count aggregates no property" });
    }
    if (a.func !== "count" && a.property === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["property"],
        message: `${a.func} needs the property it aggregates`,
      });
    }
  });

/** @internal */
export const polarMeterArgsSchema = z
  .strictObject({
    name: z.string().min(3, { message: "name must be at least 3 characters long" }),
    filter: filterArgSchema,
    aggregation: aggregationArgSchema,
    unit: z.enum(["scalar", "token", "custom"]).default("scalar"),
    customLabel: z.string().min(1).optional(),
    customMultiplier: z.int().min(1, { message: "customMultiplier must be a positive integer" }).optional(),
    metadata: polarMetadataArgSchema.default({}),
    ...accountField,
    ...polarAdoptionFields,
  })
  .superRefine((a, ctx) => {
    adoptIdNeedsAdopt(a, ctx);
    if (a.unit === "custom" && a.customLabel === undefined) {
      ctx.addIssue({ code: "custom", path: ["customLabel"], message: 'unit "custom" needs customLabel' });
    }
    for (const k of ["customLabel", "customMultiplier"] as const) {
      if (a.unit !== "custom" && a[k] !== undefined) {
        ctx.addIssue({ code: "custom", path: [k], message: `${k} goes with unit "custom" only` });
      }
    }
  });

const PATH = "/v1/meters/";

const meters = taggedLookups<PolarMeter, MeterInputs>({
  path: PATH,
  liveQuery: { is_archived: false },
  schema: polarMeterSchema,
  // Archived is Polar's "deleted" for a meter.
  gone: (m) => m.archived_at != null,
  ambiguous: (found, args) =>
    `adopt: ${found.length} unarchived Polar meters carry ${NAME_TAG}=${JSON.stringify(args.adoptionKey)} ` +
    `(${found.map((m) => m.id).join(", ")}); archive the extra ones or set adoptionKey`,
});

function normalizeArgs(parsed: unknown): MeterInputs {
  const a = parsed as z.infer<typeof polarMeterArgsSchema>;
  return jsonSafe({
    ...a,
    // Polar's default multiplier, so that the diff against what it stores is empty.
    customMultiplier: a.unit === "custom" ? (a.customMultiplier ?? 1) : undefined,
  }) as MeterInputs;
}

function patchMeter(
  ctx: SpecContext,
  id: string,
  current: MeterState,
  args: MeterInputs,
  unchanged: () => MeterState,
) {
  return patchTo(ctx, PATH, id, args, meterPatch(current, args), polarMeterSchema, unchanged, (m) =>
    meterStateFromWire(m, args),
  );
}

/** polar.Meter as a resource spec: archived on delete. @internal */
export const polarMeterSpec: ResourceSpec<MeterInputs, MeterState, string, PolarMeter> = {
  backend: "polar",
  type: "Meter",
  args: polarMeterArgsSchema,
  normalize: normalizeArgs,
  previewDefaults: { unit: "scalar", metadata: {} },
  diffTable: polarMeterDiffTable,
  outputKeys: ["stateVersion", "meterId", "organizationId", "createdAt", "modifiedAt"],
  extraInputKeys: ["adopt", "adoptId"],
  marksOwner: true,

  prepare: meters.prepare,
  stateOf: (m, args) => ({ id: m.id, state: meterStateFromWire(m, args) }),
  adoption: {
    find: meters.find,
    earlier: meters.earlier,
    takeOver(ctx, found, args) {
      const current = meterStateFromWire(found, args);
      return patchMeter(ctx, found.id, current, args, () => current);
    },
  },
  async send(ctx, args, token) {
    const res = await ctx.client(args.account).request("POST", PATH, {
      body: meterCreateBody(args, token),
      parse: (json) => polarMeterSchema.parse(json),
      idempotent: false,
    });
    return res.body;
  },
  madeBy: meters.madeBy,
  findCreated: meters.findCreated,

  async read(ctx, id, props) {
    const res = await ctx.client(props.account).request("GET", `${PATH}${encodeURIComponent(id)}`, {
      parse: (json) => polarMeterSchema.parse(json),
    });
    // Archived is Polar's "deleted": drop it from state so the next `up` makes a new meter.
    if (res.body.archived_at != null) return undefined;
    return meterStateFromWire(res.body, props);
  },

  update: (ctx, id, olds, args) => patchMeter(ctx, id, olds, args, () => keptWith(olds, args)),

  async remove(ctx, id, props) {
    // Polar has no meter delete; archiving takes it out of billing.
    await ctx
      .client(props.account)
      .request("PATCH", `${PATH}${encodeURIComponent(id)}`, { body: { is_archived: true } });
  },
};

export const MeterProvider = providerClassOf(polarMeterSpec, BACKENDS);
export type MeterProvider = SpecProvider<MeterInputs, MeterState>;

/** The provider of {@link Meter}: one instance per process serves every meter. */
export const PolarMeterProvider = MeterProvider;
/** An instance of {@link PolarMeterProvider}. */
export type PolarMeterProvider = MeterProvider;

/** A Polar meter: which usage events count and how they add up, for metered prices to bill. */
export class Meter extends SpecResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly filter: pulumi.Output<MeterFilter>;
  declare readonly aggregation: pulumi.Output<MeterAggregation>;
  declare readonly unit: pulumi.Output<MeterUnit>;
  declare readonly customLabel: pulumi.Output<string | undefined>;
  declare readonly customMultiplier: pulumi.Output<number | undefined>;
  declare readonly metadata: pulumi.Output<Record<string, MetadataValue>>;
  declare readonly adoptionKey: pulumi.Output<string>;
  /** Polar's id of the meter (the same as the resource id), what a metered price's `meterId` takes. */
  declare readonly meterId: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly modifiedAt: pulumi.Output<string | null>;

  constructor(name: string, args: MeterArgs, opts?: pulumi.CustomResourceOptions) {
    super(polarMeterSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
