/**
 * The backend registry: every backend this package speaks to, with what the provider core, the
 * `checkout-links` command, the emulator and the README need to know of it. Everything that lists
 * backends derives from here.
 *
 * Adding a backend: one folder `provider/<name>/` with its resource specs (and an `inventory.ts`
 * for `checkout-links import`), one folder
 * `emulator/vendors/<name>` for the emulator, and one entry below (or a {@link registerBackend}
 * call). CONTRIBUTING.md walks through it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RouteProbe } from "./core/doctor";
import type { FieldError } from "./core/errors";
import type { AccountArgs, ResourceSpec } from "./core/spec";
import { isFynnNotFoundBody, parseFynnErrorBody } from "./fynnFamily";
import type { Inventory } from "./inventory";
import { isPolarNotFoundBody, parsePolarErrorBody } from "./polar/errors";

/** A provider class as the engine's dynamic provider instantiates it. */
export type ProviderClass = new () => pulumi.dynamic.ResourceProvider;

export interface BackendEntry {
  /** The name used in type tokens (`pulumi-nodejs:dynamic/<name>:<Type>`), config keys and reports. */
  name: string;
  /** How the README and reports name it. */
  title: string;
  /**
   * Backends of one family share a host, a token kind and an error dialect (coreapi.io and the Fynn
   * classic API are both served by the Fynn host with one organisation token).
   */
  family: string;
  /** The vendor's production API. */
  defaultBaseUrl: string;
  /** Another backend whose settings (token, base URL, tuning) apply when this one has none. */
  configFallback?: string;
  /**
   * How a checkout link's public URL is formed: `slug` (a link made again with the same slug has the
   * same URL, as on coreapi.io and Fynn) or `secret` (a server-made secret, so a new link has a new
   * URL, as on Polar). Default `secret`, the cautious reading.
   */
  linkUrl?: "slug" | "secret";
  /** Client-side pacing when the user sets none, from the base URL (the vendor's documented limit). */
  defaultRatePerMinute?: (baseUrl: string) => number | undefined;
  /**
   * Reads an error body in the vendor's dialect into its message and field errors; undefined when the
   * body is not in that dialect. `clip` shortens long texts.
   */
  parseErrorBody?: (
    body: Record<string, unknown>,
    clip: (s: string) => string,
  ) => { detail?: string; fieldErrors: FieldError[] } | undefined;
  /**
   * Whether a 404's (parsed JSON, else text) body is the vendor's own answer for an object that does
   * not exist, as opposed to a route the server does not have (a framework's "no route" page, a
   * proxy's). Only such a 404 means gone (read) or done (delete); without this check no 404 does,
   * and the provider fails naming the route instead of dropping the object from state.
   */
  isNotFoundBody?: (body: unknown) => boolean;
  /** Resource types (`Type` of `<name>:<Type>`) and their provider classes, loaded on first use. */
  resources: Record<string, () => ProviderClass>;
  /** The routes the resources use, documented or inferred, as `checkout-links doctor` probes them. */
  routes?: () => readonly RouteProbe[];
  /** Lists an account's objects as resource declarations, for `checkout-links import`; loaded on first use. */
  inventory?: () => Inventory;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

const BUILT_IN: readonly BackendEntry[] = [
  {
    name: "coreapi",
    title: "coreapi.io (Fynn V2 Plans API)",
    family: "fynn",
    defaultBaseUrl: "https://coreapi.io",
    linkUrl: "slug",
    configFallback: "fynn",
    parseErrorBody: parseFynnErrorBody,
    isNotFoundBody: isFynnNotFoundBody,
    resources: {
      Plan: () => require("./coreapi/plan").PlanProvider,
      CheckoutLink: () => require("./coreapi/checkoutLink").CheckoutLinkProvider,
    },
    routes: () => require("./coreapi/routes").routes,
    inventory: () => require("./coreapi/inventory").inventory,
  },
  {
    name: "fynn",
    title: "Fynn classic API",
    family: "fynn",
    defaultBaseUrl: "https://coreapi.io",
    linkUrl: "slug",
    parseErrorBody: parseFynnErrorBody,
    isNotFoundBody: isFynnNotFoundBody,
    resources: {
      CheckoutLink: () => require("./fynn/checkoutLink").FynnCheckoutLinkProvider,
    },
    routes: () => require("./fynn/routes").routes,
    inventory: () => require("./fynn/inventory").inventory,
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
    resources: {
      Product: () => require("./polar/product").ProductProvider,
      CheckoutLink: () => require("./polar/checkoutLink").CheckoutLinkProvider,
    },
    routes: () => require("./polar/routes").routes,
    inventory: () => require("./polar/inventory").inventory,
  },
];

const registry = new Map<string, BackendEntry>(BUILT_IN.map((b) => [b.name, b]));

/**
 * Adds a backend at run time (a plugin, or a test's toy backend). Names are unique; the built-in ones
 * cannot be replaced.
 */
export function registerBackend(entry: BackendEntry): () => void {
  if (!/^[a-z][a-z0-9]*$/.test(entry.name)) {
    throw new Error(`backend name ${JSON.stringify(entry.name)} must be lower-case letters and digits`);
  }
  if (registry.has(entry.name)) throw new Error(`backend "${entry.name}" is already registered`);
  registry.set(entry.name, entry);
  return () => {
    if (registry.get(entry.name) === entry) registry.delete(entry.name);
  };
}

/** Every backend, built-in ones first, in registration order. */
export function backends(): BackendEntry[] {
  return [...registry.values()];
}

/** The names of every backend, e.g. for `--backend` choices. */
export function backendNames(): string[] {
  return [...registry.keys()];
}

export function isBackendName(name: string): boolean {
  return registry.has(name);
}

/** One backend's entry; throws naming the known ones. */
export function backend(name: string): BackendEntry {
  const entry = registry.get(name);
  if (entry === undefined) {
    throw new Error(`unknown backend "${name}" (known: ${backendNames().join(", ")})`);
  }
  return entry;
}

/** The backends whose settings a backend reads, itself first (coreapi → coreapi, fynn). */
export function settingsChain(name: string): string[] {
  const entry = backend(name);
  return entry.configFallback === undefined ? [name] : [name, entry.configFallback];
}

/** Every resource type, `<backend>:<Type>`. */
export function resourceTypes(): string[] {
  return backends().flatMap((b) => Object.keys(b.resources).map((t) => `${b.name}:${t}`));
}

/** The provider class of `<backend>:<Type>`, or undefined when no backend has that type. */
export function providerClass(type: string): ProviderClass | undefined {
  const at = type.indexOf(":");
  if (at < 0) return undefined;
  const load = registry.get(type.slice(0, at))?.resources[type.slice(at + 1)];
  return load?.();
}

/** The spec of `<backend>:<Type>` (its diff table, outputs, verbs), or undefined when there is none. */
export function resourceSpec(type: string): ResourceSpec<AccountArgs, AccountArgs> | undefined {
  const Provider = providerClass(type);
  if (Provider === undefined) return undefined;
  const p = new Provider() as { spec?: ResourceSpec<AccountArgs, AccountArgs> };
  return p.spec;
}
