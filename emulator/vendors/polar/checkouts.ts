/**
 * What a checkout link's public URL opens: every visit to `/v1/checkout-links/{client_secret}/redirect`
 * starts a checkout session, shown at `/checkout/{client_secret}`.
 */
import type { App, Route } from "../../app";
import { newId, polarClientSecret } from "../../util";
import { polarNotFound, polarPublicBase } from "../polarFamily";
import { polarState } from "./state";

export function checkoutRoutes(app: App): Route[] {
  return [
    {
      method: "GET",
      pattern: "/v1/checkout-links/:secret/redirect",
      handler: (ctx) => {
        const secret = ctx.params["secret"];
        const state = polarState(app);
        const link = Object.values(state.links).find((l) => l.client_secret === secret && !l.deleted_at);
        if (!link) throw polarNotFound();
        // Every visit opens a new checkout session; unknown query parameters pass through.
        const checkout = {
          id: newId(),
          client_secret: `polar_c_${polarClientSecret().slice("polar_cl_".length)}`,
          checkout_link_id: link.id,
          query: Object.fromEntries(ctx.query),
          created_at: app.now().toISOString(),
        };
        state.checkouts[checkout.id] = checkout;
        const search = ctx.query.toString();
        const location = `${polarPublicBase(app)}/checkout/${checkout.client_secret}${search ? `?${search}` : ""}`;
        return { status: 307, headers: { location } };
      },
    },
    {
      method: "GET",
      pattern: "/checkout/:secret",
      handler: (ctx) => {
        const checkout = Object.values(polarState(app).checkouts).find(
          (c) => c.client_secret === ctx.params["secret"],
        );
        if (!checkout) throw polarNotFound();
        return {
          status: 200,
          body: { id: checkout.id, status: "open", checkout_link_id: checkout.checkout_link_id },
        };
      },
    },
  ];
}
