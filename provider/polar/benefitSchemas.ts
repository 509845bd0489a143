/**
 * Wire schemas of Polar's benefits (`/v1/benefits/`, OpenAPI 2026-04), snake_case as on the wire:
 * the `properties` each benefit type takes on create and update (`Benefit<Type>CreateProperties`),
 * and a tolerant reader of the `Benefit` Polar returns. The emulator validates requests with the
 * same property schemas, so a difference from Polar's OpenAPI shows in both.
 */
import { z } from "zod";
import { polarIdSchema, polarMetadataSchema } from "./schemas";

/** Every benefit type Polar's OpenAPI lists (`BenefitType`). */
export const POLAR_BENEFIT_TYPES = [
  "custom",
  "discord",
  "github_repository",
  "downloadables",
  "license_keys",
  "meter_credit",
  "feature_flag",
  "slack_shared_channel",
] as const;

/** A benefit type as Polar spells it. */
export type PolarBenefitType = (typeof POLAR_BENEFIT_TYPES)[number];

/** The types whose visibility may be other than `public` (`VISIBILITY_CONFIGURABLE_BENEFIT_TYPES`). */
export const POLAR_VISIBILITY_CONFIGURABLE: readonly string[] = [
  "custom",
  "license_keys",
  "meter_credit",
  "feature_flag",
];

/** Polar's `resolve_visibility`: the visibility a benefit gets when none is sent. */
export function polarBenefitDefaultVisibility(type: string): "private" | "public" {
  return type === "feature_flag" ? "private" : "public";
}

const INT32_MAX = 2147483647;

/** `BenefitLicenseKeyExpirationProperties`. */
export const polarLicenseKeyExpirationSchema = z.object({
  ttl: z.int().min(1),
  timeframe: z.enum(["year", "month", "day"]),
});

/** `BenefitLicenseKeyActivationCreateProperties`. */
export const polarLicenseKeyActivationSchema = z.object({
  limit: z.int().min(1).max(INT32_MAX),
  enable_customer_admin: z.boolean(),
});

/** The `properties` of each type's create (and update) body. */
export const polarBenefitCreateProperties = {
  custom: z.object({ note: z.string().nullish() }),
  license_keys: z.object({
    prefix: z.string().nullish(),
    expires: polarLicenseKeyExpirationSchema.nullish(),
    activations: polarLicenseKeyActivationSchema.nullish(),
    limit_usage: z.int().min(1).max(INT32_MAX).nullish(),
  }),
  downloadables: z.object({
    archived: z.record(polarIdSchema, z.boolean()).default({}),
    files: z.array(polarIdSchema).min(1),
  }),
  meter_credit: z.object({
    units: z.int().min(1).max(INT32_MAX),
    rollover: z.boolean(),
    meter_id: polarIdSchema,
  }),
  feature_flag: z.object({}),
  discord: z.object({ guild_token: z.string(), role_id: z.string(), kick_member: z.boolean() }),
  github_repository: z.object({
    repository_owner: z.string(),
    repository_name: z.string(),
    permission: z.enum(["pull", "triage", "push", "maintain", "admin"]),
  }),
  slack_shared_channel: z.object({
    slack_integration_id: polarIdSchema,
    channel_name_template: z.string().min(1).max(80),
    private: z.boolean().default(true),
    welcome_message: z.string().max(4000).nullish(),
    archive_on_revoke: z.boolean().default(true),
    team_invitees: z.array(z.string()).optional(),
  }),
} satisfies Record<PolarBenefitType, z.ZodType>;

/** `description` of a create: 3 to 42 characters. */
export const polarBenefitDescriptionSchema = z.string().min(3).max(42);

/** `BenefitVisibility`. */
export const polarBenefitVisibilitySchema = z.enum(["draft", "private", "public"]);

type WireMetadata = Record<string, string | number | boolean>;
type Visibility = z.infer<typeof polarBenefitVisibilitySchema>;

/** A parsed `BenefitCreate`: the properties are those of the body's `type`. */
export interface PolarBenefitCreateBody {
  type: PolarBenefitType;
  description: string;
  organization_id?: string | null | undefined;
  visibility?: Visibility | null | undefined;
  metadata: WireMetadata;
  properties: Record<string, unknown>;
}

/** A parsed `BenefitUpdate`. */
export interface PolarBenefitUpdateBody {
  type: PolarBenefitType;
  description?: string | null | undefined;
  visibility?: Visibility | null | undefined;
  metadata?: WireMetadata | undefined;
  properties?: Record<string, unknown> | null | undefined;
}

/** `BenefitCreate`: one variant per type, told apart by `type`. */
export const polarBenefitCreateSchema = z.discriminatedUnion(
  "type",
  POLAR_BENEFIT_TYPES.map((type) =>
    z.object({
      type: z.literal(type),
      description: polarBenefitDescriptionSchema,
      organization_id: polarIdSchema.nullish(),
      visibility: polarBenefitVisibilitySchema.nullish(),
      metadata: polarMetadataSchema.default({}),
      properties: polarBenefitCreateProperties[type],
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<PolarBenefitCreateBody>;

/** `BenefitUpdate`: one variant per type, `type` required and the rest optional. */
export const polarBenefitUpdateSchema = z.discriminatedUnion(
  "type",
  POLAR_BENEFIT_TYPES.map((type) =>
    z.object({
      type: z.literal(type),
      description: polarBenefitDescriptionSchema.nullish(),
      visibility: polarBenefitVisibilitySchema.nullish(),
      metadata: polarMetadataSchema.optional(),
      properties: polarBenefitCreateProperties[type].nullish(),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<PolarBenefitUpdateBody>;

/**
 * What the provider reads of a `Benefit`: read tolerantly, so that unknown keys and benefit types
 * Polar adds later pass.
 */
export const polarBenefitSchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  modified_at: z.string().nullish(),
  type: z.string(),
  description: z.string(),
  organization_id: z.string(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  visibility: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
  is_deleted: z.boolean().optional(),
  deletable: z.boolean().optional(),
});

/** A benefit as the provider reads it. */
export type PolarBenefit = z.infer<typeof polarBenefitSchema>;
