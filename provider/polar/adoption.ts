/**
 * How a Polar resource finds its objects again. Polar objects have no unique key (links have no
 * slug), so the provider tags every object it writes with the adoption key ({@link NAME_TAG}) and a
 * create token ({@link CREATE_TAG}). From one description of an object kind this module makes what
 * each resource's spec needs: the lookup of `adopt: true` (by id or by tag), the object an
 * interrupted run of the stack made, the lookup after a create whose answer was lost, and the
 * lookup after an interrupted run.
 */

import type { z } from "zod";
import { CheckoutLinksError } from "../core/failure";
import type { ApiClient } from "../core/http";
import { jsonSafe } from "../core/json";
import type { CreateMeta, SpecContext } from "../core/spec";
import { CREATE_TAG, findInList, madeByStack, NAME_TAG, newCreateToken, taggedObjects } from "./common";

/** What every taggable Polar object carries. */
export interface TaggedObject {
  id: string;
  created_at: string;
  metadata: Record<string, unknown>;
}

/** The adoption arguments of a Polar resource, as the verbs take them. */
export interface PolarAdoptionInputs {
  account?: string | undefined;
  adopt?: boolean | undefined;
  adoptId?: string | undefined;
  adoptionKey: string;
}

/** One kind of Polar object, as its resource looks for it. */
export interface TaggedKind<W extends TaggedObject, A extends PolarAdoptionInputs> {
  /** The list route, e.g. `/v1/products/`; an object is at `<path><id>`. */
  path: string;
  /** The list's filter for live objects, e.g. `{ is_archived: false }`. */
  liveQuery: Record<string, string | boolean | undefined>;
  schema: z.ZodType<W>;
  /** A fetched object that counts as gone (an archived product). */
  gone?: (w: W) => boolean;
  /** The rest of the object's identity beside the adoption key (a link's label). */
  sameKey?: (w: W, args: A) => boolean;
  /** An object found for `adopt` that cannot be brought to the arguments: the error saying why. */
  refuse?: (w: W, args: A) => Error | undefined;
  /** What else an object an interrupted run made must have to be taken over silently. */
  fits?: (w: W, args: A) => boolean;
  /** The message when `adopt` finds several objects. */
  ambiguous: (found: readonly W[], args: A) => string;
  /** A list filter that narrows the lookup after a lost create answer (a link's first product). */
  createdQuery?: (args: A) => Record<string, string | undefined>;
}

/** The lookups of one kind, for its spec (`prepare`, `adoption.find`, `adoption.earlier`, `madeBy`, `findCreated`). */
export function taggedLookups<W extends TaggedObject, A extends PolarAdoptionInputs>(kind: TaggedKind<W, A>) {
  const mine = (o: W, args: A) =>
    o.metadata[NAME_TAG] === args.adoptionKey && (kind.sameKey?.(o, args) ?? true);

  /** Walks the live objects (newest first) and returns those `match` accepts. */
  const list = (
    client: ApiClient,
    query: Record<string, string | undefined>,
    match: (o: W) => boolean,
    first: boolean,
  ) =>
    findInList(
      client,
      kind.path,
      { ...kind.liveQuery, ...query },
      kind.schema,
      (o) => !kind.gone?.(o) && match(o),
      first,
    );

  /** The object with this id, as a list of zero or one: none when it is gone. */
  const live = async (client: ApiClient, id: string): Promise<W[]> => {
    const res = await client.request("GET", `${kind.path}${encodeURIComponent(id)}`, {
      expect: [404],
      parse: (json) => kind.schema.parse(json),
    });
    return res.status === 404 || kind.gone?.(res.body) ? [] : [res.body];
  };

  return {
    live,
    /** The create token the create request writes, so that its lookup finds exactly what it made. */
    prepare: async (_ctx: SpecContext, _args: A, meta: CreateMeta) => newCreateToken(meta.owner),

    /** `adoptId`'s object, else the one object carrying the adoption key. */
    async find(ctx: SpecContext, args: A): Promise<W | undefined> {
      const client = ctx.client(args.account);
      const found =
        args.adoptId !== undefined
          ? await live(client, args.adoptId)
          : await list(client, {}, (o) => mine(o, args), false);
      if (found.length > 1) throw new CheckoutLinksError("ADOPT_AMBIGUOUS", kind.ambiguous(found, args));
      const hit = found[0];
      const refused = hit === undefined ? undefined : kind.refuse?.(hit, args);
      if (refused !== undefined) throw refused;
      return hit;
    },

    /**
     * What an interrupted run of this stack made for this resource: live, with its adoption key and
     * a create tag of this stack, made before this run and owned by no resource of it. Read afresh.
     */
    async earlier(ctx: SpecContext, args: A, { owner }: CreateMeta): Promise<W | undefined> {
      if (owner === undefined) return undefined;
      const listed = await taggedObjects(ctx, args.account, kind.path, kind.liveQuery, kind.schema);
      for (const o of listed) {
        if (!mine(o, args) || !madeByStack(o.metadata, owner) || !(kind.fits?.(o, args) ?? true)) continue;
        if (!ctx.claim(o.id, o.created_at)) continue;
        const [now] = await live(ctx.client(args.account), o.id);
        if (now !== undefined) return now;
      }
      return undefined;
    },

    /** The object the create carrying `token` made. */
    async madeBy(ctx: SpecContext, args: A, token: string): Promise<W | undefined> {
      const query = kind.createdQuery?.(args) ?? {};
      return (await list(ctx.client(args.account), query, (o) => o.metadata[CREATE_TAG] === token, true))[0];
    },

    /** The newest live object with this resource's adoption key (and this stack's mark). */
    async findCreated(ctx: SpecContext, args: A, known: readonly string[], { owner }: CreateMeta) {
      const [hit] = await list(
        ctx.client(args.account),
        {},
        (o) =>
          mine(o, args) && (owner === undefined || madeByStack(o.metadata, owner)) && !known.includes(o.id),
        true,
      );
      return hit?.id;
    },
  };
}

/**
 * Brings an object to the arguments with a PATCH of what differs, or none when nothing does (then
 * `unchanged` is the state). Update and the take-over of a found object both go through here.
 */
export async function patchTo<W, S extends PolarAdoptionInputs>(
  ctx: SpecContext,
  path: string,
  id: string,
  args: PolarAdoptionInputs,
  body: Record<string, unknown>,
  schema: z.ZodType<W>,
  unchanged: () => S,
  after: (w: W) => S,
): Promise<S> {
  if (Object.keys(body).length === 0) return unchanged();
  const res = await ctx.client(args.account).request("PATCH", `${path}${encodeURIComponent(id)}`, {
    body,
    parse: (json) => schema.parse(json),
  });
  return after(res.body);
}

/** The state kept when nothing Polar stores changed (e.g. only `adopt`): what is there, with the new inputs. */
export function keptWith<S extends PolarAdoptionInputs>(olds: S, args: PolarAdoptionInputs): S {
  return jsonSafe<S>({ ...olds, account: args.account, adopt: args.adopt, adoptId: args.adoptId });
}
