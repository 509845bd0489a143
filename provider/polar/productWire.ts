/**
 * A Polar product on the wire: the create body, the PATCH body of what changed (prices kept by id
 * where they stay as they are), and the product Polar returns read back into the provider's state.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import { NAME_TAG, stripTags, withTags } from "./common";
import { orderedPrices, pricesPatch, priceToWire } from "./prices";
import type { AttachedCustomField, ProductInputs, ProductState } from "./productTypes";
import type { PolarProduct as WireProduct } from "./schemas";

/** The ids of the product's benefits, in Polar's order; an entry without a string id is skipped. @internal */
export function benefitIds(product: Pick<WireProduct, "benefits">): string[] {
  return product.benefits.flatMap((b) => (typeof b.id === "string" ? [b.id] : []));
}

/** The product's attached custom fields, in Polar's order. @internal */
export function attachedFromWire(
  product: Pick<WireProduct, "attached_custom_fields">,
): AttachedCustomField[] {
  return product.attached_custom_fields.map((a) => ({
    customFieldId: a.custom_field_id,
    required: a.required,
  }));
}

function attachedToWire(fields: readonly AttachedCustomField[]): Record<string, unknown>[] {
  return fields.map((f) => ({ custom_field_id: f.customFieldId, required: f.required }));
}

/**
 * Whether an optional list the program manages differs from what the state holds: never when the
 * program leaves it out (not managed), always when the state has none recorded.
 * @internal
 */
export function listDiffers<T>(olds: readonly T[] | undefined, news: readonly T[] | undefined): boolean {
  return news !== undefined && (olds === undefined || !deepEqual(olds, news));
}

/**
 * The product read back into state. Benefits and attached custom fields are read only where `mine`
 * manages them (a list, not undefined), so that a program leaving them out sees no drift.
 * @internal
 */
export function stateFromWire(
  product: WireProduct,
  mine: Partial<ProductInputs>,
  preferredIds: (string | undefined)[],
): ProductState {
  const { prices, ids } = orderedPrices(product, preferredIds);
  const tag = product.metadata[NAME_TAG];
  return jsonSafe({
    name: product.name,
    description: product.description ?? undefined,
    visibility: product.visibility,
    recurringInterval: product.recurring_interval ?? undefined,
    recurringIntervalCount:
      product.recurring_interval === null ? undefined : (product.recurring_interval_count ?? 1),
    trialInterval: product.trial_interval ?? undefined,
    trialIntervalCount: product.trial_interval === null ? undefined : (product.trial_interval_count ?? 1),
    prices,
    benefits: mine.benefits === undefined ? undefined : benefitIds(product),
    attachedCustomFields: mine.attachedCustomFields === undefined ? undefined : attachedFromWire(product),
    metadata: stripTags(product.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    adoptionKey: typeof tag === "string" ? tag : "",
    stateVersion: 1 as const,
    productId: product.id,
    priceIds: ids,
    isArchived: product.is_archived,
    organizationId: product.organization_id,
    createdAt: product.created_at,
    modifiedAt: product.modified_at ?? null,
  });
}

export function productCreateBody(a: ProductInputs, createToken: string): Record<string, unknown> {
  return jsonSafe({
    name: a.name,
    description: a.description,
    visibility: a.visibility,
    recurring_interval: a.recurringInterval,
    recurring_interval_count: a.recurringInterval === undefined ? undefined : (a.recurringIntervalCount ?? 1),
    trial_interval: a.trialInterval,
    trial_interval_count: a.trialInterval === undefined ? undefined : (a.trialIntervalCount ?? 1),
    prices: a.prices.map(priceToWire),
    attached_custom_fields:
      a.attachedCustomFields === undefined ? undefined : attachedToWire(a.attachedCustomFields),
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/**
 * The PATCH body (only changed keys) and, for each new price, the id of the existing price it keeps
 * (undefined for a price sent as a new object).
 */
export function productPatch(
  olds: Partial<ProductState>,
  a: ProductInputs,
): { body: Record<string, unknown>; keptIds: (string | undefined)[] } {
  const body: Record<string, unknown> = {};
  if (olds.name !== a.name) body.name = a.name;
  if ((olds.description ?? null) !== (a.description ?? null)) body.description = a.description ?? null;
  if (olds.visibility !== a.visibility) body.visibility = a.visibility;
  if (
    (olds.trialInterval ?? null) !== (a.trialInterval ?? null) ||
    (olds.trialIntervalCount ?? null) !== (a.trialIntervalCount ?? null)
  ) {
    // Polar wants both keys together: set both, or clear both with null.
    body.trial_interval = a.trialInterval ?? null;
    body.trial_interval_count = a.trialInterval === undefined ? null : (a.trialIntervalCount ?? 1);
  }
  if (listDiffers(olds.attachedCustomFields, a.attachedCustomFields)) {
    body.attached_custom_fields = attachedToWire(a.attachedCustomFields ?? []);
  }
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    body.metadata = withTags(a.metadata, a.adoptionKey);
  }
  const { prices, keptIds } = pricesPatch(olds.prices ?? [], olds.priceIds ?? [], a.prices);
  if (prices !== undefined) body.prices = prices;
  return { body, keptIds };
}
