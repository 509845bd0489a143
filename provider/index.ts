/**
 * pulumi-checkout-links: checkout links, plans and tiers as code for coreapi.io (Fynn V2 Plans
 * API), the Fynn classic API and Polar.
 *
 * ```ts
 * import { coreapi, fynn, polar } from "pulumi-checkout-links";
 * ```
 */

export { Catalog, type CatalogArgs, type CatalogLink } from "./catalog";
export * as core from "./core";
export * as coreapi from "./coreapi";
export * as fynn from "./fynn";
export * as polar from "./polar";
export * as registry from "./registry";
