/**
 * A Polar discount on the wire: the create body, the PATCH body of what changed, and the discount
 * Polar returns read back into the provider's inputs and state.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import { NAME_TAG, stripTags, withTags } from "./common";
import type { PolarDiscount } from "./discountSchemas";
import type { DiscountInputs, DiscountState } from "./discountTypes";

/** Both spellings denote the same instant (Polar may write `Z` where the program wrote `+00:00`). */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return !Number.isNaN(x) && x === y;
}

/**
 * Keeps the program's spelling of a timestamp when Polar returns the same instant spelt otherwise
 * (inferred: the OpenAPI says `date-time` only, and Pydantic writes its own form, e.g. `Z`).
 */
function keepInstant(remote: string | null | undefined, mine: string | undefined): string | undefined {
  if (remote === null || remote === undefined) return undefined;
  return mine !== undefined && sameInstant(remote, mine) ? mine : remote;
}

/** The same ids in any order. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/** The create body: only keys the user set, plus the tags. @internal */
export function discountCreateBody(a: DiscountInputs, createToken: string): Record<string, unknown> {
  return jsonSafe({
    type: a.type,
    name: a.name,
    basis_points: a.type === "percentage" ? a.basisPoints : undefined,
    amounts: a.type === "fixed" ? a.amounts : undefined,
    duration: a.duration,
    // Polar's OpenAPI: required with `repeating`, must be omitted otherwise.
    duration_in_months: a.duration === "repeating" ? a.durationInMonths : undefined,
    code: a.code,
    starts_at: a.startsAt,
    ends_at: a.endsAt,
    max_redemptions: a.maxRedemptions,
    max_redemptions_per_customer: a.maxRedemptionsPerCustomer,
    products: a.products.length > 0 ? a.products : undefined,
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/**
 * The PATCH body (DiscountUpdate): only what differs between the applied state and the new inputs;
 * null clears. `type` and `duration` are never sent: Polar refuses to change them.
 * @internal
 */
export function discountPatchBody(olds: Partial<DiscountInputs>, a: DiscountInputs): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  if (olds.name !== a.name) b.name = a.name;
  if ((olds.code ?? null) !== (a.code ?? null)) b.code = a.code ?? null;
  if (!sameInstant(olds.startsAt, a.startsAt)) b.starts_at = a.startsAt ?? null;
  if (!sameInstant(olds.endsAt, a.endsAt)) b.ends_at = a.endsAt ?? null;
  if ((olds.maxRedemptions ?? null) !== (a.maxRedemptions ?? null))
    b.max_redemptions = a.maxRedemptions ?? null;
  if ((olds.maxRedemptionsPerCustomer ?? null) !== (a.maxRedemptionsPerCustomer ?? null)) {
    b.max_redemptions_per_customer = a.maxRedemptionsPerCustomer ?? null;
  }
  if (a.duration === "repeating" && (olds.durationInMonths ?? null) !== (a.durationInMonths ?? null)) {
    b.duration_in_months = a.durationInMonths;
  }
  // Reached only when a take-over finds other amounts: Polar refuses them once the discount is redeemed.
  if (a.type === "percentage" && (olds.basisPoints ?? null) !== (a.basisPoints ?? null)) {
    b.basis_points = a.basisPoints;
  }
  if (a.type === "fixed" && !deepEqual(olds.amounts ?? {}, a.amounts ?? {})) b.amounts = a.amounts;
  // An empty list lifts the restriction (Polar reads `null` as "leave as is"). A new order alone is
  // sent too, so that the state takes the program's order and the diff settles.
  if (!deepEqual(olds.products ?? [], a.products)) b.products = a.products;
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    // Polar replaces metadata as a whole, so the tag goes along every time.
    b.metadata = withTags(a.metadata, a.adoptionKey);
  }
  return b;
}

/** Fixed amounts per currency as Polar has them (older answers carry only `amount` and `currency`). */
function amountsOf(d: PolarDiscount): Record<string, number> | undefined {
  if (d.type !== "fixed") return undefined;
  if (d.amounts) return { ...d.amounts };
  return d.amount === null || d.amount === undefined ? {} : { [d.currency ?? "usd"]: d.amount };
}

/** The inputs the discount has on Polar, in the provider's argument shape. @internal */
export function discountInputsFromWire(d: PolarDiscount, mine: Partial<DiscountInputs>): DiscountInputs {
  const tag = d.metadata[NAME_TAG];
  const products = d.products.map((p) => p.id);
  return jsonSafe({
    name: d.name,
    type: d.type,
    basisPoints: d.type === "percentage" ? (d.basis_points ?? undefined) : undefined,
    amounts: amountsOf(d),
    duration: d.duration,
    durationInMonths: d.duration === "repeating" ? (d.duration_in_months ?? undefined) : undefined,
    code: d.code ?? undefined,
    startsAt: keepInstant(d.starts_at, mine.startsAt),
    endsAt: keepInstant(d.ends_at, mine.endsAt),
    maxRedemptions: d.max_redemptions ?? undefined,
    maxRedemptionsPerCustomer: d.max_redemptions_per_customer ?? undefined,
    // Polar lists a restriction in its own order (inferred: the OpenAPI gives none): the program's
    // order stands when the set is the same.
    products: mine.products !== undefined && sameSet(products, mine.products) ? mine.products : products,
    metadata: stripTags(d.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    // A tag removed out of band shows as a change of adoptionKey, which the next update writes back.
    adoptionKey: typeof tag === "string" ? tag : "",
  }) as DiscountInputs;
}

/** @internal */
export function discountStateFromWire(d: PolarDiscount, mine: Partial<DiscountInputs>): DiscountState {
  return jsonSafe({
    ...discountInputsFromWire(d, mine),
    stateVersion: 1 as const,
    discountId: d.id,
    redemptionsCount: d.redemptions_count,
    organizationId: d.organization_id,
    createdAt: d.created_at,
    modifiedAt: d.modified_at ?? null,
  });
}
