/**
 * Polar prices: the argument shapes a user writes, their normalised form (what Polar stores), and the
 * mapping to and from Polar's wire prices. Amounts are in cents.
 */
import { z } from "zod";
import { jsonSafe } from "../core/json";
import { once } from "../core/memo";
import type { PolarProduct } from "./schemas";

/** A price as Polar returns it inside a product. @internal */
export type WirePrice = PolarProduct["prices"][number];

/** One tier of a seat-based price; amounts in cents. */
export interface SeatTier {
  /** Lowest seat count of the tier (inclusive). */
  minSeats: number;
  /** Highest seat count (inclusive). @default unlimited */
  maxSeats?: number;
  /** Price per seat in cents. */
  pricePerSeat: number;
}

/**
 * A price of a product. Amounts are in cents of `currency` (lower-case ISO code, @default "usd").
 * `free` is stored by Polar as a fixed price of 0 and shows as such in outputs.
 */
export type PriceArgs =
  | { type: "fixed"; amount: number; currency?: string }
  | { type: "free"; currency?: string }
  | {
      type: "custom";
      minimumAmount?: number;
      maximumAmount?: number;
      presetAmount?: number;
      currency?: string;
    }
  | { type: "seat_based"; tiers: SeatTier[]; currency?: string };

/** A price after `check()`: defaults filled in, `free` written as fixed 0. */
export type Price =
  | { type: "fixed"; amount: number; currency: string }
  | { type: "custom"; minimumAmount: number; maximumAmount?: number; presetAmount?: number; currency: string }
  | { type: "seat_based"; tiers: SeatTier[]; currency: string };

function currency() {
  return z
    .string()
    .regex(/^[a-z]{3}$/, { message: "currency must be a lower-case ISO 4217 code such as usd or eur" })
    .default("usd");
}

function cents(min: number) {
  return z.number().int({ message: "amounts are whole cents" }).min(min);
}

/** @internal */
export function priceArgsSchema() {
  return once("provider/polar/product.ts:priceArgsSchema", () => {
    return z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("fixed"), amount: cents(0), currency: currency() }),
      z.strictObject({ type: z.literal("free"), currency: currency() }),
      z.strictObject({
        type: z.literal("custom"),
        minimumAmount: cents(0).default(50),
        maximumAmount: cents(1).optional(),
        presetAmount: cents(0).optional(),
        currency: currency(),
      }),
      z.strictObject({
        type: z.literal("seat_based"),
        tiers: z
          .array(
            z.strictObject({
              minSeats: z.number().int().min(1),
              maxSeats: z.number().int().min(1).optional(),
              pricePerSeat: cents(0),
            }),
          )
          .min(1, { message: "a seat-based price needs at least one tier" }),
        currency: currency(),
      }),
    ]);
  });
}

/** Normalised form of a price (what Polar stores): `free` becomes fixed 0. @internal */
export function normalizePrice(p: z.infer<ReturnType<typeof priceArgsSchema>>): Price {
  if (p.type === "free") return { type: "fixed", amount: 0, currency: p.currency };
  if (p.type === "seat_based") {
    return { type: "seat_based", currency: p.currency, tiers: p.tiers.map((t) => jsonSafe({ ...t })) };
  }
  return jsonSafe<Price>({ ...p } as Price);
}

export function priceToWire(p: Price): Record<string, unknown> {
  switch (p.type) {
    case "fixed":
      return { amount_type: "fixed", price_amount: p.amount, price_currency: p.currency };
    case "custom":
      return jsonSafe({
        amount_type: "custom",
        minimum_amount: p.minimumAmount,
        maximum_amount: p.maximumAmount,
        preset_amount: p.presetAmount,
        price_currency: p.currency,
      });
    case "seat_based":
      return {
        amount_type: "seat_based",
        price_currency: p.currency,
        seat_tiers: {
          tiers: p.tiers.map((t) =>
            jsonSafe({ min_seats: t.minSeats, max_seats: t.maxSeats, price_per_seat: t.pricePerSeat }),
          ),
        },
      };
  }
}

/** @internal */
export function priceFromWire(p: WirePrice): Price {
  switch (p.amount_type) {
    case "fixed":
      return { type: "fixed", amount: p.price_amount, currency: p.price_currency };
    case "custom":
      return jsonSafe({
        type: "custom" as const,
        minimumAmount: p.minimum_amount,
        maximumAmount: p.maximum_amount ?? undefined,
        presetAmount: p.preset_amount ?? undefined,
        currency: p.price_currency,
      });
    case "seat_based":
      return {
        type: "seat_based",
        currency: p.price_currency,
        tiers: p.seat_tiers.tiers.map((t) =>
          jsonSafe({
            minSeats: t.min_seats,
            maxSeats: t.max_seats ?? undefined,
            pricePerSeat: t.price_per_seat,
          }),
        ),
      };
  }
}
