/**
 * In-memory state of the emulator, plain JSON so it can be shown on `/_emulator/state` and persisted
 * to a data file. Records keep what the server stores; response-only fields (names of referenced
 * objects, urls, back-references) are derived when rendering, so they never go stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXAMPLE_IDS } from "./seed";

export const STATE_VERSION = 1;

export interface FynnProductRec {
  id: string;
  orgId: string;
  type: string;
  name: string;
  description: string | null;
  invoiceVisibility: string;
  customFields: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface FynnPricePlanRec {
  id: string;
  orgId: string;
  productId: string;
  internalName: string;
  type: string;
  amount: number;
  currencyCode: string;
  billingInterval: string;
  status: string;
  applyTrial: boolean;
  payInAdvance: boolean;
  proRata: boolean;
  freeUnits: number;
  createdAt: string;
  updatedAt: string;
}

export interface FynnItemRec {
  id: string;
  type: "product" | "plan";
  productId: string | null;
  /** A coreapi (V2) plan id for `type: "plan"` items. */
  planId: string | null;
  priceId: string;
  quantity: number | null;
  periods: { contractPeriod: Record<string, unknown>; cancellationPeriod: Record<string, unknown> }[];
}

export interface FynnLinkRec {
  id: string;
  orgId: string;
  slug: string;
  afterCheckout: {
    action: "redirect" | "confirmation_message";
    url: string | null;
    confirmationMessage: string | null;
    backToProviderUrl: string | null;
  };
  options: {
    trialDays: number | null;
    allowCoupons: boolean;
    quantityEditable: boolean;
    forceCompany: boolean;
  };
  isEnabled: boolean;
  items: FynnItemRec[];
  createdAt: string;
  updatedAt: string;
  /** The API deletes for good; the emulator keeps the record (hidden from the API) for the state route. */
  deletedAt: string | null;
}

export interface CartRec {
  id: string;
  orgId: string;
  /** Which generation's link the cart came from. */
  source: "coreapi" | "fynn";
  linkId: string;
  customerId: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface CoreapiItemRec {
  id: string;
  productId: string;
  pricePlanId: string;
  defaultQuantity: number;
  minQuantity: number | null;
  maxQuantity: number | null;
  quantityEditable: boolean;
}

export interface CoreapiTierRec {
  id: string;
  position: number;
  name: string;
  upgradeable: boolean;
  downgradeable: boolean;
  commitmentPeriod: string | null;
  changeTiming?: string;
  creditType?: string;
  items: CoreapiItemRec[];
}

export interface CoreapiPlanRec {
  id: string;
  orgId: string;
  code: string;
  name: string;
  description: string | null;
  status: "draft" | "active" | "archived";
  tiers: CoreapiTierRec[];
  createdAt: string;
  updatedAt: string;
}

export interface CoreapiLinkRec {
  id: string;
  orgId: string;
  planId: string;
  planTierId: string;
  slug: string;
  couponsAllowed: boolean;
  isEnabled: boolean;
  salesChannelId: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface PolarPriceRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  source: "catalog";
  amount_type: "fixed" | "custom" | "seat_based" | "metered_unit";
  price_currency: string;
  tax_behavior: "location" | "inclusive" | "exclusive" | null;
  is_archived: boolean;
  product_id: string;
  price_amount?: number;
  minimum_amount?: number;
  maximum_amount?: number | null;
  preset_amount?: number | null;
  /** Metered prices: cents per unit as a decimal string, the cap, and the meter. */
  unit_amount?: string;
  cap_amount?: number | null;
  meter_id?: string;
  seat_tiers?: {
    /** Absent in state saved by earlier versions: `volume`, Polar's default. */
    seat_tier_type?: "volume" | "graduated";
    tiers: { min_seats: number; max_seats: number | null; price_per_seat: number }[];
  };
}

export interface PolarProductRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  trial_interval: "day" | "week" | "month" | "year" | null;
  trial_interval_count: number | null;
  name: string;
  description: string | null;
  visibility: "draft" | "private" | "public";
  recurring_interval: "day" | "week" | "month" | "year" | null;
  recurring_interval_count: number | null;
  is_archived: boolean;
  organization_id: string;
  metadata: Record<string, string | number | boolean>;
  /** All prices ever attached, archived ones included; responses show the live ones. */
  prices: PolarPriceRec[];
}

export interface PolarLinkRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  trial_interval: "day" | "week" | "month" | "year" | null;
  trial_interval_count: number | null;
  metadata: Record<string, string | number | boolean>;
  payment_processor: "stripe";
  client_secret: string;
  success_url: string | null;
  return_url: string | null;
  label: string | null;
  allow_discount_codes: boolean;
  require_billing_address: boolean;
  discount_id: string | null;
  seats: number | null;
  organization_id: string;
  product_ids: string[];
  deleted_at: string | null;
}

export interface PolarCheckoutRec {
  id: string;
  client_secret: string;
  checkout_link_id: string;
  query: Record<string, string>;
  created_at: string;
}

export interface EmulatorState {
  version: typeof STATE_VERSION;
  coreapi: { plans: Record<string, CoreapiPlanRec>; links: Record<string, CoreapiLinkRec> };
  fynn: {
    products: Record<string, FynnProductRec>;
    pricePlans: Record<string, FynnPricePlanRec>;
    links: Record<string, FynnLinkRec>;
    carts: Record<string, CartRec>;
  };
  polar: {
    products: Record<string, PolarProductRec>;
    links: Record<string, PolarLinkRec>;
    checkouts: Record<string, PolarCheckoutRec>;
    /** Absent in data files of earlier versions: read as none. */
    discounts?: Record<string, PolarDiscountRec>;
  };
}

/** A Polar discount as stored: the wire `Discount` without its expanded products. */
export interface PolarDiscountRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  organization_id: string;
  name: string;
  code: string | null;
  type: "fixed" | "percentage";
  duration: "once" | "forever" | "repeating";
  duration_in_months: number | null;
  basis_points: number | null;
  /** Fixed discounts: cents per currency. */
  amounts: Record<string, number> | null;
  starts_at: string | null;
  ends_at: string | null;
  max_redemptions: number | null;
  max_redemptions_per_customer: number | null;
  redemptions_count: number;
  metadata: Record<string, string | number | boolean>;
  /** Products the discount is restricted to; empty: every product. */
  product_ids: string[];
  deleted_at: string | null;
}

export function emptyState(): EmulatorState {
  return {
    version: STATE_VERSION,
    coreapi: { plans: {}, links: {} },
    fynn: { products: {}, pricePlans: {}, links: {}, carts: {} },
    polar: { products: {}, links: {}, checkouts: {}, discounts: {} },
  };
}

/**
 * The catalog objects the vendors' documentation examples point at, owned by `orgId`, so those
 * examples replay verbatim (`seed: "examples"`).
 */
export function exampleState(orgId: string, at: string): EmulatorState {
  const state = emptyState();
  state.fynn.products[EXAMPLE_IDS.fynnProduct] = {
    id: EXAMPLE_IDS.fynnProduct,
    orgId,
    type: "product",
    name: "Basic",
    description: "For small teams.",
    invoiceVisibility: "always",
    customFields: { field1: "value1", field2: "value2" },
    createdAt: at,
    updatedAt: at,
  };
  state.fynn.pricePlans[EXAMPLE_IDS.fynnPricePlan] = {
    id: EXAMPLE_IDS.fynnPricePlan,
    orgId,
    productId: EXAMPLE_IDS.fynnProduct,
    internalName: "Exclusive pricing for partners.",
    type: "flat_fee",
    amount: 123,
    currencyCode: "EUR",
    billingInterval: "1M",
    status: "active",
    applyTrial: true,
    payInAdvance: true,
    proRata: true,
    freeUnits: 1,
    createdAt: at,
    updatedAt: at,
  };
  state.fynn.links[EXAMPLE_IDS.fynnLink] = {
    id: EXAMPLE_IDS.fynnLink,
    orgId,
    slug: "my-checkout-slug",
    afterCheckout: {
      action: "redirect",
      url: "https://example.com/checkout/confirmation",
      confirmationMessage: "Thank you for your order!",
      backToProviderUrl: "https://example.com/checkout/confirmation",
    },
    options: { trialDays: 14, allowCoupons: true, quantityEditable: true, forceCompany: true },
    isEnabled: true,
    items: [
      {
        id: "3b9d6f0e-7a1c-4e2b-8d5f-6c0a1e3b5d70",
        type: "product",
        productId: EXAMPLE_IDS.fynnProduct,
        planId: null,
        priceId: EXAMPLE_IDS.fynnPricePlan,
        quantity: 1,
        periods: [{ contractPeriod: {}, cancellationPeriod: {} }],
      },
    ],
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  state.coreapi.plans[EXAMPLE_IDS.coreapiPlan] = {
    id: EXAMPLE_IDS.coreapiPlan,
    orgId,
    code: "pro-plan",
    name: "Pro Plan",
    description: null,
    status: "active",
    tiers: [
      {
        id: EXAMPLE_IDS.coreapiTierPro,
        position: 0,
        name: "Pro",
        upgradeable: true,
        downgradeable: true,
        commitmentPeriod: "P1Y",
        items: [
          {
            id: "8c2e4a6b-1d3f-4e5a-9b7c-0e2f4a6c8d10",
            productId: EXAMPLE_IDS.fynnProduct,
            pricePlanId: EXAMPLE_IDS.fynnPricePlan,
            defaultQuantity: 1,
            minQuantity: null,
            maxQuantity: null,
            quantityEditable: false,
          },
        ],
      },
    ],
    createdAt: at,
    updatedAt: at,
  };
  for (const [id, name] of [
    [EXAMPLE_IDS.polarProductPro, "Pro"],
    [EXAMPLE_IDS.polarProductTeam, "Team"],
  ] as const) {
    state.polar.products[id] = {
      id,
      created_at: at,
      modified_at: null,
      trial_interval: null,
      trial_interval_count: null,
      name,
      description: null,
      visibility: "public",
      recurring_interval: "month",
      recurring_interval_count: 1,
      is_archived: false,
      organization_id: orgId,
      metadata: {},
      prices: [
        {
          id:
            id === EXAMPLE_IDS.polarProductPro
              ? "2a4c6e8f-0b1d-4f3a-8c5e-7a9b1c3d5e01"
              : "2a4c6e8f-0b1d-4f3a-8c5e-7a9b1c3d5e02",
          created_at: at,
          modified_at: null,
          source: "catalog",
          amount_type: "fixed",
          price_currency: "usd",
          tax_behavior: null,
          is_archived: false,
          product_id: id,
          price_amount: name === "Pro" ? 2900 : 9900,
        },
      ],
    };
  }
  return state;
}

/** Reads a persisted state; a missing file yields undefined, a corrupt one throws (never silently reset). */
export function loadState(file: string): EmulatorState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<EmulatorState>;
  if (parsed.version !== STATE_VERSION || !parsed.coreapi || !parsed.fynn || !parsed.polar) {
    throw new Error(`${file} is not an emulator data file of version ${STATE_VERSION}`);
  }
  return parsed as EmulatorState;
}

/**
 * Writes the state so that a crash at any moment leaves either the old or the new file: write a
 * temporary file in the same directory, flush it, then rename over the target (atomic on POSIX).
 */
export function saveState(file: string, state: EmulatorState): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, JSON.stringify(state));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
