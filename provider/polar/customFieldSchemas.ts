/**
 * Polar's `CustomField` as the provider reads it (OpenAPI 2026-04, snake_case as on the wire): what
 * the provider needs, read tolerantly (unknown keys pass, and so does a type or property this
 * version does not know).
 */
import { z } from "zod";
import { timestampSchema } from "../core/schemas";

/** `CustomField` (any of its types) as returned by `/v1/custom-fields/`. */
export const polarCustomFieldSchema = z.looseObject({
  id: z.string(),
  created_at: timestampSchema,
  modified_at: timestampSchema.nullable(),
  organization_id: z.string(),
  type: z.string(),
  slug: z.string(),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/** A Polar custom field as the provider reads it. */
export type PolarCustomField = z.infer<typeof polarCustomFieldSchema>;
