/**
 * Polar prices: the argument shapes a user writes, their normalised form (what Polar stores), and the
 * mapping to and from Polar's wire prices. Amounts are in cents.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { deepEqual } from "../core/diff";
import { jsonSafe } from "../core/json";
import { polarIdArgSchema } from "./common";
import { POLAR_MANAGED_PRICE_TYPES, type PolarProduct } from "./schemas";

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

/** How Polar taxes a price: `location` (by the buyer's location), `inclusive` or `exclusive`. */
export type TaxBehavior = "location" | "inclusive" | "exclusive";

/** How a seat-based price applies its tiers: `volume` (all seats at one tier's rate) or `graduated`. */
export type SeatTierType = "volume" | "graduated";

/**
 * A price of a product. Amounts are in cents of `currency` (lower-case ISO code, @default "usd").
 * `free` is stored by Polar as a fixed price of 0 and shows as such in outputs. `taxBehavior` (and
 * a seat-based price's `seatTierType`) left out keeps what Polar has: the organisation's default
 * for a new price, the old price's value when a changed price replaces it.
 *
 * `metered_unit` bills per unit of a Polar meter, on recurring products only: `unitAmount` is cents
 * per unit, a decimal (a number or a string such as `"0.05"`, at most 5 integer and 12 fractional
 * digits), `capAmount` the most it charges per cycle in cents (@default no cap).
 */
export type PriceArgs =
  | { type: "fixed"; amount: number; currency?: string; taxBehavior?: TaxBehavior }
  | { type: "free"; currency?: string; taxBehavior?: TaxBehavior }
  | {
      type: "custom";
      minimumAmount?: number;
      maximumAmount?: number;
      presetAmount?: number;
      currency?: string;
      taxBehavior?: TaxBehavior;
    }
  | {
      type: "seat_based";
      tiers: SeatTier[];
      seatTierType?: SeatTierType;
      currency?: string;
      taxBehavior?: TaxBehavior;
    }
  | {
      type: "metered_unit";
      /** Polar's id of the meter billed (`meter.id`). */
      meterId: pulumi.Input<string>;
      unitAmount: number | string;
      capAmount?: number;
      currency?: string;
      taxBehavior?: TaxBehavior;
    };

/**
 * A price after `check()`: defaults filled in, `free` written as fixed 0, a metered price's
 * `unitAmount` as its shortest decimal string (`0.50` and `0.5` are `"0.5"`).
 */
export type Price =
  | { type: "fixed"; amount: number; currency: string; taxBehavior?: TaxBehavior }
  | {
      type: "custom";
      minimumAmount: number;
      maximumAmount?: number;
      presetAmount?: number;
      currency: string;
      taxBehavior?: TaxBehavior;
    }
  | {
      type: "seat_based";
      tiers: SeatTier[];
      seatTierType?: SeatTierType;
      currency: string;
      taxBehavior?: TaxBehavior;
    }
  | {
      type: "metered_unit";
      meterId: string;
      unitAmount: string;
      capAmount?: number;
      currency: string;
      taxBehavior?: TaxBehavior;
    };

/**
 * A decimal's shortest form (`"0.50"` and `0.5` are `"0.5"`, `"007"` is `"7"`), so that what the
 * program writes and what Polar answers (`"0.500000000000"`) compare equal; undefined for what is
 * no plain non-negative decimal.
 * @internal
 */
export function canonicalDecimal(value: number | string): string | undefined {
  const text = typeof value === "number" ? (Number.isFinite(value) ? value.toFixed(12) : "") : value.trim();
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || (m[1] === "" && (m[2] ?? "") === "")) return undefined;
  const int = (m[1] ?? "").replace(/^0+/, "") || "0";
  const frac = (m[2] ?? "").replace(/0+$/, "");
  return frac === "" ? int : `${int}.${frac}`;
}

const UNIT_AMOUNT_MESSAGE =
  'unitAmount must be cents per unit above 0, with at most 5 integer and 12 fractional digits (e.g. 0.5 or "0.005")';

/** Polar's `unit_amount` bounds (`gt=0, max_digits=17, decimal_places=12`), normalised. */
const unitAmountSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const canonical = canonicalDecimal(value);
  const [int = "", frac = ""] = (canonical ?? "").split(".");
  if (canonical === undefined || /^0(\.0*)?$/.test(canonical) || int.length > 5 || frac.length > 12) {
    ctx.addIssue({ code: "custom", message: UNIT_AMOUNT_MESSAGE });
    return z.NEVER;
  }
  return canonical;
});

function currency() {
  return z
    .string()
    .regex(/^[a-z]{3}$/, { message: "currency must be a lower-case ISO 4217 code such as usd or eur" })
    .default("usd");
}

function taxBehavior() {
  return z.enum(["location", "inclusive", "exclusive"]).optional();
}

function cents(min: number) {
  return z.number().int({ message: "amounts are whole cents" }).min(min);
}

/** @internal */
export const polarPriceArgsSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("fixed"),
    amount: cents(0),
    currency: currency(),
    taxBehavior: taxBehavior(),
  }),
  z.strictObject({ type: z.literal("free"), currency: currency(), taxBehavior: taxBehavior() }),
  z.strictObject({
    type: z.literal("custom"),
    minimumAmount: cents(0).default(50),
    maximumAmount: cents(1).optional(),
    presetAmount: cents(0).optional(),
    currency: currency(),
    taxBehavior: taxBehavior(),
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
    seatTierType: z.enum(["volume", "graduated"]).optional(),
    currency: currency(),
    taxBehavior: taxBehavior(),
  }),
  z.strictObject({
    type: z.literal("metered_unit"),
    meterId: polarIdArgSchema,
    unitAmount: unitAmountSchema,
    // Polar's Int32 bound.
    capAmount: cents(0).max(2147483647).optional(),
    currency: currency(),
    taxBehavior: taxBehavior(),
  }),
]);

/** Normalised form of a price (what Polar stores): `free` becomes fixed 0. @internal */
export function normalizePrice(p: z.infer<typeof polarPriceArgsSchema>): Price {
  if (p.type === "free")
    return jsonSafe({ type: "fixed", amount: 0, currency: p.currency, taxBehavior: p.taxBehavior });
  if (p.type === "seat_based") {
    return jsonSafe({ ...p, tiers: p.tiers.map((t) => jsonSafe({ ...t })) });
  }
  return jsonSafe<Price>({ ...p } as Price);
}

/** The keys of a price that Polar keeps as it has them when the program leaves them out. */
const VENDOR_KEPT = ["taxBehavior", "seatTierType"] as const;

/**
 * `p` with the keys the program left out (`taxBehavior`, `seatTierType`) taken from `from`, the
 * price Polar has in its place: a price left as it is compares equal to it, and a changed price
 * replacing it keeps its tax behaviour and tier type instead of falling back to the defaults.
 */
export function keepVendorFields(p: Price, from: Price | undefined): Price {
  if (from === undefined || from.type !== p.type) return p;
  const out: Record<string, unknown> = { ...p };
  for (const key of VENDOR_KEPT) {
    const kept = (from as Record<string, unknown>)[key];
    if (out[key] === undefined && kept !== undefined) out[key] = kept;
  }
  return out as Price;
}

/**
 * The new prices with the keys the program left out taken from the old prices: the old price at
 * the same position when it has the same type, else the first old price of that type.
 */
export function keepVendorPriceFields(olds: readonly Price[] | undefined, news: readonly Price[]): Price[] {
  const old = olds ?? [];
  return news.map((p, i) => {
    const same = old[i]?.type === p.type ? old[i] : old.find((q) => q.type === p.type);
    return keepVendorFields(p, same);
  });
}

export function priceToWire(p: Price): Record<string, unknown> {
  switch (p.type) {
    case "fixed":
      return jsonSafe({
        amount_type: "fixed",
        price_amount: p.amount,
        price_currency: p.currency,
        tax_behavior: p.taxBehavior,
      });
    case "custom":
      return jsonSafe({
        amount_type: "custom",
        minimum_amount: p.minimumAmount,
        maximum_amount: p.maximumAmount,
        preset_amount: p.presetAmount,
        price_currency: p.currency,
        tax_behavior: p.taxBehavior,
      });
    case "seat_based":
      return jsonSafe({
        amount_type: "seat_based",
        price_currency: p.currency,
        tax_behavior: p.taxBehavior,
        seat_tiers: jsonSafe({
          seat_tier_type: p.seatTierType,
          tiers: p.tiers.map((t) =>
            jsonSafe({ min_seats: t.minSeats, max_seats: t.maxSeats, price_per_seat: t.pricePerSeat }),
          ),
        }),
      });
    case "metered_unit":
      return jsonSafe({
        amount_type: "metered_unit",
        meter_id: p.meterId,
        unit_amount: p.unitAmount,
        cap_amount: p.capAmount,
        price_currency: p.currency,
        tax_behavior: p.taxBehavior,
      });
  }
}

/** A wire price of a type the package manages. @internal */
export type ManagedWirePrice = Exclude<WirePrice, { amount_type: "other" }>;

/** @internal */
export function isManagedPrice(p: WirePrice): p is ManagedWirePrice {
  return p.amount_type !== "other";
}

/** @internal */
export function priceFromWire(p: ManagedWirePrice): Price {
  const taxBehavior = p.tax_behavior ?? undefined;
  switch (p.amount_type) {
    case "fixed":
      return jsonSafe({ type: "fixed", amount: p.price_amount, currency: p.price_currency, taxBehavior });
    case "custom":
      return jsonSafe({
        type: "custom" as const,
        minimumAmount: p.minimum_amount,
        maximumAmount: p.maximum_amount ?? undefined,
        presetAmount: p.preset_amount ?? undefined,
        currency: p.price_currency,
        taxBehavior,
      });
    case "seat_based":
      return jsonSafe({
        type: "seat_based",
        currency: p.price_currency,
        taxBehavior,
        seatTierType: p.seat_tiers.seat_tier_type as SeatTierType | undefined,
        tiers: p.seat_tiers.tiers.map((t) =>
          jsonSafe({
            minSeats: t.min_seats,
            maxSeats: t.max_seats ?? undefined,
            pricePerSeat: t.price_per_seat,
          }),
        ),
      });
    case "metered_unit":
      return jsonSafe({
        type: "metered_unit",
        meterId: p.meter_id,
        // Polar answers `"0.500000000000"`; a value it could not send is kept as it reads.
        unitAmount: canonicalDecimal(p.unit_amount) ?? String(p.unit_amount),
        capAmount: p.cap_amount ?? undefined,
        currency: p.price_currency,
        taxBehavior,
      });
  }
}

/**
 * The product's unarchived prices, all of types polar.Product manages. A price of another type
 * (one Polar adds later) fails loudly: the next PATCH of the price list would archive it.
 * @internal
 */
export function managedLivePrices(product: PolarProduct): ManagedWirePrice[] {
  const live = product.prices.filter((p) => !p.is_archived);
  const other = live.find((p) => !isManagedPrice(p));
  if (other !== undefined && !isManagedPrice(other)) {
    throw new Error(
      `Polar product ${product.id} holds a ${other.vendor_type} price (${other.id}), which polar.Product does ` +
        `not manage (it manages ${POLAR_MANAGED_PRICE_TYPES.join(", ")}); changing its prices would archive that ` +
        "price, so remove it in Polar or leave this product out of the stack",
    );
  }
  return live as ManagedWirePrice[];
}

/**
 * The product's live prices, ordered as `preferredIds` lists them (ids Polar no longer has are
 * skipped); prices not listed follow in Polar's order.
 * @internal
 */
export function orderedPrices(
  product: PolarProduct,
  preferredIds: (string | undefined)[],
): { prices: Price[]; ids: string[] } {
  const live = managedLivePrices(product);
  const byId = new Map(live.map((p) => [p.id, p]));
  const ordered: ManagedWirePrice[] = [];
  for (const id of preferredIds) {
    const p = id === undefined ? undefined : byId.get(id);
    if (p !== undefined && !ordered.includes(p)) ordered.push(p);
  }
  for (const p of live) if (!ordered.includes(p)) ordered.push(p);
  return { prices: ordered.map(priceFromWire), ids: ordered.map((p) => p.id) };
}

/**
 * Ids of the prices in `a.prices` order after an update: kept prices by id, new ones matched by
 * content among the prices Polar created.
 * @internal
 */
export function idsAfterUpdate(
  product: PolarProduct,
  a: { prices: readonly Price[] },
  keptIds: (string | undefined)[],
): (string | undefined)[] {
  const live = managedLivePrices(product);
  const taken = new Set(keptIds.filter((x): x is string => x !== undefined));
  return a.prices.map((p, i) => {
    const kept = keptIds[i];
    if (kept !== undefined) return kept;
    // A key the program leaves out matches whatever Polar chose for it.
    const match = live.find((w) => {
      const wire = priceFromWire(w);
      return !taken.has(w.id) && deepEqual(wire, keepVendorFields(p, wire));
    });
    if (match === undefined) return undefined;
    taken.add(match.id);
    return match.id;
  });
}

/**
 * The PATCH's price list, when the prices changed: a price kept as it is goes by its id (`keptIds`,
 * one per new price, undefined for a price sent as a new object); the rest as new price objects.
 * What the program leaves out (tax behaviour, seat tier type) stays as Polar has it.
 * @internal
 */
export function pricesPatch(
  oldPrices: readonly Price[],
  oldIds: readonly string[],
  news: readonly Price[],
): { prices?: Record<string, unknown>[]; keptIds: (string | undefined)[] } {
  const used = new Set<number>();
  const prices = keepVendorPriceFields(oldPrices, news);
  const keptIds = prices.map((p) => {
    const j = oldPrices.findIndex((q, i) => !used.has(i) && oldIds[i] !== undefined && deepEqual(q, p));
    if (j < 0) return undefined;
    used.add(j);
    return oldIds[j];
  });
  if (deepEqual(oldPrices, prices)) return { keptIds };
  return {
    keptIds,
    prices: prices.map((p, i) => {
      const id = keptIds[i];
      return id === undefined ? priceToWire(p) : { id };
    }),
  };
}

/** @deprecated use {@link polarPriceArgsSchema} @internal */
export const priceArgsSchema = () => polarPriceArgsSchema;
