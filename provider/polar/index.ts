// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/**
 * Polar resources: products (plans and tiers), the checkout links that sell them, the benefits
 * customers get with them, the discounts links apply, the meters that metered prices bill and the
 * custom fields checkout asks.
 *
 * Accounts come from stack config or the environment (see `provider/core/config.ts`):
 * `checkout-links:polar.token` (secret), `checkout-links:polar.baseUrl` (default
 * `https://api.polar.sh`; the sandbox is `https://sandbox-api.polar.sh`) and
 * `checkout-links:polar.ratePerMinute` (the ceiling of the client-side pacing shared by every
 * resource of an account in the provider process; default 500 for production, 100 for any other
 * base URL; below it the client paces to the limit it learns from Polar's 429s).
 */
import { PolarCheckoutLinkProvider } from "./checkoutLink";
import { PolarProductProvider } from "./product";

export {
  Benefit,
  type BenefitArgs,
  type BenefitInputs,
  type BenefitProperties,
  type BenefitPropertiesArgs,
  type BenefitState,
  type BenefitType,
  type BenefitVisibility,
  type LicenseKeyActivations,
  type LicenseKeyExpiration,
  PolarBenefitProvider,
  polarBenefitDiffTable,
} from "./benefit";
export {
  CheckoutLink,
  type CheckoutLinkArgs,
  type CheckoutLinkInputs,
  type CheckoutLinkState,
  checkoutLinkDiffTable,
  PolarCheckoutLinkProvider,
  polarCheckoutLinkDiffTable,
  type TrialInterval,
} from "./checkoutLink";
export {
  Discount,
  type DiscountArgs,
  type DiscountDuration,
  type DiscountInputs,
  type DiscountState,
  type DiscountType,
  PolarDiscountProvider,
  polarDiscountDiffTable,
} from "./discount";
export { CREATE_TAG, type MetadataValue, NAME_TAG, TAG_PREFIX } from "./common";
export {
  CustomField,
  type CustomFieldArgs,
  type CustomFieldInputs,
  type CustomFieldOption,
  type CustomFieldProperties,
  type CustomFieldState,
  type CustomFieldType,
  PolarCustomFieldProvider,
  polarCustomFieldDiffTable,
} from "./customField";
export {
  Meter,
  type MeterAggregation,
  type MeterAggregationFunction,
  type MeterArgs,
  type MeterFilter,
  type MeterFilterClause,
  type MeterFilterOperator,
  type MeterInputs,
  type MeterState,
  type MeterUnit,
  PolarMeterProvider,
  polarMeterDiffTable,
} from "./meter";
export {
  type AttachedCustomField,
  type AttachedCustomFieldArgs,
  type Interval,
  type Price,
  type PriceArgs,
  Product,
  type ProductArgs,
  type ProductInputs,
  PolarProductProvider,
  polarProductDiffTable,
  type ProductState,
  productDiffTable,
  type SeatTier,
  type Visibility,
} from "./product";
export type { AccountArgument, AdoptArgument, AdoptionKeyArguments } from "../core/args";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { polarBenefitArgsSchema } from "./benefit";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { checkoutLinkArgsSchema, polarCheckoutLinkArgsSchema } from "./checkoutLink";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { polarDiscountArgsSchema } from "./discount";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { polarProductArgsSchema, productArgsSchema } from "./product";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { polarMeterArgsSchema } from "./meter";
/** @internal Argument schemas: zod types, kept out of the package's declarations. */
export { polarCustomFieldArgsSchema } from "./customField";

/** @deprecated use {@link PolarCheckoutLinkProvider} */
export const CheckoutLinkProvider = PolarCheckoutLinkProvider;
/** @deprecated use {@link PolarCheckoutLinkProvider} */
export type CheckoutLinkProvider = PolarCheckoutLinkProvider;

/** @deprecated use {@link PolarProductProvider} */
export const ProductProvider = PolarProductProvider;
/** @deprecated use {@link PolarProductProvider} */
export type ProductProvider = PolarProductProvider;
