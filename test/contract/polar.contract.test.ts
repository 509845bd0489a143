/** Polar documentation examples (vendor-apis.md §1.2, §1.7, §1.10) replayed against the emulator. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, EXAMPLE_IDS, startEmulator } from "../../emulator/index";
import {
  polarCheckoutLink,
  polarCheckoutLinkCreate,
  polarError,
  polarListResource,
} from "../../provider/polar/schemas";
import { call, fixture } from "../fixtures/http";
import { shapeMismatches } from "../fixtures/shape";

let emu: Emulator;
const token = "polar_oat_demo_acme";
const links = () => `${emu.baseUrls.polar}/v1/checkout-links/`;

beforeAll(async () => {
  emu = await startEmulator({ seed: "examples" });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("Polar checkout links", () => {
  it("the documented create request parses with the shared schema, defaults applied", () => {
    const parsed = polarCheckoutLinkCreate().parse(fixture("polar/create-checkout-link.request.json"));
    expect(parsed.require_billing_address).toBe(false);
    expect(parsed.products).toEqual([EXAMPLE_IDS.polarProductPro, EXAMPLE_IDS.polarProductTeam]);
  });

  it("replays the create example: 201 with every documented key and value", async () => {
    const res = await call("POST", links(), {
      token,
      body: fixture("polar/create-checkout-link.request.json"),
    });
    expect(res.status).toBe(201);
    expect(shapeMismatches(fixture("polar/create-checkout-link.response.json"), res.body)).toEqual([]);
    expect(res.body).toMatchObject({
      modified_at: null,
      trial_interval: null,
      trial_interval_count: null,
      metadata: { campaign: "launch", tier_rank: 2, beta: true },
      payment_processor: "stripe",
      success_url: "https://example.com/thanks?checkout_id={CHECKOUT_ID}",
      return_url: null,
      label: "pro-plan launch",
      allow_discount_codes: true,
      require_billing_address: false,
      discount_id: null,
      seats: null,
      organization_id: "1dbfc517-0bbf-4301-9ba8-555ca42b9737",
      discount: null,
    });
    expect(res.body.products.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([
      [EXAMPLE_IDS.polarProductPro, "Pro"],
      [EXAMPLE_IDS.polarProductTeam, "Team"],
    ]);
    expect(res.body.client_secret).toMatch(/^polar_cl_[A-Za-z0-9]{43}$/);
    expect(res.body.url).toBe(`${emu.baseUrls.polar}/v1/checkout-links/${res.body.client_secret}/redirect`);
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(polarCheckoutLink().shape).sort());
  });

  it("replays the PATCH example: null clears, metadata is replaced, modified_at is set", async () => {
    const created = await call("POST", links(), {
      token,
      body: fixture("polar/create-checkout-link.request.json"),
    });
    const res = await call("PATCH", `${links()}${created.body.id}`, {
      token,
      body: fixture("polar/update-checkout-link.request.json"),
    });
    expect(res.status).toBe(200);
    expect(res.body.label).toBeNull();
    expect(res.body.discount_id).toBeNull();
    expect(res.body.metadata).toEqual({ campaign: "summer" });
    expect(res.body.modified_at).toEqual(expect.any(String));
    // Keys not in the body are untouched.
    expect(res.body.success_url).toBe("https://example.com/thanks?checkout_id={CHECKOUT_ID}");
    expect(res.body.client_secret).toBe(created.body.client_secret);
  });

  it("the service validation example (§1.10): an archived product gives that exact 422", async () => {
    await call("PATCH", `${emu.baseUrls.polar}/v1/products/${EXAMPLE_IDS.polarProductTeam}`, {
      token,
      body: { is_archived: true },
    });
    const res = await call("POST", links(), {
      token,
      body: fixture("polar/create-checkout-link.request.json"),
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: "PolarRequestValidationError",
      detail: [
        {
          type: "value_error",
          loc: ["body", "products", 1],
          msg: "Product is archived.",
          input: EXAMPLE_IDS.polarProductTeam,
        },
      ],
    });
    expect(shapeMismatches(fixture("polar/service-validation-error.response.json"), res.body)).toEqual([]);
  });

  it("the list matches ListResource (§1.2)", async () => {
    await call("POST", links(), { token, body: fixture("polar/create-checkout-link.request.json") });
    const res = await call("GET", links(), { token });
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ total_count: 1, max_page: 1 });
    expect(shapeMismatches(fixture("polar/list.response.json"), res.body)).toEqual([]);
    expect(polarListResource(polarCheckoutLink()).safeParse(res.body).success).toBe(true);
  });

  it("error bodies of §1.7: not found, anonymous, insufficient scope, bad Polar-Version", async () => {
    const errors = fixture("polar/errors.json");
    const missing = await call("GET", `${links()}${EXAMPLE_IDS.polarProductPro}`, { token });
    expect([missing.status, missing.body]).toEqual([404, errors.notFound]);
    const anonymous = await call("GET", links());
    expect([anonymous.status, anonymous.body]).toEqual([401, errors.anonymous]);
    expect(anonymous.headers["www-authenticate"]).toBe('Bearer realm="polar"');
    const readonly = await call("POST", links(), {
      token: "polar_oat_demo_readonly",
      body: fixture("polar/create-checkout-link.request.json"),
    });
    expect([readonly.status, readonly.body]).toEqual([403, errors.insufficientScope]);
    const version = await call("GET", links(), { token, headers: { "polar-version": "1999-01" } });
    expect([version.status, version.body]).toEqual([404, errors.badVersion]);
    for (const body of [errors.notFound, errors.anonymous, errors.insufficientScope]) {
      expect(polarError().safeParse(body).success).toBe(true);
    }
  });
});
