/**
 * The provider's Polar readers against what Polar documents, not against the emulator: responses
 * generated from Polar's OpenAPI schemas for each operation the provider calls, for every branch of
 * the price union (legacy fixed and custom, fixed, custom, seat-based, metered), with only the
 * required keys and with every key, with and without keys Polar may add later. A price type the
 * package does not manage (one Polar adds later) passes as `other`; a key the provider needs,
 * missing, fails naming it.
 */
import * as fs from "node:fs";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { polarCheckoutLink, polarListResource, polarProduct } from "../../provider/polar/schemas";
import { SchemaGenerator } from "../helpers/openapi-examples";
import { POLAR_OPENAPI } from "../helpers/polar-openapi";

const doc = JSON.parse(fs.readFileSync(POLAR_OPENAPI, "utf8"));
const gen = new SchemaGenerator(doc);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("uuid4", true);
ajv.addFormat("ipvanyaddress", true);
ajv.addFormat("color", true);
ajv.addSchema(doc, "polar.json");

/** The operations the provider calls whose 2xx body it reads, with its reader for that body. */
const OPERATIONS = [
  ["/v1/products/", "get", "200", () => polarListResource(polarProduct())],
  ["/v1/products/", "post", "201", polarProduct],
  ["/v1/products/{id}", "get", "200", polarProduct],
  ["/v1/products/{id}", "patch", "200", polarProduct],
  ["/v1/checkout-links/", "get", "200", () => polarListResource(polarCheckoutLink())],
  ["/v1/checkout-links/", "post", "201", polarCheckoutLink],
  ["/v1/checkout-links/{id}", "get", "200", polarCheckoutLink],
  ["/v1/checkout-links/{id}", "patch", "200", polarCheckoutLink],
] as const;

function responseSchema(route: string, method: string, status: string) {
  return doc.paths[route][method].responses[status].content["application/json"].schema;
}

/** The price branches of `Product.prices`, each named by its schema's title. */
const priceBranches: { title: string; type: string }[] = gen
  .branches(doc.components.schemas.Product.properties.prices.items)
  .map((b) => ({
    title: String(b.title),
    type: String((b.properties as Record<string, { const?: string }>).amount_type?.const),
  }));

describe("Polar's documented responses, read by the provider", () => {
  it("the price union has the branches this test walks", () => {
    expect(priceBranches.map((b) => b.type).sort()).toEqual(
      ["custom", "custom", "fixed", "fixed", "metered_unit", "seat_based"].sort(),
    );
  });

  for (const [route, method, status, reader] of OPERATIONS) {
    for (const [i, branch] of priceBranches.entries()) {
      for (const full of [false, true]) {
        for (const unknownKeys of [false, true]) {
          const name = `${method.toUpperCase()} ${route} ${status}, ${branch.title}, ${full ? "every key" : "required keys only"}${unknownKeys ? ", unknown keys added" : ""}`;
          it(name, () => {
            const schema = responseSchema(route, method, status);
            const body = gen.generate(schema, {
              full,
              unknownKeys,
              branch: (path, branches) =>
                path.endsWith(".prices[]")
                  ? i
                  : Math.max(
                      0,
                      branches.findIndex((b) => b.type !== "null"),
                    ),
            });
            // The generator makes what Polar documents, or this test proves nothing. A legacy price
            // also fits the current branch of the same type (Polar's oneOf between the two is not
            // exclusive), so it is checked against its own branch.
            const legacy = branch.title.startsWith("Legacy");
            const valid = ajv.compile({
              $ref: legacy
                ? `polar.json#/components/schemas/${branch.title}`
                : `polar.json#/paths/${route.replaceAll("/", "~1")}/${method}/responses/${status}/content/application~1json/schema`,
            });
            const checked = legacy ? findPrices(body) : [body];
            for (const one of checked)
              expect(valid(one), JSON.stringify(valid.errors?.slice(0, 3))).toBe(true);
            const parsed = reader().parse(body) as Record<string, unknown>;
            const prices = findPrices(parsed);
            expect(prices.length).toBeGreaterThan(0);
            for (const p of prices) expect(p.amount_type).toBe(branch.type);
          });
        }
      }
    }
  }
});

/** Every price inside a parsed product, link or list. */
function findPrices(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(findPrices);
  if (value === null || typeof value !== "object") return [];
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.prices)) return o.prices as Record<string, unknown>[];
  return [o.items, o.products].flatMap(findPrices);
}

describe("a key the provider needs, missing", () => {
  const product = () =>
    gen.generate(doc.components.schemas.Product, {
      full: true,
      unknownKeys: false,
      branch: (path, branches) =>
        path.endsWith(".prices[]") ? 2 : branches.findIndex((b) => b.type !== "null"),
    }) as { prices: Record<string, unknown>[] };

  it("a fixed price without price_amount fails, naming prices.0.price_amount", () => {
    const body = product();
    expect(body.prices[0]?.amount_type).toBe("fixed");
    delete body.prices[0]?.price_amount;
    const r = polarProduct().safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["prices.0.price_amount"]);
  });

  it("a price of an unknown type without an id fails, naming prices.0.id", () => {
    const body = product();
    body.prices[0] = { amount_type: "per_token", is_archived: false, price_currency: "usd" };
    const r = polarProduct().safeParse(body);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["prices.0.id"]);
  });
});
