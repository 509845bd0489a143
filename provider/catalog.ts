/**
 * A whole catalog in a few lines: plans with their tiers and the links that sell them, on any of
 * the three backends, with every link's slug and URL as one output.
 *
 * ```ts
 * const catalog = new Catalog("shop", {
 *   coreapi: {
 *     plans: {
 *       "pro-plan": {
 *         name: "Pro Plan",
 *         tiers: [{ name: "Starter" }, { name: "Pro" }],
 *         links: { "pro-monthly": { tier: "Pro", slug: "pro-plan-pro" } },
 *       },
 *     },
 *   },
 *   polar: {
 *     products: { pro: { name: "Pro", recurringInterval: "month", prices: [{ type: "fixed", amount: 2900 }] } },
 *     links: { "pro-launch": { products: ["pro"], label: "pro launch" } },
 *   },
 * });
 * export const links = catalog.links;
 * ```
 *
 * A catalog that does not hold together (a link selling a tier its plan does not declare) fails
 * the program with one line naming the place, as a {@link pulumi.ResourceError} on the component:
 * the engine prints it without a stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import * as coreapi from "./coreapi";
import * as fynn from "./fynn";
import * as polar from "./polar";

/** A coreapi link in a catalog: the tier is named, the plan is the one it is declared in. */
export interface CatalogCoreapiLinkArgs extends Omit<coreapi.CheckoutLinkArgs, "planId" | "planTierId"> {
  /** Name of the tier the link sells. */
  tier: string;
}

/** A coreapi plan in a catalog: the plan's arguments without its code (the catalog key is the code). */
export interface CatalogCoreapiPlanArgs extends Omit<coreapi.PlanArgs, "code" | "tiers"> {
  /** Tiers in order; names are unique in the plan. */
  tiers: coreapi.PlanTierArgs[];
  /** Links selling tiers of this plan, by name. @default {} */
  links?: Record<string, CatalogCoreapiLinkArgs>;
}

/** A Polar link in a catalog: products are keys of `polar.products` or Polar product ids. */
export interface CatalogPolarLinkArgs extends Omit<polar.CheckoutLinkArgs, "products"> {
  /** What the link sells, in order: keys of `polar.products` in this catalog, or Polar product ids. */
  products: string[];
}

/** A catalog's contents per backend; every backend is optional. */
export interface CatalogArgs {
  /** coreapi.io plans keyed by plan code. */
  coreapi?: { plans?: Record<string, CatalogCoreapiPlanArgs> };
  /** Fynn classic links keyed by name. */
  fynn?: { links?: Record<string, fynn.CheckoutLinkArgs> };
  /** Polar products (plans and tiers) and links, keyed by name. */
  polar?: { products?: Record<string, polar.ProductArgs>; links?: Record<string, CatalogPolarLinkArgs> };
}

/** One link of a catalog as {@link Catalog.links} reports it. */
export interface CatalogLink {
  /** The backend that serves the link. */
  backend: "coreapi" | "fynn" | "polar";
  /** The link's slug; Polar links have none. */
  slug: string | null;
  /** The public checkout URL buyers open. */
  url: string;
}

/**
 * A component holding a whole catalog: one resource per plan, product and link, each a child of
 * the catalog named `<catalog>-<key>`, so a link moved in or out of a catalog keeps its URN only when
 * its name stays the same.
 */
export class Catalog extends pulumi.ComponentResource {
  /** Every link of the catalog, keyed `<backend>/<name>`. */
  declare readonly links: pulumi.Output<Record<string, CatalogLink>>;
  /** The coreapi plans, by plan code. */
  readonly coreapiPlans: Record<string, coreapi.Plan> = {};
  /** The coreapi links, by link name. */
  readonly coreapiLinks: Record<string, coreapi.CheckoutLink> = {};
  /** The Fynn classic links, by link name. */
  readonly fynnLinks: Record<string, fynn.CheckoutLink> = {};
  /** The Polar products, by key. */
  readonly polarProducts: Record<string, polar.Product> = {};
  /** The Polar links, by link name. */
  readonly polarLinks: Record<string, polar.CheckoutLink> = {};

  /**
   * @param name the component's name, and the prefix of every child's name
   * @param args the plans, products and links per backend
   * @param opts options of the component (a provider, `protect`, …), passed on to the children as their parent's
   */
  constructor(name: string, args: CatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("checkout-links:index:Catalog", name, {}, opts);
    const parent = { parent: this };
    const links: Record<string, pulumi.Output<CatalogLink>> = {};

    for (const [code, plan] of Object.entries(args.coreapi?.plans ?? {})) {
      const { links: planLinks, tiers, ...rest } = plan;
      const tierNames = new Set(tiers.map((t) => t.name));
      const p = new coreapi.Plan(`${name}-${code}`, { ...rest, code, tiers }, parent);
      this.coreapiPlans[code] = p;
      for (const [linkName, link] of Object.entries(planLinks ?? {})) {
        const { tier, ...linkArgs } = link;
        if (!tierNames.has(tier)) {
          throw this.mistake(
            `coreapi.plans.${code}.links.${linkName}.tier: no tier named "${tier}" in plan ${code}`,
          );
        }
        const l = new coreapi.CheckoutLink(
          `${name}-${linkName}`,
          {
            ...linkArgs,
            planId: p.planId,
            planTierId: p.tierIds.apply((ids) => ids[tier] as string),
            ...((linkArgs.account ?? rest.account)
              ? { account: (linkArgs.account ?? rest.account) as pulumi.Input<string> }
              : {}),
          },
          { parent: this, dependsOn: [p] },
        );
        this.coreapiLinks[linkName] = l;
        links[`coreapi/${linkName}`] = pulumi
          .all([l.slug, l.url])
          .apply(([slug, url]) => ({ backend: "coreapi" as const, slug, url }));
      }
    }

    for (const [linkName, link] of Object.entries(args.fynn?.links ?? {})) {
      const l = new fynn.CheckoutLink(`${name}-${linkName}`, link, parent);
      this.fynnLinks[linkName] = l;
      links[`fynn/${linkName}`] = pulumi
        .all([l.slug, l.url])
        .apply(([slug, url]) => ({ backend: "fynn" as const, slug, url }));
    }

    for (const [key, product] of Object.entries(args.polar?.products ?? {})) {
      this.polarProducts[key] = new polar.Product(`${name}-${key}`, product, parent);
    }
    for (const [linkName, link] of Object.entries(args.polar?.links ?? {})) {
      const products = link.products.map((p) => this.polarProducts[p]?.productId ?? p);
      const l = new polar.CheckoutLink(`${name}-${linkName}`, { ...link, products }, parent);
      this.polarLinks[linkName] = l;
      links[`polar/${linkName}`] = l.url.apply((url) => ({ backend: "polar" as const, slug: null, url }));
    }

    const all = pulumi.all(links) as pulumi.Output<Record<string, CatalogLink>>;
    (this as { links: pulumi.Output<Record<string, CatalogLink>> }).links = all;
    this.registerOutputs({ links: all });
  }

  /**
   * A mistake in the catalog's arguments, for the user: reported by the engine on this component
   * as the one line given; a stack trace would only point into this file.
   */
  private mistake(message: string): pulumi.ResourceError {
    return new pulumi.ResourceError(message, this, true);
  }
}
