/**
 * A Polar checkout link on the wire: the create body, the PATCH body of what changed, and the link
 * Polar returns read back into the provider's inputs and state.
 */
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import type { CheckoutLinkInputs, CheckoutLinkState } from "./checkoutLinkTypes";
import { keepUrl, NAME_TAG, sameUrl, stripTags, withTags } from "./common";
import type { PolarCheckoutLink, PolarCheckoutLinkCreate, PolarCheckoutLinkUpdate } from "./schemas";

/** The create body: only keys the user set, plus the required `payment_processor` and the tags. @internal */
export function createBody(a: CheckoutLinkInputs, createToken: string): PolarCheckoutLinkCreate {
  return jsonSafe<PolarCheckoutLinkCreate>({
    payment_processor: "stripe",
    products: a.products,
    label: a.label,
    allow_discount_codes: a.allowDiscountCodes,
    require_billing_address: a.requireBillingAddress,
    discount_id: a.discountId,
    success_url: a.successUrl,
    return_url: a.returnUrl,
    trial_interval: a.trialInterval,
    trial_interval_count: a.trialIntervalCount,
    seats: a.seats,
    metadata: withTags(a.metadata, a.adoptionKey, createToken),
  });
}

/** The PATCH body: only what differs between the applied state and the new inputs; null clears. @internal */
export function patchBody(olds: Partial<CheckoutLinkInputs>, a: CheckoutLinkInputs): PolarCheckoutLinkUpdate {
  const b: PolarCheckoutLinkUpdate = {};
  if (!deepEqual(olds.products, a.products)) b.products = a.products;
  if ((olds.label ?? null) !== (a.label ?? null)) b.label = a.label ?? null;
  if (olds.allowDiscountCodes !== a.allowDiscountCodes) b.allow_discount_codes = a.allowDiscountCodes;
  if (olds.requireBillingAddress !== a.requireBillingAddress)
    b.require_billing_address = a.requireBillingAddress;
  if ((olds.discountId ?? null) !== (a.discountId ?? null)) b.discount_id = a.discountId ?? null;
  if (!sameUrl(olds.successUrl, a.successUrl)) b.success_url = a.successUrl ?? null;
  if (!sameUrl(olds.returnUrl, a.returnUrl)) b.return_url = a.returnUrl ?? null;
  if (
    (olds.trialInterval ?? null) !== (a.trialInterval ?? null) ||
    (olds.trialIntervalCount ?? null) !== (a.trialIntervalCount ?? null)
  ) {
    // Polar wants both or neither.
    b.trial_interval = a.trialInterval ?? null;
    b.trial_interval_count = a.trialIntervalCount ?? null;
  }
  if ((olds.seats ?? null) !== (a.seats ?? null)) b.seats = a.seats ?? null;
  if (!deepEqual(olds.metadata ?? {}, a.metadata) || olds.adoptionKey !== a.adoptionKey) {
    // Polar replaces metadata as a whole, so the tag goes along every time.
    b.metadata = withTags(a.metadata, a.adoptionKey);
  }
  return b;
}

/** Inputs the link has on Polar, in the provider's argument shape. @internal */
export function inputsFromWire(
  link: PolarCheckoutLink,
  mine: Partial<CheckoutLinkInputs>,
): CheckoutLinkInputs {
  const tag = link.metadata[NAME_TAG];
  return jsonSafe({
    products: link.products.map((p) => p.id),
    label: link.label ?? undefined,
    allowDiscountCodes: link.allow_discount_codes,
    requireBillingAddress: link.require_billing_address,
    discountId: link.discount_id ?? undefined,
    successUrl: keepUrl(link.success_url, mine.successUrl),
    returnUrl: keepUrl(link.return_url, mine.returnUrl),
    trialInterval: link.trial_interval ?? undefined,
    trialIntervalCount: link.trial_interval_count ?? undefined,
    seats: link.seats ?? undefined,
    metadata: stripTags(link.metadata),
    account: mine.account,
    adopt: mine.adopt,
    adoptId: mine.adoptId,
    // A tag removed out of band shows as a change of adoptionKey, which the next update writes back.
    adoptionKey: typeof tag === "string" ? tag : "",
  }) as CheckoutLinkInputs;
}

/** @internal */
export function stateFromWire(link: PolarCheckoutLink, mine: Partial<CheckoutLinkInputs>): CheckoutLinkState {
  return jsonSafe({
    ...inputsFromWire(link, mine),
    stateVersion: 1 as const,
    linkId: link.id,
    url: link.url,
    clientSecret: link.client_secret,
    organizationId: link.organization_id,
    createdAt: link.created_at,
    modifiedAt: link.modified_at ?? null,
  });
}
