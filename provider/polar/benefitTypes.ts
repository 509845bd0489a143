/**
 * What a `polar.Benefit` holds once checked and once applied: the shapes that the resource and its
 * wire mapping (benefitWire.ts) share, below both.
 */
import type { MetadataValue } from "./common";

/**
 * A benefit type as Polar spells it. `discord`, `github_repository` and `slack_shared_channel` need
 * an account connected to Polar in its dashboard, so `check` refuses them.
 */
export type BenefitType =
  | "custom"
  | "license_keys"
  | "downloadables"
  | "meter_credit"
  | "feature_flag"
  | "discord"
  | "github_repository"
  | "slack_shared_channel";

/** Who sees a benefit in the customer portal. */
export type BenefitVisibility = "draft" | "private" | "public";

/** How long a license key lasts (`BenefitLicenseKeyExpirationProperties`). */
export interface LicenseKeyExpiration {
  /** Number of `timeframe` units, at least 1. */
  ttl: number;
  /** The unit of `ttl`. */
  timeframe: "year" | "month" | "day";
}

/** How many devices may activate a license key (`BenefitLicenseKeyActivationCreateProperties`). */
export interface LicenseKeyActivations {
  /** Activations allowed per key, at least 1. */
  limit: number;
  /** Whether customers may deactivate devices themselves in the portal. */
  enableCustomerAdmin: boolean;
}

/**
 * The properties of a benefit, in camelCase, as the provider stores them: those of its `type`
 * (keys it leaves out are absent).
 */
export interface BenefitProperties {
  /** `custom`: private note shown to customers who have the benefit. */
  note?: string;
  /** `license_keys`: prefix of every key. */
  prefix?: string;
  /** `license_keys`: how long a key lasts. */
  expires?: LicenseKeyExpiration;
  /** `license_keys`: device activations per key. */
  activations?: LicenseKeyActivations;
  /** `license_keys`: how many times a key may be used. */
  limitUsage?: number;
  /** `downloadables`: ids of files uploaded to Polar. */
  files?: string[];
  /** `downloadables`: files (by id) hidden from new customers. */
  archived?: Record<string, boolean>;
  /** `meter_credit`: units credited each cycle. */
  units?: number;
  /** `meter_credit`: whether unused units carry over. */
  rollover?: boolean;
  /** `meter_credit`: the meter credited. */
  meterId?: string;
}

/** Inputs after `check()`: plain values with defaults filled in. */
export interface BenefitInputs {
  type: BenefitType;
  description: string;
  visibility: BenefitVisibility;
  properties: BenefitProperties;
  metadata: Record<string, MetadataValue>;
  account?: string;
  adopt?: boolean;
  adoptId?: string;
  adoptionKey: string;
}

/** What the provider stores for a benefit: the inputs as applied plus what Polar generated. */
export interface BenefitState extends BenefitInputs {
  stateVersion: 1;
  benefitId: string;
  organizationId: string;
  createdAt: string;
  modifiedAt: string | null;
}
