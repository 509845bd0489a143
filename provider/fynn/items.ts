/**
 * What a Fynn classic checkout link sells: products at a price plan and quantity, and plans at a
 * price plan. Their arguments, their schema, and their form on the wire and back.
 */
import { z } from "zod";
import { type FynnCheckoutLink, fynnPeriodSchema } from "./schemas";

/** Contract and cancellation period of an item, as Fynn takes them (free-form objects). */
export interface CheckoutLinkPeriodArgs {
  /** @default {} */
  contractPeriod?: Record<string, unknown>;
  /** @default {} */
  cancellationPeriod?: Record<string, unknown>;
}

/** A product put into the cart at a price plan and quantity. */
export interface CheckoutLinkProductItemArgs {
  /** @default "product" (when `productId` is given) */
  type?: "product";
  /** Fynn product UUID. */
  productId: string;
  /** UUID of one of the product's price plans. */
  pricePlanId: string;
  /** @default 1 */
  quantity?: number;
  /** @default [] (the billing period is the contract period, one day's notice) */
  periods?: CheckoutLinkPeriodArgs[];
}

/** A plan put into the cart at a price plan; the buyer configures it. */
export interface CheckoutLinkPlanItemArgs {
  /** @default "plan" (when `planId` is given) */
  type?: "plan";
  /** Fynn plan UUID. */
  planId: string;
  /** UUID of the price plan. */
  pricePlanId: string;
  /** @default [] */
  periods?: CheckoutLinkPeriodArgs[];
}

/** An item of a checkout link: a product (`productId`) or a plan (`planId`). */
export type CheckoutLinkItemArgs = CheckoutLinkProductItemArgs | CheckoutLinkPlanItemArgs;

/** An item after `check` (defaults filled). */
export type CheckoutLinkItemInputs =
  | {
      type: "product";
      productId: string;
      pricePlanId: string;
      quantity: number;
      periods: CheckoutLinkPeriodInputs[];
    }
  | {
      type: "plan";
      planId: string;
      pricePlanId: string;
      periods: CheckoutLinkPeriodInputs[];
    };

/** Contract and cancellation period of an item, after `check`. */
export interface CheckoutLinkPeriodInputs {
  contractPeriod: Record<string, unknown>;
  cancellationPeriod: Record<string, unknown>;
}

/** Gives an item its `type` from the id it carries, so that users need not spell it out. */
function withItemType(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (o.type !== undefined) return o;
  if (o.planId !== undefined && o.productId === undefined) return { ...o, type: "plan" };
  if (o.productId !== undefined) return { ...o, type: "product" };
  return o;
}

const productItemSchema = z.object({
  type: z.literal("product"),
  productId: z.uuid({ message: "must be a Fynn product id (a UUID)" }),
  pricePlanId: z.uuid({ message: "must be a Fynn price plan id (a UUID)" }),
  quantity: z.int().min(1).default(1),
  periods: z.array(fynnPeriodSchema).default([]),
});

const planItemSchema = z.object({
  type: z.literal("plan"),
  planId: z.uuid({ message: "must be a Fynn plan id (a UUID)" }),
  pricePlanId: z.uuid({ message: "must be a Fynn price plan id (a UUID)" }),
  periods: z.array(fynnPeriodSchema).default([]),
});

/** An item argument: a product or a plan, its `type` taken from the id it carries. @internal */
export const fynnItemArgSchema = z.preprocess(
  withItemType,
  z.discriminatedUnion("type", [productItemSchema, planItemSchema], {
    error: "an item needs productId (a product) or planId (a plan)",
  }),
);

/** An item as the create and PUT bodies take it. @internal */
export function wireItem(item: CheckoutLinkItemInputs) {
  return item.type === "product"
    ? {
        type: "product" as const,
        product: item.productId,
        price: item.pricePlanId,
        quantity: item.quantity,
        periods: item.periods,
      }
    : { type: "plan" as const, plan: item.planId, price: item.pricePlanId, periods: item.periods };
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The items of a link as the provider's inputs have them. @internal */
export function itemsFrom(link: FynnCheckoutLink): CheckoutLinkItemInputs[] {
  return link.items.map((i): CheckoutLinkItemInputs => {
    const periods = i.periods.map((p) => ({
      contractPeriod: record(p.contractPeriod),
      cancellationPeriod: record(p.cancellationPeriod),
    }));
    return i.type === "plan"
      ? { type: "plan", planId: i.plan?.id ?? "", pricePlanId: i.price?.id ?? "", periods }
      : {
          type: "product",
          productId: i.product?.id ?? "",
          pricePlanId: i.price?.id ?? "",
          quantity: i.quantity ?? 1,
          periods,
        };
  });
}

/** The link sells these items (in any order). @internal */
export function sameItems(link: FynnCheckoutLink, items: readonly CheckoutLinkItemInputs[]): boolean {
  const key = (i: CheckoutLinkItemInputs) =>
    i.type === "product"
      ? `product ${i.productId} ${i.pricePlanId} ${i.quantity}`
      : `plan ${i.planId} ${i.pricePlanId}`;
  const mine = items.map(key).sort();
  const theirs = itemsFrom(link).map(key).sort();
  return mine.length === theirs.length && mine.every((k, i) => k === theirs[i]);
}

/** @deprecated use {@link CheckoutLinkItemInputs} */
export type FynnCheckoutLinkItemInputs = CheckoutLinkItemInputs;
/** @deprecated use {@link CheckoutLinkPeriodInputs} */
export type FynnCheckoutLinkPeriodInputs = CheckoutLinkPeriodInputs;
