/**
 * Polar's `Meter` as the provider reads it (OpenAPI 2026-04, snake_case as on the wire): what the
 * provider needs, read tolerantly (unknown keys pass; an aggregation or filter clause of a kind
 * this version does not know is kept as it is).
 */
import { z } from "zod";
import { timestampSchema } from "../core/schemas";

const metadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** `Meter` as returned by `/v1/meters/`; archived meters have `archived_at` set. */
export const polarMeterSchema = z.looseObject({
  id: z.string(),
  created_at: timestampSchema,
  modified_at: timestampSchema.nullable(),
  organization_id: z.string(),
  name: z.string(),
  unit: z.string().default("scalar"),
  custom_label: z.string().nullish(),
  custom_multiplier: z.number().nullish(),
  filter: z.record(z.string(), z.unknown()),
  aggregation: z.record(z.string(), z.unknown()),
  metadata: metadataSchema,
  archived_at: timestampSchema.nullish(),
});

/** A Polar meter as the provider reads it. */
export type PolarMeter = z.infer<typeof polarMeterSchema>;
