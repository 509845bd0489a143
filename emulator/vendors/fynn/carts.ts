/**
 * Fynn classic carts: started from a link by the API (`POST /checkout-links/{id}/cart`) or by
 * opening its public URL (`/checkout/{slug}`), and shown at `/carts/{id}`.
 */
import { fynnCart, fynnCartCreate } from "../../../provider/fynn/schemas";
import type { App, Route } from "../../app";
import { FYNN_SCOPES } from "../../seed";
import {
  cartUrl,
  createCart,
  findBySlug,
  fynnAuth,
  fynnBody,
  fynnNotFound,
  fynnViolationError,
  owned,
} from "../fynnFamily";
import { fynnState } from "./state";

export function cartRoutes(app: App): Route[] {
  return [
    {
      method: "POST",
      pattern: "/checkout-links/:id/cart",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.cartWrite]);
        const link = owned(fynnState(app).links, ctx.params["id"], org.id);
        const body = fynnBody(app, ctx, fynnCartCreate);
        if (!link.isEnabled) {
          // inferred: a disabled link cannot start a cart.
          throw fynnViolationError(app.options.fynnValidationStatus, [
            { propertyPath: "", message: "The checkout link is disabled.", code: null },
          ]);
        }
        const cart = createCart(app, org.id, "fynn", link.id, body.customerId ?? null, body.metadata);
        return {
          status: 201,
          body: { cartId: cart.id, customerId: cart.customerId, url: cartUrl(app, cart) },
          schema: fynnCart,
        };
      },
    },
    {
      method: "GET",
      pattern: "/checkout/:slug",
      handler: (ctx) => {
        const link = findBySlug(app, ctx, fynnState(app).links, ctx.params["slug"]);
        if (!link?.isEnabled) throw fynnNotFound();
        // inferred: opening a classic link starts a cart, like coreapi's `/checkout-link/{slug}/cart`.
        const cart = createCart(app, link.orgId, "fynn", link.id, null, Object.fromEntries(ctx.query));
        return { status: 302, headers: { location: cartUrl(app, cart) } };
      },
    },
    {
      method: "GET",
      pattern: "/carts/:id",
      handler: (ctx) => {
        const cart = ctx.params["id"] ? fynnState(app).carts[ctx.params["id"]] : undefined;
        if (!cart) throw fynnNotFound();
        return { status: 200, body: { cartId: cart.id, source: cart.source, checkoutLinkId: cart.linkId } };
      },
    },
  ];
}
