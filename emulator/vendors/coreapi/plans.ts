/**
 * coreapi plans (`/api/plans`): a code, a name, a status (draft, active, archived) and tiers of
 * Fynn products; a plan is sold through checkout links once active.
 */
import {
  coreapiPlan,
  coreapiPlanArchived,
  coreapiPlanList,
  coreapiPlanWrite,
} from "../../../provider/coreapi/schemas";
import type { App, Ctx, Reply, Route } from "../../app";
import { FYNN_SCOPES } from "../../seed";
import { fynnTimestamp, newId } from "../../util";
import { fynnState } from "../fynn/state";
import { conflict, fynnAuth, fynnBody, fynnViolationError, owned } from "../fynnFamily";
import { listPlans } from "./planList";
import { type CoreapiPlanRec, coreapiState } from "./state";
import { buildTiers } from "./tiers";

const READ = [FYNN_SCOPES.planRead, FYNN_SCOPES.planWrite];
const WRITE = [FYNN_SCOPES.planWrite];

function renderPlan(app: App, plan: CoreapiPlanRec) {
  const { products, pricePlans } = fynnState(app);
  const tiers = [...plan.tiers]
    .sort((a, b) => a.position - b.position)
    .map((tier) => ({
      ...tier,
      items: tier.items.map((item) => {
        const price = pricePlans[item.pricePlanId];
        const shown = {
          id: item.id,
          productId: item.productId,
          productName: products[item.productId]?.name ?? "",
          pricePlanId: item.pricePlanId,
          pricePlanName: price?.internalName ?? "",
          currency: price?.currencyCode ?? "",
          defaultQuantity: item.defaultQuantity,
          minQuantity: item.minQuantity,
          maxQuantity: item.maxQuantity,
          quantityEditable: item.quantityEditable,
        };
        // The documented item has no quantityEditable.
        if (app.options.docsOnly) delete (shown as Partial<typeof shown>).quantityEditable;
        return shown;
      }),
    }));
  const firstItem = tiers.flatMap((t) => t.items)[0];
  const rendered = {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    description: plan.description,
    status: plan.status,
    currency: firstItem ? firstItem.currency : null,
    tiers,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
  // The documented plan object has no description.
  if (app.options.docsOnly) delete (rendered as Partial<typeof rendered>).description;
  return rendered;
}

function planReply(app: App, status: number, plan: CoreapiPlanRec): Reply {
  return { status, body: renderPlan(app, plan), schema: coreapiPlan };
}

function codeTaken(app: App, orgId: string, code: string, exceptId?: string): boolean {
  return Object.values(coreapiState(app).plans).some(
    (p) => p.orgId === orgId && p.code === code && p.id !== exceptId,
  );
}

function codeConflict(app: App, code: string) {
  return conflict(app, "code", `The code "${code}" is already used by another plan.`);
}

function createPlan(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, WRITE);
  const body = fynnBody(app, ctx, coreapiPlanWrite);
  if (codeTaken(app, org.id, body.code)) throw codeConflict(app, body.code);
  const at = fynnTimestamp(app.now());
  const plan: CoreapiPlanRec = {
    id: newId(),
    orgId: org.id,
    code: body.code,
    name: body.name,
    description: body.description,
    status: "draft",
    tiers: buildTiers(app, org.id, body),
    createdAt: at,
    updatedAt: at,
  };
  coreapiState(app).plans[plan.id] = plan;
  // inferred: 201 for a create.
  return planReply(app, 201, plan);
}

function updatePlan(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, WRITE);
  const plan = owned(coreapiState(app).plans, ctx.params["id"], org.id);
  const body = fynnBody(app, ctx, coreapiPlanWrite);
  if (plan.status === "archived") {
    throw fynnViolationError(app.options.fynnValidationStatus, [
      { propertyPath: "", message: "An archived plan cannot be updated.", code: null },
    ]);
  }
  if (codeTaken(app, org.id, body.code, plan.id)) throw codeConflict(app, body.code);
  plan.tiers = buildTiers(app, org.id, body, plan);
  plan.code = body.code;
  plan.name = body.name;
  plan.description = body.description;
  plan.updatedAt = fynnTimestamp(app.now());
  return planReply(app, 200, plan);
}

/**
 * "Delete or archive a plan": deleted when nothing references it; archived (200 with the
 * references) when checkout links or purchases (carts, standing in for subscriptions) do.
 */
function deletePlan(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, WRITE);
  const { plans, links } = coreapiState(app);
  const plan = owned(plans, ctx.params["id"], org.id);
  const planLinks = Object.values(links).filter((l) => l.planId === plan.id);
  const live = planLinks.filter((l) => !l.deletedAt).length;
  const sold = Object.values(fynnState(app).carts).filter(
    (c) => c.source === "coreapi" && planLinks.some((l) => l.id === c.linkId),
  ).length;
  if (live > 0 || sold > 0 || plan.status === "archived") {
    if (plan.status !== "archived") {
      plan.status = "archived";
      plan.updatedAt = fynnTimestamp(app.now());
    }
    return {
      status: 200,
      body: { status: "archived", references: { checkoutLinks: live, subscriptions: sold, schedules: 0 } },
      schema: coreapiPlanArchived,
    };
  }
  delete plans[plan.id];
  for (const l of planLinks) delete links[l.id];
  // inferred: the hard delete's answer is undocumented.
  return { status: 204 };
}

function activatePlan(app: App, ctx: Ctx): Reply {
  const org = fynnAuth(app, ctx, WRITE);
  const plan = owned(coreapiState(app).plans, ctx.params["id"], org.id);
  if (plan.status === "archived") {
    throw fynnViolationError(app.options.fynnValidationStatus, [
      { propertyPath: "status", message: "An archived plan cannot be activated.", code: null },
    ]);
  }
  if (plan.status !== "active") {
    plan.status = "active";
    plan.updatedAt = fynnTimestamp(app.now());
  }
  return planReply(app, 200, plan);
}

export function planRoutes(app: App): Route[] {
  return [
    {
      method: "GET",
      pattern: "/api/plans",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, READ);
        const body = listPlans(app, ctx, org.id, (plan) => renderPlan(app, plan).currency);
        return { status: 200, body, schema: coreapiPlanList };
      },
    },
    { method: "POST", pattern: "/api/plans", handler: (ctx) => createPlan(app, ctx) },
    {
      method: "GET",
      pattern: "/api/plans/:id",
      handler: (ctx) =>
        planReply(app, 200, owned(coreapiState(app).plans, ctx.params["id"], fynnAuth(app, ctx, READ).id)),
    },
    { method: "PUT", pattern: "/api/plans/:id", handler: (ctx) => updatePlan(app, ctx) },
    { method: "DELETE", pattern: "/api/plans/:id", handler: (ctx) => deletePlan(app, ctx) },
    { method: "POST", pattern: "/api/plans/:id/activate", handler: (ctx) => activatePlan(app, ctx) },
  ];
}
