/**
 * Polar, served under `/polar`: benefits, discounts, checkout links, the checkout sessions their
 * public URLs open, the products (with their prices) they sell, meters and custom fields, one file
 * per object type; what every
 * Polar request goes through is vendors/polarFamily.ts. Facts: vendor-apis.md §1.
 */
import type { VendorModule } from "../../app";
import { benefitRoutes } from "./benefits";
import { checkoutLinkRoutes } from "./checkoutLinks";
import { checkoutRoutes } from "./checkouts";
import { customFieldRoutes } from "./customFields";
import { discountRoutes } from "./discounts";
import { meterRoutes } from "./meters";
import { productRoutes } from "./products";
import { POLAR_STATE } from "./seed";
import { POLAR, type PolarState } from "./state";

/** Polar: everything below `/polar`. */
export const POLAR_VENDOR: VendorModule<PolarState> = {
  backend: POLAR,
  state: POLAR_STATE,
  routes: (app) => [
    ...discountRoutes(app),
    ...checkoutLinkRoutes(app),
    ...checkoutRoutes(app),
    ...productRoutes(app),
    ...benefitRoutes(app),
    ...meterRoutes(app),
    ...customFieldRoutes(app),
  ],
};
