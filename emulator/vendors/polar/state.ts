/**
 * Polar's slice of the emulator state: products with their prices, checkout links, the checkout
 * sessions their public URLs open, discounts, meters, benefits and custom fields, as the server
 * stores them (the wire shapes minus what is derived when rendering).
 */
import type { App } from "../../app";
import type { StateSlice } from "../../state";

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
  /** The product's benefit set, in order (`POST /v1/products/{id}/benefits`); absent in older files: none. */
  benefit_ids?: string[];
  /** Custom fields asked at checkout, in order; absent in older files: none. */
  attached_custom_fields?: { custom_field_id: string; required: boolean }[];
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

/** A Polar meter (`/v1/meters/`): archived through `is_archived` on update, never deleted. */
export interface PolarMeterRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  organization_id: string;
  name: string;
  unit: string;
  custom_label: string | null;
  custom_multiplier: number | null;
  /** The wire `Filter` and aggregation, as sent. */
  filter: Record<string, unknown>;
  aggregation: Record<string, unknown>;
  metadata: Record<string, string | number | boolean>;
  archived_at: string | null;
}

/** A Polar benefit (`/v1/benefits/`): its type and the type's own `properties`. */
export interface PolarBenefitRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  organization_id: string;
  type: string;
  description: string;
  visibility: string;
  metadata: Record<string, string | number | boolean>;
  properties: Record<string, unknown>;
  /** Deleted benefits stay stored (`is_deleted`), as Polar keeps them for past grants. */
  is_deleted: boolean;
}

/** A Polar custom field (`/v1/custom-fields/`): asked at checkout when attached to a product. */
export interface PolarCustomFieldRec {
  id: string;
  created_at: string;
  modified_at: string | null;
  organization_id: string;
  type: "text" | "number" | "date" | "checkbox" | "select";
  slug: string;
  name: string;
  metadata: Record<string, string | number | boolean>;
  properties: Record<string, unknown>;
  deleted_at: string | null;
}

export interface PolarState {
  products: Record<string, PolarProductRec>;
  links: Record<string, PolarLinkRec>;
  checkouts: Record<string, PolarCheckoutRec>;
  /** Absent in data files of earlier versions: read as none. */
  discounts?: Record<string, PolarDiscountRec>;
  /** Absent in data files of earlier versions: read as none. */
  meters?: Record<string, PolarMeterRec>;
  benefits?: Record<string, PolarBenefitRec>;
  customFields?: Record<string, PolarCustomFieldRec>;
}

/** The backend's name in provider/backends.ts: the key of its slice. */
export const POLAR = "polar";

/** Polar's slice, without its documentation examples (vendors/polar/seed.ts adds them). */
export const POLAR_SLICE: StateSlice<PolarState> = {
  empty: () => ({
    products: {},
    links: {},
    checkouts: {},
    discounts: {},
    meters: {},
    benefits: {},
    customFields: {},
  }),
};

export function polarState(app: App): PolarState {
  return app.slice<PolarState>(POLAR);
}

/** The discounts, made present in state loaded from a data file that predates them. */
export function polarDiscounts(app: App): Record<string, PolarDiscountRec> {
  const state = polarState(app);
  state.discounts ??= {};
  return state.discounts;
}

/** The meters, made present in state loaded from a data file that predates them. */
export function polarMeters(app: App): Record<string, PolarMeterRec> {
  const state = polarState(app);
  state.meters ??= {};
  return state.meters;
}

/** The benefits, made present in state loaded from a data file that predates them. */
export function polarBenefits(app: App): Record<string, PolarBenefitRec> {
  const state = polarState(app);
  state.benefits ??= {};
  return state.benefits;
}

/** The custom fields, made present in state loaded from a data file that predates them. */
export function polarCustomFields(app: App): Record<string, PolarCustomFieldRec> {
  const state = polarState(app);
  state.customFields ??= {};
  return state.customFields;
}
