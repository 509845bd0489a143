/** coreapi's documentation examples: plan `pro-plan` with its tier "Pro", selling Fynn's "Basic". */
import { EXAMPLE_IDS } from "../../seed";
import type { StateSlice } from "../../state";
import { COREAPI_SLICE, type CoreapiState } from "./state";

function examples(orgId: string, at: string): CoreapiState {
  const state = COREAPI_SLICE.empty();
  state.plans[EXAMPLE_IDS.coreapiPlan] = {
    id: EXAMPLE_IDS.coreapiPlan,
    orgId,
    code: "pro-plan",
    name: "Pro Plan",
    description: null,
    status: "active",
    tiers: [
      {
        id: EXAMPLE_IDS.coreapiTierPro,
        position: 0,
        name: "Pro",
        upgradeable: true,
        downgradeable: true,
        commitmentPeriod: "P1Y",
        items: [
          {
            id: "8c2e4a6b-1d3f-4e5a-9b7c-0e2f4a6c8d10",
            productId: EXAMPLE_IDS.fynnProduct,
            pricePlanId: EXAMPLE_IDS.fynnPricePlan,
            defaultQuantity: 1,
            minQuantity: null,
            maxQuantity: null,
            quantityEditable: false,
          },
        ],
      },
    ],
    createdAt: at,
    updatedAt: at,
  };
  return state;
}

/** coreapi's slice of the state, with its documentation examples. */
export const COREAPI_STATE: StateSlice<CoreapiState> = { ...COREAPI_SLICE, examples };
