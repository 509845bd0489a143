/**
 * What a Fynn organisation has, as `fynn.CheckoutLink` declarations: every classic checkout link
 * (all pages of `GET /checkout-links`) with its items, options and after-checkout behaviour. Items
 * sell classic products and plans by id (they are not resources of this package); a link is
 * adopted by its slug.
 */
import type { ApiClient } from "../core/http";
import { fynnList } from "../fynnFamily";
import {
  type ArgValue,
  type Declaration,
  declareOrSkip,
  type Inventory,
  type InventoryResult,
  unlessDefault,
} from "../inventory";
import { fynnCheckoutLinkArgsSchema } from "./checkoutLink";
import { type FynnCheckoutLink, fynnCheckoutLinkSchema } from "./schemas";

const PAGE_LIMIT = 100;

async function allLinks(client: ApiClient): Promise<FynnCheckoutLink[]> {
  const out: FynnCheckoutLink[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request("GET", "/checkout-links", {
      query: { page, limit: PAGE_LIMIT },
      parse: (json) => fynnList(fynnCheckoutLinkSchema).parse(json),
    });
    out.push(...(res.body.data as FynnCheckoutLink[]));
    if (res.body.data.length === 0 || page >= res.body.meta.pagination.lastPage) return out;
  }
}

function record(v: unknown): Record<string, ArgValue> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, ArgValue>) : {};
}

function itemArgs(item: FynnCheckoutLink["items"][number]): ArgValue {
  const args: Record<string, ArgValue> =
    item.type === "plan"
      ? { planId: item.plan?.id ?? null, pricePlanId: item.price?.id ?? null }
      : { productId: item.product?.id ?? null, pricePlanId: item.price?.id ?? null };
  if (item.type === "product") unlessDefault(args, "quantity", item.quantity ?? 1, 1);
  if (item.periods.length > 0) {
    args.periods = item.periods.map((p) => ({
      contractPeriod: record(p.contractPeriod),
      cancellationPeriod: record(p.cancellationPeriod),
    }));
  }
  return args;
}

export function linkDeclaration(link: FynnCheckoutLink): Declaration {
  const args: Record<string, ArgValue> = { slug: link.slug, items: link.items.map(itemArgs) };
  const options: Record<string, ArgValue> = {};
  unlessDefault(options, "trialDays", link.options.trialDays);
  unlessDefault(options, "allowCoupons", link.options.allowCoupons, false);
  unlessDefault(options, "quantityEditable", link.options.quantityEditable, false);
  unlessDefault(options, "forceCompany", link.options.forceCompany, false);
  if (Object.keys(options).length > 0) args.options = options;
  const after: Record<string, ArgValue> = { action: link.afterCheckout.action };
  unlessDefault(after, "url", link.afterCheckout.url);
  unlessDefault(after, "confirmationMessage", link.afterCheckout.confirmationMessage);
  unlessDefault(after, "backToProviderUrl", link.afterCheckout.backToProviderUrl);
  if (after.action !== "confirmation_message" || Object.keys(after).length > 1) args.afterCheckout = after;
  unlessDefault(args, "isEnabled", link.isEnabled, true);
  return {
    type: "fynn:CheckoutLink",
    id: link.id,
    name: link.slug,
    title: `link "${link.slug}"`,
    args,
    adoptArgs: { adopt: true },
    link: { slug: true },
    notes: [],
  };
}

export const inventory: Inventory = {
  async list(client: ApiClient): Promise<InventoryResult> {
    const result: InventoryResult = { declarations: [], skipped: [] };
    const links = (await allLinks(client)).sort((a, b) => a.slug.localeCompare(b.slug));
    for (const link of links) declareOrSkip(result, fynnCheckoutLinkArgsSchema, linkDeclaration(link));
    return result;
  },
};
