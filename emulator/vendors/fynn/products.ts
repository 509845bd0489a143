/** Fynn classic products (`/products`): what checkout link items and price plans point at. */
import { fynnProduct, fynnProductWrite } from "../../../provider/fynn/schemas";
import { fynnList } from "../../../provider/fynnFamily";
import type { App, Route } from "../../app";
import { FYNN_SCOPES } from "../../seed";
import { fynnTimestamp, newId } from "../../util";
import { fynnAuth, fynnBody, owned } from "../fynnFamily";
import { paginate, readScopes } from "./paging";
import { type FynnProductRec, fynnState } from "./state";

export function renderProduct(product: FynnProductRec) {
  return {
    id: product.id,
    type: product.type,
    name: product.name,
    description: product.description,
    invoiceVisibility: product.invoiceVisibility,
    customFields: product.customFields,
  };
}

export function productRoutes(app: App): Route[] {
  const read = readScopes(FYNN_SCOPES.productRead);
  return [
    {
      method: "POST",
      pattern: "/products",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.productWrite]);
        const body = fynnBody(app, ctx, fynnProductWrite);
        const at = fynnTimestamp(app.now());
        const product: FynnProductRec = { id: newId(), orgId: org.id, ...body, createdAt: at, updatedAt: at };
        fynnState(app).products[product.id] = product;
        return { status: 201, body: renderProduct(product), schema: fynnProduct };
      },
    },
    {
      method: "GET",
      pattern: "/products",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read);
        const products = Object.values(fynnState(app).products).filter((p) => p.orgId === org.id);
        return {
          status: 200,
          body: paginate(app, ctx, products.map(renderProduct)),
          schema: () => fynnList(fynnProduct()),
        };
      },
    },
    {
      method: "GET",
      pattern: "/products/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, read);
        return {
          status: 200,
          body: renderProduct(owned(fynnState(app).products, ctx.params["id"], org.id)),
          schema: fynnProduct,
        };
      },
    },
  ];
}
