// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/**
 * Pieces shared by the Polar resources: the metadata tags the provider writes, the metadata rules
 * and small normalisers.
 */
import { z } from "zod";
import type { ApiClient } from "../core/http";
import type { SpecContext } from "../core/spec";
import { adoptionKeyFields } from "../core/args";
import { polarListResource, polarUrl } from "./schemas";

/**
 * Metadata key holding the adoption key (by default the resource's logical name). Polar links have
 * no slug, so this tag plus the label is how the provider finds "its" link again: for `adopt: true`
 * and after a create whose answer was lost.
 */
export const NAME_TAG = "pulumi-checkout-links:name";

/**
 * Metadata key holding a random token written by one create call, so that the lookup after an
 * ambiguous create finds exactly the object that call made (and never an older one with the same
 * name, such as the one being replaced).
 */
export const CREATE_TAG = "pulumi-checkout-links:create";

/** Every metadata key the provider owns starts with this; such keys never show in inputs or outputs. */
export const TAG_PREFIX = "pulumi-checkout-links:";

/** Polar's limit on metadata pairs per object. */
export const METADATA_MAX_KEYS = 50;

/** Metadata pairs left for the user once the provider's two tags are written. */
export const USER_METADATA_MAX_KEYS = METADATA_MAX_KEYS - 2;

/** A metadata value as Polar stores it: a string of 1 to 500 characters, a number or a boolean. */
export type MetadataValue = string | number | boolean;

/**
 * Polar's metadata rules (`kit/metadata.py`): at most 50 pairs; keys 1..40 characters; values a
 * string of 1..500 characters, an integer, a float or a boolean. Two pairs are kept for the
 * provider's tags, and keys starting with `pulumi-checkout-links:` are reserved.
 * @internal
 */
export const polarMetadataArgSchema = z
  .record(
    z.string(),
    z.union([
      z
        .string()
        .min(1, { message: "metadata string values must be 1 to 500 characters long" })
        .max(500, { message: "metadata string values must be 1 to 500 characters long" }),
      z.number().refine((n) => Number.isFinite(n), { message: "metadata numbers must be finite" }),
      z.boolean(),
    ]),
  )
  .superRefine((m, ctx) => {
    // Key rules are checked here rather than on the record's key schema, whose failures zod
    // reports only as "Invalid key in record".
    for (const k of Object.keys(m)) {
      if (k.length < 1 || k.length > 40) {
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: "metadata keys must be 1 to 40 characters long",
        });
      } else if (k.startsWith(TAG_PREFIX)) {
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: `metadata keys starting with "${TAG_PREFIX}" are reserved for the provider`,
        });
      }
    }
    if (Object.keys(m).length > USER_METADATA_MAX_KEYS) {
      ctx.addIssue({
        code: "custom",
        message: `metadata may hold at most ${USER_METADATA_MAX_KEYS} pairs (Polar allows ${METADATA_MAX_KEYS}; the provider keeps 2 for its tags)`,
      });
    }
  });

/**
 * A Polar object id given as an argument: Polar types ids as UUID4 (another version is a 422 there).
 * The wire schemas' `polarId` is the same rule with the vendor's own message.
 * @internal
 */
export const polarIdArgSchema = z.uuidv4({ message: "must be a Polar id (a UUID4)" });

/** The user's metadata: every pair but the provider's tags. */
export function stripTags(meta: Record<string, unknown> | null | undefined): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (k.startsWith(TAG_PREFIX)) continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/** The metadata sent to Polar: the user's pairs plus the provider's tags. */
export function withTags(
  user: Record<string, MetadataValue> | undefined,
  name: string,
  createToken?: string,
): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = { ...(user ?? {}), [NAME_TAG]: name };
  if (createToken !== undefined) out[CREATE_TAG] = createToken;
  return out;
}

/**
 * A random token for {@link CREATE_TAG}; made at call time (no module-level state). With the stack's
 * owner key it starts with that key and a dot, which is how a later run of the same stack knows an
 * object that an interrupted run of it made ({@link madeByStack}).
 */
export function newCreateToken(owner?: string): string {
  const random = globalThis.crypto.randomUUID();
  return owner === undefined ? random : `${owner}.${random}`;
}

/** The object carries the create tag of a create of the stack with this owner key. */
export function madeByStack(metadata: Record<string, unknown>, owner: string): boolean {
  const token = metadata[CREATE_TAG];
  return typeof token === "string" && token.startsWith(`${owner}.`);
}

/**
 * The objects of a Polar list that carry a create tag, listed once per account and list in a run
 * (newest first). A create looks in it for what an interrupted run made: such an object was made
 * before this run started, so one listing made at any time during the run holds it, and a stack of
 * many creates costs one walk of the list instead of one per create.
 * @internal
 */
export function taggedObjects<T extends { metadata: Record<string, unknown> }>(
  ctx: SpecContext,
  account: string | undefined,
  path: string,
  query: Record<string, string | boolean | undefined>,
  item: z.ZodType<T>,
): Promise<T[]> {
  return ctx.once(`tagged ${account ?? "default"} ${path}?${JSON.stringify(query)}`, () =>
    findInList(ctx.client(account), path, query, item, (o) => CREATE_TAG in o.metadata, false),
  );
}

/** Both forms denote the same URL (Polar may normalise what it stores, e.g. add a trailing slash). */
export function sameUrl(a: string | undefined | null, b: string | undefined | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const [x, y] = [polarUrl(a), polarUrl(b)];
  return x !== undefined && x.href === y?.href;
}

/** Keeps the user's spelling of a URL when Polar returns an equivalent normalised form. */
export function keepUrl(remote: string | null | undefined, mine: string | undefined): string | undefined {
  if (remote === null || remote === undefined) return undefined;
  return mine !== undefined && sameUrl(remote, mine) ? mine : remote;
}

const LIST_PAGE_LIMIT = 100;
const LIST_MAX_PAGES = 50;

/**
 * Walks a Polar list (newest first, up to 5,000 objects) and returns what `match` accepts, stopping
 * at the first hit when `stopAtFirst`.
 * @internal
 */
export async function findInList<T>(
  client: ApiClient,
  path: string,
  query: Record<string, string | boolean | undefined>,
  item: z.ZodType<T>,
  match: (o: T) => boolean,
  stopAtFirst: boolean,
): Promise<T[]> {
  const found: T[] = [];
  for (let page = 1; page <= LIST_MAX_PAGES; page++) {
    const res = await client.request("GET", path, {
      query: { ...query, page, limit: LIST_PAGE_LIMIT, sorting: "-created_at" },
      parse: (j) => polarListResource(item).parse(j) as { items: T[]; pagination: { max_page: number } },
    });
    for (const o of res.body.items) {
      if (match(o)) {
        found.push(o);
        if (stopAtFirst) return found;
      }
    }
    if (page >= res.body.pagination.max_page) break;
  }
  return found;
}

/**
 * `adopt`, `adoptId` (a Polar id) and `adoptionKey`: Polar objects have no unique key, so the
 * provider finds them by its metadata tag ({@link NAME_TAG}) or by id.
 * @internal
 */
export const polarAdoptionFields = adoptionKeyFields(polarIdArgSchema);

/** @deprecated use {@link polarMetadataArgSchema} @internal */
export const userMetadata = () => polarMetadataArgSchema;
/** @deprecated use {@link polarIdArgSchema} @internal */
export const polarIdArgument = () => polarIdArgSchema;

// What state written by version 0.1.0 calls from this file (see provider/legacy.ts).
export {
  AccountSource,
  jsonSafe,
  settledLookup,
  settleMsFor,
  userInputs,
} from "../legacy";
/** @internal zod-typed, kept out of the package's declarations. */
export { accountName, checkArgs } from "../legacy";
/** @internal zod-typed, kept out of the package's declarations. */
export { polarIdArgument as polarId };
