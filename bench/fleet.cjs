/**
 * A stack of many checkout links across the three backends, as a program text a user project can
 * run: coreapi plans with a link per tier, Fynn classic links, and Polar products each sold by links.
 * Shared by the deploy benchmark and the engine tests that need a large stack (faults, interruptions).
 *
 * Fynn catalog objects are the ones the emulator seeds with `seed: "examples"`.
 */

/** How many of each a stack of about `n` links holds: 30% coreapi, 30% Fynn, 40% Polar. */
function fleetShape(n) {
  const coreapiLinks = Math.round(n * 0.3);
  const plans = Math.max(1, Math.round(coreapiLinks / 10));
  const fynnLinks = Math.round(n * 0.3);
  const polarLinks = Math.max(0, n - coreapiLinks - fynnLinks);
  const polarProducts = Math.max(1, Math.ceil(polarLinks / 2));
  return { plans, coreapiLinks, fynnLinks, polarProducts, polarLinks };
}

/**
 * The program. `prefix` keeps slugs, plan codes and labels apart between stacks that share an
 * organisation; `revision` changes the mutable fields of every `touchEvery`-th link (0: none), for
 * an update that touches a known share of the links.
 */
function fleetProgram({ n, prefix = "fl", revision = 0, touchEvery = 10 }) {
  const s = fleetShape(n);
  const touched = (i) => revision > 0 && touchEvery > 0 && i % touchEvery === 0;
  const lines = [
    'import { coreapi, fynn, polar } from "pulumi-checkout-links";',
    "",
    'const item = { productId: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b", pricePlanId: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b" };',
    "export const links: Record<string, { slug: unknown; url: unknown }> = {};",
    "",
  ];
  let link = 0;
  const perPlan = Math.ceil(s.coreapiLinks / s.plans);
  for (let p = 0; p < s.plans; p++) {
    const tiers = Math.min(perPlan, s.coreapiLinks - p * perPlan);
    if (tiers <= 0) break;
    const tierList = Array.from({ length: tiers }, (_, t) => `{ name: "T${t}", items: [item] }`).join(", ");
    lines.push(
      `const plan${p} = new coreapi.Plan("plan-${p}", { code: "${prefix}-plan-${p}", name: "Plan ${p}", tiers: [${tierList}] });`,
    );
    for (let t = 0; t < tiers; t++, link++) {
      const slug = `${prefix}-co-${p}-${t}`;
      lines.push(
        `{ const l = new coreapi.CheckoutLink("co-${p}-${t}", { planId: plan${p}.planId, planTierId: plan${p}.tierIds.apply((ids) => ids["T${t}"] as string), slug: "${slug}", couponsAllowed: ${touched(link)} }); links["${slug}"] = { slug: l.slug, url: l.url }; }`,
      );
    }
  }
  for (let f = 0; f < s.fynnLinks; f++, link++) {
    const slug = `${prefix}-fy-${f}`;
    lines.push(
      `{ const l = new fynn.CheckoutLink("fy-${f}", { items: [{ ...item, quantity: ${touched(link) ? 2 : 1} }], slug: "${slug}" }); links["${slug}"] = { slug: l.slug, url: l.url }; }`,
    );
  }
  for (let p = 0; p < s.polarProducts; p++) {
    lines.push(
      `const po${p} = new polar.Product("po-${p}", { name: "${prefix} product ${p}", recurringInterval: "month", prices: [{ type: "fixed", amount: ${1000 + p}, currency: "usd" }] });`,
    );
  }
  for (let l = 0; l < s.polarLinks; l++, link++) {
    const label = `${prefix}-pl-${l}${touched(link) ? "-r" + revision : ""}`;
    lines.push(
      `{ const l = new polar.CheckoutLink("pl-${l}", { products: [po${l % s.polarProducts}.productId], label: "${label}" }); links["${prefix}-pl-${l}"] = { slug: l.linkId, url: l.url }; }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A Polar-only stack: `products` products and `links` checkout links sold over them in turn, named as
 * in {@link fleetProgram} (products `<prefix> product <i>`, link labels `<prefix>-pl-<i>`).
 */
function polarFleetProgram({ products, links, prefix = "pf" }) {
  const lines = [
    'import { polar } from "pulumi-checkout-links";',
    "",
    "export const links: Record<string, unknown> = {};",
    "",
  ];
  for (let p = 0; p < products; p++) {
    lines.push(
      `const po${p} = new polar.Product("po-${p}", { name: "${prefix} product ${p}", recurringInterval: "month", prices: [{ type: "fixed", amount: ${1000 + p}, currency: "usd" }] });`,
    );
  }
  for (let l = 0; l < links; l++) {
    lines.push(
      `{ const l = new polar.CheckoutLink("pl-${l}", { products: [po${l % products}.productId], label: "${prefix}-pl-${l}" }); links["${prefix}-pl-${l}"] = l.url; }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Stack config pointing every backend at an emulator, with Polar's client-side pacing off. */
function fleetConfig(baseUrls, tokens) {
  return {
    "checkout-links:coreapi.baseUrl": { value: baseUrls.coreapi },
    "checkout-links:coreapi.token": { value: tokens.fynnAcme, secret: true },
    "checkout-links:fynn.baseUrl": { value: baseUrls.fynn },
    "checkout-links:fynn.token": { value: tokens.fynnAcme, secret: true },
    "checkout-links:polar.baseUrl": { value: baseUrls.polar },
    "checkout-links:polar.token": { value: tokens.polarAcme, secret: true },
    "checkout-links:polar.ratePerMinute": { value: "0" },
  };
}

/** How many resources the fleet of about `n` links declares (every kind of `fleetShape`). */
function fleetResources(n) {
  const s = fleetShape(n);
  return s.plans + s.coreapiLinks + s.fynnLinks + s.polarProducts + s.polarLinks;
}

/** The kinds of object a fleet holds, as counted at the vendor and in the state. */
const KINDS = ["plans", "coreapiLinks", "fynnLinks", "products", "polarLinks"];

/** How many of each kind the fleet of about `n` links declares. */
function fleetDeclared(n) {
  const s = fleetShape(n);
  return {
    plans: s.plans,
    coreapiLinks: s.coreapiLinks,
    fynnLinks: s.fynnLinks,
    products: s.polarProducts,
    polarLinks: s.polarLinks,
  };
}

/** Ids of the fleet's live objects (not archived, not deleted) in an emulator's state, by kind. */
function fleetLive(state, prefix) {
  const mine = (x) => typeof x === "string" && x.startsWith(`${prefix}-`);
  const ids = (xs, keep) =>
    xs
      .filter(keep)
      .map((x) => x.id)
      .sort();
  return {
    plans: ids(Object.values(state.coreapi.plans), (p) => p.status !== "archived" && mine(p.code)),
    coreapiLinks: ids(Object.values(state.coreapi.links), (l) => l.deletedAt === null && mine(l.slug)),
    fynnLinks: ids(Object.values(state.fynn.links), (l) => l.deletedAt === null && mine(l.slug)),
    products: ids(
      Object.values(state.polar.products),
      (p) => !p.is_archived && p.name.startsWith(`${prefix} `),
    ),
    polarLinks: ids(Object.values(state.polar.links), (l) => l.deleted_at === null && mine(l.label)),
  };
}

/** Ids of the fleet's resources in a stored checkpoint (the parsed stack file), by kind. */
function fleetInState(checkpoint) {
  const resources = checkpoint.checkpoint.latest.resources ?? [];
  const of = (t) =>
    resources
      .filter((r) => r.type === `pulumi-nodejs:dynamic/${t}`)
      .map((r) => r.id)
      .sort();
  return {
    plans: of("coreapi:Plan"),
    coreapiLinks: of("coreapi:CheckoutLink"),
    fynnLinks: of("fynn:CheckoutLink"),
    products: of("polar:Product"),
    polarLinks: of("polar:CheckoutLink"),
  };
}

module.exports = {
  KINDS,
  fleetShape,
  fleetResources,
  fleetProgram,
  polarFleetProgram,
  fleetConfig,
  fleetDeclared,
  fleetLive,
  fleetInState,
};
