/**
 * `polar.CustomField`: a question asked at checkout as code — a text, number, date, checkbox or
 * select field that products attach, its answers stored under the field's slug.
 *
 * - The type cannot change (Polar refuses it), so `type` replaces the field; the old field is
 *   deleted first, since Polar keeps slugs unique per organization.
 * - Slug, name, properties and metadata update in place; a new slug renames the key of the answers
 *   already given (Polar rewrites them).
 * - Delete is Polar's delete: the field is gone (404) and no product asks it any more.
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
import { isApiError } from "../core/errors";
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
import { type MetadataValue, NAME_TAG, polarAdoptionFields, polarMetadataArgSchema } from "./common";
import { type PolarCustomField, polarCustomFieldSchema } from "./customFieldSchemas";
import type {
  CustomFieldInputs,
  CustomFieldProperties,
  CustomFieldState,
  CustomFieldType,
} from "./customFieldTypes";
import { customFieldCreateBody, customFieldPatch, customFieldStateFromWire } from "./customFieldWire";

export type {
  CustomFieldInputs,
  CustomFieldOption,
  CustomFieldProperties,
  CustomFieldState,
  CustomFieldType,
} from "./customFieldTypes";

/** Arguments of {@link CustomField}. */
export interface CustomFieldArgs extends AccountArgument, AdoptArgument, AdoptionKeyArguments {
  /** What the field asks for. Changing it replaces the field (Polar cannot change a field's type). */
  type: pulumi.Input<CustomFieldType>;
  /**
   * Key of the answers (`a-z`, `0-9`, `-`, `_`), unique among the organization's fields. Changing it
   * renames the key of the answers already given.
   */
  slug: pulumi.Input<string>;
  /** Name of the field in the dashboard. */
  name: pulumi.Input<string>;
  /**
   * How the field shows and what it accepts: `formLabel`, `formHelpText`, `formPlaceholder` for
   * every type; `textarea`, `minLength`, `maxLength` for text; `ge`, `le` for number and date;
   * `options` (required) for select.
   * @default {} (a select field needs `options`)
   */
  properties?: pulumi.Input<CustomFieldProperties>;
  /** Key-value pairs, same rules as on checkout links (at most 48). @default {} */
  metadata?: pulumi.Input<Record<string, pulumi.Input<MetadataValue>>>;
}

/** How each input changes the custom field; the README shows this table. */
export const polarCustomFieldDiffTable: DiffTable<Exclude<keyof CustomFieldInputs, "adopt" | "adoptId">> = {
  type: {
    change: "replace",
    why: "Polar does not let a field's type change; the old field is deleted first to free its slug",
  },
  slug: { change: "update", why: "PATCH; Polar renames the key of the answers already given" },
  name: { change: "update", why: "PATCH" },
  properties: { change: "update", why: "PATCH replaces the whole properties object" },
  metadata: { change: "update", why: "PATCH replaces the whole metadata object (tags included)" },
  adoptionKey: { change: "update", why: "PATCH rewrites the pulumi-checkout-links:name metadata tag" },
  account: { change: "replace", why: "a custom field belongs to one organization" },
};

const INT32 = { min: -2147483648, max: 2147483647 };
const bound = (min: number) =>
  z
    .int({ message: "must be an integer" })
    .min(min, { message: `must be at least ${min}` })
    .max(INT32.max, { message: "must fit in 32 bits" });

/** Which properties each type takes, beside the three form texts. */
const TYPE_PROPERTIES: Record<CustomFieldType, readonly (keyof CustomFieldProperties)[]> = {
  text: ["textarea", "minLength", "maxLength"],
  number: ["ge", "le"],
  date: ["ge", "le"],
  checkbox: [],
  select: ["options"],
};

const text = z.string().min(1, { message: "must not be empty" });

const propertiesArgSchema = z.strictObject({
  formLabel: text.optional(),
  formHelpText: text.optional(),
  formPlaceholder: text.optional(),
  textarea: z.boolean().optional(),
  minLength: bound(0).optional(),
  maxLength: bound(0).optional(),
  ge: bound(INT32.min).optional(),
  le: bound(INT32.min).optional(),
  options: z
    .array(z.strictObject({ value: text, label: text }))
    .min(1, { message: "a select field needs at least one option" })
    .optional(),
});

/** @internal */
export const polarCustomFieldArgsSchema = z
  .strictObject({
    type: z.enum(["text", "number", "date", "checkbox", "select"]),
    slug: z
      .string()
      .regex(/^[a-z0-9-_]+$/, { message: "slug must be 1 or more characters of a-z, 0-9, - and _" }),
    name: z.string().min(1, { message: "name must not be empty" }),
    properties: propertiesArgSchema.default({}),
    metadata: polarMetadataArgSchema.default({}),
    ...accountField,
    ...polarAdoptionFields,
  })
  .superRefine((a, ctx) => {
    adoptIdNeedsAdopt(a, ctx);
    const allowed = TYPE_PROPERTIES[a.type];
    for (const [k, v] of Object.entries(a.properties)) {
      if (v === undefined || k.startsWith("form")) continue;
      if (!allowed.includes(k as keyof CustomFieldProperties)) {
        ctx.addIssue({
          code: "custom",
          path: ["properties", k],
          message: `a ${a.type} field has no ${k} (it takes ${["formLabel", "formHelpText", "formPlaceholder", ...allowed].join(", ")})`,
        });
      }
    }
    if (a.type === "select" && a.properties.options === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["properties", "options"],
        message: "a select field needs options",
      });
    }
  });

const PATH = "/v1/custom-fields/";

function sameType(f: PolarCustomField, args: CustomFieldInputs): boolean {
  return f.type === args.type;
}

const fields = taggedLookups<PolarCustomField, CustomFieldInputs>({
  path: PATH,
  // Polar lists no deleted field.
  liveQuery: {},
  schema: polarCustomFieldSchema,
  refuse: (found, args) =>
    sameType(found, args)
      ? undefined
      : new CheckoutLinksError(
          "ADOPT_MISMATCH",
          `adopt: custom field ${found.id} is of type ${found.type} but type is ${args.type}; ` +
            "Polar cannot change a field's type",
        ),
  // The type is the one thing a PATCH cannot put right.
  fits: sameType,
  ambiguous: (found, args) =>
    `adopt: ${found.length} Polar custom fields carry ${NAME_TAG}=${JSON.stringify(args.adoptionKey)} ` +
    `(${found.map((f) => f.id).join(", ")}); delete the extra ones or set adoptionKey`,
});

function patchField(
  ctx: SpecContext,
  id: string,
  current: CustomFieldState,
  args: CustomFieldInputs,
  unchanged: () => CustomFieldState,
) {
  return patchTo(
    ctx,
    PATH,
    id,
    args,
    customFieldPatch(current, args),
    polarCustomFieldSchema,
    unchanged,
    (f) => customFieldStateFromWire(f, args),
  );
}

/** polar.CustomField as a resource spec: deleted first on replace, since slugs are unique. @internal */
export const polarCustomFieldSpec: ResourceSpec<
  CustomFieldInputs,
  CustomFieldState,
  string,
  PolarCustomField
> = {
  backend: "polar",
  type: "CustomField",
  args: polarCustomFieldArgsSchema,
  normalize: (parsed) => jsonSafe(parsed as CustomFieldInputs),
  previewDefaults: { properties: {}, metadata: {} },
  diffTable: polarCustomFieldDiffTable,
  // The replacement would ask for the slug the old field holds.
  deleteBeforeReplace: () => true,
  outputKeys: ["stateVersion", "customFieldId", "organizationId", "createdAt", "modifiedAt"],
  extraInputKeys: ["adopt", "adoptId"],
  marksOwner: true,

  prepare: fields.prepare,
  stateOf: (f, args) => ({ id: f.id, state: customFieldStateFromWire(f, args) }),
  adoption: {
    find: fields.find,
    earlier: fields.earlier,
    takeOver(ctx, found, args) {
      const current = customFieldStateFromWire(found, args);
      return patchField(ctx, found.id, current, args, () => current);
    },
  },
  async send(ctx, args, token) {
    const res = await ctx.client(args.account).request("POST", PATH, {
      body: customFieldCreateBody(args, token),
      parse: (json) => polarCustomFieldSchema.parse(json),
      idempotent: false,
    });
    return res.body;
  },
  madeBy: fields.madeBy,
  // A field made in the dashboard carries no tag, so `adopt` alone does not find it by its slug.
  refused: (e, args) =>
    isApiError(e) && e.fieldErrors.some((f) => f.field === "slug" && /already exists/i.test(f.message))
      ? new CheckoutLinksError(
          "SLUG_TAKEN",
          `polar: the custom field slug "${args.slug}" is already used by another custom field of this ` +
            "organization. Set `adopt: true` and `adoptId` (its id) on this resource to take it over, or " +
            "choose another slug.",
          { cause: e },
        )
      : undefined,
  findCreated: fields.findCreated,

  async read(ctx, id, props) {
    const res = await ctx.client(props.account).request("GET", `${PATH}${encodeURIComponent(id)}`, {
      parse: (json) => polarCustomFieldSchema.parse(json),
    });
    return customFieldStateFromWire(res.body, props);
  },

  update: (ctx, id, olds, args) => patchField(ctx, id, olds, args, () => keptWith(olds, args)),

  async remove(ctx, id, props) {
    await ctx.client(props.account).request("DELETE", `${PATH}${encodeURIComponent(id)}`);
  },
};

export const CustomFieldProvider = providerClassOf(polarCustomFieldSpec, BACKENDS);
export type CustomFieldProvider = SpecProvider<CustomFieldInputs, CustomFieldState>;

/** The provider of {@link CustomField}: one instance per process serves every custom field. */
export const PolarCustomFieldProvider = CustomFieldProvider;
/** An instance of {@link PolarCustomFieldProvider}. */
export type PolarCustomFieldProvider = CustomFieldProvider;

/** A Polar custom field: a question that products attach and checkout asks. */
export class CustomField extends SpecResource {
  declare readonly type: pulumi.Output<CustomFieldType>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly properties: pulumi.Output<CustomFieldProperties>;
  declare readonly metadata: pulumi.Output<Record<string, MetadataValue>>;
  declare readonly adoptionKey: pulumi.Output<string>;
  /** Polar's id of the field (the same as the resource id), what a product's attached field takes. */
  declare readonly customFieldId: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly modifiedAt: pulumi.Output<string | null>;

  constructor(name: string, args: CustomFieldArgs, opts?: pulumi.CustomResourceOptions) {
    super(polarCustomFieldSpec, name, { ...args, adoptionKey: args.adoptionKey ?? name }, opts);
  }
}
