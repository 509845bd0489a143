/**
 * The tiers of a coreapi.io plan and their items: their arguments, and how the whole-plan PUT keeps
 * them. The PUT keeps rows whose ids it is given and removes the others, and links sell a tier by
 * its id, so each declared tier gets the id of the live tier with the same name, else of the one at
 * the same position; items keep their ids by product and price plan.
 */
import { jsonSafe } from "../core/json";
import type { PlanInputs } from "./plan";
import type { CoreapiPlan } from "./schemas";

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

/** An item after `check` (defaults filled); test/unit/public-types.test.ts keeps it equal to the schema. */
export type PlanItemInputs = Required<PlanItemArgs>;

/** A tier after `check` (defaults filled): what the vendor leaves to its defaults stays optional. */
export interface PlanTierInputs
  extends Required<Omit<PlanTierArgs, "changeTiming" | "creditType" | "items">>,
    Pick<PlanTierArgs, "changeTiming" | "creditType"> {
  items: PlanItemInputs[];
}

/**
 * The tiers as arguments. `prior` (the declared tiers) fills what the vendor does not report
 * (`quantityEditable` is not in the documented item) and leaves out what the program does not
 * manage (`changeTiming`, `creditType` when not declared), so neither shows as drift.
 * @internal
 */
export function tiersFrom(plan: CoreapiPlan, prior?: readonly PlanTierInputs[]): PlanTierInputs[] {
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
