/**
 * What a Polar organization has, as `polar.Meter`, `polar.CustomField`, `polar.Benefit`,
 * `polar.Product`, `polar.Discount` and `polar.CheckoutLink` declarations: every unarchived meter,
 * every custom field, every benefit, every unarchived product with its live prices, every discount
 * and every checkout link (all pages of each list; Polar does not list deleted links, discounts,
 * benefits or fields). A discount points at the products it is restricted to, and a link at its
 * products and its discount, by reference. Objects made in the
 * dashboard carry no adoption tag, so they are adopted by id (`adoptId`); `up` then writes the
 * provider's name tag into their metadata, and nothing else.
 */
import type { z } from "zod";
import type { ApiClient } from "../core/http";
import {
  type ArgValue,
  type Declaration,
  declareOrSkip,
  type Inventory,
  type InventoryResult,
  nameFrom,
  ref,
  unlessDefault,
} from "../inventory";
import { polarBenefitArgsSchema } from "./benefit";
import { type PolarBenefit, polarBenefitDefaultVisibility, polarBenefitSchema } from "./benefitSchemas";
import { propertiesFromWire } from "./benefitWire";
import { polarCheckoutLinkArgsSchema } from "./checkoutLink";
import { NAME_TAG, stripTags } from "./common";
import { polarCustomFieldArgsSchema } from "./customField";
import { type PolarCustomField, polarCustomFieldSchema } from "./customFieldSchemas";
import { propertiesFromWire as fieldPropertiesFromWire } from "./customFieldWire";
import { polarDiscountArgsSchema } from "./discount";
import { polarDiscountSchema, type PolarDiscount as WireDiscount } from "./discountSchemas";
import { polarMeterArgsSchema } from "./meter";
import { type PolarMeter, polarMeterSchema } from "./meterSchemas";
import { canonicalDecimal } from "./prices";
import { polarProductArgsSchema } from "./product";
import { attachedFromWire, benefitIds } from "./productWire";
import {
  POLAR_MANAGED_PRICE_TYPES,
  polarCheckoutLinkSchema,
  polarListResource,
  polarProductSchema,
} from "./schemas";

type WireProduct = z.infer<typeof polarProductSchema>;
type WirePrice = WireProduct["prices"][number];
type WireLink = z.infer<typeof polarCheckoutLinkSchema>;

const PAGE_LIMIT = 100;
const DEFAULT_CURRENCY = "usd";
const DEFAULT_CUSTOM_MINIMUM = 50;

async function allPages<T extends z.ZodType>(
  client: ApiClient,
  path: string,
  item: T,
  query: Record<string, string | boolean> = {},
): Promise<z.infer<T>[]> {
  const out: z.infer<T>[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request("GET", path, {
      query: { ...query, page, limit: PAGE_LIMIT, sorting: "created_at" },
      parse: (json) => polarListResource(item).parse(json),
    });
    out.push(...res.body.items);
    if (res.body.items.length === 0 || page >= res.body.pagination.max_page) return out;
  }
}

/** A live price of a type polar.Product does not manage (one Polar adds later), if the product has one. */
function unmanagedPrice(p: WireProduct): Extract<WirePrice, { amount_type: "other" }> | undefined {
  for (const price of p.prices) if (!price.is_archived && price.amount_type === "other") return price;
  return undefined;
}

function priceArgs(p: Exclude<WirePrice, { amount_type: "other" }>): ArgValue {
  const args: Record<string, ArgValue> = { type: p.amount_type };
  switch (p.amount_type) {
    case "fixed":
      args.amount = p.price_amount;
      break;
    case "custom":
      unlessDefault(args, "minimumAmount", p.minimum_amount, DEFAULT_CUSTOM_MINIMUM);
      unlessDefault(args, "maximumAmount", p.maximum_amount);
      unlessDefault(args, "presetAmount", p.preset_amount);
      break;
    case "seat_based":
      args.tiers = p.seat_tiers.tiers.map((t) => {
        const tier: Record<string, ArgValue> = { minSeats: t.min_seats };
        unlessDefault(tier, "maxSeats", t.max_seats);
        tier.pricePerSeat = t.price_per_seat;
        return tier;
      });
      unlessDefault(args, "seatTierType", p.seat_tiers.seat_tier_type, "volume");
      break;
    case "metered_unit":
      // A reference: the meter's declaration when the program holds it, its id otherwise.
      args.meterId = ref("polar:Meter", p.meter_id, "id");
      args.unitAmount = canonicalDecimal(p.unit_amount) ?? String(p.unit_amount);
      unlessDefault(args, "capAmount", p.cap_amount);
      break;
  }
  unlessDefault(args, "currency", p.price_currency, DEFAULT_CURRENCY);
  unlessDefault(args, "taxBehavior", p.tax_behavior);
  return args;
}

/** The adoption tag a former stack left, kept as the adoption key so that taking over writes nothing. */
function tagOf(metadata: Record<string, unknown>, args: Record<string, ArgValue>, notes: string[]): void {
  const tag = metadata[NAME_TAG];
  if (typeof tag !== "string") return;
  args.adoptionKey = tag;
  notes.push(
    `carries ${NAME_TAG}=${JSON.stringify(tag)}: a Pulumi stack may manage it already; check before running up`,
  );
}

function metadataArgs(
  metadata: Record<string, string | number | boolean>,
  args: Record<string, ArgValue>,
): void {
  const user = stripTags(metadata);
  if (Object.keys(user).length > 0) args.metadata = user;
}

export function productDeclaration(p: WireProduct): Declaration {
  const args: Record<string, ArgValue> = { name: p.name };
  const notes: string[] = [];
  unlessDefault(args, "description", p.description);
  unlessDefault(args, "visibility", p.visibility, "public");
  unlessDefault(args, "recurringInterval", p.recurring_interval);
  if (p.recurring_interval !== null)
    unlessDefault(args, "recurringIntervalCount", p.recurring_interval_count, 1);
  unlessDefault(args, "trialInterval", p.trial_interval);
  if (p.trial_interval !== null) unlessDefault(args, "trialIntervalCount", p.trial_interval_count, 1);
  args.prices = p.prices
    .filter((x) => !x.is_archived)
    .flatMap((x) => (x.amount_type === "other" ? [] : [priceArgs(x)]));
  // Benefits and custom fields by reference; left out when there are none, so the program does not
  // manage what it never had.
  const benefits = benefitIds(p);
  if (benefits.length > 0) args.benefits = benefits.map((id) => ref("polar:Benefit", id, "id"));
  const attached = attachedFromWire(p);
  if (attached.length > 0) {
    args.attachedCustomFields = attached.map((a) => ({
      customFieldId: ref("polar:CustomField", a.customFieldId, "id"),
      required: a.required,
    }));
  }
  metadataArgs(p.metadata, args);
  tagOf(p.metadata, args, notes);
  const medias = p.medias.length;
  if (medias > 0) {
    notes.push(
      `${medias} media file${medias === 1 ? "" : "s"} attached in Polar, not managed here: kept as they are`,
    );
  }
  return {
    type: "polar:Product",
    id: p.id,
    name: nameFrom(p.name, `product-${p.id.slice(0, 8)}`),
    title: `product "${p.name}"`,
    args,
    adoptArgs: { adopt: true, adoptId: p.id },
    notes,
  };
}

export function meterDeclaration(m: PolarMeter): Declaration {
  const args: Record<string, ArgValue> = {
    name: m.name,
    filter: m.filter as ArgValue,
    aggregation: m.aggregation as ArgValue,
  };
  const notes: string[] = [];
  unlessDefault(args, "unit", m.unit, "scalar");
  if (m.unit === "custom") {
    unlessDefault(args, "customLabel", m.custom_label);
    unlessDefault(args, "customMultiplier", m.custom_multiplier, 1);
  }
  metadataArgs(m.metadata, args);
  tagOf(m.metadata, args, notes);
  return {
    type: "polar:Meter",
    id: m.id,
    name: nameFrom(m.name, `meter-${m.id.slice(0, 8)}`),
    title: `meter "${m.name}"`,
    args,
    adoptArgs: { adopt: true, adoptId: m.id },
    notes,
  };
}

export function customFieldDeclaration(f: PolarCustomField): Declaration {
  const args: Record<string, ArgValue> = { type: f.type, slug: f.slug, name: f.name };
  const notes: string[] = [];
  const properties = fieldPropertiesFromWire(f.properties) as Record<string, ArgValue>;
  if (Object.keys(properties).length > 0) args.properties = properties;
  metadataArgs(f.metadata, args);
  tagOf(f.metadata, args, notes);
  return {
    type: "polar:CustomField",
    id: f.id,
    name: nameFrom(f.slug, `field-${f.id.slice(0, 8)}`),
    title: `custom field "${f.slug}"`,
    args,
    adoptArgs: { adopt: true, adoptId: f.id },
    notes,
  };
}

export function linkDeclaration(l: WireLink): Declaration {
  const args: Record<string, ArgValue> = {
    products: l.products.map((p) => ref("polar:Product", p.id, "productId")),
  };
  const notes: string[] = [];
  unlessDefault(args, "label", l.label);
  unlessDefault(args, "allowDiscountCodes", l.allow_discount_codes, true);
  unlessDefault(args, "requireBillingAddress", l.require_billing_address, false);
  if (l.discount_id !== null) args.discountId = ref("polar:Discount", l.discount_id, "id");
  unlessDefault(args, "successUrl", l.success_url);
  unlessDefault(args, "returnUrl", l.return_url);
  unlessDefault(args, "trialInterval", l.trial_interval);
  unlessDefault(args, "trialIntervalCount", l.trial_interval_count);
  unlessDefault(args, "seats", l.seats);
  metadataArgs(l.metadata, args);
  tagOf(l.metadata, args, notes);
  const short = l.id.slice(0, 8);
  return {
    type: "polar:CheckoutLink",
    id: l.id,
    name: nameFrom(l.label, `link-${short}`),
    title: l.label === null ? `link ${l.id}` : `link "${l.label}"`,
    args,
    adoptArgs: { adopt: true, adoptId: l.id },
    link: { slug: false },
    notes,
  };
}

/** The benefit types polar.Benefit creates; the others need an account connected in Polar's dashboard. */
const MANAGED_BENEFIT_TYPES = ["custom", "license_keys", "downloadables", "meter_credit", "feature_flag"];

export function benefitDeclaration(b: PolarBenefit): Declaration {
  const args: Record<string, ArgValue> = { type: b.type, description: b.description };
  const notes: string[] = [];
  unlessDefault(args, "visibility", b.visibility, polarBenefitDefaultVisibility(b.type));
  const properties = propertiesFromWire(b.type, b.properties) as Record<string, ArgValue>;
  // An empty `archived` is Polar's default for downloadables.
  if (b.type === "downloadables" && Object.keys(properties.archived ?? {}).length === 0) {
    delete properties.archived;
  }
  // The credited meter by reference, as a metered price refers to it.
  if (typeof properties.meterId === "string")
    properties.meterId = ref("polar:Meter", properties.meterId, "id");
  if (Object.keys(properties).length > 0) args.properties = properties;
  metadataArgs(b.metadata as Record<string, string | number | boolean>, args);
  tagOf(b.metadata, args, notes);
  return {
    type: "polar:Benefit",
    id: b.id,
    name: nameFrom(b.description, `benefit-${b.id.slice(0, 8)}`),
    title: `benefit "${b.description}"`,
    args,
    adoptArgs: { adopt: true, adoptId: b.id },
    notes,
  };
}

export function discountDeclaration(d: WireDiscount): Declaration {
  const args: Record<string, ArgValue> = { name: d.name, type: d.type };
  const notes: string[] = [];
  if (d.type === "percentage") unlessDefault(args, "basisPoints", d.basis_points ?? undefined);
  else {
    const amounts = d.amounts ?? (d.amount == null ? {} : { [d.currency ?? DEFAULT_CURRENCY]: d.amount });
    args.amounts = { ...amounts };
  }
  args.duration = d.duration;
  if (d.duration === "repeating") unlessDefault(args, "durationInMonths", d.duration_in_months ?? undefined);
  unlessDefault(args, "code", d.code ?? undefined);
  unlessDefault(args, "startsAt", d.starts_at ?? undefined);
  unlessDefault(args, "endsAt", d.ends_at ?? undefined);
  unlessDefault(args, "maxRedemptions", d.max_redemptions ?? undefined);
  unlessDefault(args, "maxRedemptionsPerCustomer", d.max_redemptions_per_customer ?? undefined);
  if (d.products.length > 0) args.products = d.products.map((p) => ref("polar:Product", p.id, "productId"));
  metadataArgs(d.metadata, args);
  tagOf(d.metadata, args, notes);
  if (d.redemptions_count > 0) {
    notes.push(
      `redeemed ${d.redemptions_count} time(s): Polar no longer lets its ${d.type === "percentage" ? "basisPoints" : "amounts"} change, so changing them replaces the discount`,
    );
  }
  return {
    type: "polar:Discount",
    id: d.id,
    name: nameFrom(d.name, `discount-${d.id.slice(0, 8)}`),
    title: d.code === null || d.code === undefined ? `discount "${d.name}"` : `discount ${d.code}`,
    args,
    adoptArgs: { adopt: true, adoptId: d.id },
    notes,
  };
}

export const inventory: Inventory = {
  async list(client: ApiClient): Promise<InventoryResult> {
    const result: InventoryResult = { declarations: [], skipped: [] };
    const products = await allPages(client, "/v1/products/", polarProductSchema, { is_archived: false });
    const discounts = await allPages(client, "/v1/discounts/", polarDiscountSchema);
    const links = await allPages(client, "/v1/checkout-links/", polarCheckoutLinkSchema);
    const benefits = (await allPages(client, "/v1/benefits/", polarBenefitSchema)).filter(
      (b) => !b.is_deleted,
    );
    for (const b of benefits) {
      if (MANAGED_BENEFIT_TYPES.includes(b.type)) continue;
      result.skipped.push({
        type: "polar:Benefit",
        id: b.id,
        title: `benefit "${b.description}"`,
        reason: `it is a ${b.type} benefit, which Polar creates only with an account connected in its dashboard (polar.Benefit manages ${MANAGED_BENEFIT_TYPES.join(", ")})`,
      });
    }
    const meters = await allPages(client, "/v1/meters/", polarMeterSchema, { is_archived: false });
    const fields = await allPages(client, "/v1/custom-fields/", polarCustomFieldSchema);
    const live = products.filter((p) => !p.is_archived);
    // A product with a price polar.Product cannot hold would lose that price on the first `up`.
    for (const p of live) {
      const other = unmanagedPrice(p);
      if (other === undefined) continue;
      result.skipped.push({
        type: "polar:Product",
        id: p.id,
        title: `product "${p.name}"`,
        reason: `it has a ${other.vendor_type} price, which polar.Product does not manage (it manages ${POLAR_MANAGED_PRICE_TYPES.join(", ")})`,
      });
    }
    for (const [schema, declarations] of [
      [polarMeterArgsSchema, meters.filter((m) => m.archived_at == null).map(meterDeclaration)],
      [polarCustomFieldArgsSchema, fields.map(customFieldDeclaration)],
      [
        polarBenefitArgsSchema,
        benefits.filter((b) => MANAGED_BENEFIT_TYPES.includes(b.type)).map(benefitDeclaration),
      ],
      [polarProductArgsSchema, live.filter((p) => unmanagedPrice(p) === undefined).map(productDeclaration)],
      [polarDiscountArgsSchema, discounts.map(discountDeclaration)],
      [polarCheckoutLinkArgsSchema, links.map(linkDeclaration)],
    ] as const) {
      for (const d of declarations) {
        // The adoption key is the resource name unless the object carries a tag.
        declareOrSkip(result, schema, d, { adoptionKey: d.name });
      }
    }
    return result;
  },
};
