/** Fynn classic's list answers: `{data, meta.pagination}`, paged by `page` and `limit`. */
import type { App, Ctx } from "../../app";
import { fynnViolationError, SYMFONY_CODES, type Violation } from "../fynnFamily";

/** Classic `page`/`limit` paging (limit 0..100; inferred: larger values are clamped, not rejected). */
export function paginate<T>(app: App, ctx: Ctx, items: T[], defaultLimit = 30) {
  const page = ctx.query.has("page") ? Number(ctx.query.get("page")) : 1;
  const limit = ctx.query.has("limit") ? Number(ctx.query.get("limit")) : defaultLimit;
  const violations: Violation[] = [];
  if (!Number.isInteger(page) || page < 1) {
    violations.push({
      propertyPath: "page",
      message: "Page should be a positive integer.",
      code: SYMFONY_CODES.range,
    });
  }
  if (!Number.isInteger(limit) || limit < 0) {
    violations.push({
      propertyPath: "limit",
      message: "Limit should be 0 or more.",
      code: SYMFONY_CODES.range,
    });
  }
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  const perPage = Math.min(limit, 100);
  const data = perPage === 0 ? [] : items.slice((page - 1) * perPage, page * perPage);
  return {
    data,
    meta: {
      pagination: {
        totalItems: items.length,
        itemsPerPage: perPage,
        currentPage: page,
        lastPage: perPage === 0 ? 1 : Math.max(1, Math.ceil(items.length / perPage)),
        pageTotalItems: data.length,
      },
    },
  };
}

/** Reads accept the read or the write permission of an object type. */
export function readScopes(scope: string): string[] {
  return [scope, scope.replace(":read", ":write")];
}
