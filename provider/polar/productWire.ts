/**
 * A Polar product on the wire: the create body, the PATCH body of what changed (prices kept by id
 * where they stay as they are), and the product Polar returns read back into the provider's state.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import { NAME_TAG, stripTags, withTags } from "./common";
import { orderedPrices, pricesPatch, priceToWire } from "./prices";
import type { ProductInputs, ProductState } from "./productTypes";
import type { PolarProduct as WireProduct } from "./schemas";

/** @internal */
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
    prices,
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
    prices: a.prices.map(priceToWire),
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
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    body.metadata = withTags(a.metadata, a.adoptionKey);
  }
  const { prices, keptIds } = pricesPatch(olds.prices ?? [], olds.priceIds ?? [], a.prices);
  if (prices !== undefined) body.prices = prices;
  return { body, keptIds };
}
