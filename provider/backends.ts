/**
 * The list of backends: every backend this package speaks to, as data (name, title, family, default
 * URL, settings fallback, pacing, error dialect, link URLs). What the provider core, the
 * `checkout-links` command, the emulator and the README need to know of a backend comes from here;
 * which resource types a backend has, and their providers, is provider/registry.ts's.
 *
 * Adding a backend: one folder `provider/<name>/` with its resource specs (and an `inventory.ts`
 * for `checkout-links import`), one folder `emulator/vendors/<name>` for the emulator, and one entry
 * below naming where its code lives (or one `registerBackend` call at run time). CONTRIBUTING.md
 * walks through it.
 */
import { type BackendInfo, BackendList } from "./core/backend";
import { isFynnNotFoundBody, parseFynnErrorBody } from "./fynnFamilyErrors";
import { isPolarNotFoundBody, parsePolarErrorBody } from "./polar/errors";

export type { BackendDirectory, BackendInfo } from "./core/backend";

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/**
 * Where a backend's code lives, as `<module>#<export>` paths under provider/, which provider/registry.ts
 * loads on first use. Paths rather than imports keep this list below the resource modules, which
 * import it for {@link BACKENDS}.
 */
export interface BackendModules {
  /** Each resource type's provider class, e.g. `{ Plan: "coreapi/plan#PlanProvider" }`. */
  resources: Record<string, string>;
  /** The routes `checkout-links doctor` probes. */
  routes?: string;
  /** The account lister of `checkout-links import`. */
  inventory?: string;
}

/** A built-in backend: its data and where its code lives. */
export interface BuiltInBackend extends BackendInfo {
  modules: BackendModules;
}

/** The built-in backends. */
export const BUILT_IN: readonly BuiltInBackend[] = [
  {
    name: "coreapi",
    title: "coreapi.io (Fynn V2 Plans API)",
    family: "fynn",
    defaultBaseUrl: "https://coreapi.io",
    linkUrl: "slug",
    configFallback: "fynn",
    parseErrorBody: parseFynnErrorBody,
    isNotFoundBody: isFynnNotFoundBody,
    modules: {
      resources: {
        Plan: "coreapi/plan#PlanProvider",
        CheckoutLink: "coreapi/checkoutLink#CheckoutLinkProvider",
      },
      routes: "coreapi/routes#routes",
      inventory: "coreapi/inventory#inventory",
    },
  },
  {
    name: "fynn",
    title: "Fynn classic API",
    family: "fynn",
    defaultBaseUrl: "https://coreapi.io",
    linkUrl: "slug",
    parseErrorBody: parseFynnErrorBody,
    isNotFoundBody: isFynnNotFoundBody,
    modules: {
      resources: { CheckoutLink: "fynn/checkoutLink#FynnCheckoutLinkProvider" },
      routes: "fynn/routes#routes",
      inventory: "fynn/inventory#inventory",
    },
  },
  {
    name: "polar",
    title: "Polar",
    family: "polar",
    defaultBaseUrl: "https://api.polar.sh",
    linkUrl: "secret",
    // Polar's documented limits: 100 requests a minute in the sandbox, 500 in production.
    defaultRatePerMinute: (baseUrl) => (hostOf(baseUrl) === "api.polar.sh" ? 500 : 100),
    parseErrorBody: parsePolarErrorBody,
    isNotFoundBody: isPolarNotFoundBody,
    modules: {
      resources: {
        Product: "polar/product#ProductProvider",
        CheckoutLink: "polar/checkoutLink#CheckoutLinkProvider",
        Benefit: "polar/benefit#BenefitProvider",
        Meter: "polar/meter#MeterProvider",
        CustomField: "polar/customField#CustomFieldProvider",
        Discount: "polar/discount#DiscountProvider",
      },
      routes: "polar/routes#routes",
      inventory: "polar/inventory#inventory",
    },
  },
];

/**
 * Every backend of this process: the built-in ones, then those added at run time (provider/registry.ts
 * `registerBackend`). The core is handed this list; it never imports it.
 */
export const BACKENDS = new BackendList(BUILT_IN);

/** Every backend, built-in ones first, in registration order. */
export function backends(): BackendInfo[] {
  return BACKENDS.all();
}

/** The names of every backend, e.g. for `--backend` choices. */
export function backendNames(): string[] {
  return BACKENDS.names();
}

export function isBackendName(name: string): boolean {
  return BACKENDS.find(name) !== undefined;
}

/** One backend's entry; throws naming the known ones. */
export function backend(name: string): BackendInfo {
  return BACKENDS.get(name);
}

/** The backends whose settings a backend reads, itself first (coreapi → coreapi, fynn). */
export function settingsChain(name: string): string[] {
  return BACKENDS.settingsChain(name);
}
