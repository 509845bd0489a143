/**
 * The type token of a resource, both ways: `pulumi-nodejs:dynamic/<backend>:<Type>`, the form the
 * engine's Node.js dynamic provider serves. The resource base class builds it; the command's reports
 * and recovery parse it back from engine events and state.
 */

/** The package and module prefix of every dynamic resource's token. */
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";

/** The type token of `<backend>:<Type>`: `pulumi-nodejs:dynamic/<backend>:<Type>`. */
export function typeToken(backend: string, type: string): string {
  return `${DYNAMIC_PREFIX}${backend}:${type}`;
}

/** A token of a dynamic resource (this package's, or another dynamic provider's). */
export function isDynamicToken(token: string): boolean {
  return token.startsWith(DYNAMIC_PREFIX);
}

/**
 * Splits any type token into backend and kind: `pulumi-nodejs:dynamic/fynn:CheckoutLink` gives
 * `fynn` and `CheckoutLink`. Dynamic resources name their backend in the module (`dynamic/fynn`);
 * other resources are named by their package (`checkout-links:index:Catalog` gives `checkout-links`).
 */
export function parseTypeToken(token: string): { backend: string; kind: string } {
  const parts = token.split(":");
  const kind = parts[parts.length - 1] ?? token;
  const mod = parts[1] ?? "";
  const backend = mod.startsWith("dynamic/") ? mod.slice("dynamic/".length) : (parts[0] ?? "");
  return { backend, kind };
}
