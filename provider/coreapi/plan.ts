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
 * The whole-plan PUT keeps rows whose ids it is given and removes the others, so an update first
 * reads the plan and gives each declared tier and item the id of the live row it continues
 * (tiers.ts). Renaming a tier therefore keeps it (and the links selling it) as long as it stays at
 * its position.
 *
 * `adopt: true` takes over the unarchived plan with the same code (a plan made in the dashboard, or
 * by another stack) instead of failing on the taken code; it is changed only where it differs from
 * the declared arguments. Without it, create still takes over the plan with the code when it is
 * exactly as declared and older than the run: what an interrupted `pulumi up` of this resource made.
 */

import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BACKENDS } from "../backends";
import { type AccountArgument, type AdoptArgument, accountField } from "../core/args";
import type { DiffTable } from "../core/diff";
import { CheckoutLinksError } from "../core/failure";
import { providerClassOf, type ResourceSpec, type SpecProvider, SpecResource } from "../core/spec";
import { isUniqueConflict } from "../fynnFamily";
import { activate, findByCode, getPlan, outputsFrom, planPath, retiredCode, samePlan } from "./plans";
import type { PlanInputs, PlanState, PlanTierArgs, PlanTierInputs } from "./planTypes";
import {
  type CoreapiPlan,
  coreapiPlanItemWriteSchema,
  coreapiPlanSchema,
  coreapiPlanWriteSchema,
  coreapiTierWriteSchema,
} from "./schemas";
import { planBody, tiersFrom } from "./tiers";

export { retiredCode } from "./plans";
export type {
  PlanInputs,
  PlanItemArgs,
  PlanItemInputs,
  PlanOutputs,
  PlanState,
  PlanTierArgs,
  PlanTierInputs,
} from "./planTypes";
/** @internal */
export { planBody } from "./tiers";

/** Arguments of {@link Plan}. */
export interface PlanArgs extends AccountArgument, AdoptArgument {
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
}

/** How each input changes the plan; the README shows this table. */
export const coreapiPlanDiffTable: DiffTable<Exclude<keyof PlanInputs, "adopt">> = {
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

/** Tier names are unique in a plan: `Plan.tierIds` is keyed by them. */
function uniqueTierNames(plan: { tiers: readonly { name: string }[] }, ctx: z.RefinementCtx) {
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
}

const tierArgSchema = coreapiTierWriteSchema
  .omit({ id: true, position: true })
  .extend({ items: z.array(coreapiPlanItemWriteSchema.omit({ id: true })).default([]) });

/** The resource's arguments: the documented plan body without row ids, plus activation and account. @internal */
export const coreapiPlanArgsSchema = coreapiPlanWriteSchema
  .extend({
    tiers: z.array(tierArgSchema).min(1, { message: "At least one tier is required." }),
    activate: z.boolean().default(true),
    ...accountField,
    // Optional rather than defaulted, and out of the diff table: state written before adoption
    // existed must not show a change.
    adopt: z.boolean().optional(),
  })
  .superRefine(uniqueTierNames);

/** coreapi.Plan as a resource spec: a draft made, activated, replaced as a whole, archived on delete. @internal */
export const coreapiPlanSpec: ResourceSpec<PlanInputs, PlanState, CoreapiPlan | undefined, CoreapiPlan> = {
  backend: "coreapi",
  type: "Plan",
  args: coreapiPlanArgsSchema,
  diffTable: coreapiPlanDiffTable,
  outputKeys: ["planId", "status", "currency", "tierIds", "createdAt", "updatedAt"],
  extraInputKeys: ["adopt"],
  comparable: (olds, news) => {
    const n = { ...news };
    // `activate: false` means "do not activate"; an active plan is not a change to undo.
    if (n.activate === false && olds.status === "active") n.activate = olds.activate;
    return n;
  },

  /** The unarchived plan with the code: what `adopt` takes over, or an interrupted run made. */
  prepare: (ctx, args) => findByCode(ctx.client(args.account), args.code),
  stateOf: (plan, args) => ({ id: plan.id, state: outputsFrom(plan, args) }),
  adoption: {
    find: async (_ctx, _args, existing) => existing,
    // The vendor has no place to mark who made a plan: the plan with the code, exactly as declared,
    // made before this run and owned by no resource of it. A plan with the code that differs is left
    // alone: the POST is then refused, and the error says how to adopt it.
    earlier: async (ctx, args, _meta, existing) =>
      existing !== undefined && samePlan(existing, args) && ctx.claim(existing.id, existing.createdAt)
        ? existing
        : undefined,
    /** A PUT only when the plan differs from the arguments, an activation only when it should be active. */
    async takeOver(ctx, existing, args) {
      const client = ctx.client(args.account);
      let plan = existing;
      if (!samePlan(plan, args)) {
        plan = (
          await client.request("PUT", planPath(plan.id), {
            body: planBody(args, plan),
            parse: (json) => coreapiPlanSchema.parse(json),
          })
        ).body;
      }
      if (args.activate && plan.status === "draft") plan = await activate(client, plan.id);
      return outputsFrom(plan, args);
    },
  },
  async send(ctx, args) {
    const res = await ctx.client(args.account).request("POST", planPath(), {
      body: planBody(args),
      parse: (json) => coreapiPlanSchema.parse(json),
    });
    return res.body;
  },
  madeBy: (ctx, args) => findByCode(ctx.client(args.account), args.code),
  refused: (e, args) =>
    isUniqueConflict(e, "code")
      ? // Plans are never deleted, only archived, and an archived plan keeps its code.
        new CheckoutLinksError(
          "CODE_TAKEN",
          `coreapi: the plan code "${args.code}" is already used by another plan of this organisation ` +
            "(archived plans keep their code). Set `adopt: true` on this resource to take it over (it is " +
            "then changed to what you declare), or choose another code. A plan that an interrupted run of " +
            "this resource made, still as declared, is taken over without it.",
          { cause: e },
        )
      : undefined,
  /** A plan made as a draft is activated; when that fails it stays in state, and the next `up` activates it. */
  async finish(ctx, plan, args) {
    const made =
      args.activate && plan.status === "draft" ? await activate(ctx.client(args.account), plan.id) : plan;
    return { id: made.id, state: outputsFrom(made, args) };
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
        parse: (json) => coreapiPlanSchema.parse(json),
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
        parse: (json) => coreapiPlanSchema.parse(json),
      });
    }
    // 200 {status: "archived"} when still referenced (documented), else a hard delete (204 inferred).
    await client.request("DELETE", planPath(id), { idempotent: true });
  },
};

/** @deprecated use {@link coreapiPlanSpec} @internal */
export const planSpec = coreapiPlanSpec;
/** @deprecated use {@link coreapiPlanDiffTable} */
export const planDiffTable = coreapiPlanDiffTable;
/** @deprecated use {@link coreapiPlanArgsSchema} @internal */
export const coreapiPlanArgs = () => coreapiPlanArgsSchema;

export const PlanProvider = providerClassOf(planSpec, BACKENDS);
export type PlanProvider = SpecProvider<PlanInputs, PlanState>;

/** The provider of {@link Plan}: one instance per process serves every plan. */
export const CoreapiPlanProvider = PlanProvider;
/** An instance of {@link CoreapiPlanProvider}. */
export type CoreapiPlanProvider = PlanProvider;

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
    super(coreapiPlanSpec, name, args, opts);
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
