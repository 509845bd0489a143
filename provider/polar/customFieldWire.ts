/**
 * A Polar custom field on the wire: the create body, the PATCH body of what changed (Polar's
 * update names the type, which never changes), and the field Polar returns read back into the
 * provider's state. Properties are camelCase in arguments and snake_case on the wire.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import { NAME_TAG, stripTags, withTags } from "./common";
import type { PolarCustomField } from "./customFieldSchemas";
import type {
  CustomFieldInputs,
  CustomFieldOption,
  CustomFieldProperties,
  CustomFieldState,
  CustomFieldType,
} from "./customFieldTypes";

/** Argument name → wire name of each property. */
const WIRE_NAMES: Record<keyof CustomFieldProperties, string> = {
  formLabel: "form_label",
  formHelpText: "form_help_text",
  formPlaceholder: "form_placeholder",
  textarea: "textarea",
  minLength: "min_length",
  maxLength: "max_length",
  ge: "ge",
  le: "le",
  options: "options",
};

/** @internal */
export function propertiesToWire(p: CustomFieldProperties): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, wire] of Object.entries(WIRE_NAMES)) {
    const v = p[k as keyof CustomFieldProperties];
    if (v !== undefined) out[wire] = v;
  }
  return out;
}

/** The properties Polar has, in argument form; wire keys this version does not know are left out. */
export function propertiesFromWire(w: Record<string, unknown>): CustomFieldProperties {
  const out: Record<string, unknown> = {};
  for (const [k, wire] of Object.entries(WIRE_NAMES)) {
    const v = w[wire];
    if (v === undefined || v === null) continue;
    out[k] =
      k === "options" && Array.isArray(v)
        ? v.map((o: CustomFieldOption) => ({ value: o.value, label: o.label }))
        : v;
  }
  return out as CustomFieldProperties;
}

/** @internal */
export function customFieldCreateBody(a: CustomFieldInputs, createToken: string): Record<string, unknown> {
  return jsonSafe({
    type: a.type,
    slug: a.slug,
    name: a.name,
    properties: propertiesToWire(a.properties),
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/** The PATCH body: `type` (Polar's update requires it) plus what differs; empty when nothing does. @internal */
export function customFieldPatch(
  olds: Partial<CustomFieldState>,
  a: CustomFieldInputs,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (olds.slug !== a.slug) body.slug = a.slug;
  if (olds.name !== a.name) body.name = a.name;
  // Polar replaces the whole properties object.
  if (!deepEqual(olds.properties ?? {}, a.properties)) body.properties = propertiesToWire(a.properties);
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    body.metadata = withTags(a.metadata, a.adoptionKey);
  }
  return Object.keys(body).length === 0 ? body : { type: a.type, ...body };
}

/** @internal */
export function customFieldStateFromWire(
  f: PolarCustomField,
  mine: Partial<CustomFieldInputs>,
): CustomFieldState {
  const tag = f.metadata[NAME_TAG];
  return jsonSafe({
    type: f.type as CustomFieldType,
    slug: f.slug,
    name: f.name,
    properties: propertiesFromWire(f.properties),
    metadata: stripTags(f.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    adoptionKey: typeof tag === "string" ? tag : "",
    stateVersion: 1 as const,
    customFieldId: f.id,
    organizationId: f.organization_id,
    createdAt: f.created_at,
    modifiedAt: f.modified_at ?? null,
  });
}
