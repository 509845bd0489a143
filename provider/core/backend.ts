/**
 * What the core knows of a backend: its data, never its code. The list of backends
 * (provider/backends.ts) and the module that maps a type to its provider (provider/registry.ts) sit
 * above the core; the core is handed a {@link BackendDirectory} and looks backends up in it, so that
 * no module of the core imports a backend.
 */

/** A backend's name as listed in provider/backends.ts; the three built-in ones are spelt out. */
export type Backend = "coreapi" | "fynn" | "polar" | (string & {});

/** One field the vendor refused, with its reason: an {@link ApiError}'s `fieldErrors`. */
export interface FieldError {
  /** Dotted path of the offending field as the vendor named it, e.g. `slug` or `body.products.1`. */
  field: string;
  message: string;
}

/** How a vendor writes its error bodies. */
export interface ErrorDialect {
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
}

/** A backend as data: what the core, the command, the emulator and the README need to know of it. */
export interface BackendInfo extends ErrorDialect {
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
}

/** Looks backends up by name. */
export interface BackendDirectory {
  /** The backend of that name, or undefined. */
  find(name: string): BackendInfo | undefined;
  /** The backend of that name; throws naming the known ones. */
  get(name: string): BackendInfo;
  /** Every backend, built-in ones first, in registration order. */
  all(): BackendInfo[];
  /** Every backend's name, e.g. for `--backend` choices. */
  names(): string[];
  /** The backends whose settings a backend reads, itself first (coreapi → coreapi, fynn). */
  settingsChain(name: string): string[];
}

/** Backend names: lower-case letters and digits, so they fit type tokens, config keys and variables. */
const BACKEND_NAME = /^[a-z][a-z0-9]*$/;

/** A {@link BackendDirectory} over a list, to which backends can be added at run time. */
export class BackendList implements BackendDirectory {
  private readonly byName = new Map<string, BackendInfo>();

  constructor(entries: readonly BackendInfo[]) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  /**
   * Adds a backend (a plugin, or a test's toy backend). Names are unique; the ones present cannot be
   * replaced. Returns the way to take it out again.
   */
  add(entry: BackendInfo): () => void {
    if (!BACKEND_NAME.test(entry.name)) {
      throw new Error(`backend name ${JSON.stringify(entry.name)} must be lower-case letters and digits`);
    }
    if (this.byName.has(entry.name)) throw new Error(`backend "${entry.name}" is already registered`);
    this.byName.set(entry.name, entry);
    return () => {
      if (this.byName.get(entry.name) === entry) this.byName.delete(entry.name);
    };
  }

  find(name: string): BackendInfo | undefined {
    return this.byName.get(name);
  }

  get(name: string): BackendInfo {
    const entry = this.byName.get(name);
    if (entry === undefined) {
      throw new Error(`unknown backend "${name}" (known: ${this.names().join(", ")})`);
    }
    return entry;
  }

  all(): BackendInfo[] {
    return [...this.byName.values()];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  settingsChain(name: string): string[] {
    const entry = this.get(name);
    return entry.configFallback === undefined ? [name] : [name, entry.configFallback];
  }
}
