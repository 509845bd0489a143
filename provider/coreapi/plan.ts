/**
 * `coreapi.Plan`: a plan of the Fynn V2 Plans API (coreapi.io) with its ordered tiers and their
 * items (classic products sold at one of their price plans).
 *
 * Lifecycle, as the API documents it: `POST /api/plans` creates a draft, `POST /api/plans/{id}/activate`
 * activates it (when `activate` is true), `PUT /api/plans/{id}` replaces the plan as a whole, and
 * `DELETE /api/plans/{id}` deletes it, or archives it when it is still referenced (subscriptions,
 * schedules), answering 200 `{status: "archived"}`. An archived plan keeps its code and cannot be
 * updated, so before the DELETE the provider renames the plan's code to `<code>-archived-<id>`
 * (one PUT): the declared code is free again and the same program can be deployed again after a
 * destroy.
 *
 * Reading one plan uses `GET /api/plans/{id}` (inferred: the docs show none; the documented list
 * has no tiers). A 404 there is taken as gone only in Fynn's not-found form and when the documented
 * list (filtered by code) confirms that no plan has this id; a route that does not exist fails as
 * UNEXPECTED_404 naming it.
 *
 * The whole-plan PUT keeps rows whose ids it is given and removes the others. Links sell a tier by
 * its id, so an update first reads the plan and gives each declared tier the id of the live tier
 * with the same name, else of the one at the same position; items keep their ids by product and
 * price plan. Renaming a tier therefore keeps it (and the links selling it) as long as it stays at
 * its position.
 *
 * `adopt: true` takes over the unarchived plan with the same code (a plan made in the dashboard, or
 * by another stack) instead of failing on the taken code; it is changed only where it differs from
 * the declared arguments. Without it, create still takes over the plan with the code when it is
 * exactly as declared and older than the run: what an interrupted `pulumi up` of this resource made.
 *
 * Length: past 350 lines because of the argument documentation (TSDoc) and the whole-plan PUT's
 * matching of live tier and item ids, which belongs to this API alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BACKENDS } from "../backends";
import { accountName } from "../core/accounts";
import { type DiffTable, deepEqual } from "../core/diff";
import type { ApiClient } from "../core/http";
import { jsonSafe } from "../core/json";
import { once } from "../core/memo";
import {
  PartialCreateError,
  providerClassOf,
  type ResourceSpec,
  type SpecProvider,
  SpecResource,
} from "../core/spec";
import { isUniqueConflict } from "../fynnFamily";
import {
  type CoreapiPlan,
  coreapiPlan,
  coreapiPlanItemWrite,
  coreapiPlanList,
  coreapiPlanWrite,
  coreapiTierWrite,
} from "./schemas";

/** One item of a tier: a Fynn product sold at one of its price plans. */
export interface PlanItemArgs {
  /** Fynn product UUID. */
  productId: string;
  /** UUID of one of the product's price plans. */
  pricePlanId: string;
  /** @default 1 */
  defaultQuantity?: number;
  /** @default null (no minimum) */
  minQuantity?: number | null;
  /** @default null (no maximum) */
  maxQuantity?: number | null;
  /** @default false */
  quantityEditable?: boolean;
}

/** One tier of a plan; tiers are ordered and their names are unique in the plan. */
export interface PlanTierArgs {
  /** Tier name, unique in the plan; `Plan.tierIds` is keyed by it. */
  name: string;
  /** @default true */
  upgradeable?: boolean;
  /** @default true */
  downgradeable?: boolean;
  /** ISO-8601 duration such as `P1Y`. @default null (no commitment) */
  commitmentPeriod?: string | null;
  /**
   * When a switch into this tier takes effect, e.g. `immediately` or `end_of_period`.
   * @default the vendor's default (not managed)
   */
  changeTiming?: string;
  /**
   * How a switch into this tier credits the old tier, e.g. `pro_rata` or `none`.
   * @default the vendor's default (not managed)
   */
  creditType?: string;
  /** @default [] */
  items?: PlanItemArgs[];
}

/** Arguments of {@link Plan}. */
export interface PlanArgs {
  /** Organisation-unique code in lower kebab case, 1..64 characters, e.g. `pro-plan`. */
  code: pulumi.Input<string>;
  /** Display name, 1..255 characters. */
  name: pulumi.Input<string>;
  /** @default null */
  description?: pulumi.Input<string | null>;
  /** At least one tier, in order. */
  tiers: pulumi.Input<pulumi.Input<PlanTierArgs>[]>;
  /**
   * Activate the plan (only active plans can be sold). `false` leaves a new plan as a draft; it
   * does not return an active plan to draft, which the API cannot do.
   * @default true
   */
  activate?: pulumi.Input<boolean>;
  /**
   * Named account from stack config (`checkout-links:coreapi.<account>.token`). Changing it replaces the plan.
   * @default "default"
   */
  account?: pulumi.Input<string>;
  /**
   * Take over the unarchived plan with the same `code` instead of failing because the code is taken
   * (`pulumi import` does not work for dynamic resources); it is changed only where it differs from
   * these arguments. Only affects create.
   * @default false
   */
  adopt?: pulumi.Input<boolean>;
}

export interface PlanItemInputs {
  productId: string;
  pricePlanId: string;
  defaultQuantity: number;
  minQuantity: number | null;
  maxQuantity: number | null;
  quantityEditable: boolean;
}

export interface PlanTierInputs {
  name: string;
  upgradeable: boolean;
  downgradeable: boolean;
  commitmentPeriod: string | null;
  changeTiming?: string;
  creditType?: string;
  items: PlanItemInputs[];
}

/** Inputs after `check` (defaults filled). */
export interface PlanInputs {
  code: string;
  name: string;
  description: string | null;
  tiers: PlanTierInputs[];
  activate: boolean;
  account?: string;
  adopt?: boolean;
}

export interface PlanOutputs extends PlanInputs {
  planId: string;
  status: "draft" | "active" | "archived";
  currency: string | null;
  /** Tier id by tier name. */
  tierIds: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** How each input changes the plan; the README shows this table. */
export const planDiffTable: DiffTable<Exclude<keyof PlanInputs, "adopt">> = {
  code: {
    change: "update",
    why: "part of the whole-plan PUT; links are addressed by slug, not by plan code",
  },
  name: { change: "update", why: "part of the whole-plan PUT" },
  description: { change: "update", why: "part of the whole-plan PUT" },
  tiers: {
    change: "update",
    why: "whole-plan PUT; tiers keep their ids (and their links) by name, else by position",
  },
  activate: { change: "update", why: "true activates a draft plan in place; an active plan stays active" },
  account: { change: "replace", why: "another account is another organisation: the plan is made there anew" },
};

/** The resource's arguments: the documented plan body without row ids, plus activation and account. @internal */
export function coreapiPlanArgs() {
  return once("provider/coreapi/plan.ts:coreapiPlanArgs", () => {
    const item = coreapiPlanItemWrite().omit({ id: true });
    const tier = coreapiTierWrite()
      .omit({ id: true, position: true })
      .extend({ items: z.array(item).default([]) });
    return coreapiPlanWrite()
      .extend({
        tiers: z.array(tier).min(1, { message: "At least one tier is required." }),
        activate: z.boolean().default(true),
        account: accountName().optional(),
        // Optional rather than defaulted, and out of the diff table: state written before adoption
        // existed must not show a change.
        adopt: z.boolean().optional(),
      })
      .superRefine((plan, ctx) => {
        const seen = new Map<string, number>();
        plan.tiers.forEach((t, i) => {
          const first = seen.get(t.name);
          if (first !== undefined) {
            ctx.addIssue({
              code: "custom",
              path: ["tiers", i, "name"],
              message: `tier names must be unique in a plan ("${t.name}" is also tier ${first})`,
            });
          } else seen.set(t.name, i);
        });
      });
  });
}

/**
 * The tiers as arguments. `prior` (the declared tiers) fills what the vendor does not report
 * (`quantityEditable` is not in the documented item) and leaves out what the program does not
 * manage (`changeTiming`, `creditType` when not declared), so neither shows as drift.
 */
function tiersFrom(plan: CoreapiPlan, prior?: readonly PlanTierInputs[]): PlanTierInputs[] {
  return [...plan.tiers]
    .sort((a, b) => a.position - b.position)
    .map((t, position) => {
      const declared = prior?.find((p) => p.name === t.name) ?? prior?.[position];
      return jsonSafe<PlanTierInputs>({
        name: t.name,
        upgradeable: t.upgradeable,
        downgradeable: t.downgradeable,
        commitmentPeriod: t.commitmentPeriod ?? null,
        changeTiming: declared?.changeTiming === undefined ? undefined : (t.changeTiming ?? undefined),
        creditType: declared?.creditType === undefined ? undefined : (t.creditType ?? undefined),
        items: t.items.map((i, n) => {
          const same =
            declared?.items.find((d) => d.productId === i.productId && d.pricePlanId === i.pricePlanId) ??
            declared?.items[n];
          return {
            productId: i.productId,
            pricePlanId: i.pricePlanId,
            defaultQuantity: i.defaultQuantity,
            minQuantity: i.minQuantity ?? null,
            maxQuantity: i.maxQuantity ?? null,
            quantityEditable: i.quantityEditable ?? same?.quantityEditable ?? false,
          };
        }),
      });
    });
}

function outputsFrom(
  plan: CoreapiPlan,
  prior: {
    activate?: boolean | undefined;
    account?: string | undefined;
    adopt?: boolean | undefined;
    description?: string | null | undefined;
    tiers?: readonly PlanTierInputs[] | undefined;
  },
): PlanOutputs {
  const tierIds: Record<string, string> = {};
  for (const t of plan.tiers) tierIds[t.name] = t.id;
  return jsonSafe<PlanOutputs>({
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

/** The whole-plan body; with `current`, rows get the ids of the live rows they continue. @internal */
export function planBody(args: PlanInputs, current?: CoreapiPlan) {
  const live = current ? [...current.tiers].sort((a, b) => a.position - b.position) : [];
  const taken = new Set<string>();
  const byName = args.tiers.map((t) => live.find((l) => l.name === t.name));
  for (const l of byName) if (l) taken.add(l.id);
  return {
    code: args.code,
    name: args.name,
    description: args.description,
    tiers: args.tiers.map((t, position) => {
      let match = byName[position];
      if (match === undefined) {
        const atPosition = live[position];
        if (atPosition !== undefined && !taken.has(atPosition.id)) {
          match = atPosition;
          taken.add(atPosition.id);
        }
      }
      const usedItems = new Set<string>();
      return jsonSafe({
        id: match?.id,
        position,
        name: t.name,
        upgradeable: t.upgradeable,
        downgradeable: t.downgradeable,
        commitmentPeriod: t.commitmentPeriod,
        changeTiming: t.changeTiming,
        creditType: t.creditType,
        items: t.items.map((item) => {
          const same = match?.items.find(
            (i) =>
              !usedItems.has(i.id) && i.productId === item.productId && i.pricePlanId === item.pricePlanId,
          );
          if (same) usedItems.add(same.id);
          return jsonSafe({ id: same?.id, ...item });
        }),
      });
    }),
  };
}

function planPath(id?: string, action?: "activate"): string {
  let p = "/api/plans";
  if (id !== undefined) p += `/${encodeURIComponent(id)}`;
  if (action !== undefined) p += `/${action}`;
  return p;
}

/**
 * One plan with its tiers, through `GET /api/plans/{id}` (inferred route: the docs show none, and
 * their list has no tiers). Undefined only when Fynn answers its not-found form AND the documented
 * list does not show the plan either; a 404 of any other form fails as UNEXPECTED_404 (http.ts).
 */
async function getPlan(client: ApiClient, id: string, code?: string): Promise<CoreapiPlan | undefined> {
  const res = await client.request("GET", planPath(id), {
    expect: [404],
    parse: (json) => coreapiPlan().parse(json),
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
    parse: (json) => coreapiPlanList().parse(json),
  });
  return res.body.data.filter((p) => p.code === code && (status === undefined || p.status !== "archived"));
}

/**
 * The live (draft or active) plan with this code, if any: the natural key of a plan. The list's
 * summaries need not carry `status` (the documented example shows none), so the documented `status`
 * filter asks for each live status.
 */
async function findByCode(client: ApiClient, code: string): Promise<CoreapiPlan | undefined> {
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

async function activate(client: ApiClient, id: string): Promise<CoreapiPlan> {
  // Activating twice does no harm, so a lost answer may be retried.
  const res = await client.request("POST", planPath(id, "activate"), {
    idempotent: true,
    parse: (json) => coreapiPlan().parse(json),
  });
  return res.body;
}

/** The plan as the arguments describe it: what a PUT would change. */
function samePlan(plan: CoreapiPlan, args: PlanInputs): boolean {
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

/**
 * `adopt: true` found a plan with the code: takes it over, with a PUT only when it differs from the
 * arguments and an activation only when it is a draft that should be active.
 */
async function adoptPlan(
  client: ApiClient,
  existing: CoreapiPlan,
  args: PlanInputs,
): Promise<{ id: string; state: PlanOutputs }> {
  let plan = existing;
  try {
    if (!samePlan(plan, args)) {
      plan = (
        await client.request("PUT", planPath(plan.id), {
          body: planBody(args, plan),
          parse: (json) => coreapiPlan().parse(json),
        })
      ).body;
    }
    if (args.activate && plan.status === "draft") plan = await activate(client, plan.id);
  } catch (e) {
    // Adopted but not yet in the declared state: keep it in state; the next `up` puts it right.
    throw new PartialCreateError(existing.id, outputsFrom(existing, args), e);
  }
  return { id: plan.id, state: outputsFrom(plan, args) };
}

/** coreapi.Plan as a resource spec: a draft made, activated, replaced as a whole, archived on delete. */
export const planSpec: ResourceSpec<PlanInputs, PlanOutputs> = {
  backend: "coreapi",
  type: "Plan",
  args: coreapiPlanArgs,
  diffTable: planDiffTable,
  outputKeys: ["planId", "status", "currency", "tierIds", "createdAt", "updatedAt"],
  extraInputKeys: ["adopt"],
  comparable: (olds, news) => {
    const n = { ...news };
    // `activate: false` means "do not activate"; an active plan is not a change to undo.
    if (n.activate === false && olds.status === "active") n.activate = olds.activate;
    return n;
  },

  async create(ctx, args) {
    const client = ctx.client(args.account);
    if (args.adopt) {
      const existing = await findByCode(client, args.code);
      if (existing !== undefined) return adoptPlan(client, existing, args);
    } else {
      // What an interrupted run of this resource made (the vendor has no place to mark who made a
      // plan): the unarchived plan with this code, exactly as declared, made before this run and owned
      // by no resource of it. A plan with the code that differs is left alone: the POST below is then
      // refused, and the error says how to adopt it.
      const existing = await findByCode(client, args.code);
      if (existing !== undefined && samePlan(existing, args) && ctx.claim(existing.id, existing.createdAt))
        return adoptPlan(client, existing, args);
    }
    const body = planBody(args);
    let plan: CoreapiPlan;
    try {
      plan = await ctx.createOnce(
        args.account,
        async () =>
          (await client.request("POST", planPath(), { body, parse: (json) => coreapiPlan().parse(json) }))
            .body,
        () => findByCode(client, args.code),
      );
    } catch (e) {
      if (isUniqueConflict(e, "code")) {
        // Plans are never deleted, only archived, and an archived plan keeps its code.
        throw new Error(
          `coreapi: the plan code "${args.code}" is already used by another plan of this organisation ` +
            "(archived plans keep their code). Set `adopt: true` on this resource to take it over (it is " +
            "then changed to what you declare), or choose another code. A plan that an interrupted run of " +
            "this resource made, still as declared, is taken over without it.",
          { cause: e },
        );
      }
      throw e;
    }
    if (args.activate && plan.status === "draft") {
      try {
        plan = await activate(client, plan.id);
      } catch (e) {
        // The plan exists as a draft: keep it in state; the next `up` activates it.
        throw new PartialCreateError(plan.id, outputsFrom(plan, args), e);
      }
    }
    return { id: plan.id, state: outputsFrom(plan, args) };
  },

  /** The unarchived plan with this code. */
  async findCreated(ctx, args, known) {
    const plan = await findByCode(ctx.client(args.account), args.code);
    return plan !== undefined && !known.includes(plan.id) ? plan.id : undefined;
  },

  async read(ctx, id, props) {
    const plan = await getPlan(ctx.client(props.account), id, props.code);
    // Gone, or archived (what a delete of a referenced plan does): drop it from state.
    if (plan === undefined || plan.status === "archived") return undefined;
    return outputsFrom(plan, props);
  },

  async update(ctx, id, olds, args) {
    const client = ctx.client(args.account);
    const current = await getPlan(client, id, olds.code);
    if (current === undefined) {
      throw new Error(
        `coreapi: plan ${id} no longer exists; run \`pulumi refresh\` and then \`pulumi up\` to recreate it`,
      );
    }
    let plan = (
      await client.request("PUT", planPath(id), {
        body: planBody(args, current),
        parse: (json) => coreapiPlan().parse(json),
      })
    ).body;
    if (args.activate && plan.status === "draft") plan = await activate(client, id);
    return outputsFrom(plan, args);
  },

  async remove(ctx, id, props) {
    const client = ctx.client(props.account);
    const plan = await getPlan(client, id, props.code);
    // Gone (confirmed by the list), or already archived: the state delete wants.
    if (plan === undefined || plan.status === "archived") return;
    // A plan still referenced is archived, not deleted, and keeps its code for good; free the code
    // first so the same program can be deployed again (README "How changes behave").
    const code = retiredCode(plan.code, plan.id);
    if (plan.code !== code) {
      await client.request("PUT", planPath(id), {
        body: { ...planBody({ ...props, tiers: tiersFrom(plan, props.tiers) }, plan), code },
        parse: (json) => coreapiPlan().parse(json),
      });
    }
    // 200 {status: "archived"} when still referenced (documented), else a hard delete (204 inferred).
    await client.request("DELETE", planPath(id), { idempotent: true });
  },
};

export const PlanProvider = providerClassOf(planSpec, BACKENDS);
export type PlanProvider = SpecProvider<PlanInputs, PlanOutputs>;

/**
 * A coreapi.io plan with its tiers. Type token `pulumi-nodejs:dynamic/coreapi:Plan`.
 *
 * ```ts
 * const plan = new coreapi.Plan("pro", {
 *   code: "pro-plan", name: "Pro Plan",
 *   tiers: [{ name: "Pro", items: [{ productId, pricePlanId }] }],
 * });
 * const link = new coreapi.CheckoutLink("pro", { planId: plan.planId, planTierId: plan.tierId("Pro"), slug: "pro" });
 * ```
 */
export class Plan extends SpecResource {
  declare readonly code: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | null>;
  declare readonly tiers: pulumi.Output<PlanTierInputs[]>;
  declare readonly activate: pulumi.Output<boolean>;
  /** The plan's id (also the resource id). */
  declare readonly planId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<"draft" | "active" | "archived">;
  declare readonly currency: pulumi.Output<string | null>;
  /** Tier id by tier name, for `CheckoutLink.planTierId`. */
  declare readonly tierIds: pulumi.Output<Record<string, string>>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;

  /** The resource's logical name, for the errors of {@link Plan.tierId}. */
  private readonly resourceName: string;

  constructor(name: string, args: PlanArgs, opts?: pulumi.CustomResourceOptions) {
    super(planSpec, name, args, opts);
    this.resourceName = name;
  }

  /**
   * The id of the tier named `tierName`, for `CheckoutLink.planTierId`. A name the plan does not
   * declare fails the preview (the declared tiers are known then), naming the plan, the tier asked
   * for and the tiers there are; `tierIds[name]` would pass `undefined` on and fail with no names.
   */
  tierId(tierName: string): pulumi.Output<string> {
    const plan = this.resourceName;
    const declared = this.tiers.apply((tiers) => {
      tierMissing(
        plan,
        tierName,
        (tiers ?? []).map((t) => t.name),
      );
      return tierName;
    });
    return pulumi.all([declared, this.tierIds]).apply(([name, ids]) => {
      const id = ids?.[name];
      if (id === undefined) tierMissing(plan, name, Object.keys(ids ?? {}));
      return id as string;
    });
  }
}

/** Throws the error of {@link Plan.tierId} when `tierName` is not among `names`. */
export function tierMissing(plan: string, tierName: string, names: string[]): void {
  if (names.includes(tierName)) return;
  const have =
    names.length === 0
      ? "it has no tiers"
      : `its tiers are ${names.map((n) => JSON.stringify(n)).join(", ")}`;
  throw new Error(`coreapi.Plan "${plan}" has no tier named ${JSON.stringify(tierName)}: ${have}`);
}
