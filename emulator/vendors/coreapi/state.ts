/**
 * coreapi's slice of the emulator state: plans with their tiers, and the checkout links selling a
 * tier. Tier items point at Fynn classic's products and price plans (vendors/fynn/state.ts).
 */
import type { App } from "../../app";
import type { StateSlice } from "../../state";

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

export interface CoreapiState {
  plans: Record<string, CoreapiPlanRec>;
  links: Record<string, CoreapiLinkRec>;
}

/** The backend's name in provider/backends.ts: the key of its slice. */
export const COREAPI = "coreapi";

/** coreapi's slice, without its documentation examples (vendors/coreapi/seed.ts adds them). */
export const COREAPI_SLICE: StateSlice<CoreapiState> = { empty: () => ({ plans: {}, links: {} }) };

export function coreapiState(app: App): CoreapiState {
  return app.slice<CoreapiState>(COREAPI);
}
