/**
 * The coreapi.io routes the resources use, documented or inferred (README "Inferred API
 * behaviour"), and how `checkout-links doctor` probes each without changing the account.
 */
import { getProbe, listProbe, missingProbe, type RouteProbe, WRITE_NOT_PROBED } from "../core/doctor";
import { coreapiCheckoutLinkListSchema, coreapiPlanListSchema, coreapiPlanSchema } from "./schemas";

const PLAN = ["coreapi:Plan"] as const;
const LINK = ["coreapi:CheckoutLink"] as const;
const BOTH = [...PLAN, ...LINK] as const;
const plan = (id: string) => `/api/plans/${encodeURIComponent(id)}`;

export const routes: readonly RouteProbe[] = [
  {
    method: "GET",
    route: "/api/plans",
    kind: "documented",
    usedBy: BOTH,
    probe: listProbe(
      () => "/api/plans",
      (json) => coreapiPlanListSchema.parse(json),
      (body) => body.data[0]?.id,
      "plan",
      { limit: 1 },
    ),
  },
  {
    method: "GET",
    route: "/api/plans/{id}",
    kind: "inferred",
    usedBy: PLAN,
    probe: getProbe(
      (found) => (found.has("plan") ? plan(found.get("plan") as string) : undefined),
      (json) => coreapiPlanSchema.parse(json),
    ),
  },
  {
    method: "GET",
    route: "/api/plans/{id} (an id that does not exist)",
    kind: "inferred",
    usedBy: PLAN,
    probe: missingProbe((id) => plan(id)),
  },
  { method: "POST", route: "/api/plans", kind: "documented", usedBy: PLAN },
  { method: "PUT", route: "/api/plans/{id}", kind: "documented", usedBy: PLAN },
  { method: "POST", route: "/api/plans/{id}/activate", kind: "documented", usedBy: PLAN },
  { method: "DELETE", route: "/api/plans/{id}", kind: "documented", usedBy: PLAN },
  {
    method: "GET",
    route: "/api/plans/{id}/checkout-links",
    kind: "documented",
    usedBy: LINK,
    probe: listProbe(
      (found) => (found.has("plan") ? `${plan(found.get("plan") as string)}/checkout-links` : undefined),
      (json) => coreapiCheckoutLinkListSchema.parse(json),
      (body) => body[0]?.id,
      "link",
    ),
  },
  { method: "POST", route: "/api/plans/{id}/checkout-links", kind: "documented", usedBy: LINK },
  {
    method: "PUT",
    route: "/api/plans/{id}/checkout-links/{linkId}",
    kind: "inferred",
    usedBy: LINK,
    notProbed: `${WRITE_NOT_PROBED}; no read answers on this path, so nothing safe shows whether it is routed`,
  },
  {
    method: "DELETE",
    route: "/api/plans/{id}/checkout-links/{linkId}",
    kind: "inferred",
    usedBy: LINK,
    notProbed: `${WRITE_NOT_PROBED}; no read answers on this path, so nothing safe shows whether it is routed`,
  },
];
