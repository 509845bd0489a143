/**
 * What a coreapi.io organisation has, as `coreapi.Plan` and `coreapi.CheckoutLink` declarations:
 * every plan that is not archived (all pages of `GET /api/plans`), each with its tiers, and the
 * links selling them. A link points at its plan and tier by reference; a plan is adopted by its
 * code, a link by its slug.
 */
import { z } from "zod";
import type { ApiClient } from "../core/http";
import {
  type ArgValue,
  type Declaration,
  declareOrSkip,
  type Inventory,
  type InventoryResult,
  ref,
  unlessDefault,
} from "../inventory";
import { coreapiCheckoutLinkArgsSchema } from "./checkoutLink";
import { coreapiPlanArgsSchema } from "./plan";
import {
  type CoreapiCheckoutLink,
  type CoreapiPlan,
  type CoreapiPlanSummary,
  type CoreapiTier,
  coreapiCheckoutLinkSchema,
  coreapiPlanListSchema,
  coreapiPlanSchema,
} from "./schemas";

const PAGE_LIMIT = 100;

/** The sales channel a link gets when none is given (vendor-apis.md §2: the technical name `default`). */
const DEFAULT_CHANNEL = "default";

async function planSummaries(client: ApiClient): Promise<CoreapiPlanSummary[]> {
  const out: CoreapiPlanSummary[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request("GET", "/api/plans", {
      query: { page, limit: PAGE_LIMIT, sort: "code" },
      parse: (json) => coreapiPlanListSchema.parse(json),
    });
    out.push(...res.body.data);
    if (res.body.data.length === 0 || page >= (res.body.pagination.totalPages ?? 1)) return out;
  }
}

function tierArgs(t: CoreapiTier): ArgValue {
  const args: Record<string, ArgValue> = { name: t.name };
  unlessDefault(args, "upgradeable", t.upgradeable, true);
  unlessDefault(args, "downgradeable", t.downgradeable, true);
  unlessDefault(args, "commitmentPeriod", t.commitmentPeriod);
  if (t.items.length > 0) {
    args.items = t.items.map((i) => {
      const item: Record<string, ArgValue> = { productId: i.productId, pricePlanId: i.pricePlanId };
      unlessDefault(item, "defaultQuantity", i.defaultQuantity, 1);
      unlessDefault(item, "minQuantity", i.minQuantity);
      unlessDefault(item, "maxQuantity", i.maxQuantity);
      unlessDefault(item, "quantityEditable", i.quantityEditable, false);
      return item;
    });
  }
  return args;
}

export function planDeclaration(plan: CoreapiPlan): Declaration {
  const args: Record<string, ArgValue> = { code: plan.code, name: plan.name };
  unlessDefault(args, "description", plan.description);
  args.tiers = [...plan.tiers].sort((a, b) => a.position - b.position).map(tierArgs);
  // A draft stays a draft: `activate` defaults to true.
  if (plan.status === "draft") args.activate = false;
  return {
    type: "coreapi:Plan",
    id: plan.id,
    name: plan.code,
    title: `plan "${plan.code}"`,
    args,
    adoptArgs: { adopt: true },
    notes: [],
  };
}

export function linkDeclaration(link: CoreapiCheckoutLink, plan: CoreapiPlan): Declaration {
  const tier = plan.tiers.find((t) => t.id === link.planTierId);
  const args: Record<string, ArgValue> = {
    planId: ref("coreapi:Plan", plan.id, "planId"),
    planTierId:
      tier === undefined
        ? link.planTierId
        : ref("coreapi:Plan", plan.id, "tierIds", { key: tier.name, fallback: tier.id }),
    slug: link.slug,
  };
  unlessDefault(args, "couponsAllowed", link.couponsAllowed, false);
  unlessDefault(args, "isEnabled", link.isEnabled, true);
  unlessDefault(args, "salesChannel", link.salesChannel.name, DEFAULT_CHANNEL);
  return {
    type: "coreapi:CheckoutLink",
    id: link.id,
    name: link.slug,
    title: `link "${link.slug}" of plan "${plan.code}"`,
    args,
    adoptArgs: { adopt: true },
    link: { slug: true },
    notes: [],
  };
}

export const inventory: Inventory = {
  async list(client: ApiClient): Promise<InventoryResult> {
    const result: InventoryResult = { declarations: [], skipped: [] };
    for (const summary of await planSummaries(client)) {
      // Archived plans sell nothing and cannot be changed: they are not part of the catalog.
      if (summary.status === "archived") continue;
      const plan = (
        await client.request("GET", `/api/plans/${encodeURIComponent(summary.id)}`, {
          parse: (json) => coreapiPlanSchema.parse(json),
        })
      ).body;
      // The summary's status is inferred; the plan's own is documented.
      if (plan.status === "archived") continue;
      declareOrSkip(result, coreapiPlanArgsSchema, planDeclaration(plan));
      const links = (
        await client.request("GET", `/api/plans/${encodeURIComponent(plan.id)}/checkout-links`, {
          parse: (json) => z.array(coreapiCheckoutLinkSchema).parse(json),
        })
      ).body;
      for (const link of [...links].sort((a, b) => a.slug.localeCompare(b.slug))) {
        declareOrSkip(result, coreapiCheckoutLinkArgsSchema, linkDeclaration(link, plan));
      }
    }
    return result;
  },
};
