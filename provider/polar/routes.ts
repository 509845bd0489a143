/**
 * The Polar routes the resources use (all documented in Polar's OpenAPI), and how
 * `checkout-links doctor` probes each without changing the account.
 */
import type { z } from "zod";
import { getProbe, listProbe, missingProbe, type RouteProbe } from "../core/doctor";
import { polarBenefitSchema } from "./benefitSchemas";
import { polarCustomFieldSchema } from "./customFieldSchemas";
import { polarDiscountSchema } from "./discountSchemas";
import { polarMeterSchema } from "./meterSchemas";
import { polarCheckoutLinkSchema, polarListResource, polarProductSchema } from "./schemas";

const PRODUCT = ["polar:Product"] as const;
const LINK = ["polar:CheckoutLink"] as const;
const BENEFIT = ["polar:Benefit"] as const;
const METER = ["polar:Meter"] as const;
const FIELD = ["polar:CustomField"] as const;
const DISCOUNT = ["polar:Discount"] as const;

/** A list, a GET of what it found and a GET of an id that cannot exist, for one object type. */
function readRoutes(base: string, usedBy: readonly string[], key: string, item: z.ZodType<{ id: string }>) {
  const one = (id: string) => `${base}${encodeURIComponent(id)}`;
  return [
    {
      method: "GET",
      route: base,
      kind: "documented",
      usedBy,
      probe: listProbe(
        () => base,
        (json) => polarListResource(item).parse(json),
        (body) => body.items[0]?.id,
        key,
        { limit: 1 },
      ),
    },
    {
      method: "GET",
      route: `${base}{id}`,
      kind: "documented",
      usedBy,
      probe: getProbe(
        (found) => (found.has(key) ? one(found.get(key) as string) : undefined),
        (json) => item.parse(json),
      ),
    },
    {
      method: "GET",
      route: `${base}{id} (an id that does not exist)`,
      kind: "documented",
      usedBy,
      probe: missingProbe((id) => one(id)),
    },
  ] as const satisfies readonly RouteProbe[];
}

export const routes: readonly RouteProbe[] = [
  ...readRoutes("/v1/products/", PRODUCT, "product", polarProductSchema),
  { method: "POST", route: "/v1/products/", kind: "documented", usedBy: PRODUCT },
  { method: "PATCH", route: "/v1/products/{id}", kind: "documented", usedBy: PRODUCT },
  ...readRoutes("/v1/checkout-links/", LINK, "link", polarCheckoutLinkSchema),
  { method: "POST", route: "/v1/checkout-links/", kind: "documented", usedBy: LINK },
  { method: "PATCH", route: "/v1/checkout-links/{id}", kind: "documented", usedBy: LINK },
  { method: "DELETE", route: "/v1/checkout-links/{id}", kind: "documented", usedBy: LINK },
  ...readRoutes("/v1/benefits/", BENEFIT, "benefit", polarBenefitSchema),
  { method: "POST", route: "/v1/benefits/", kind: "documented", usedBy: BENEFIT },
  { method: "PATCH", route: "/v1/benefits/{id}", kind: "documented", usedBy: BENEFIT },
  { method: "DELETE", route: "/v1/benefits/{id}", kind: "documented", usedBy: BENEFIT },
  ...readRoutes("/v1/meters/", METER, "meter", polarMeterSchema),
  { method: "POST", route: "/v1/meters/", kind: "documented", usedBy: METER },
  { method: "PATCH", route: "/v1/meters/{id}", kind: "documented", usedBy: METER },
  ...readRoutes("/v1/custom-fields/", FIELD, "field", polarCustomFieldSchema),
  { method: "POST", route: "/v1/custom-fields/", kind: "documented", usedBy: FIELD },
  { method: "PATCH", route: "/v1/custom-fields/{id}", kind: "documented", usedBy: FIELD },
  { method: "DELETE", route: "/v1/custom-fields/{id}", kind: "documented", usedBy: FIELD },
  ...readRoutes("/v1/discounts/", DISCOUNT, "discount", polarDiscountSchema),
  { method: "POST", route: "/v1/discounts/", kind: "documented", usedBy: DISCOUNT },
  { method: "PATCH", route: "/v1/discounts/{id}", kind: "documented", usedBy: DISCOUNT },
  { method: "DELETE", route: "/v1/discounts/{id}", kind: "documented", usedBy: DISCOUNT },
];
