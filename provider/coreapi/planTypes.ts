/**
 * What a `coreapi.Plan` and its tiers hold as arguments, once checked and once applied: the shapes
 * that the resource, its tiers (tiers.ts) and its routes (plans.ts) share, below all three.
 */

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

/** What the provider stores for a plan: the inputs as applied plus what coreapi.io generated. */
export interface PlanState extends PlanInputs {
  planId: string;
  status: "draft" | "active" | "archived";
  currency: string | null;
  /** Tier id by tier name. */
  tierIds: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** @deprecated use {@link PlanState} */
export type PlanOutputs = PlanState;
