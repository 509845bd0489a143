/**
 * Fynn classic checkout links on the wire: the create and PUT bodies, the link read back into the
 * resource's state, and the slug lookup a create makes.
 */
import { deepEqual } from "../core/diff";
import type { ApiClient } from "../core/http";
import { jsonSafe } from "../core/json";
import { fynnList } from "../fynnFamily";
import type { CheckoutLinkInputs, CheckoutLinkState } from "./checkoutLinkTypes";
import { itemsFrom, wireItem } from "./items";
import { type FynnCheckoutLink, fynnCheckoutLinkSchema } from "./schemas";

/** The create body; the PUT body is the same without `slug` (see {@link fynnPutBody}). @internal */
export function fynnBody(args: CheckoutLinkInputs, slug: string | undefined) {
  return jsonSafe({
    slug,
    afterCheckout: args.afterCheckout,
    options: args.options,
    isEnabled: args.isEnabled,
    items: args.items.map(wireItem),
  });
}

export function outputsFrom(
  link: FynnCheckoutLink,
  prior: { account?: string | undefined; adopt?: boolean | undefined },
): CheckoutLinkState {
  return jsonSafe({
    items: itemsFrom(link),
    options: { ...link.options, trialDays: link.options.trialDays ?? null },
    afterCheckout: jsonSafe({
      action: link.afterCheckout.action,
      url: link.afterCheckout.url ?? null,
      confirmationMessage: link.afterCheckout.confirmationMessage ?? null,
      backToProviderUrl: link.afterCheckout.backToProviderUrl ?? null,
    }),
    isEnabled: link.isEnabled,
    slug: link.slug,
    account: prior.account,
    adopt: prior.adopt ?? false,
    linkId: link.id,
    url: link.url,
  });
}

/** The documented PUT body: every writable field but the slug, which the PUT does not take. */
export function fynnPutBody(args: CheckoutLinkInputs) {
  const { slug: _, ...body } = fynnBody(args, undefined);
  return body;
}

const LIST_LIMIT = 100;

/** Links with this slug (zero or one), or, without a slug, every link of the account. */
export async function listLinks(client: ApiClient, slug: string | undefined): Promise<FynnCheckoutLink[]> {
  const out: FynnCheckoutLink[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request("GET", "/checkout-links", {
      query: { slug, page, limit: LIST_LIMIT },
      parse: (json) => fynnList(fynnCheckoutLinkSchema).parse(json),
    });
    out.push(...(res.body.data as FynnCheckoutLink[]));
    if (page >= res.body.meta.pagination.lastPage || res.body.data.length === 0) return out;
  }
}

/** The link as declared: its create body equals the one the arguments make. */
export function asDeclared(link: FynnCheckoutLink, args: CheckoutLinkInputs): boolean {
  return deepEqual(fynnBody(outputsFrom(link, args), link.slug), fynnBody(args, args.slug));
}

export const linkPath = (id: string) => `/checkout-links/${encodeURIComponent(id)}`;
