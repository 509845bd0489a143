/**
 * The list of backends: every backend this package speaks to, as data (name, title, family, default
 * URL, settings fallback, pacing, error dialect, link URLs). What the provider core, the
 * `checkout-links` command, the emulator and the README need to know of a backend comes from here;
 * which resource types a backend has, and their providers, is provider/registry.ts's.
 *
 * Adding a backend: one folder `provider/<name>/` with its resource specs (and an `inventory.ts`
 * for `checkout-links import`), one folder `emulator/vendors/<name>` for the emulator, one entry
 * below and one in provider/registry.ts (or one `registerBackend` call at run time). CONTRIBUTING.md
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

/** The built-in backends. */
export const BUILT_IN: readonly BackendInfo[] = [
  {
    name: "coreapi",
    title: "coreapi.io (Fynn V2 Plans API)",
    family: "fynn",
    defaultBaseUrl: "https://coreapi.io",
    linkUrl: "slug",
    configFallback: "fynn",
    parseErrorBody: parseFynnErrorBody,
    isNotFoundBody: isFynnNotFoundBody,
  },
  {
    name: "fynn",
    title: "Fynn classic API",
    family: "fynn",
    defaultBaseUrl: "https://coreapi.io",
    linkUrl: "slug",
    parseErrorBody: parseFynnErrorBody,
    isNotFoundBody: isFynnNotFoundBody,
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
