/**
 * The kit for a backend of one's own, built the way the three in the package are: a resource spec
 * says how the engine's verbs map onto the vendor's API, {@link providerClassOf} makes the dynamic
 * provider that serves it, {@link SpecResource} is the base of its resource class, and
 * {@link registerBackend} adds the backend (its data and its resource types) at run time.
 *
 * ```ts
 * import { kit } from "pulumi-checkout-links";
 *
 * const unregister = kit.registerBackend({
 *   name: "acme",
 *   title: "Acme",
 *   family: "acme",
 *   defaultBaseUrl: "https://api.acme.example",
 *   resources: { Widget: () => WidgetProvider },
 * });
 * const WidgetProvider = kit.providerClassOf(widgetSpec, kit.BACKENDS);
 * ```
 *
 * CONTRIBUTING.md ("Add a backend") walks through a backend in the package itself.
 */
export { BACKENDS } from "./backends";
export type { Backend, BackendDirectory, BackendInfo, ErrorDialect, FieldError } from "./core/backend";
export type { DiffTable, FieldRule } from "./core/diff";
export type { ApiClient, ApiResponse, RequestOptions } from "./core/http";
export {
  type AccountArgs,
  type Adoption,
  type ArgsSchema,
  type CreateMeta,
  PartialCreateError,
  type ProviderOptions,
  providerClassOf,
  type ResourceSpec,
  type SpecContext,
  type SpecProvider,
  SpecResource,
} from "./core/spec";
export { type BackendCode, type BackendEntry, type ProviderClass, registerBackend } from "./registry";
