/**
 * The tiers of a coreapi.io plan and their items: how the whole-plan PUT keeps them (their
 * arguments are declared in planTypes.ts). The PUT keeps rows whose ids it is given and removes the
 * others, and links sell a tier by its id, so each declared tier gets the id of the live tier with
 * the same name, else of the one at the same position; items keep their ids by product and price
 * plan.
 */
import { jsonSafe } from "../core/json";
import type { PlanInputs, PlanTierInputs } from "./planTypes";
import type { CoreapiPlan } from "./schemas";

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
