/**
 * The contract of a resource spec: what a spec says of one API object (its backend and type, its
 * argument schema, its diff table, its outputs) and the verbs it maps onto the vendor's API, with what
 * those verbs are handed. The provider that serves every spec is provider/core/spec.ts's.
 */
import type { Backend } from "./backend";
import type { DiffTable } from "./diff";
import type { ApiClient } from "./http";

/**
 * The hidden input that says which stack a resource belongs to: a hash of its project and stack
 * names, set by the resource class for specs that can mark their objects (`marksOwner`). A create
 * writes it onto the object, so that a later run of the same stack, and only of that stack, can tell
 * an object that an interrupted run of it made.
 */
export const OWNER_INPUT = "ownerKey";

/**
 * What a spec's verbs get to reach the vendor: the HTTP client of the resource's account. One
 * context serves one operation, which resolves each account it uses once.
 */
export interface SpecContext {
  readonly backend: Backend;
  /** The client of the account named on the resource (`account` argument), `default` when none. */
  client(name: string | undefined): ApiClient;
  /**
   * Runs a create at most once whatever the faults: when an attempt may have been applied although
   * no answer came, `lookup` (the object by its natural key, settling for a moment first) decides
   * whether to try again. Tries until the account's deadline.
   */
  createOnce<T>(
    account: string | undefined,
    create: () => Promise<T>,
    lookup: () => Promise<T | undefined>,
  ): Promise<T>;
  /**
   * For a create that found an object an interrupted run may have made: true, and the object is
   * this create's from now on, when it was made before this process started and no resource of the
   * state and no other create of this process owns it. Check and claim happen in one step, so two
   * creates never take the same object. `createdAt` null: the vendor gives no creation time, and the
   * caller knows otherwise that this run cannot have made the object (a slug no other resource of
   * the run can hold).
   */
  claim(id: string, createdAt: string | null): boolean;
  /**
   * The result of `make` under `key`, made once per run (this provider's life) unless it fails: a
   * listing that every create of the run can share.
   */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** What a create knows beyond its arguments. */
export interface CreateMeta {
  /** The stack's owner key ({@link OWNER_INPUT}); undefined for specs that do not mark owners. */
  owner?: string | undefined;
}

/** Arguments every resource has, as the verbs take them: the named account, and whether to adopt. */
export interface AccountArgs {
  account?: string | undefined;
  adopt?: boolean | undefined;
}

/**
 * How a create finds an object that exists already and takes it over instead of making one: with
 * `adopt: true` the object the arguments name by their natural key, and otherwise the object an
 * interrupted run of this resource made. The provider's create runs it the same way for every
 * resource: a take-over that fails half-way keeps the object in state (a `PartialCreateError`).
 */
export interface Adoption<Args, State, Prep, Found> {
  /** `adopt: true`: the object the arguments name; undefined when there is none. Throws when it cannot be taken over. */
  find(ctx: SpecContext, args: Args, prep: Prep): Promise<Found | undefined>;
  /**
   * The object an interrupted run of this resource made, claimed ({@link SpecContext.claim}) so that
   * no other create takes it; undefined when there is none.
   */
  earlier(ctx: SpecContext, args: Args, meta: CreateMeta, prep: Prep): Promise<Found | undefined>;
  /** Brings a found object to the arguments (writing only where it differs). */
  takeOver(ctx: SpecContext, found: Found, args: Args): Promise<State>;
}

/**
 * What a spec's argument schema is to the provider: any zod (v4) schema fits. Written out so that the
 * package's declarations do not load zod's, which fail under the `commonjs` tsconfig of older projects.
 */
export interface ArgsSchema {
  safeParse(input: unknown): unknown;
}

/**
 * One resource type as data and verbs: the provider made from it (`providerClassOf` of
 * provider/core/spec.ts) runs check, diff, create, read, update and delete around these verbs the same
 * way for every resource.
 */
export interface ResourceSpec<Args extends AccountArgs, State extends Args, Prep = unknown, Found = unknown> {
  backend: Backend;
  /** `Type` in `pulumi-nodejs:dynamic/<backend>:<Type>`. */
  type: string;
  /**
   * The argument schema, a zod (v4) schema; the inputs the engine keeps are what it parses (defaults
   * filled).
   */
  args: ArgsSchema;
  /**
   * The parsed arguments in the shape the verbs take (e.g. prices normalised), also what check hands
   * back so that a second preview is empty. Default: the parse result without undefined values.
   */
  normalize?: (parsed: unknown) => Args;
  /** Defaults to fill in at check time when some values are not known yet (a preview). */
  previewDefaults?: Record<string, unknown>;
  /** Which inputs update in place and which replace; the README renders it. */
  diffTable: DiffTable;
  /**
   * The new inputs as they compare with the state: optional arguments the user leaves to the vendor
   * take the state's value, equivalent spellings become the state's spelling. Default: unchanged.
   */
  comparable?: (olds: State, news: Record<string, unknown>) => Record<string, unknown>;
  /** A replacement must delete the old object first (e.g. it keeps a slug that must be unique). */
  deleteBeforeReplace?: (news: Record<string, unknown>) => boolean;
  /** The state keys that are outputs only; the rest of the state are the inputs as applied. */
  outputKeys: readonly string[];
  /** Inputs the diff table does not list (consulted on create only, such as `adopt`). */
  extraInputKeys?: readonly string[];
  /** Outputs the engine stores encrypted (`additionalSecretOutputs`), such as a client secret. */
  secretOutputs?: readonly string[];
  /** The vendor has room for a mark of who made an object: the resource passes {@link OWNER_INPUT}. */
  marksOwner?: boolean;
  /**
   * What the steps of one create share, made once before them: the objects that exist already (a
   * plan's links, the plan with the code), or the create tag the request writes.
   */
  prepare?(ctx: SpecContext, args: Args, meta: CreateMeta): Promise<Prep>;
  /** How a create takes over an object that exists already; without it a create always makes one. */
  adoption?: Adoption<Args, State, Prep, Found>;
  /** The object as found or made, with its id, in the declared state's shape. */
  stateOf(found: Found, args: Args): { id: string; state: State };
  /**
   * The create request. It may have been applied although it failed (timeout, 5xx, connection lost
   * after sending): then {@link ResourceSpec.madeBy} decides whether to send it again.
   */
  send(ctx: SpecContext, args: Args, prep: Prep): Promise<Found>;
  /** The object an attempt of {@link ResourceSpec.send} made, found by its natural key or create tag. */
  madeBy(ctx: SpecContext, args: Args, prep: Prep): Promise<Found | undefined>;
  /** The error a refused create becomes (a slug or code taken, with what to do); undefined keeps it. */
  refused?(e: unknown, args: Args): Error | undefined;
  /**
   * Steps after the create (activating a plan); when they fail the object stays in state as made.
   * Default: the state of the object as made.
   */
  finish?(ctx: SpecContext, made: Found, args: Args): Promise<{ id: string; state: State }>;
  /**
   * After an interrupted run: the id of an object a create with these arguments made that no
   * resource in `known` owns, looked up by the object's natural key.
   */
  findCreated?(
    ctx: SpecContext,
    args: Args,
    known: readonly string[],
    meta: CreateMeta,
  ): Promise<string | undefined>;
  /** The object as the vendor has it now; undefined when it is gone (a 404 counts as gone). */
  read(ctx: SpecContext, id: string, state: State): Promise<State | undefined>;
  update(ctx: SpecContext, id: string, olds: State, args: Args): Promise<State>;
  /** Deletes or archives the object; a 404 counts as done. */
  remove(ctx: SpecContext, id: string, state: State): Promise<void>;
}

/** `<backend>:<Type>` of a spec. */
export function typeOf(spec: { backend: Backend; type: string }): string {
  return `${spec.backend}:${spec.type}`;
}
