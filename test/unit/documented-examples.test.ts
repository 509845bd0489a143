/**
 * The provider's own readers parse the vendors' documented response examples (copied from the
 * docs into test/fixtures): an oracle the emulator did not write. Each example is read as the docs
 * show it, with unknown keys added at every level, and with the keys the docs leave out of some
 * renderings removed; a needed key that is missing fails naming it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  coreapiCheckoutLink,
  coreapiCheckoutLinkList,
  coreapiPlanList,
} from "../../provider/coreapi/schemas";
import { fynnCheckoutLink, fynnCheckoutLinkItem } from "../../provider/fynn/schemas";

const FIXTURES = path.join(__dirname, "..", "fixtures");
const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));

/**
 * The docs' placeholders (`"<string>"`, `"<any>"`, `"…"`) stand for "a value of the documented
 * type": each becomes a plausible value for its key, so that the reader judges the shape.
 */
function concrete(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => concrete(v, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v, k)]));
  }
  if (value !== "<string>" && value !== "<any>" && value !== "…") return value;
  if (/At$/.test(key)) return "2023-11-07T05:31:56Z";
  if (key === "type") return "product";
  if (key === "status") return "active";
  if (/[iI]d$/.test(key) || key === "id") return "1280792f-4e23-793d-8e9c-3a1bf36630bd";
  return "placeholder";
}

/** Adds an unknown key to every object: readers must let it through. */
function withUnknownKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownKeys);
  if (value !== null && typeof value === "object") {
    const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknownKeys(v)]));
    return { ...out, addedByVendorLater: { nested: true } };
  }
  return value;
}

function parses(schema: z.ZodType, body: unknown): void {
  const res = schema.safeParse(body);
  expect(res.success ? [] : res.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
}

const EXAMPLES: { name: string; file: string; schema: () => z.ZodType }[] = [
  {
    name: "coreapi create checkout link (201)",
    file: "coreapi/create-checkout-link.response.json",
    schema: coreapiCheckoutLink,
  },
  {
    name: "coreapi create checkout link, reference excerpt",
    file: "coreapi/reference-create-checkout-link.response.json",
    schema: coreapiCheckoutLink,
  },
  { name: "coreapi list plans", file: "coreapi/list-plans.response.json", schema: coreapiPlanList },
  {
    name: "Fynn classic update link (docs.fynn.eu)",
    file: "fynn/update-checkout-link.response.001.json",
    schema: fynnCheckoutLink,
  },
  {
    name: "Fynn classic update link (docs.fynn.dev)",
    file: "fynn/update-checkout-link.response.002.json",
    schema: fynnCheckoutLink,
  },
];

describe("the provider's readers parse the vendors' documented examples", () => {
  for (const ex of EXAMPLES) {
    it(`${ex.name}: as documented, and with unknown keys at every level`, () => {
      const body = concrete(read(ex.file));
      parses(ex.schema(), body);
      parses(ex.schema(), withUnknownKeys(body));
    });
  }

  it("the documented plan list summary has no status, and the reader does not need one", () => {
    const list = read("coreapi/list-plans.response.json") as { data: Record<string, unknown>[] };
    expect(Object.keys(list.data[0]!)).not.toContain("status");
    parses(coreapiPlanList(), concrete(list));
  });

  it("coreapi's list of a plan's links is a bare array of the documented link", () => {
    parses(coreapiCheckoutLinkList(), [concrete(read("coreapi/create-checkout-link.response.json"))]);
  });

  it("Fynn classic link items carry no id in the docs, and the reader does not need one", () => {
    const link = read("fynn/update-checkout-link.response.001.json") as { items: Record<string, unknown>[] };
    expect(link.items.every((i) => !("id" in i))).toBe(true);
    // getCheckoutLinkItem documents the item with type, product, quantity, plan, price, periods.
    parses(fynnCheckoutLinkItem(), {
      type: "plan",
      product: null,
      quantity: null,
      plan: { id: "p" },
      price: { id: "q" },
      periods: [],
    });
  });

  it("the docs.fynn.dev GET example shows no url: a reader that needs it names the key", () => {
    const link = concrete(read("fynn/update-checkout-link.response.002.json")) as Record<string, unknown>;
    const { url: _url, ...withoutUrl } = link;
    const res = fynnCheckoutLink().safeParse(withoutUrl);
    expect(res.success ? [] : res.error.issues.map((i) => i.path.join("."))).toEqual(["url"]);
  });
});
