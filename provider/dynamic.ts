/**
 * The provider side of every resource, loaded by package name inside Pulumi's dynamic-provider
 * process: `require("pulumi-checkout-links/dynamic").provider("coreapi:CheckoutLink")`.
 *
 * Each resource stores in its state only a few hundred bytes that load this module (see
 * {@link providerModule}); the provider code itself is never serialized. That keeps state small, lets
 * a newer installed version serve old state (like any Pulumi provider plugin), and gives the
 * provider real classes: errors thrown here reach the engine with their messages intact.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderOptions } from "./core/spec";
import { providerClass, resourceTypes } from "./registry";

const instances = new Map<string, pulumi.dynamic.ResourceProvider>();

/** The operations whose failures the engine shows on the resource; each gets its name in the message. */
const OPERATIONS = ["create", "read", "update", "delete"] as const;

/**
 * Names the resource type and operation in every error that leaves the provider, e.g.
 * `polar:Product create: polar POST /v1/products/ failed (HTTP 422) at api.polar.sh: ...`. The engine prints this
 * message under the resource's URN, and `checkout-links` puts it in its reports.
 */
function named(type: string, p: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider {
  const wrapped: Record<string, unknown> = { ...p };
  // Methods live along the prototype chain (a spec's class extends the shared provider).
  for (
    let proto = Object.getPrototypeOf(p);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const f = (p as unknown as Record<string, unknown>)[key];
      if (key !== "constructor" && !(key in wrapped) && typeof f === "function") wrapped[key] = f.bind(p);
    }
  }
  for (const op of OPERATIONS) {
    const f = p[op] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (f === undefined) continue;
    wrapped[op] = async (...args: unknown[]) => {
      try {
        return await f.apply(p, args);
      } catch (e) {
        const prefix = `${type} ${op}: `;
        if (e instanceof Error && !e.message.startsWith(prefix)) e.message = prefix + e.message;
        throw e;
      }
    };
  }
  return wrapped as unknown as pulumi.dynamic.ResourceProvider;
}

/** The types this package implements, `<backend>:<Type>` (from the registry, provider/registry.ts). */
export function providerTypes(): string[] {
  return resourceTypes();
}

/** The provider of one resource type, one instance per process (the engine configures it once). */
export function provider(type: string): pulumi.dynamic.ResourceProvider {
  let p = instances.get(type);
  if (p === undefined) {
    p = freshProvider(type);
    instances.set(type, p);
  }
  return p;
}

/**
 * A provider of one resource type of its own, not the process's shared one: for a program that runs
 * providers in-process with options of its own, such as the settings environment the engine's
 * provider process would see (`checkout-links` recovery).
 */
export function freshProvider(type: string, options: ProviderOptions = {}): pulumi.dynamic.ResourceProvider {
  const Provider = providerClass(type);
  if (Provider === undefined) {
    throw new Error(
      `pulumi-checkout-links has no resource type "${type}" (known: ${providerTypes().join(", ")}); ` +
        "the state was written by a newer version of the package: install that version",
    );
  }
  return named(type, new Provider(options));
}
