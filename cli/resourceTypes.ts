/**
 * What the command knows of the backends and resource types it meets in engine events and state,
 * all of it read from the backend registry and the resources' specs rather than restated here: which
 * types are this package's, which are checkout links, which inputs break a published link when they
 * change, and each backend's inventory (`import`) and routes (`doctor`). The one module of the
 * command that reads the registry (provider/registry.ts).
 */

import type { RouteProbe } from "../provider/core/doctor";
import { isDynamicToken, parseTypeToken } from "../provider/core/typeToken";
import type { Inventory } from "../provider/inventory";
import { backend as backendEntry, backends, isBackendName, resourceSpec } from "../provider/registry";

/** What a report needs of a resource type's spec. */
export interface TypeFacts {
  /** A checkout link: a resource with a published URL, which its spec declares as its `url` output. */
  link: boolean;
  /** The inputs whose change breaks a published link: marked `publishes` in the spec's diff table. */
  publishing: readonly string[];
}

const NONE: TypeFacts = { link: false, publishing: [] };
const facts = new Map<string, TypeFacts>();

/** A resource of this package: a dynamic resource of a registered backend. */
export function isLibraryResource(token: string): boolean {
  return isDynamicToken(token) && isBackendName(parseTypeToken(token).backend);
}

/** The facts of a type token; a type of no registered spec (another package's) has none. */
export function typeFacts(token: string): TypeFacts {
  if (!isLibraryResource(token)) return NONE;
  let known = facts.get(token);
  if (known === undefined) {
    const { backend, kind } = parseTypeToken(token);
    const spec = resourceSpec(`${backend}:${kind}`);
    known =
      spec === undefined
        ? NONE
        : {
            link: spec.outputKeys.includes("url"),
            publishing: Object.entries(spec.diffTable)
              .filter(([, rule]) => rule.publishes === true)
              .map(([field]) => field),
          };
    facts.set(token, known);
  }
  return known;
}

/** A checkout link of any backend: the thing with a published URL. */
export function isLink(token: string): boolean {
  return typeFacts(token).link;
}

/**
 * Whether a checkout link of this backend, made again under the same slug, has the same URL (as on
 * coreapi.io and Fynn), rather than a server-made secret in its URL (as on Polar).
 */
export function urlFollowsSlug(backend: string): boolean {
  return isBackendName(backend) && backendEntry(backend).linkUrl === "slug";
}

/** The backends `import` can list: those of the registry with an inventory. */
export function importableBackends(): string[] {
  return backends()
    .filter((b) => b.inventory !== undefined)
    .map((b) => b.name);
}

/** A backend's inventory, for `import`; undefined when it has none. */
export function inventoryOf(backend: string): Inventory | undefined {
  return backendEntry(backend).inventory?.();
}

/** The backends `doctor` can probe: those of the registry that list their routes. */
export function probedBackends(): string[] {
  return backends()
    .filter((b) => b.routes !== undefined)
    .map((b) => b.name);
}

/** A backend's routes, for `doctor`; undefined when it lists none. */
export function routesOf(backend: string): readonly RouteProbe[] | undefined {
  return backendEntry(backend).routes?.();
}
