/**
 * The plan routes of coreapi.io as the plan resource uses them: one plan by id (the inferred single
 * GET, its 404 confirmed by the documented list), the live plan by its code (the natural key), and
 * activation; and a plan read back into the resource's state.
 */
import { deepEqual } from "../core/diff";
import type { ApiClient } from "../core/http";
import { jsonSafe } from "../core/json";
import type { PlanInputs, PlanState, PlanTierInputs } from "./planTypes";
import { type CoreapiPlan, coreapiPlanListSchema, coreapiPlanSchema } from "./schemas";
import { tiersFrom } from "./tiers";

/** @internal */
export function planPath(id?: string, action?: "activate"): string {
  let p = "/api/plans";
  if (id !== undefined) p += `/${encodeURIComponent(id)}`;
  if (action !== undefined) p += `/${action}`;
  return p;
}

/**
 * One plan with its tiers, through `GET /api/plans/{id}` (inferred route: the docs show none, and
 * their list has no tiers). Undefined only when Fynn answers its not-found form AND the documented
 * list does not show the plan either; a 404 of any other form fails as UNEXPECTED_404 (http.ts).
 * @internal
 */
export async function getPlan(
  client: ApiClient,
  id: string,
  code?: string,
): Promise<CoreapiPlan | undefined> {
  const res = await client.request("GET", planPath(id), {
    expect: [404],
    parse: (json) => coreapiPlanSchema.parse(json),
  });
  if (res.status !== 404) return res.body;
  const listed = code === undefined ? [] : await listByCode(client, code);
  if (listed.some((p) => p.id === id)) {
    throw new Error(
      `coreapi: GET ${planPath(id)} answered 404 but the documented plan list still shows plan ${id}; ` +
        'the vendor\'s API may differ from what this package expects (README "Inferred API behaviour")',
    );
  }
  return undefined;
}

/** Summaries of the plans whose code is exactly `code` (the list's `code` filter is a substring). */
async function listByCode(client: ApiClient, code: string, status?: "draft" | "active") {
  const res = await client.request("GET", planPath(), {
    query: { code, status, page: 1, limit: 100 },
    parse: (json) => coreapiPlanListSchema.parse(json),
  });
  return res.body.data.filter((p) => p.code === code && (status === undefined || p.status !== "archived"));
}

/**
 * The live (draft or active) plan with this code, if any: the natural key of a plan. The list's
 * summaries need not carry `status` (the documented example shows none), so the documented `status`
 * filter asks for each live status.
 * @internal
 */
export async function findByCode(client: ApiClient, code: string): Promise<CoreapiPlan | undefined> {
  for (const status of ["active", "draft"] as const) {
    const hit = (await listByCode(client, code, status))[0];
    if (hit !== undefined) return getPlan(client, hit.id, code);
  }
  return undefined;
}

/** The code a plan is given before its DELETE, so that an archived plan does not hold the declared code. */
export function retiredCode(code: string, id: string): string {
  const suffix = `-archived-${id
    .replace(/[^a-z0-9]/gi, "")
    .slice(0, 8)
    .toLowerCase()}`;
  return `${code.slice(0, 64 - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/** @internal */
export async function activate(client: ApiClient, id: string): Promise<CoreapiPlan> {
  // Activating twice does no harm, so a lost answer may be retried.
  const res = await client.request("POST", planPath(id, "activate"), {
    idempotent: true,
    parse: (json) => coreapiPlanSchema.parse(json),
  });
  return res.body;
}

/** The plan as the resource's state; `prior` fills what the vendor does not report. @internal */
export function outputsFrom(
  plan: CoreapiPlan,
  prior: {
    activate?: boolean | undefined;
    account?: string | undefined;
    adopt?: boolean | undefined;
    description?: string | null | undefined;
    tiers?: readonly PlanTierInputs[] | undefined;
  },
): PlanState {
  const tierIds: Record<string, string> = {};
  for (const t of plan.tiers) tierIds[t.name] = t.id;
  return jsonSafe<PlanState>({
    code: plan.code,
    name: plan.name,
    // Not in the documented plan object: a vendor that does not report it keeps the declared one.
    description: plan.description === undefined ? (prior.description ?? null) : plan.description,
    tiers: tiersFrom(plan, prior.tiers),
    // A draft plan was not (or not yet) activated; an active one keeps what was declared.
    activate: plan.status === "draft" ? false : (prior.activate ?? true),
    account: prior.account,
    adopt: prior.adopt,
    planId: plan.id,
    status: plan.status,
    currency: plan.currency,
    tierIds,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  });
}

/** The plan as the arguments describe it: what a PUT would change. @internal */
export function samePlan(plan: CoreapiPlan, args: PlanInputs): boolean {
  return deepEqual(
    {
      code: plan.code,
      name: plan.name,
      description: plan.description === undefined ? args.description : plan.description,
      tiers: tiersFrom(plan, args.tiers),
    },
    { code: args.code, name: args.name, description: args.description, tiers: args.tiers },
  );
}
