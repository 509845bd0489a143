/**
 * pulumi-checkout-links: checkout links, plans and tiers as code for coreapi.io (Fynn V2 Plans
 * API), the Fynn classic API and Polar.
 *
 * ```ts
 * import { Catalog, coreapi, fynn, polar } from "pulumi-checkout-links";
 * ```
 *
 * The resources of each backend are in its namespace; {@link Catalog} declares a whole catalog in
 * one resource. A vendor's refusal is an {@link ApiError}, the package's own a
 * {@link CheckoutLinksError}; both carry a stable `code`. {@link kit} is for adding a backend.
 */
// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own

export {
  Catalog,
  type CatalogArgs,
  type CatalogCoreapiLinkArgs,
  type CatalogCoreapiPlanArgs,
  type CatalogLink,
  type CatalogPolarLinkArgs,
} from "./catalog";
/** coreapi.io (Fynn V2 Plans API): plans with tiers, and the checkout links that sell a tier. */
export * as coreapi from "./coreapi";
/** Fynn classic API: checkout links selling products and plans. */
export * as fynn from "./fynn";
/** Polar: products (plans and tiers) and the checkout links that sell them. */
export * as polar from "./polar";
export { ApiError, type ApiErrorCode, type FieldError, isApiError } from "./core/errors";
export { CheckoutLinksError, type CheckoutLinksErrorCode, isCheckoutLinksError } from "./core/failure";
/** What a backend of one's own needs: the resource spec, the provider and resource classes made from it, and registration. */
export * as kit from "./kit";
/** @internal The provider's plumbing, for the package's own scripts and tests. */
export * as core from "./core";
/** @internal The registry of backends, for the package's own scripts and tests; a backend author uses {@link kit}. */
export * as registry from "./registry";
