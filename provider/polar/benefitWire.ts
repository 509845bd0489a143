/**
 * A Polar benefit on the wire: the create body, the PATCH body of what changed, and the benefit
 * Polar returns read back into the provider's state. Properties are camelCase in arguments and
 * snake_case on the wire.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import type { PolarBenefit } from "./benefitSchemas";
import type { BenefitInputs, BenefitProperties, BenefitState, BenefitType } from "./benefitTypes";
import { NAME_TAG, stripTags, withTags } from "./common";

type Wire = Record<string, unknown>;

/** The type's properties as Polar takes them: every key of the type, null where unset. */
export function propertiesToWire(type: string, p: BenefitProperties): Wire {
  switch (type) {
    case "custom":
      return { note: p.note ?? null };
    case "license_keys":
      return {
        prefix: p.prefix ?? null,
        expires: p.expires ?? null,
        activations:
          p.activations === undefined
            ? null
            : { limit: p.activations.limit, enable_customer_admin: p.activations.enableCustomerAdmin },
        limit_usage: p.limitUsage ?? null,
      };
    case "downloadables":
      return { files: p.files ?? [], archived: p.archived ?? {} };
    case "meter_credit":
      return { units: p.units, rollover: p.rollover, meter_id: p.meterId };
    default:
      return {};
  }
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);
const obj = (v: unknown) => (v !== null && typeof v === "object" ? (v as Wire) : undefined);

/** Polar's properties in the provider's camelCase; a type the provider does not know keeps them as they are. */
export function propertiesFromWire(type: string, w: Wire): BenefitProperties {
  switch (type) {
    case "custom":
      return jsonSafe({ note: str(w.note) });
    case "license_keys": {
      const expires = obj(w.expires);
      const activations = obj(w.activations);
      return jsonSafe({
        prefix: str(w.prefix),
        expires: expires && { ttl: expires.ttl, timeframe: expires.timeframe },
        activations: activations && {
          limit: activations.limit,
          enableCustomerAdmin: activations.enable_customer_admin,
        },
        limitUsage: num(w.limit_usage),
      }) as BenefitProperties;
    }
    case "downloadables":
      return {
        files: Array.isArray(w.files) ? w.files.map(String) : [],
        archived: (obj(w.archived) ?? {}) as Record<string, boolean>,
      };
    case "meter_credit":
      return jsonSafe({ units: num(w.units), rollover: w.rollover === true, meterId: str(w.meter_id) });
    case "feature_flag":
      return {};
    default:
      return w as BenefitProperties;
  }
}

/** @internal */
export function benefitStateFromWire(b: PolarBenefit, mine: Partial<BenefitInputs>): BenefitState {
  const tag = b.metadata[NAME_TAG];
  return jsonSafe({
    type: b.type as BenefitType,
    description: b.description,
    visibility: (b.visibility ?? "public") as BenefitState["visibility"],
    properties: propertiesFromWire(b.type, b.properties),
    metadata: stripTags(b.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    adoptionKey: typeof tag === "string" ? tag : "",
    stateVersion: 1 as const,
    benefitId: b.id,
    organizationId: b.organization_id,
    createdAt: b.created_at,
    modifiedAt: b.modified_at ?? null,
  });
}

/** The `BenefitCreate` body, tagged with the adoption key and the create token. */
export function benefitCreateBody(a: BenefitInputs, createToken: string): Wire {
  return {
    type: a.type,
    description: a.description,
    visibility: a.visibility,
    properties: propertiesToWire(a.type, a.properties),
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  };
}

/**
 * The `BenefitUpdate` body of what differs (with the `type` Polar requires), or `{}` when nothing
 * does. Properties go whole: Polar replaces them.
 */
export function benefitPatch(olds: Partial<BenefitState>, a: BenefitInputs): Wire {
  const body: Wire = {};
  if (olds.description !== a.description) body.description = a.description;
  if (olds.visibility !== a.visibility) body.visibility = a.visibility;
  if (!deepEqual(olds.properties ?? {}, a.properties))
    body.properties = propertiesToWire(a.type, a.properties);
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    body.metadata = withTags(a.metadata, a.adoptionKey);
  }
  return Object.keys(body).length === 0 ? body : { type: a.type, ...body };
}
