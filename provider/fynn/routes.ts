/**
 * The Fynn classic routes fynn.CheckoutLink uses, documented or inferred (README "Inferred API
 * behaviour"), and how `checkout-links doctor` probes each without changing the account.
 */
import { getProbe, listProbe, missingProbe, type RouteProbe, WRITE_NOT_PROBED } from "../core/doctor";
import { fynnList } from "../fynnFamily";
import { fynnCheckoutLinkSchema } from "./schemas";

const LINK = ["fynn:CheckoutLink"] as const;
const link = (id: string) => `/checkout-links/${encodeURIComponent(id)}`;

export const routes: readonly RouteProbe[] = [
  {
    method: "GET",
    route: "/checkout-links?slug=…",
    kind: "inferred",
    usedBy: LINK,
    probe: listProbe(
      () => "/checkout-links",
      (json) => fynnList(fynnCheckoutLinkSchema).parse(json),
      (body) => body.data[0]?.id,
      "link",
      { page: 1, limit: 1 },
    ),
  },
  {
    method: "GET",
    route: "/checkout-links/{id}",
    kind: "documented",
    usedBy: LINK,
    probe: getProbe(
      (found) => (found.has("link") ? link(found.get("link") as string) : undefined),
      (json) => fynnCheckoutLinkSchema.parse(json),
    ),
  },
  {
    method: "GET",
    route: "/checkout-links/{id} (an id that does not exist)",
    kind: "documented",
    usedBy: LINK,
    probe: missingProbe((id) => link(id)),
  },
  { method: "POST", route: "/checkout-links", kind: "documented", usedBy: LINK },
  { method: "PUT", route: "/checkout-links/{id}", kind: "documented", usedBy: LINK },
  {
    method: "DELETE",
    route: "/checkout-links/{id}",
    kind: "inferred",
    usedBy: LINK,
    notProbed: `${WRITE_NOT_PROBED}; the GET of the same path above shows whether the path is routed`,
  },
];
