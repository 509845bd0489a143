/**
 * Fynn classic, served under `/fynn` next to coreapi V2 (same host, same tokens, one slug
 * namespace: what both share is vendors/fynnFamily.ts): checkout links and their items, the
 * products and price plans items point at, and carts, one file per object type.
 */
import type { VendorModule } from "../../app";
import { cartRoutes } from "./carts";
import { checkoutLinkItemRoutes } from "./checkoutLinkItems";
import { checkoutLinkRoutes } from "./checkoutLinks";
import { pricePlanRoutes } from "./pricePlans";
import { productRoutes } from "./products";
import { FYNN_STATE } from "./seed";
import { FYNN, type FynnState } from "./state";

/** The Fynn classic backend: every path below `/fynn` that coreapi does not claim. */
export const FYNN_VENDOR: VendorModule<FynnState> = {
  backend: FYNN,
  state: FYNN_STATE,
  routes: (app) => [
    ...checkoutLinkRoutes(app),
    ...checkoutLinkItemRoutes(app),
    ...productRoutes(app),
    ...pricePlanRoutes(app),
    ...cartRoutes(app),
  ],
};
