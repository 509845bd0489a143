/**
 * `polar.Benefit`: what a customer gets with a product — a custom note, license keys, downloadable
 * files, meter credits or a feature flag — as a Polar benefit (`/v1/benefits/`).
 *
 * - Each type has its own `properties` (camelCase of Polar's), checked before any request.
 * - Discord, GitHub repository and Slack benefits need an account connected in Polar's dashboard
 *   (a Discord guild token, a user's GitHub app installation, a Slack integration), which an
 *   organization token cannot provide: `check` refuses them, naming `type`.
 * - The type never changes (Polar refuses it), so changing `type` replaces the benefit; the rest
 *   updates with a PATCH.
 * - Deleting is Polar's soft delete: the benefit leaves every product and reads as gone.
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
import { CheckoutLinksError } from "../core/failure";
import { jsonSafe } from "../core/json";
import {
  providerClassOf,
  type ResourceSpec,
  type SpecContext,
  type SpecProvider,
  SpecResource,
} from "../core/spec";
import { keptWith, patchTo, taggedLookups } from "./adoption";
import { type PolarBenefit, polarBenefitSchema } from "./benefitSchemas";
import type {
  BenefitInputs,
  BenefitProperties,
  BenefitState,
  BenefitType,
  BenefitVisibility,
  LicenseKeyActivations,
  LicenseKeyExpiration,
} from "./benefitTypes";
import { benefitCreateBody, benefitPatch, benefitStateFromWire } from "./benefitWire";
import {
  type MetadataValue,
  NAME_TAG,
  polarAdoptionFields,
  polarIdArgSchema,
  polarMetadataArgSchema,
} from "./common";

export type {
  BenefitInputs,
  BenefitProperties,
  BenefitState,
  BenefitType,
  BenefitVisibility,
  LicenseKeyActivations,
  LicenseKeyExpiration,
} from "./benefitTypes";

/** The `properties` argument: the fields of the benefit's `type` (the others are refused). */
export interface BenefitPropertiesArgs {
  /** `custom`: private note shown to customers who have the benefit. @default none */
  note?: pulumi.Input<string>;
  /** `license_keys`: prefix of every key. @default none */
  prefix?: pulumi.Input<string>;
  /** `license_keys`: how long a key lasts. @default keys never expire */
  expires?: pulumi.Input<LicenseKeyExpiration>;
  /** `license_keys`: device activations per key. @default no activation limit */
  activations?: pulumi.Input<LicenseKeyActivations>;
  /** `license_keys`: how many times a key may be used, at least 1. @default unlimited */
  limitUsage?: pulumi.Input<number>;
  /** `downloadables` (required): ids of files uploaded to Polar (`/v1/files/`), at least one. */
  files?: pulumi.Input<pulumi.Input<string>[]>;
  /** `downloadables`: files (by id) hidden from new customers. @default {} */
  archived?: pulumi.Input<Record<string, pulumi.Input<boolean>>>;
  /** `meter_credit` (required): units credited each billing cycle, at least 1. */
  units?: pulumi.Input<number>;
  /** `meter_credit` (required): whether unused units carry over to the next cycle. */
  rollover?: pulumi.Input<boolean>;
  /** `meter_credit` (required): id of the meter credited (a `polar.Meter`'s `.id`). */
  meterId?: pulumi.Input<string>;
}

/** Arguments of {@link Benefit}. */
export interface BenefitArgs extends AccountArgument, AdoptArgument, AdoptionKeyArguments {
  /**
   * The benefit type: `custom`, `license_keys`, `downloadables`, `meter_credit` or `feature_flag`.
   * `discord`, `github_repository` and `slack_shared_channel` need an account connected in Polar's
   * dashboard and are refused. Changing it replaces the benefit.
   */
  type: pulumi.Input<BenefitType>;
  /** Shown on the products having the benefit, 3..42 characters. */
  description: pulumi.Input<string>;
  /**
   * Who sees the benefit in the customer portal; only `custom`, `license_keys`, `meter_credit` and
   * `feature_flag` may be other than `public`.
   * @default "private" for `feature_flag`, else "public"
   */
  visibility?: pulumi.Input<BenefitVisibility>;
  /** The fields of `type`, listed below; a field of another type is refused. @default {} where the type needs none */
  properties?: pulumi.Input<BenefitPropertiesArgs>;
  /** Key-value pairs, same rules as on checkout links (at most 48). @default {} */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
}

/** How each input changes the benefit; the README shows this table. */
export const polarBenefitDiffTable: DiffTable<Exclude<keyof BenefitInputs, "adopt" | "adoptId">> = {
  type: { change: "replace", why: "Polar does not let a benefit's type change" },
  description: { change: "update", why: "PATCH" },
  visibility: { change: "update", why: "PATCH" },
  properties: { change: "update", why: "PATCH with the whole properties object, which Polar replaces" },
  metadata: { change: "update", why: "PATCH replaces the whole metadata object (tags included)" },
  adoptionKey: { change: "update", why: "PATCH rewrites the pulumi-checkout-links:name metadata tag" },
  account: { change: "replace", why: "a benefit belongs to one organization" },
};

const INT32_MAX = 2147483647;
const count = (what: string) =>
  z
    .int()
    .min(1, { message: `${what} must be at least 1` })
    .max(INT32_MAX);

/** What each refused type needs that the API cannot provide. */
const NEEDS_ACCOUNT: Partial<Record<BenefitType, string>> = {
  discord:
    "a guild token that only connecting a Discord server in Polar's dashboard issues; create the benefit there",
  github_repository:
    "a Polar user with the Polar GitHub app installed (Polar refuses organization tokens for it); create the benefit in Polar's dashboard",
  slack_shared_channel:
    "a Slack workspace connected to Polar and Polar's Slack benefit enabled for the organization; create the benefit in Polar's dashboard",
};

/** Visibility of a type whose benefit the customer acts on in the portal: public only. */
const publicOnly = z.literal("public", { error: "visibility must be public for this type (Polar fixes it)" });
const anyVisibility = z.enum(["draft", "private", "public"]);

const common = {
  description: z
    .string()
    .min(3, { message: "description must be 3 to 42 characters long" })
    .max(42, { message: "description must be 3 to 42 characters long" }),
  metadata: polarMetadataArgSchema.default({}),
  ...accountField,
  ...polarAdoptionFields,
};

/**
 * The refusal of a type that needs a connected account, checked before anything else so that it
 * shows at preview even while other values are not known yet.
 */
const connectableTypes = z.looseObject({ type: z.unknown() }).superRefine((a, ctx) => {
  const needs = typeof a.type === "string" ? NEEDS_ACCOUNT[a.type as BenefitType] : undefined;
  if (needs !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["type"],
      message: `type "${a.type}" cannot be created through Polar's API with a token: it needs ${needs}`,
    });
  }
});

const benefitArgs = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("custom"),
        visibility: anyVisibility.default("public"),
        properties: z.strictObject({ note: z.string().optional() }).default({}),
        ...common,
      }),
      z.strictObject({
        type: z.literal("license_keys"),
        visibility: anyVisibility.default("public"),
        properties: z
          .strictObject({
            prefix: z.string().optional(),
            expires: z
              .strictObject({ ttl: count("ttl"), timeframe: z.enum(["year", "month", "day"]) })
              .optional(),
            activations: z
              .strictObject({ limit: count("activations.limit"), enableCustomerAdmin: z.boolean() })
              .optional(),
            limitUsage: count("limitUsage").optional(),
          })
          .default({}),
        ...common,
      }),
      z.strictObject({
        type: z.literal("downloadables"),
        visibility: publicOnly.default("public"),
        properties: z.strictObject({
          files: z.array(polarIdArgSchema).min(1, { message: "files must list at least one file id" }),
          archived: z.record(polarIdArgSchema, z.boolean()).default({}),
        }),
        ...common,
      }),
      z.strictObject({
        type: z.literal("meter_credit"),
        visibility: anyVisibility.default("public"),
        properties: z.strictObject({
          units: count("units"),
          rollover: z.boolean(),
          meterId: polarIdArgSchema,
        }),
        ...common,
      }),
      z.strictObject({
        type: z.literal("feature_flag"),
        visibility: anyVisibility.default("private"),
        properties: z.strictObject({}).default({}),
        ...common,
      }),
      ...(["discord", "github_repository", "slack_shared_channel"] as const).map((type) =>
        z.strictObject({
          type: z.literal(type),
          visibility: publicOnly.default("public"),
          properties: z.record(z.string(), z.unknown()).default({}),
          ...common,
        }),
      ),
    ],
    {
      error: () => "type must be one of custom, license_keys, downloadables, meter_credit, feature_flag",
    },
  )
  .superRefine(adoptIdNeedsAdopt);

/** @internal */
export const polarBenefitArgsSchema = connectableTypes.pipe(benefitArgs);

function sameType(found: PolarBenefit, args: BenefitInputs): boolean {
  return found.type === args.type;
}

const PATH = "/v1/benefits/";

const benefits = taggedLookups<PolarBenefit, BenefitInputs>({
  path: PATH,
  liveQuery: {},
  schema: polarBenefitSchema,
  gone: (b) => b.is_deleted === true,
  refuse: (found, args) =>
    sameType(found, args)
      ? undefined
      : new CheckoutLinksError(
          "ADOPT_MISMATCH",
          `adopt: benefit ${found.id} is of type ${found.type} but type is ${args.type}; ` +
            "Polar cannot change a benefit's type",
        ),
  // The type is the one thing a PATCH cannot put right.
  fits: sameType,
  ambiguous: (found, args) =>
    `adopt: ${found.length} Polar benefits carry ${NAME_TAG}=${JSON.stringify(args.adoptionKey)} ` +
    `(${found.map((b) => b.id).join(", ")}); delete the extra ones or set adoptionKey`,
  // Narrows the lookup after a lost create answer to the benefit's type.
  createdQuery: (args) => ({ type: args.type }),
});

/** Brings a benefit to the arguments (a PATCH only where it differs); `current` is its state now. */
function patchBenefit(
  ctx: SpecContext,
  id: string,
  current: Partial<BenefitState>,
  args: BenefitInputs,
  unchanged: () => BenefitState,
) {
  return patchTo(ctx, PATH, id, args, benefitPatch(current, args), polarBenefitSchema, unchanged, (b) =>
    benefitStateFromWire(b, args),
  );
}

/** polar.Benefit as a resource spec: soft-deleted on delete, the type fixed. @internal */
export const polarBenefitSpec: ResourceSpec<BenefitInputs, BenefitState, string, PolarBenefit> = {
  backend: "polar",
  type: "Benefit",
  args: polarBenefitArgsSchema,
  normalize: (parsed) => jsonSafe(parsed as BenefitInputs),
  previewDefaults: { metadata: {} },
  diffTable: polarBenefitDiffTable,
  outputKeys: ["stateVersion", "benefitId", "organizationId", "createdAt", "modifiedAt"],
  extraInputKeys: ["adopt", "adoptId"],
  marksOwner: true,

  prepare: benefits.prepare,
  stateOf: (b, args) => ({ id: b.id, state: benefitStateFromWire(b, args) }),
  adoption: {
    find: benefits.find,
    earlier: benefits.earlier,
    takeOver(ctx, found, args) {
      const current = benefitStateFromWire(found, args);
      return patchBenefit(ctx, found.id, current, args, () => current);
    },
  },
  async send(ctx, args, token) {
    const res = await ctx.client(args.account).request("POST", PATH, {
      body: benefitCreateBody(args, token),
      parse: (json) => polarBenefitSchema.parse(json),
      idempotent: false,
    });
    return res.body;
  },
  madeBy: benefits.madeBy,
  findCreated: benefits.findCreated,

  async read(ctx, id, props) {
    const res = await ctx.client(props.account).request("GET", `${PATH}${encodeURIComponent(id)}`, {
      parse: (json) => polarBenefitSchema.parse(json),
    });
    // inferred: Polar answers a deleted benefit 404; one marked deleted counts as gone all the same.
    if (res.body.is_deleted === true) return undefined;
    return benefitStateFromWire(res.body, props);
  },

  update: (ctx, id, olds, args) => patchBenefit(ctx, id, olds, args, () => keptWith(olds, args)),

  async remove(ctx, id, props) {
    await ctx.client(props.account).request("DELETE", `${PATH}${encodeURIComponent(id)}`);
  },
};

/** The provider of {@link Benefit}: one instance per process serves every benefit. */
export const PolarBenefitProvider = providerClassOf(polarBenefitSpec, BACKENDS);
/** An instance of {@link PolarBenefitProvider}. */
export type PolarBenefitProvider = SpecProvider<BenefitInputs, BenefitState>;
/** The provider class under the name backends.ts registers. @internal */
export const BenefitProvider = PolarBenefitProvider;

/** A Polar benefit: what customers get with the products that carry it. */
export class Benefit extends SpecResource {
  declare readonly type: pulumi.Output<BenefitType>;
  declare readonly description: pulumi.Output<string>;
  declare readonly visibility: pulumi.Output<BenefitVisibility>;
  declare readonly properties: pulumi.Output<BenefitProperties>;
  declare readonly metadata: pulumi.Output<Record<string, MetadataValue>>;
  declare readonly adoptionKey: pulumi.Output<string>;
  /** Polar's id of the benefit (the same as the resource id). */
  declare readonly benefitId: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly modifiedAt: pulumi.Output<string | null>;

  constructor(name: string, args: BenefitArgs, opts?: pulumi.CustomResourceOptions) {
    super(polarBenefitSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
