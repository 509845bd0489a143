/**
 * The change report: what a preview (or an update) does to each checkout link, plan and product,
 * field by field, for a reviewer reading a pull-request comment (Markdown) and for a pipeline
 * (JSON).
 *
 * Built from the engine's step events rather than from the CLI's text output: `resourcePreEvent`
 * carries the operation, the replace keys and the old and new inputs of every step. Dynamic
 * providers answer `diff()` themselves, so the engine leaves `diffs`/`detailedDiff` empty; the
 * field-level changes are therefore computed from the inputs (`buildReport`, reportBuild.ts).
 *
 * This module is the report's shape, the contract of the JSON report (`schemaVersion`); building it
 * and rendering it as Markdown live beside it.
 */

export type Operation = "create" | "update" | "replace" | "delete";

/** What a masked value shows, in both reports. */
export const MASKED = "[secret]";
/**
 * What a value that is only known after apply shows (where the engine sends its `UNKNOWN` stand-in,
 * provider/core/engine.ts).
 */
export const KNOWN_AFTER_APPLY = "[known after apply]";

export interface FieldChange {
  /** Dotted path into the inputs: `slug`, `options.couponsAllowed`, `items[0].quantity`. */
  field: string;
  /** Absent when the field is new. */
  old?: unknown;
  /** Absent when the field goes away. */
  new?: unknown;
  /**
   * With a refresh first (`--refresh`): the vendor's value differs from what the state held, so `old`
   * is what the vendor has now and `new` what the program declares.
   */
  drift?: true;
}

/**
 * `slug-change`: an input that the resource's diff table marks `publishes` changes (a link's slug,
 * or what else makes its published URL stop working); the others name what happens to the resource.
 */
export type WarningKind =
  | "slug-change"
  | "link-removed"
  | "link-replaced"
  | "link-recreated"
  | "catalog-removed";

export interface Warning {
  kind: WarningKind;
  urn: string;
  name: string;
  message: string;
}

export interface ResourceChange {
  urn: string;
  /** The resource's name in the program (the last part of the URN). */
  name: string;
  /** Type token, e.g. `pulumi-nodejs:dynamic/fynn:CheckoutLink`. */
  type: string;
  /** `coreapi`, `fynn`, `polar` for this library's resources, else the type's module or package. */
  backend: string;
  /** Short type name: `CheckoutLink`, `Plan`, `Product`, ... */
  kind: string;
  op: Operation;
  /** Inputs that force the replacement (replace only). */
  replaceReasons: string[];
  fields: FieldChange[];
  /** The published slug before and after (links only; absent where the backend has none). */
  slug?: { old?: unknown; new?: unknown };
  /** The published URL before the change (links only). */
  url?: string;
  /**
   * What a refresh found at the vendor (with `--refresh`): `changed` out of band, or `deleted` out of
   * band (the operation then recreates it).
   */
  drift?: "changed" | "deleted";
}

export interface Summary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export interface LinkRow {
  backend: string;
  name: string;
  slug: string;
  url: string;
}

export interface Report {
  schemaVersion: 1;
  command: string;
  project: string;
  stack: string;
  hasChanges: boolean;
  summary: Summary;
  warnings: Warning[];
  resources: ResourceChange[];
  /** The links after an update (up only). */
  links?: LinkRow[];
  /** Resources whose operation failed, with the provider's message (present when any failed). */
  failures?: Failure[];
  /** The endpoint each backend of the stack's resources targets, per account. */
  endpoints?: Endpoint[];
}

export interface Endpoint {
  backend: string;
  /** `default` or a named account. */
  account: string;
  /** The base URL the provider calls (without any user info). */
  url: string;
}

export interface Failure {
  urn: string;
  name: string;
  /** `<backend>:<Kind>`, e.g. `fynn:CheckoutLink`. */
  type: string;
  /** What the provider said: operation, vendor, status, the vendor's message, request id, attempts. */
  message: string;
}

export interface ReportContext {
  command: string;
  project: string;
  stack: string;
  /** The endpoints of the given backends, as the provider resolves them. */
  endpoints?: (backends: string[]) => Endpoint[];
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
