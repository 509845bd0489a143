/**
 * coreapi.io, the Fynn V2 Plans API: plans with tiers, and checkout links selling one tier.
 * Served under `/fynn` (paths `/api/...`), sharing tokens, catalog and slug namespace with Fynn classic
 * (vendors/fynnFamily.ts).
 */
import {
  type CoreapiPlanWriteParsed,
  coreapiCheckoutLink,
  coreapiCheckoutLinkCreate,
  coreapiCheckoutLinkList,
  coreapiCheckoutLinkUpdate,
  coreapiPlan,
  coreapiPlanArchived,
  coreapiPlanList,
  coreapiPlanWrite as coreapiPlanWriteSchema,
} from "../../provider/coreapi/schemas";
import type { App, Ctx, Reply, Route, VendorModule } from "../app";
import { FYNN_SCOPES, type OrganizationSeed } from "../seed";
import type { CoreapiLinkRec, CoreapiPlanRec, CoreapiTierRec } from "../state";
import { fynnTimestamp, newId, uniqueSlug } from "../util";
import {
  cartUrl,
  conflict,
  createCart,
  findBySlug,
  fynnAuth,
  fynnBody,
  fynnNotFound,
  fynnPublicBase,
  fynnViolationError,
  owned,
  SYMFONY_CODES,
  slugConflict,
  slugTaken,
  takenSlugs,
  type Violation,
} from "./fynnFamily";

function renderPlan(app: App, plan: CoreapiPlanRec) {
  const { fynn } = app.state;
  const tiers = [...plan.tiers]
    .sort((a, b) => a.position - b.position)
    .map((tier) => ({
      ...tier,
      items: tier.items.map((item) => {
        const price = fynn.pricePlans[item.pricePlanId];
        const shown = {
          id: item.id,
          productId: item.productId,
          productName: fynn.products[item.productId]?.name ?? "",
          pricePlanId: item.pricePlanId,
          pricePlanName: price?.internalName ?? "",
          currency: price?.currencyCode ?? "",
          defaultQuantity: item.defaultQuantity,
          minQuantity: item.minQuantity,
          maxQuantity: item.maxQuantity,
          quantityEditable: item.quantityEditable,
        };
        // The documented item has no quantityEditable.
        if (app.options.docsOnly) delete (shown as Partial<typeof shown>).quantityEditable;
        return shown;
      }),
    }));
  const firstItem = tiers.flatMap((t) => t.items)[0];
  const rendered = {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    description: plan.description,
    status: plan.status,
    currency: firstItem ? firstItem.currency : null,
    tiers,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
  // The documented plan object has no description.
  if (app.options.docsOnly) delete (rendered as Partial<typeof rendered>).description;
  return rendered;
}

function salesChannelOf(org: OrganizationSeed, id: string) {
  const channel = org.salesChannels.find((c) => c.id === id) ?? org.salesChannels[0]!;
  return { id: channel.id, name: channel.name, brandName: channel.brandName };
}

function renderLink(app: App, link: CoreapiLinkRec) {
  const plan = app.state.coreapi.plans[link.planId];
  const tier = plan?.tiers.find((t) => t.id === link.planTierId);
  const org = app.orgsById.get(link.orgId)!;
  return {
    id: link.id,
    slug: link.slug,
    planTierId: link.planTierId,
    planTierName: tier?.name ?? "",
    couponsAllowed: link.couponsAllowed,
    isEnabled: link.isEnabled,
    url: `${fynnPublicBase(app)}/checkout-link/${link.slug}/cart`,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
    salesChannel: salesChannelOf(org, link.salesChannelId),
  };
}

/** A channel given as UUID or technical name; the organisation default when omitted. */
function resolveSalesChannel(app: App, org: OrganizationSeed, value: string | null | undefined): string {
  if (value === undefined || value === null) return org.salesChannels[0]!.id;
  const channel = org.salesChannels.find((c) => c.id === value || c.name === value);
  if (!channel) {
    throw fynnViolationError(app.options.fynnValidationStatus, [
      {
        propertyPath: "salesChannel",
        message: `Sales channel "${value}" does not exist.`,
        code: SYMFONY_CODES.choice,
      },
    ]);
  }
  return channel.id;
}

/** Builds the stored tiers of a plan write, validating catalog references and kept ids. */
function buildTiers(
  app: App,
  orgId: string,
  body: CoreapiPlanWriteParsed,
  existing?: CoreapiPlanRec,
): CoreapiTierRec[] {
  const violations: Violation[] = [];
  const { fynn } = app.state;
  const tiers = body.tiers.map((tier, t): CoreapiTierRec => {
    const old = tier.id ? existing?.tiers.find((x) => x.id === tier.id) : undefined;
    if (tier.id && !old) {
      violations.push({
        propertyPath: `tiers[${t}].id`,
        message: "This tier does not belong to the plan.",
        code: null,
      });
    }
    const items = tier.items.map((item, i) => {
      const path = `tiers[${t}].items[${i}]`;
      const product = fynn.products[item.productId];
      const price = fynn.pricePlans[item.pricePlanId];
      if (!product || product.orgId !== orgId) {
        violations.push({ propertyPath: `${path}.productId`, message: "Product not found.", code: null });
      }
      if (!price || price.orgId !== orgId) {
        violations.push({
          propertyPath: `${path}.pricePlanId`,
          message: "Price plan not found.",
          code: null,
        });
      } else if (product && price.productId !== product.id) {
        violations.push({
          propertyPath: `${path}.pricePlanId`,
          message: "The price plan does not belong to the product.",
          code: SYMFONY_CODES.choice,
        });
      }
      const keep = item.id ? old?.items.find((x) => x.id === item.id) : undefined;
      if (item.id && !keep) {
        violations.push({
          propertyPath: `${path}.id`,
          message: "This item does not belong to the tier.",
          code: null,
        });
      }
      return {
        id: keep?.id ?? newId(),
        productId: item.productId,
        pricePlanId: item.pricePlanId,
        defaultQuantity: item.defaultQuantity,
        minQuantity: item.minQuantity,
        maxQuantity: item.maxQuantity,
        quantityEditable: item.quantityEditable,
      };
    });
    return {
      id: old?.id ?? newId(),
      position: tier.position ?? t,
      name: tier.name,
      upgradeable: tier.upgradeable,
      downgradeable: tier.downgradeable,
      commitmentPeriod: tier.commitmentPeriod,
      // inferred defaults: the docs show these values only as examples.
      changeTiming: tier.changeTiming ?? old?.changeTiming ?? "immediately",
      creditType: tier.creditType ?? old?.creditType ?? "pro_rata",
      items,
    };
  });
  if (existing) {
    // inferred: a tier that live links sell cannot be removed (the links would sell nothing).
    for (const removed of existing.tiers.filter((old) => !tiers.some((t) => t.id === old.id))) {
      const sold = Object.values(app.state.coreapi.links).filter(
        (l) => l.planTierId === removed.id && !l.deletedAt,
      );
      if (sold.length) {
        violations.push({
          propertyPath: "tiers",
          message: `Tier "${removed.name}" is sold by checkout link(s) ${sold.map((l) => l.slug).join(", ")}; delete them first.`,
          code: null,
        });
      }
    }
  }
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  return tiers;
}

function codeTaken(app: App, orgId: string, code: string, exceptId?: string): boolean {
  return Object.values(app.state.coreapi.plans).some(
    (p) => p.orgId === orgId && p.code === code && p.id !== exceptId,
  );
}

/** `GET /api/plans`: cursor mode by default, page mode when `page` is given. */
function listPlans(app: App, ctx: Ctx, orgId: string) {
  const q = ctx.query;
  const status = q.get("status");
  const code = q.get("code");
  const sortKey = (q.get("sort") ?? "createdAt") as "updatedAt" | "createdAt" | "code" | "name";
  const order = q.get("order") ?? "asc";
  const violations: Violation[] = [];
  if (!["updatedAt", "createdAt", "code", "name"].includes(sortKey)) {
    violations.push({
      propertyPath: "sort",
      message: "The value you selected is not a valid choice.",
      code: SYMFONY_CODES.choice,
    });
  }
  if (order !== "asc" && order !== "desc") {
    violations.push({
      propertyPath: "order",
      message: "The value you selected is not a valid choice.",
      code: SYMFONY_CODES.choice,
    });
  }
  const limitRaw = q.has("limit") ? Number(q.get("limit")) : 20;
  if (!Number.isInteger(limitRaw) || limitRaw < 1) {
    violations.push({
      propertyPath: "limit",
      message: "Limit should be a positive integer.",
      code: SYMFONY_CODES.range,
    });
  }
  const page = q.has("page") ? Number(q.get("page")) : undefined;
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
    violations.push({
      propertyPath: "page",
      message: "Page should be a positive integer.",
      code: SYMFONY_CODES.range,
    });
  }
  let offset = 0;
  const cursor = q.get("cursor");
  if (cursor) {
    offset = Number(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) {
      violations.push({ propertyPath: "cursor", message: "Invalid cursor.", code: null });
    }
  }
  if (violations.length) throw fynnViolationError(app.options.fynnValidationStatus, violations);
  // inferred: the maximum limit is undocumented; clamp to 100 like the classic API.
  const limit = Math.min(limitRaw, 100);
  const plans = Object.values(app.state.coreapi.plans)
    .filter((p) => p.orgId === orgId && (!status || p.status === status) && (!code || p.code.includes(code)))
    .sort((a, b) => (order === "desc" ? -1 : 1) * String(a[sortKey]).localeCompare(String(b[sortKey])));
  if (page !== undefined) offset = (page - 1) * limit;
  const slice = plans.slice(offset, offset + limit);
  const data = slice.map((plan) => {
    const rendered = renderPlan(app, plan);
    return {
      id: plan.id,
      code: plan.code,
      name: plan.name,
      currency: rendered.currency,
      tierCount: plan.tiers.length,
      updatedAt: plan.updatedAt,
      // Not in the documented summary.
      ...(app.options.docsOnly ? {} : { status: plan.status }),
    };
  });
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

function coreapiRoutes(app: App): Route[] {
  const plans = () => app.state.coreapi.plans;
  const links = () => app.state.coreapi.links;
  const readPlans = [FYNN_SCOPES.planRead, FYNN_SCOPES.planWrite];
  const readLinks = [FYNN_SCOPES.linkRead, FYNN_SCOPES.linkWrite];
  const planReply = (status: number, plan: CoreapiPlanRec): Reply => ({
    status,
    body: renderPlan(app, plan),
    schema: coreapiPlan,
  });
  const linkReply = (status: number, link: CoreapiLinkRec): Reply => ({
    status,
    body: renderLink(app, link),
    schema: coreapiCheckoutLink,
  });
  const planTransition = (ctx: Ctx, to: "active"): Reply => {
    const org = fynnAuth(app, ctx, [FYNN_SCOPES.planWrite]);
    const plan = owned(plans(), ctx.params["id"], org.id);
    if (plan.status === "archived") {
      throw fynnViolationError(app.options.fynnValidationStatus, [
        { propertyPath: "status", message: "An archived plan cannot be activated.", code: null },
      ]);
    }
    if (plan.status !== to) {
      plan.status = to;
      plan.updatedAt = fynnTimestamp(app.now());
    }
    return planReply(200, plan);
  };

  /** The link addressed by a single-link route, checked against the plan when the path names one. */
  const linkFor = (ctx: Ctx, orgId: string): CoreapiLinkRec => {
    const link = owned(links(), ctx.params["linkId"], orgId);
    if (ctx.params["planId"] !== undefined && link.planId !== ctx.params["planId"]) throw fynnNotFound();
    return link;
  };
  const singleLinkRoutes = (pattern: string): Route[] => [
    {
      method: "GET",
      pattern,
      handler: (ctx) => linkReply(200, linkFor(ctx, fynnAuth(app, ctx, readLinks).id)),
    },
    {
      method: "PUT",
      pattern,
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.linkWrite]);
        const link = linkFor(ctx, org.id);
        const body = fynnBody(app, ctx, coreapiCheckoutLinkUpdate);
        if (body.planTierId !== undefined && body.planTierId !== link.planTierId) {
          // inferred: a link sells one tier; selling another is a new link.
          throw fynnViolationError(app.options.fynnValidationStatus, [
            {
              propertyPath: "planTierId",
              message: "The tier of a checkout link cannot be changed; create a new link instead.",
              code: null,
            },
          ]);
        }
        if (body.slug && slugTaken(app, org.id, body.slug, link.id)) throw slugConflict(app, body.slug);
        link.salesChannelId = resolveSalesChannel(app, org, body.salesChannel);
        if (body.slug) link.slug = body.slug;
        link.couponsAllowed = body.couponsAllowed;
        link.isEnabled = body.isEnabled;
        link.updatedAt = fynnTimestamp(app.now());
        return linkReply(200, link);
      },
    },
    {
      method: "DELETE",
      pattern,
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.linkWrite]);
        linkFor(ctx, org.id).deletedAt = fynnTimestamp(app.now());
        return { status: 204 };
      },
    },
  ];

  const routes: Route[] = [
    {
      method: "GET",
      pattern: "/api/plans",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, readPlans);
        return { status: 200, body: listPlans(app, ctx, org.id), schema: coreapiPlanList };
      },
    },
    {
      method: "POST",
      pattern: "/api/plans",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.planWrite]);
        const body = fynnBody(app, ctx, coreapiPlanWriteSchema);
        if (codeTaken(app, org.id, body.code))
          throw conflict(app, "code", `The code "${body.code}" is already used by another plan.`);
        const at = fynnTimestamp(app.now());
        const plan: CoreapiPlanRec = {
          id: newId(),
          orgId: org.id,
          code: body.code,
          name: body.name,
          description: body.description,
          status: "draft",
          tiers: buildTiers(app, org.id, body),
          createdAt: at,
          updatedAt: at,
        };
        plans()[plan.id] = plan;
        // inferred: 201 for a create.
        return planReply(201, plan);
      },
    },
    {
      method: "GET",
      pattern: "/api/plans/:id",
      handler: (ctx) => planReply(200, owned(plans(), ctx.params["id"], fynnAuth(app, ctx, readPlans).id)),
    },
    {
      method: "PUT",
      pattern: "/api/plans/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.planWrite]);
        const plan = owned(plans(), ctx.params["id"], org.id);
        const body = fynnBody(app, ctx, coreapiPlanWriteSchema);
        if (plan.status === "archived") {
          throw fynnViolationError(app.options.fynnValidationStatus, [
            { propertyPath: "", message: "An archived plan cannot be updated.", code: null },
          ]);
        }
        if (codeTaken(app, org.id, body.code, plan.id)) {
          throw conflict(app, "code", `The code "${body.code}" is already used by another plan.`);
        }
        plan.tiers = buildTiers(app, org.id, body, plan);
        plan.code = body.code;
        plan.name = body.name;
        plan.description = body.description;
        plan.updatedAt = fynnTimestamp(app.now());
        return planReply(200, plan);
      },
    },
    {
      // "Delete or archive a plan": deleted when nothing references it; archived (200 with the
      // references) when checkout links or purchases (carts, standing in for subscriptions) do.
      method: "DELETE",
      pattern: "/api/plans/:id",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.planWrite]);
        const plan = owned(plans(), ctx.params["id"], org.id);
        const planLinks = Object.values(links()).filter((l) => l.planId === plan.id);
        const live = planLinks.filter((l) => !l.deletedAt).length;
        const sold = Object.values(app.state.fynn.carts).filter(
          (c) => c.source === "coreapi" && planLinks.some((l) => l.id === c.linkId),
        ).length;
        if (live > 0 || sold > 0 || plan.status === "archived") {
          if (plan.status !== "archived") {
            plan.status = "archived";
            plan.updatedAt = fynnTimestamp(app.now());
          }
          return {
            status: 200,
            body: {
              status: "archived",
              references: { checkoutLinks: live, subscriptions: sold, schedules: 0 },
            },
            schema: coreapiPlanArchived,
          };
        }
        delete plans()[plan.id];
        for (const l of planLinks) delete links()[l.id];
        // inferred: the hard delete's answer is undocumented.
        return { status: 204 };
      },
    },
    { method: "POST", pattern: "/api/plans/:id/activate", handler: (ctx) => planTransition(ctx, "active") },
    {
      method: "GET",
      pattern: "/api/plans/:id/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, readLinks);
        const plan = owned(plans(), ctx.params["id"], org.id);
        const list = Object.values(links())
          .filter((l) => l.planId === plan.id && !l.deletedAt)
          .map((l) => renderLink(app, l));
        return { status: 200, body: list, schema: coreapiCheckoutLinkList };
      },
    },
    {
      method: "POST",
      pattern: "/api/plans/:id/checkout-links",
      handler: (ctx) => {
        const org = fynnAuth(app, ctx, [FYNN_SCOPES.linkWrite]);
        const plan = owned(plans(), ctx.params["id"], org.id);
        const body = fynnBody(app, ctx, coreapiCheckoutLinkCreate);
        const tier = plan.tiers.find((t) => t.id === body.planTierId);
        if (!tier) {
          throw fynnViolationError(app.options.fynnValidationStatus, [
            { propertyPath: "planTierId", message: "The tier does not belong to this plan.", code: null },
          ]);
        }
        if (plan.status !== "active") {
          // inferred: "Only active plans can be sold".
          throw fynnViolationError(app.options.fynnValidationStatus, [
            {
              propertyPath: "",
              message: "The plan must be active to sell it through a checkout link.",
              code: null,
            },
          ]);
        }
        if (body.slug && slugTaken(app, org.id, body.slug)) throw slugConflict(app, body.slug);
        const salesChannelId = resolveSalesChannel(app, org, body.salesChannel);
        // inferred: generated slugs look like `{planCode}-{tierName}` (the docs' `pro-plan-pro`).
        const taken = takenSlugs(app, org.id);
        const slug = body.slug || uniqueSlug(`${plan.code}-${tier.name}`, (s) => taken.has(s));
        const at = fynnTimestamp(app.now());
        const link: CoreapiLinkRec = {
          id: newId(),
          orgId: org.id,
          planId: plan.id,
          planTierId: tier.id,
          slug,
          couponsAllowed: body.couponsAllowed,
          isEnabled: body.isEnabled,
          salesChannelId,
          createdAt: at,
          updatedAt: at,
          deletedAt: null,
        };
        links()[link.id] = link;
        // inferred: 201 ("The created checkout link").
        return linkReply(201, link);
      },
    },
    {
      method: "GET",
      pattern: "/checkout-link/:slug/cart",
      handler: (ctx) => {
        const link = findBySlug(app, ctx, links(), ctx.params["slug"]);
        const plan = link ? plans()[link.planId] : undefined;
        // A disabled link, or one whose plan is no longer active, is not reachable.
        if (!link?.isEnabled || plan?.status !== "active") throw fynnNotFound();
        const cart = createCart(app, link.orgId, "coreapi", link.id, null, Object.fromEntries(ctx.query));
        return { status: 302, headers: { location: cartUrl(app, cart) } };
      },
    },
  ];
  if (app.options.coreapiLinkRoutes.includes("plan")) {
    routes.push(...singleLinkRoutes("/api/plans/:planId/checkout-links/:linkId"));
  }
  if (app.options.coreapiLinkRoutes.includes("root"))
    routes.push(...singleLinkRoutes("/api/checkout-links/:linkId"));
  return routes;
}

/** coreapi.io: the `/api/...` paths below `/fynn`. */
export const COREAPI_VENDOR: VendorModule = {
  backend: "coreapi",
  routes: coreapiRoutes,
  claims: (path) => path.startsWith("/api/"),
};
