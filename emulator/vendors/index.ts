/**
 * The emulator's vendors: one module per backend of provider/backends.ts (a folder per backend,
 * one file per object type), served below its family's path prefix (`/<family>`) and owning its
 * slice of the state, and one family module per family that needs more than the plain defaults
 * (its error dialect, headers, checks). The built-in ones are below; {@link registerVendor} and
 * {@link registerFamily} add others at run time, e.g. a test's toy backend.
 */
import { backend, isBackendName } from "../../provider/backends";
import type { FamilyModule, VendorModule } from "../app";
import type { Slices, StateContainer, StateSlice } from "../state";
import { COREAPI_VENDOR } from "./coreapi/index";
import type { CoreapiState } from "./coreapi/state";
import { FYNN_VENDOR } from "./fynn/index";
import type { FynnState } from "./fynn/state";
import { FYNN_FAMILY } from "./fynnFamily";
import { POLAR_VENDOR } from "./polar/index";
import type { PolarState } from "./polar/state";
import { POLAR_FAMILY } from "./polarFamily";

/**
 * Everything an emulator stores: the built-in vendors' slices, typed, and the slices of vendors
 * registered at run time under their backend's name.
 */
export type EmulatorState = StateContainer & { coreapi: CoreapiState; fynn: FynnState; polar: PolarState };

const vendorRegistry = new Map<string, VendorModule>(
  [COREAPI_VENDOR, FYNN_VENDOR, POLAR_VENDOR].map((v): [string, VendorModule] => [v.backend, v]),
);
const familyRegistry = new Map<string, FamilyModule>([FYNN_FAMILY, POLAR_FAMILY].map((f) => [f.family, f]));

/**
 * Serves a backend on emulators started from now on. The backend must be registered in
 * provider/backends.ts first (its family gives the path prefix); one module per backend. Its
 * objects belong in its state slice ({@link VendorModule.state}), so that reset, the state route
 * and the data file see them. Returns a function that removes it again.
 */
export function registerVendor(module: VendorModule): () => void {
  if (!isBackendName(module.backend)) {
    throw new Error(`no backend "${module.backend}" is registered (provider/registry.ts registerBackend)`);
  }
  if (vendorRegistry.has(module.backend)) {
    throw new Error(`the emulator already serves backend "${module.backend}"`);
  }
  vendorRegistry.set(module.backend, module);
  return () => {
    if (vendorRegistry.get(module.backend) === module) vendorRegistry.delete(module.backend);
  };
}

/** Gives a family its dialect, headers or checks on emulators started from now on. */
export function registerFamily(module: FamilyModule): () => void {
  if (familyRegistry.has(module.family)) {
    throw new Error(`the emulator already has a module for family "${module.family}"`);
  }
  familyRegistry.set(module.family, module);
  return () => {
    if (familyRegistry.get(module.family) === module) familyRegistry.delete(module.family);
  };
}

/** One family's vendors and family module, as an emulator serves them. */
export interface ServedFamily {
  module: FamilyModule;
  vendors: VendorModule[];
}

/**
 * Every family with at least one vendor module whose backend is registered, by family name, its
 * vendors in registration order.
 */
export function servedFamilies(): Map<string, ServedFamily> {
  const out = new Map<string, ServedFamily>();
  for (const vendor of vendorRegistry.values()) {
    if (!isBackendName(vendor.backend)) continue; // its backend was unregistered since
    const family = backend(vendor.backend).family;
    let served = out.get(family);
    if (!served) {
      served = { module: familyRegistry.get(family) ?? { family }, vendors: [] };
      out.set(family, served);
    }
    served.vendors.push(vendor);
  }
  return out;
}

/**
 * The backend the request log names for a path below a family's prefix: the vendor that claims it,
 * else the one named like the family, else the family's first.
 */
export function vendorOf(served: ServedFamily, path: string): string {
  const claimed = served.vendors.find((v) => v.claims?.(path));
  if (claimed) return claimed.backend;
  const named = served.vendors.find((v) => v.backend === served.module.family) ?? served.vendors[0];
  return named?.backend ?? served.module.family;
}

/** The state slices of the served vendors, by backend name, in registration order. */
export function servedSlices(families: Iterable<ServedFamily>): Slices {
  const slices = new Map<string, StateSlice<unknown>>();
  for (const served of families) {
    for (const vendor of served.vendors) if (vendor.state) slices.set(vendor.backend, vendor.state);
  }
  return slices;
}
