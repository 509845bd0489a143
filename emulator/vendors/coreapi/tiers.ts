/**
 * A coreapi plan's tiers as a plan write sets them: each tier's items point at the organisation's
 * Fynn products and price plans; ids given in the body must be the plan's own, so they are kept.
 */
import type { CoreapiPlanWriteParsed } from "../../../provider/coreapi/schemas";
import type { App } from "../../app";
import { newId } from "../../util";
import { fynnState } from "../fynn/state";
import { fynnViolationError, SYMFONY_CODES, type Violation } from "../fynnFamily";
import { type CoreapiItemRec, type CoreapiPlanRec, type CoreapiTierRec, coreapiState } from "./state";

type TierWrite = CoreapiPlanWriteParsed["tiers"][number];

/** The stored items of one tier (at `t`), checking every catalog reference and kept id. */
function buildItems(
  app: App,
  orgId: string,
  tier: TierWrite,
  t: number,
  old: CoreapiTierRec | undefined,
  violations: Violation[],
): CoreapiItemRec[] {
  const { products, pricePlans } = fynnState(app);
  return tier.items.map((item, i) => {
    const path = `tiers[${t}].items[${i}]`;
    const product = products[item.productId];
    const price = pricePlans[item.pricePlanId];
    if (!product || product.orgId !== orgId) {
      violations.push({ propertyPath: `${path}.productId`, message: "Product not found.", code: null });
    }
    if (!price || price.orgId !== orgId) {
      violations.push({
        propertyPath: `${path}.pricePlanId`,
        message: "Price plan not found.",
        code: null,
      });
    } else if (product && price.productId !== product.id) {
      violations.push({
        propertyPath: `${path}.pricePlanId`,
        message: "The price plan does not belong to the product.",
        code: SYMFONY_CODES.choice,
      });
    }
    const keep = item.id ? old?.items.find((x) => x.id === item.id) : undefined;
    if (item.id && !keep) {
      violations.push({
        propertyPath: `${path}.id`,
        message: "This item does not belong to the tier.",
        code: null,
      });
    }
    return {
      id: keep?.id ?? newId(),
      productId: item.productId,
      pricePlanId: item.pricePlanId,
      defaultQuantity: item.defaultQuantity,
      minQuantity: item.minQuantity,
      maxQuantity: item.maxQuantity,
      quantityEditable: item.quantityEditable,
    };
  });
}

/** inferred: a tier that live links sell cannot be removed (the links would sell nothing). */
function checkRemovedTiers(
  app: App,
  existing: CoreapiPlanRec,
  tiers: CoreapiTierRec[],
  violations: Violation[],
): void {
  for (const removed of existing.tiers.filter((old) => !tiers.some((t) => t.id === old.id))) {
    const sold = Object.values(coreapiState(app).links).filter(
      (l) => l.planTierId === removed.id && !l.deletedAt,
    );
    if (sold.length) {
      violations.push({
        propertyPath: "tiers",
        message: `Tier "${removed.name}" is sold by checkout link(s) ${sold.map((l) => l.slug).join(", ")}; delete them first.`,
        code: null,
      });
    }
  }
}

/** Builds the stored tiers of a plan write, validating catalog references and kept ids. */
export function buildTiers(
  app: App,
  orgId: string,
  body: CoreapiPlanWriteParsed,
  existing?: CoreapiPlanRec,
): CoreapiTierRec[] {
  const violations: Violation[] = [];
  const tiers = body.tiers.map((tier, t): CoreapiTierRec => {
    const old = tier.id ? existing?.tiers.find((x) => x.id === tier.id) : undefined;
    if (tier.id && !old) {
      violations.push({
        propertyPath: `tiers[${t}].id`,
        message: "This tier does not belong to the plan.",
        code: null,
      });
    }
    const items = buildItems(app, orgId, tier, t, old, violations);
    return {
      id: old?.id ?? newId(),
      position: tier.position ?? t,
      name: tier.name,
      upgradeable: tier.upgradeable,
      downgradeable: tier.downgradeable,
      commitmentPeriod: tier.commitmentPeriod,
      // inferred defaults: the docs show these values only as examples.
      changeTiming: tier.changeTiming ?? old?.changeTiming ?? "immediately",
      creditType: tier.creditType ?? old?.creditType ?? "pro_rata",
      items,
    };
  });
  if (existing) checkRemovedTiers(app, existing, tiers, violations);
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  return tiers;
}
