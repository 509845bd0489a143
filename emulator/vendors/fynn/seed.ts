/**
 * Fynn classic's documentation examples: the link of the create-link example, its product and its
 * price plan (the docs give all three one id).
 */
import { EXAMPLE_IDS } from "../../seed";
import type { StateSlice } from "../../state";
import { FYNN_SLICE, type FynnState } from "./state";

function examples(orgId: string, at: string): FynnState {
  const state = FYNN_SLICE.empty();
  state.products[EXAMPLE_IDS.fynnProduct] = {
    id: EXAMPLE_IDS.fynnProduct,
    orgId,
    type: "product",
    name: "Basic",
    description: "For small teams.",
    invoiceVisibility: "always",
    customFields: { field1: "value1", field2: "value2" },
    createdAt: at,
    updatedAt: at,
  };
  state.pricePlans[EXAMPLE_IDS.fynnPricePlan] = {
    id: EXAMPLE_IDS.fynnPricePlan,
    orgId,
    productId: EXAMPLE_IDS.fynnProduct,
    internalName: "Exclusive pricing for partners.",
    type: "flat_fee",
    amount: 123,
    currencyCode: "EUR",
    billingInterval: "1M",
    status: "active",
    applyTrial: true,
    payInAdvance: true,
    proRata: true,
    freeUnits: 1,
    createdAt: at,
    updatedAt: at,
  };
  state.links[EXAMPLE_IDS.fynnLink] = {
    id: EXAMPLE_IDS.fynnLink,
    orgId,
    slug: "my-checkout-slug",
    afterCheckout: {
      action: "redirect",
      url: "https://example.com/checkout/confirmation",
      confirmationMessage: "Thank you for your order!",
      backToProviderUrl: "https://example.com/checkout/confirmation",
    },
    options: { trialDays: 14, allowCoupons: true, quantityEditable: true, forceCompany: true },
    isEnabled: true,
    items: [
      {
        id: "3b9d6f0e-7a1c-4e2b-8d5f-6c0a1e3b5d70",
        type: "product",
        productId: EXAMPLE_IDS.fynnProduct,
        planId: null,
        priceId: EXAMPLE_IDS.fynnPricePlan,
        quantity: 1,
        periods: [{ contractPeriod: {}, cancellationPeriod: {} }],
      },
    ],
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  return state;
}

/** Fynn classic's slice of the state, with its documentation examples. */
export const FYNN_STATE: StateSlice<FynnState> = { ...FYNN_SLICE, examples };
