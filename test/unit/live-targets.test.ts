import { describe, expect, it } from "vitest";
import { LIVE_ENV, liveTargets } from "../live/targets";

describe("live contract targets", () => {
  it("runs every backend on the embedded emulator when the environment names no account", () => {
    expect(liveTargets({}).map((t) => [t.backend, t.live])).toEqual([
      ["fynn", false],
      ["polar", false],
    ]);
  });

  it("goes to the vendors' sandboxes unless a base URL is set", () => {
    const [fynn, polar] = liveTargets({
      [LIVE_ENV.fynn.token]: "api_x",
      [LIVE_ENV.fynn.productId]: "p",
      [LIVE_ENV.fynn.pricePlanId]: "pp",
      [LIVE_ENV.polar.token]: "polar_oat_x",
    });
    expect(fynn).toMatchObject({
      live: true,
      baseUrl: "https://preview.coreapi.io",
      productId: "p",
      pricePlanId: "pp",
    });
    expect(polar).toMatchObject({ live: true, baseUrl: "https://sandbox-api.polar.sh" });
    const [, prod] = liveTargets({
      [LIVE_ENV.polar.token]: "t",
      [LIVE_ENV.polar.baseUrl]: "https://api.polar.sh",
    });
    expect(prod?.baseUrl).toBe("https://api.polar.sh");
  });

  it("refuses a Fynn account without the product and price plan its links sell, naming the variables", () => {
    expect(() => liveTargets({ [LIVE_ENV.fynn.token]: "api_x" })).toThrow(
      /CHECKOUT_LINKS_LIVE_FYNN_PRODUCT_ID and CHECKOUT_LINKS_LIVE_FYNN_PRICE_PLAN_ID/,
    );
  });
});
