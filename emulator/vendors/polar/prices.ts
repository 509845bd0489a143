/**
 * Polar prices: they have no routes of their own; a product's create or update makes them, and
 * responses show them by amount type.
 */
import type { PolarPriceCreateParsed, PolarValidationIssue } from "../../../provider/polar/schemas";
import { newId } from "../../util";
import { polarValidation, polarValueError } from "../polarFamily";
import type { PolarMeterRec, PolarPriceRec } from "./state";

/**
 * Polar stores a unit amount as Numeric(17, 12) and answers it with all twelve decimals
 * (inferred from the column type): `"0.5"` reads back as `"0.500000000000"`.
 */
function numeric12(value: string): string {
  const [int = "0", frac = ""] = value.replace(/^\+/, "").split(".");
  return `${int.replace(/^0+(?=\d)/, "") || "0"}.${frac.padEnd(12, "0").slice(0, 12)}`;
}

/** A price as Polar answers it; a metered one embeds its meter (`ProductPriceMeter`) from `meters`. */
export function renderPrice(price: PolarPriceRec, meters: Record<string, PolarMeterRec> = {}) {
  const {
    price_amount,
    minimum_amount,
    maximum_amount,
    preset_amount,
    seat_tiers,
    unit_amount,
    cap_amount,
    meter_id,
    ...common
  } = price;
  switch (price.amount_type) {
    case "metered_unit": {
      const meter = meter_id === undefined ? undefined : meters[meter_id];
      return {
        ...common,
        unit_amount: numeric12(unit_amount ?? "0"),
        cap_amount: cap_amount ?? null,
        meter_id,
        // A price stored before meters were kept names a meter the state does not hold.
        meter: {
          id: meter_id,
          name: meter?.name ?? `Meter ${meter_id?.slice(0, 8)}`,
          unit: meter?.unit ?? "scalar",
          custom_label: meter?.custom_label ?? null,
          custom_multiplier: meter?.custom_multiplier ?? null,
        },
      };
    }
    case "fixed":
      return { ...common, price_amount: price_amount ?? 0 };
    case "custom":
      return {
        ...common,
        minimum_amount: minimum_amount ?? 50,
        maximum_amount: maximum_amount ?? null,
        preset_amount: preset_amount ?? null,
      };
    default: {
      // `minimum_seats` and `maximum_seats` are read-only, derived from the first and last tier.
      const tiers = seat_tiers?.tiers ?? [];
      return {
        ...common,
        seat_tiers: {
          seat_tier_type: seat_tiers?.seat_tier_type ?? "volume",
          tiers,
          minimum_seats: tiers[0]?.min_seats ?? 1,
          maximum_seats: tiers.at(-1)?.max_seats ?? null,
        },
      };
    }
  }
}

export function newPrice(productId: string, at: string, input: PolarPriceCreateParsed): PolarPriceRec {
  const base = {
    id: newId(),
    created_at: at,
    modified_at: null,
    source: "catalog" as const,
    price_currency: input.price_currency,
    tax_behavior: input.tax_behavior ?? null,
    is_archived: false,
    product_id: productId,
  };
  if (input.amount_type === "fixed")
    return { ...base, amount_type: "fixed", price_amount: input.price_amount };
  if (input.amount_type === "custom") {
    return {
      ...base,
      amount_type: "custom",
      minimum_amount: input.minimum_amount,
      maximum_amount: input.maximum_amount ?? null,
      preset_amount: input.preset_amount ?? null,
    };
  }
  if (input.amount_type === "metered_unit") {
    return {
      ...base,
      amount_type: "metered_unit",
      unit_amount: String(input.unit_amount),
      cap_amount: input.cap_amount ?? null,
      meter_id: input.meter_id,
    };
  }
  const tiers = input.seat_tiers.tiers.map((t) => ({ ...t, max_seats: t.max_seats ?? null }));
  return {
    ...base,
    amount_type: "seat_based",
    seat_tiers: { seat_tier_type: input.seat_tiers.seat_tier_type, tiers },
  };
}

/**
 * Polar's checks of new metered prices (`ProductService.get_validated_prices`): only on a recurring
 * product, on a meter of the organisation ("Meter does not exist."), each meter once per currency.
 * An archived meter is refused too (inferred: Polar's service does not check it, but an archived
 * meter is "no longer used for billing", so a price on it could never charge).
 */
export function checkMeteredPrices(
  prices: readonly { index: number; price: PolarPriceCreateParsed | PolarPriceRec; isNew: boolean }[],
  recurring: boolean,
  meters: Record<string, PolarMeterRec>,
  orgId: string,
): void {
  const issues: PolarValidationIssue[] = [];
  const seen = new Set<string>();
  for (const { index, price, isNew } of prices) {
    if (price.amount_type !== "metered_unit" || price.meter_id === undefined) continue;
    if (isNew && !recurring) {
      issues.push(
        polarValueError(
          ["body", "prices", index],
          "Metered pricing is not supported on one-time products.",
          price,
        ),
      );
      continue;
    }
    const meter = meters[price.meter_id];
    if (isNew && (meter === undefined || meter.organization_id !== orgId)) {
      issues.push(
        polarValueError(["body", "prices", index, "meter_id"], "Meter does not exist.", price.meter_id),
      );
      continue;
    }
    if (isNew && meter?.archived_at) {
      issues.push(
        polarValueError(["body", "prices", index, "meter_id"], "Meter is archived.", price.meter_id),
      );
      continue;
    }
    const key = `${price.price_currency}:${price.meter_id}`;
    if (seen.has(key)) {
      issues.push(
        polarValueError(
          ["body", "prices", index, "meter_id"],
          "Meter is already used for another price.",
          price.meter_id,
        ),
      );
    }
    seen.add(key);
  }
  if (issues.length) throw polarValidation(issues, "PolarRequestValidationError");
}

/**
 * At most one fixed plus one seat-based price, or a single custom price; metered prices come on top
 * (Polar's `get_validated_prices`: "plus any number of metered prices").
 */
export function checkPriceMix(all: string[]): void {
  const types = all.filter((t) => t !== "metered_unit");
  const count = (t: string) => types.filter((x) => x === t).length;
  const ok = count("custom") > 0 ? types.length === 1 : count("fixed") <= 1 && count("seat_based") <= 1;
  if (!ok) {
    throw polarValidation(
      [
        polarValueError(
          ["body", "prices"],
          "Prices may combine at most one fixed price with one seat-based price, or be a single custom price.",
          types,
        ),
      ],
      "PolarRequestValidationError",
    );
  }
}
