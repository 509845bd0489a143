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
 *     benefits: { support: { type: "custom", description: "Priority support", properties: { note: "support@acme.test" } } },
 *     products: {
 *       pro: { name: "Pro", recurringInterval: "month", prices: [{ type: "fixed", amount: 2900 }], benefits: ["support"] },
 *     },
 *     discounts: { launch: { name: "Launch", type: "percentage", basisPoints: 2000, duration: "once", code: "LAUNCH20" } },
 *     links: { "pro-launch": { products: ["pro"], discount: "launch", label: "pro launch" } },
 *   },
 * });
 * export const links = catalog.links;
 * export const discountCodes = catalog.discountCodes;
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

/**
 * A Polar link in a catalog: products are keys of `polar.products` or Polar product ids, the
 * discount a key of `polar.discounts`.
 */
export interface CatalogPolarLinkArgs extends Omit<polar.CheckoutLinkArgs, "products"> {
  /** What the link sells, in order: keys of `polar.products` in this catalog, or Polar product ids. */
  products: string[];
  /** The discount the link applies: a key of `polar.discounts` in this catalog (or set `discountId`). @default none */
  discount?: string;
}

/** A Polar tier in a catalog: a product whose benefits are keys of `polar.benefits` or benefit ids. */
export interface CatalogPolarProductArgs extends Omit<polar.ProductArgs, "benefits"> {
  /** What buyers are granted, in order: keys of `polar.benefits` in this catalog, or Polar benefit ids. @default not managed */
  benefits?: string[];
}

/** A Polar discount in a catalog: restricted to keys of `polar.products` or Polar product ids. */
export interface CatalogPolarDiscountArgs extends Omit<polar.DiscountArgs, "products"> {
  /** The products it applies to: keys of `polar.products` in this catalog, or Polar product ids. @default every product */
  products?: string[];
}

/** A catalog's Polar objects, keyed by name. */
export interface CatalogPolarArgs {
  /** What tiers grant, by name; products list them in `benefits`. */
  benefits?: Record<string, polar.BenefitArgs>;
  /** Products (plans and tiers), by name. */
  products?: Record<string, CatalogPolarProductArgs>;
  /** Discounts, by name; links apply one with `discount`. */
  discounts?: Record<string, CatalogPolarDiscountArgs>;
  /** Checkout links, by name. */
  links?: Record<string, CatalogPolarLinkArgs>;
}

/** A catalog's contents per backend; every backend is optional. */
export interface CatalogArgs {
  /** coreapi.io plans keyed by plan code. */
  coreapi?: { plans?: Record<string, CatalogCoreapiPlanArgs> };
  /** Fynn classic links keyed by name. */
  fynn?: { links?: Record<string, fynn.CheckoutLinkArgs> };
  /** Polar benefits, products (plans and tiers), discounts and links, keyed by name. */
  polar?: CatalogPolarArgs;
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
  /** Each Polar discount's code (`null` for one without a code), by key: what buyers type at checkout. */
  declare readonly discountCodes: pulumi.Output<Record<string, string | null>>;
  /** Each Polar benefit's id, by key: what license-key checks and grants refer to. */
  declare readonly benefitIds: pulumi.Output<Record<string, string>>;
  /** The Polar benefits, by key. */
  readonly polarBenefits: Record<string, polar.Benefit> = {};
  /** The Polar products, by key. */
  readonly polarProducts: Record<string, polar.Product> = {};
  /** The Polar discounts, by key. */
  readonly polarDiscounts: Record<string, polar.Discount> = {};
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

    this.declarePolar(name, args.polar ?? {}, links);

    const all = pulumi.all(links) as pulumi.Output<Record<string, CatalogLink>>;
    const discountCodes = pulumi.all(
      Object.fromEntries(
        Object.entries(this.polarDiscounts).map(([key, d]) => [key, d.code.apply((c) => c ?? null)]),
      ),
    ) as pulumi.Output<Record<string, string | null>>;
    const benefitIds = pulumi.all(
      Object.fromEntries(Object.entries(this.polarBenefits).map(([key, b]) => [key, b.benefitId])),
    ) as pulumi.Output<Record<string, string>>;
    Object.assign(this, { links: all, discountCodes, benefitIds });
    this.registerOutputs({ links: all, discountCodes, benefitIds });
  }

  /**
   * Polar's objects in the order they refer to each other: benefits, the products granting them,
   * the discounts restricted to products, the links selling products with a discount.
   */
  private declarePolar(
    name: string,
    args: CatalogPolarArgs,
    links: Record<string, pulumi.Output<CatalogLink>>,
  ) {
    const parent = { parent: this };
    for (const [key, benefit] of Object.entries(args.benefits ?? {})) {
      this.polarBenefits[key] = new polar.Benefit(`${name}-${key}`, benefit, parent);
    }
    for (const [key, product] of Object.entries(args.products ?? {})) {
      const { benefits, ...rest } = product;
      this.polarProducts[key] = new polar.Product(
        `${name}-${key}`,
        {
          ...rest,
          ...(benefits === undefined
            ? {}
            : {
                benefits: benefits.map(
                  (b, i) =>
                    this.polarBenefits[b]?.benefitId ??
                    this.polarId(b, `polar.products.${key}.benefits[${i}]`, "benefit"),
                ),
              }),
        },
        parent,
      );
    }
    for (const [key, discount] of Object.entries(args.discounts ?? {})) {
      const { products, ...rest } = discount;
      this.polarDiscounts[key] = new polar.Discount(
        `${name}-${key}`,
        {
          ...rest,
          ...(products === undefined
            ? {}
            : { products: products.map((p) => this.polarProducts[p]?.productId ?? p) }),
        },
        parent,
      );
    }
    for (const [linkName, link] of Object.entries(args.links ?? {})) {
      const { discount, ...rest } = link;
      const products = rest.products.map((p) => this.polarProducts[p]?.productId ?? p);
      let discountId = rest.discountId;
      if (discount !== undefined) {
        const d = this.polarDiscounts[discount];
        if (d === undefined) {
          throw this.mistake(
            `polar.links.${linkName}.discount: no discount named "${discount}" in this catalog`,
          );
        }
        if (rest.discountId !== undefined) {
          throw this.mistake(`polar.links.${linkName}: set discount or discountId, not both`);
        }
        discountId = d.discountId;
      }
      const l = new polar.CheckoutLink(
        `${name}-${linkName}`,
        { ...rest, products, ...(discountId === undefined ? {} : { discountId }) },
        parent,
      );
      this.polarLinks[linkName] = l;
      links[`polar/${linkName}`] = l.url.apply((url) => ({ backend: "polar" as const, slug: null, url }));
    }
  }

  /** `value` as a Polar id when it is one; otherwise a mistake naming `place`, since no key of the catalog matched. */
  private polarId(value: string, place: string, kind: string): string {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return value;
    throw this.mistake(`${place}: no ${kind} named "${value}" in this catalog (nor a Polar ${kind} id)`);
  }

  /**
   * A mistake in the catalog's arguments, for the user: reported by the engine on this component
   * as the one line given; a stack trace would only point into this file.
   */
  private mistake(message: string): pulumi.ResourceError {
    return new pulumi.ResourceError(message, this, true);
  }
}
