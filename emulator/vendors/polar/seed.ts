/** Polar's documentation examples: the two products the create-link example sells. */
import { EXAMPLE_IDS } from "../../seed";
import type { StateSlice } from "../../state";
import { POLAR_SLICE, type PolarState } from "./state";

function examples(orgId: string, at: string): PolarState {
  const state = POLAR_SLICE.empty();
  for (const [id, name] of [
    [EXAMPLE_IDS.polarProductPro, "Pro"],
    [EXAMPLE_IDS.polarProductTeam, "Team"],
  ] as const) {
    state.products[id] = {
      id,
      created_at: at,
      modified_at: null,
      trial_interval: null,
      trial_interval_count: null,
      name,
      description: null,
      visibility: "public",
      recurring_interval: "month",
      recurring_interval_count: 1,
      is_archived: false,
      organization_id: orgId,
      metadata: {},
      prices: [
        {
          id:
            id === EXAMPLE_IDS.polarProductPro
              ? "2a4c6e8f-0b1d-4f3a-8c5e-7a9b1c3d5e01"
              : "2a4c6e8f-0b1d-4f3a-8c5e-7a9b1c3d5e02",
          created_at: at,
          modified_at: null,
          source: "catalog",
          amount_type: "fixed",
          price_currency: "usd",
          tax_behavior: null,
          is_archived: false,
          product_id: id,
          price_amount: name === "Pro" ? 2900 : 9900,
        },
      ],
    };
  }
  return state;
}

/** Polar's slice of the state, with its documentation examples. */
export const POLAR_STATE: StateSlice<PolarState> = { ...POLAR_SLICE, examples };
