/**
 * Which account each backend of the live contract suite runs against: a real one when the
 * environment names its token, else the embedded emulator (base URL and token filled in once it
 * runs). coreapi.io and the Fynn classic API share the Fynn host and its Organisation token.
 */
export interface LiveTarget {
  backend: "fynn" | "polar";
  live: boolean;
  baseUrl: string;
  token: string;
  /** Fynn: an existing product and price plan of the account that the suite's plan and links sell. */
  productId?: string;
  pricePlanId?: string;
}

/** The environment variables a real account is named by, for the README and error messages. */
export const LIVE_ENV = {
  fynn: {
    token: "CHECKOUT_LINKS_LIVE_FYNN_TOKEN",
    baseUrl: "CHECKOUT_LINKS_LIVE_FYNN_BASE_URL",
    productId: "CHECKOUT_LINKS_LIVE_FYNN_PRODUCT_ID",
    pricePlanId: "CHECKOUT_LINKS_LIVE_FYNN_PRICE_PLAN_ID",
  },
  polar: { token: "CHECKOUT_LINKS_LIVE_POLAR_TOKEN", baseUrl: "CHECKOUT_LINKS_LIVE_POLAR_BASE_URL" },
} as const;

/** The vendors' sandboxes: a live run goes to production only when its base URL is set to it. */
const SANDBOX = { fynn: "https://preview.coreapi.io", polar: "https://sandbox-api.polar.sh" } as const;

export function liveTargets(env: Record<string, string | undefined>): LiveTarget[] {
  const fynnToken = env[LIVE_ENV.fynn.token];
  const fynn: LiveTarget = {
    backend: "fynn",
    live: fynnToken !== undefined && fynnToken !== "",
    baseUrl: env[LIVE_ENV.fynn.baseUrl] || SANDBOX.fynn,
    token: fynnToken ?? "",
  };
  if (fynn.live) {
    const productId = env[LIVE_ENV.fynn.productId];
    const pricePlanId = env[LIVE_ENV.fynn.pricePlanId];
    if (!productId || !pricePlanId) {
      throw new Error(
        `${LIVE_ENV.fynn.token} is set: also set ${LIVE_ENV.fynn.productId} and ${LIVE_ENV.fynn.pricePlanId} ` +
          "to a product and price plan of that account, which the suite's plan and links sell (it never changes them)",
      );
    }
    fynn.productId = productId;
    fynn.pricePlanId = pricePlanId;
  }
  const polarToken = env[LIVE_ENV.polar.token];
  const polar: LiveTarget = {
    backend: "polar",
    live: polarToken !== undefined && polarToken !== "",
    baseUrl: env[LIVE_ENV.polar.baseUrl] || SANDBOX.polar,
    token: polarToken ?? "",
  };
  return [fynn, polar];
}
