/**
 * coreapi.io, the Fynn V2 Plans API: plans with tiers, and checkout links selling one tier, one
 * file per object type. Served under `/fynn` (paths `/api/...`), sharing tokens, catalog and slug
 * namespace with Fynn classic (vendors/fynnFamily.ts).
 */
import type { VendorModule } from "../../app";
import { checkoutLinkRoutes } from "./checkoutLinks";
import { planRoutes } from "./plans";
import { COREAPI_STATE } from "./seed";
import { COREAPI, type CoreapiState } from "./state";

/** coreapi.io: the `/api/...` paths below `/fynn`. */
export const COREAPI_VENDOR: VendorModule<CoreapiState> = {
  backend: COREAPI,
  state: COREAPI_STATE,
  routes: (app) => [...planRoutes(app), ...checkoutLinkRoutes(app)],
  claims: (path) => path.startsWith("/api/"),
};
