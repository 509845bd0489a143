/**
 * The registry: which resource types each backend has, and the provider class, spec, routes and
 * inventory of each, loaded on first use. It sits above the resource specs, which sit above the
 * core; the backends themselves, as data, are provider/backends.ts's.
 *
 * Adding a backend: one entry in provider/backends.ts, its data and where its code lives, or one
 * {@link registerBackend} call at run time with both (a plugin, a test's toy backend).
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { BACKENDS, type BackendModules, BUILT_IN } from "./backends";
import type { BackendInfo } from "./core/backend";
import type { RouteProbe } from "./core/doctor";
import type { AccountArgs, ProviderOptions, ResourceSpec } from "./core/spec";
import type { Inventory } from "./inventory";

/** A provider class as the engine's dynamic provider instantiates it (with no options). */
export type ProviderClass = new (options?: ProviderOptions) => pulumi.dynamic.ResourceProvider;

/** What a backend brings as code: its resource types and what the command probes and lists. */
export interface BackendCode {
  /** Resource types (`Type` of `<name>:<Type>`) and their provider classes, loaded on first use. */
  resources: Record<string, () => ProviderClass>;
  /** The routes the resources use, documented or inferred, as `checkout-links doctor` probes them. */
  routes?: () => readonly RouteProbe[];
  /** Lists an account's objects as resource declarations, for `checkout-links import`; loaded on first use. */
  inventory?: () => Inventory;
}

/** A backend whole: its data (provider/backends.ts) and its code. */
export interface BackendEntry extends BackendInfo, BackendCode {}

/** The export a `<module>#<export>` path of provider/backends.ts names, loaded now. */
function load<T>(ref: string): T {
  const [mod, name] = ref.split("#") as [string, string];
  return (require(path.join(__dirname, mod)) as Record<string, T>)[name] as T;
}

/** A built-in backend's code, each part loaded on first use. */
function codeOf(modules: BackendModules): BackendCode {
  const { routes, inventory } = modules;
  const own: BackendCode = {
    resources: Object.fromEntries(
      Object.entries(modules.resources).map(([type, ref]) => [type, () => load<ProviderClass>(ref)]),
    ),
  };
  if (routes !== undefined) own.routes = () => load<readonly RouteProbe[]>(routes);
  if (inventory !== undefined) own.inventory = () => load<Inventory>(inventory);
  return own;
}

const code = new Map<string, BackendCode>(BUILT_IN.map((b) => [b.name, codeOf(b.modules)]));

/**
 * Adds a backend at run time (a plugin, or a test's toy backend): its data to provider/backends.ts's
 * list and its code here. Names are unique; the built-in ones cannot be replaced.
 */
export function registerBackend(entry: BackendEntry): () => void {
  const { resources, routes, inventory, ...info } = entry;
  const remove = BACKENDS.add(info);
  const own: BackendCode = { resources };
  if (routes !== undefined) own.routes = routes;
  if (inventory !== undefined) own.inventory = inventory;
  code.set(entry.name, own);
  return () => {
    if (code.get(entry.name) === own) code.delete(entry.name);
    remove();
  };
}

function entryOf(info: BackendInfo): BackendEntry {
  return { ...info, ...(code.get(info.name) ?? { resources: {} }) };
}

/** Every backend, built-in ones first, in registration order. */
export function backends(): BackendEntry[] {
  return BACKENDS.all().map(entryOf);
}

/** The names of every backend, e.g. for `--backend` choices. */
export function backendNames(): string[] {
  return BACKENDS.names();
}

export function isBackendName(name: string): boolean {
  return BACKENDS.find(name) !== undefined;
}

/** One backend's entry; throws naming the known ones. */
export function backend(name: string): BackendEntry {
  return entryOf(BACKENDS.get(name));
}

/** The backends whose settings a backend reads, itself first (coreapi → coreapi, fynn). */
export function settingsChain(name: string): string[] {
  return BACKENDS.settingsChain(name);
}

/** Every resource type, `<backend>:<Type>`. */
export function resourceTypes(): string[] {
  return backends().flatMap((b) => Object.keys(b.resources).map((t) => `${b.name}:${t}`));
}

/** The provider class of `<backend>:<Type>`, or undefined when no backend has that type. */
export function providerClass(type: string): ProviderClass | undefined {
  const at = type.indexOf(":");
  if (at < 0) return undefined;
  const name = type.slice(0, at);
  if (BACKENDS.find(name) === undefined) return undefined;
  return code.get(name)?.resources[type.slice(at + 1)]?.();
}

/** The spec of `<backend>:<Type>` (its diff table, outputs, verbs), or undefined when there is none. */
export function resourceSpec(type: string): ResourceSpec<AccountArgs, AccountArgs> | undefined {
  const Provider = providerClass(type);
  if (Provider === undefined) return undefined;
  const p = new Provider() as { spec?: ResourceSpec<AccountArgs, AccountArgs> };
  return p.spec;
}
