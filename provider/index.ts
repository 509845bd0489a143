/**
 * pulumi-checkout-links: checkout links, plans and tiers as code for coreapi.io (Fynn V2 Plans
 * API), the Fynn classic API and Polar.
 */
export * as core from "./core";
