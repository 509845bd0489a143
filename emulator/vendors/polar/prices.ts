/**
 * Polar prices: they have no routes of their own; a product's create or update makes them, and
 * responses show them by amount type.
 */
import type { PolarPriceCreateParsed } from "../../../provider/polar/schemas";
import { newId } from "../../util";
import { polarValidation, polarValueError } from "../polarFamily";
import type { PolarPriceRec } from "./state";

export function renderPrice(price: PolarPriceRec) {
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
    case "metered_unit":
      // inferred: meters are not modelled; any meter id is taken, and named after itself.
      return {
        ...common,
        unit_amount: unit_amount ?? "0",
        cap_amount: cap_amount ?? null,
        meter_id,
        meter: {
          id: meter_id,
          name: `Meter ${meter_id?.slice(0, 8)}`,
          unit: "scalar",
          custom_label: null,
          custom_multiplier: null,
        },
      };
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
 * At most one fixed plus one seat-based price, or a single custom price; metered prices come on top
 * (inferred: Polar's docs pair them with a fixed base fee).
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
