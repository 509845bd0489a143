/**
 * What an emulator starts with: fixed demo organisations and tokens, and with `seed: "examples"`
 * the objects the vendors' documentation examples refer to (each vendor's `seed.ts` holds its own).
 * They are printed by the bin at start and exported so tests, examples and users' CI can rely on
 * them. Tokens are demo values for a loopback emulator, not secrets.
 */
import type { BackendInfo } from "../provider/backends";
import { newState, type Slices, type StateContainer } from "./state";

/**
 * A token's family: the backend family (provider/backends.ts) whose backends accept it. coreapi and
 * Fynn classic share one host and one token kind, family `fynn`.
 */
export type TokenFamily = BackendInfo["family"];

export interface SalesChannelSeed {
  id: string;
  name: string;
  brandName: string;
}

export interface OrganizationSeed {
  /** Short key used in tokens and logs, e.g. `acme`. */
  key: string;
  /** UUID v4 used as Polar `organization_id` and as Fynn tenant id. */
  id: string;
  name: string;
  /** Fynn sales channels; the first is the organisation default. */
  salesChannels: SalesChannelSeed[];
}

export interface TokenSeed {
  token: string;
  family: TokenFamily;
  org: string;
  scopes: string[];
}

/** Fynn permission names (classic naming pattern `resource:read|write`). */
export const FYNN_SCOPES = {
  linkRead: "checkout-link:read",
  linkWrite: "checkout-link:write",
  cartWrite: "cart:write",
  planRead: "plan:read",
  planWrite: "plan:write",
  productRead: "product:read",
  productWrite: "product:write",
  pricePlanRead: "price-plan:read",
  pricePlanWrite: "price-plan:write",
} as const;

export const POLAR_SCOPES = {
  linkRead: "checkout_links:read",
  linkWrite: "checkout_links:write",
  productRead: "products:read",
  productWrite: "products:write",
  discountRead: "discounts:read",
  discountWrite: "discounts:write",
  benefitRead: "benefits:read",
  benefitWrite: "benefits:write",
  meterRead: "meters:read",
  meterWrite: "meters:write",
  customFieldRead: "custom_fields:read",
  customFieldWrite: "custom_fields:write",
} as const;

const FYNN_ALL = Object.values(FYNN_SCOPES);
const FYNN_READ = FYNN_ALL.filter((scope) => scope.endsWith(":read"));
const POLAR_ALL = Object.values(POLAR_SCOPES);
const POLAR_READ = POLAR_ALL.filter((scope) => scope.endsWith(":read"));

/** Acme's id is the organisation id of Polar's own documentation examples. */
export const ACME_ORG_ID = "1dbfc517-0bbf-4301-9ba8-555ca42b9737";
export const GLOBEX_ORG_ID = "5b0f7c7e-2a44-4c1e-9f3d-7c2b9e1a6d40";

export const DEMO_ORGANIZATIONS: readonly OrganizationSeed[] = [
  {
    key: "acme",
    id: ACME_ORG_ID,
    name: "Acme",
    salesChannels: [
      { id: "6a1d3c52-8f0e-4b7a-9c21-3e5f7a9b1c01", name: "default", brandName: "Acme" },
      { id: "6a1d3c52-8f0e-4b7a-9c21-3e5f7a9b1c02", name: "partners", brandName: "Acme Partners" },
    ],
  },
  {
    key: "globex",
    id: GLOBEX_ORG_ID,
    name: "Globex",
    salesChannels: [{ id: "9e4b2d71-3c5a-4f8e-8b10-2d4f6a8c0e01", name: "default", brandName: "Globex" }],
  },
];

export const DEMO_TOKENS = {
  fynnAcme: "api_demo_acme",
  fynnGlobex: "api_demo_globex",
  fynnReadonly: "api_demo_readonly",
  polarAcme: "polar_oat_demo_acme",
  polarGlobex: "polar_oat_demo_globex",
  polarReadonly: "polar_oat_demo_readonly",
} as const;

export const DEMO_TOKEN_SEEDS: readonly TokenSeed[] = [
  { token: DEMO_TOKENS.fynnAcme, family: "fynn", org: "acme", scopes: FYNN_ALL },
  { token: DEMO_TOKENS.fynnGlobex, family: "fynn", org: "globex", scopes: FYNN_ALL },
  { token: DEMO_TOKENS.fynnReadonly, family: "fynn", org: "acme", scopes: FYNN_READ },
  { token: DEMO_TOKENS.polarAcme, family: "polar", org: "acme", scopes: POLAR_ALL },
  { token: DEMO_TOKENS.polarGlobex, family: "polar", org: "globex", scopes: POLAR_ALL },
  { token: DEMO_TOKENS.polarReadonly, family: "polar", org: "acme", scopes: POLAR_READ },
];

/** The seeded token of organisation acme with the most scopes (all of them) in `family`, if any. */
export function acmeToken(family: TokenFamily): string | undefined {
  return DEMO_TOKEN_SEEDS.filter((t) => t.family === family && t.org === "acme").sort(
    (a, b) => b.scopes.length - a.scopes.length,
  )[0]?.token;
}

/**
 * Ids of the objects that the vendors' documentation examples refer to. With `seed: "examples"`
 * these exist in org acme, so the documented requests can be replayed verbatim.
 */
export const EXAMPLE_IDS = {
  /** coreapi plan `pro-plan` ("Pro Plan") of the V2 docs, with tier "Pro". */
  coreapiPlan: "1280792f-4e23-793d-8e9c-3a1bf36630bd",
  coreapiTierPro: "f5ece259-08ea-77a4-8bd9-9f3a9ed9e246",
  /** The classic docs use one id for the link, its product and its price plan (separate collections). */
  fynnLink: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b",
  fynnProduct: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b",
  fynnPricePlan: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b",
  /** Polar products of the create-link example. */
  polarProductPro: "6f1c9f0e-2d1c-4a3b-9a51-1f1f3c2a9b10",
  polarProductTeam: "b7d7c2a1-0f5e-4a7e-8c2d-3e9b1a2c4d5e",
} as const;

/**
 * The state an emulator starts from without a data file, and returns to on reset: every slice
 * empty (`demo`), or (`examples`) each vendor's documentation examples, owned by acme and created
 * at `now()` to the second.
 */
export function seededState(seed: "demo" | "examples", slices: Slices, now: () => Date): StateContainer {
  if (seed !== "examples") return newState(slices);
  const acme = DEMO_ORGANIZATIONS[0]!;
  const at = now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  return newState(slices, (slice) => slice.examples?.(acme.id, at) ?? slice.empty());
}
