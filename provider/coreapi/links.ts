/**
 * coreapi.io checkout links on the wire: their routes (the plan's documented link list, the
 * inferred single-link routes), the link read back into the resource's state, and the lookups a
 * create makes.
 */
import type { ApiClient } from "../core/http";
import { jsonSafe } from "../core/json";
import type { CheckoutLinkInputs, CheckoutLinkState } from "./checkoutLinkTypes";
import { type CoreapiCheckoutLink, coreapiCheckoutLinkListSchema } from "./schemas";

export function linkPath(planId: string, linkId?: string): string {
  const base = `/api/plans/${encodeURIComponent(planId)}/checkout-links`;
  return linkId === undefined ? base : `${base}/${encodeURIComponent(linkId)}`;
}

export async function listLinks(client: ApiClient, planId: string): Promise<CoreapiCheckoutLink[]> {
  const res = await client.request("GET", linkPath(planId), {
    parse: (json) => coreapiCheckoutLinkListSchema.parse(json),
  });
  return res.body;
}

/**
 * Keeps the user's spelling of the sales channel (a UUID or a technical name) when it denotes the
 * channel the link has, so that a refresh shows no drift; otherwise the channel's technical name.
 */
function channelSpelling(remote: CoreapiCheckoutLink["salesChannel"], mine: string | undefined): string {
  if (mine !== undefined && (mine === remote.id || mine === remote.name)) return mine;
  return remote.name;
}

export function outputsFrom(
  link: CoreapiCheckoutLink,
  planId: string,
  prior: { salesChannel?: string | undefined; account?: string | undefined; adopt?: boolean | undefined },
): CheckoutLinkState {
  return jsonSafe<CheckoutLinkState>({
    planId,
    planTierId: link.planTierId,
    slug: link.slug,
    couponsAllowed: link.couponsAllowed,
    isEnabled: link.isEnabled,
    salesChannel: channelSpelling(link.salesChannel, prior.salesChannel),
    account: prior.account,
    adopt: prior.adopt ?? false,
    linkId: link.id,
    url: link.url,
    planTierName: link.planTierName,
    salesChannelId: link.salesChannel.id,
    salesChannelName: link.salesChannel.name,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
  });
}

/** The link has what the arguments declare (slug and sales channel only where declared). */
export function asDeclared(link: CoreapiCheckoutLink, args: CheckoutLinkInputs): boolean {
  return (
    (args.slug === undefined || link.slug === args.slug) &&
    link.couponsAllowed === args.couponsAllowed &&
    link.isEnabled === args.isEnabled &&
    (args.salesChannel === undefined ||
      args.salesChannel === link.salesChannel.id ||
      args.salesChannel === link.salesChannel.name)
  );
}

/** A link this create made: not in `known`, same tier, the requested slug if any, newest first. */
export async function madeBy(
  client: ApiClient,
  args: CheckoutLinkInputs,
  known: readonly string[],
): Promise<CoreapiCheckoutLink | undefined> {
  return (await listLinks(client, args.planId))
    .filter((l) => !known.includes(l.id) && l.planTierId === args.planTierId)
    .filter((l) => args.slug === undefined || l.slug === args.slug)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** The writable fields as the create and the adopting PUT send them. */
export function linkBody(args: CheckoutLinkInputs) {
  return jsonSafe({
    planTierId: args.planTierId,
    slug: args.slug,
    couponsAllowed: args.couponsAllowed,
    isEnabled: args.isEnabled,
    salesChannel: args.salesChannel,
  });
}
