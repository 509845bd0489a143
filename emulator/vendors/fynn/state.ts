/**
 * Fynn classic's slice of the emulator state: products, price plans, checkout links with their
 * items, and the carts that the links of both Fynn generations open (vendors/fynnFamily.ts).
 */
import type { App } from "../../app";
import type { StateSlice } from "../../state";

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

export interface FynnState {
  products: Record<string, FynnProductRec>;
  pricePlans: Record<string, FynnPricePlanRec>;
  links: Record<string, FynnLinkRec>;
  carts: Record<string, CartRec>;
}

/** The backend's name in provider/backends.ts: the key of its slice. */
export const FYNN = "fynn";

/** Fynn classic's slice, without its documentation examples (vendors/fynn/seed.ts adds them). */
export const FYNN_SLICE: StateSlice<FynnState> = {
  empty: () => ({ products: {}, pricePlans: {}, links: {}, carts: {} }),
};

export function fynnState(app: App): FynnState {
  return app.slice<FynnState>(FYNN);
}
