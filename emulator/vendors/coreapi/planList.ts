/**
 * `GET /api/plans`: plan summaries filtered by status and code, sorted, in cursor mode by default
 * and in page mode when `page` is given.
 */
import type { App, Ctx } from "../../app";
import { fynnViolationError, SYMFONY_CODES, type Violation } from "../fynnFamily";
import { type CoreapiPlanRec, coreapiState } from "./state";

type SortKey = "updatedAt" | "createdAt" | "code" | "name";

interface ListQuery {
  status: string | null;
  code: string | null;
  sortKey: SortKey;
  order: string;
  limit: number;
  page: number | undefined;
  cursor: string | null;
  offset: number;
}

/** The list's query parameters, every invalid one a violation of one 422. */
function listQuery(app: App, ctx: Ctx): ListQuery {
  const q = ctx.query;
  const sortKey = (q.get("sort") ?? "createdAt") as SortKey;
  const order = q.get("order") ?? "asc";
  const violations: Violation[] = [];
  const invalid = (propertyPath: string, message: string, code: string | null) =>
    violations.push({ propertyPath, message, code });
  const notAChoice = "The value you selected is not a valid choice.";
  if (!["updatedAt", "createdAt", "code", "name"].includes(sortKey))
    invalid("sort", notAChoice, SYMFONY_CODES.choice);
  if (order !== "asc" && order !== "desc") invalid("order", notAChoice, SYMFONY_CODES.choice);
  const limitRaw = q.has("limit") ? Number(q.get("limit")) : 20;
  if (!Number.isInteger(limitRaw) || limitRaw < 1)
    invalid("limit", "Limit should be a positive integer.", SYMFONY_CODES.range);
  const page = q.has("page") ? Number(q.get("page")) : undefined;
  if (page !== undefined && (!Number.isInteger(page) || page < 1))
    invalid("page", "Page should be a positive integer.", SYMFONY_CODES.range);
  let offset = 0;
  const cursor = q.get("cursor");
  if (cursor) {
    offset = Number(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) invalid("cursor", "Invalid cursor.", null);
  }
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  // inferred: the maximum limit is undocumented; clamp to 100 like the classic API.
  const limit = Math.min(limitRaw, 100);
  if (page !== undefined) offset = (page - 1) * limit;
  return { status: q.get("status"), code: q.get("code"), sortKey, order, limit, page, cursor, offset };
}

function summary(app: App, plan: CoreapiPlanRec, currency: string | null) {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    currency,
    tierCount: plan.tiers.length,
    updatedAt: plan.updatedAt,
    // Not in the documented summary.
    ...(app.options.docsOnly ? {} : { status: plan.status }),
  };
}

/** The answer of `GET /api/plans` for organisation `orgId`; `currencyOf` gives a plan's currency. */
export function listPlans(
  app: App,
  ctx: Ctx,
  orgId: string,
  currencyOf: (plan: CoreapiPlanRec) => string | null,
) {
  const { status, code, sortKey, order, limit, page, cursor, offset } = listQuery(app, ctx);
  const plans = Object.values(coreapiState(app).plans)
    .filter((p) => p.orgId === orgId && (!status || p.status === status) && (!code || p.code.includes(code)))
    .sort((a, b) => (order === "desc" ? -1 : 1) * String(a[sortKey]).localeCompare(String(b[sortKey])));
  const data = plans.slice(offset, offset + limit).map((plan) => summary(app, plan, currencyOf(plan)));
  const encode = (n: number) => Buffer.from(String(n), "utf8").toString("base64url");
  const pagination =
    page !== undefined
      ? {
          limit,
          totalItems: plans.length,
          itemsPerPage: limit,
          currentPage: page,
          totalPages: Math.max(1, Math.ceil(plans.length / limit)),
          pageTotalItems: data.length,
        }
      : {
          limit,
          cursor: cursor ?? null,
          hasMore: offset + limit < plans.length,
          nextCursor: offset + limit < plans.length ? encode(offset + limit) : null,
          prevCursor: offset > 0 ? encode(Math.max(0, offset - limit)) : null,
        };
  return { data, meta: { count: data.length, total: plans.length }, pagination };
}
