/**
 * The one dynamic provider that serves every resource spec (provider/core/contract.ts).
 *
 * A spec says what is particular to one API object: its backend and type, its argument schema, its
 * diff table, which keys are outputs, and the verbs the vendor really has (create, read, update,
 * delete or archive, and the lookup that finds what an interrupted create made). Everything the
 * engine needs around them lives here once: configure, check (one rule for unknown and misspelt
 * arguments at every nesting level), diff with warnings for changes that break a published link,
 * 404 handling in read and delete, half-finished creates, and the resource class's outputs.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { AccountSource, type ResolvedAccount } from "./accounts";
import type { BackendDirectory } from "./backend";
import { checkArgs } from "./check";
import { type AccountArgs, OWNER_INPUT, type ResourceSpec, type SpecContext } from "./contract";
import { createOnce, settledLookup, settleMsFor } from "./createOnce";
import { deepEqual, diffWithTable, warnPublishing } from "./diff";
import { ApiError, isNotFound } from "./errors";
import { jsonSafe } from "./json";
import { DynamicResource } from "./resource";
import type { Timing } from "./timing";

export {
  type AccountArgs,
  type Adoption,
  type ArgsSchema,
  type CreateMeta,
  OWNER_INPUT,
  type ResourceSpec,
  type SpecContext,
  typeOf,
} from "./contract";

/** The owner key of the running program's stack; undefined outside a Pulumi program. */
function programOwnerKey(): string | undefined {
  try {
    const stack = pulumi.getStack();
    const project = pulumi.getProject();
    if (!stack || !project) return undefined;
    return createHash("sha256").update(`${project}\0${stack}`).digest("hex").slice(0, 16);
  } catch {
    return undefined;
  }
}

/** When this process started: by default, objects made before it are what earlier runs made. */
const PROCESS_STARTED_AT = Date.now() - process.uptime() * 1000;

/**
 * The error a create throws when the object exists remotely but a later step failed (activating a
 * plan, putting an adopted link into the declared state). The dynamic-provider host reports an
 * error with `id` as "resource init failed" and keeps `properties` as the resource's state, so the
 * object is neither lost nor created twice on the next `up`. The provider adds `__provider` to those
 * properties, without which the engine could not load the provider to refresh or delete the object.
 */
export class PartialCreateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: object, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`created ${id} but could not finish: ${reason}`, { cause });
    this.name = "PartialCreateError";
    this.id = id;
    this.properties = jsonSafe<Record<string, unknown>>({ ...properties });
    this.reasons = [reason];
  }
}

/**
 * The state with the stack's owner key kept beside the vendor's fields: it is an input of the
 * resource class, so a refresh that reads the inputs back from the state must find it there too.
 */
function withOwner<S>(state: S, owner: string | undefined): S {
  return owner === undefined ? state : { ...state, [OWNER_INPUT]: owner };
}

/** The state without its output keys: the inputs as applied, which read hands back to the engine. */
export function inputsOfState(
  spec: { outputKeys: readonly string[] },
  state: object,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...state };
  for (const k of spec.outputKeys) delete out[k];
  return out;
}

/**
 * Parses inputs the engine hands to create or update (already checked), naming each bad field if
 * they somehow do not parse (a state written by hand, or by an older version).
 * @internal
 */
export function parseArgs<Args extends AccountArgs>(
  spec: Pick<ResourceSpec<Args, Args>, "backend" | "type" | "args" | "normalize">,
  inputs: Record<string, unknown>,
): Args {
  const { __provider: _, [OWNER_INPUT]: _owner, ...rest } = inputs;
  const r = (spec.args as z.ZodType).safeParse(rest);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(inputs)"}: ${i.message}`);
    throw new Error(`invalid ${spec.backend}.${spec.type} arguments:\n  - ${lines.join("\n  - ")}`);
  }
  return spec.normalize ? spec.normalize(r.data) : jsonSafe<Args>(r.data as Args);
}

/** Options of a provider instance; the engine's instances take the defaults. */
export interface ProviderOptions {
  /**
   * The backends whose accounts, error dialects and fallbacks the provider knows.
   * @default the list the provider class was made with ({@link providerClassOf})
   */
  backends?: BackendDirectory;
  /**
   * The environment the provider reads settings from, for a provider run inside another program
   * (the `checkout-links` command's recovery) with the settings the engine's provider would see.
   * @default `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /**
   * The clock and sleep its requests retry, back off and settle on, so that tests of faults do not
   * wait on the real clock.
   * @default the real clock
   */
  timing?: Timing;
  /**
   * When the run started (ms since the epoch): only objects made before it are taken over by a
   * create, as what an earlier, interrupted run made. Tests set it to play an interrupted run in one
   * process.
   * @default when this process started
   */
  runStartedAt?: number;
}

/** The dynamic provider of one spec. One instance per process serves every resource of its type. */
export class SpecProvider<Args extends AccountArgs, State extends Args>
  implements pulumi.dynamic.ResourceProvider
{
  private readonly accounts: AccountSource;
  /**
   * What this provider knows about ownership, for creates that take over what an interrupted run
   * made. Plain `pulumi` gives a create no view of the state, so the provider (one per type and
   * process, serving the whole run) collects it: every id the engine shows it as a resource of the
   * state (diff, read, update, delete; a resource that is being replaced is diffed before its
   * replacement is created) and every id a create made or took over. A create never takes over an
   * object in this set, and only objects made before the run started are candidates at all, so
   * that a create never takes what another create of the same run just made.
   */
  private readonly owned = new Set<string>();
  /** Ids a create of this run took over (see `delete`). */
  private readonly takenOver = new Set<string>();
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly runStartedAt: number;

  constructor(
    readonly spec: ResourceSpec<Args, State>,
    options: ProviderOptions & { backends: BackendDirectory },
  ) {
    this.accounts = new AccountSource(options.backends, { timing: options.timing, env: options.env });
    this.runStartedAt = options.runStartedAt ?? PROCESS_STARTED_AT;
  }

  /**
   * The context of one operation. It resolves each account it is asked for once (the stack config
   * cannot change within an operation), and shares ownership and run-wide memos with the provider.
   */
  private context(): { ctx: SpecContext; resolve(name: string | undefined): ResolvedAccount } {
    const backend = this.spec.backend;
    const resolved = new Map<string, ResolvedAccount>();
    const resolve = (name: string | undefined): ResolvedAccount => {
      const key = name ?? "";
      let r = resolved.get(key);
      if (r === undefined) {
        r = this.accounts.resolve(backend, name);
        resolved.set(key, r);
      }
      return r;
    };
    const ctx: SpecContext = {
      backend,
      client: (name) => resolve(name).client,
      createOnce: (name, create, lookup) => {
        const { account, client } = resolve(name);
        return createOnce({
          deadlineMs: client.deadlineMs,
          timing: client.timing,
          create,
          lookup: () => settledLookup(lookup, settleMsFor(account), client.timing),
        });
      },
      claim: (id, createdAt) => {
        if (createdAt !== null && !(Date.parse(createdAt) < this.runStartedAt)) return false;
        if (this.owned.has(id)) return false;
        this.owned.add(id);
        this.takenOver.add(id);
        return true;
      },
      once: <T>(key: string, make: () => Promise<T>) => {
        let made = this.memo.get(key) as Promise<T> | undefined;
        if (made === undefined) {
          made = make();
          made.catch(() => this.memo.delete(key));
          this.memo.set(key, made);
        }
        return made;
      },
    };
    return { ctx, resolve };
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    // The SDK's dynamic Config offers no listing of its keys; its `rawConfig` field holds them (a
    // unit test pins this on the installed SDK, so that a change there fails loudly).
    const raw = (req.config as unknown as { rawConfig?: unknown }).rawConfig;
    const keys = raw !== null && typeof raw === "object" ? Object.keys(raw) : undefined;
    this.accounts.setConfig((key) => req.config.get(key), keys);
  }

  async check(
    _olds: Record<string, unknown>,
    allNews: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    // A misspelt key fails the preview, before any request.
    this.accounts.assertKnownKeys();
    // The owner key is the resource class's, not an argument: it passes through unchecked.
    const { [OWNER_INPUT]: owner, ...news } = allNews;
    const result = await this.checkArgs(news);
    return owner === undefined ? result : { ...result, inputs: { ...result.inputs, [OWNER_INPUT]: owner } };
  }

  private async checkArgs(news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const result = checkArgs(this.spec.args as z.ZodType, news);
    if (result.failures !== undefined && result.failures.length > 0) {
      return { inputs: result.inputs, failures: result.failures };
    }
    if (result.complete) {
      return {
        inputs: this.spec.normalize
          ? (this.spec.normalize(result.inputs) as Record<string, unknown>)
          : result.inputs,
      };
    }
    // Some values are not known yet: fill in the defaults anyway so that a preview does not show
    // them as changes.
    const inputs = { ...result.inputs };
    for (const [k, v] of Object.entries(this.spec.previewDefaults ?? {})) inputs[k] ??= v;
    return { inputs };
  }

  async diff(id: string, olds: State, newInputs: object): Promise<pulumi.dynamic.DiffResult> {
    if (id) this.owned.add(id);
    const news = newInputs as Record<string, unknown>;
    const o = olds as unknown as Record<string, unknown>;
    const n = this.spec.comparable ? this.spec.comparable(olds, news) : news;
    warnPublishing(this.spec.diffTable, o, n);
    return diffWithTable(this.spec.diffTable, o, n, {
      deleteBeforeReplace: this.spec.deleteBeforeReplace?.(news) ?? false,
    });
  }

  /**
   * Takes over what exists (the object `adopt: true` names, else what an interrupted run of this
   * resource made) or makes the object at most once, whatever the faults. When a step after the
   * object exists fails (bringing a taken-over object to the arguments, activating a new plan), the
   * object stays in state as found or made, loadable, so that it is neither lost nor made twice.
   */
  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const args = parseArgs(this.spec, inputs);
    const owner = typeof inputs[OWNER_INPUT] === "string" ? inputs[OWNER_INPUT] : undefined;
    const { spec } = this;
    const { ctx } = this.context();
    const halfDone = async (found: unknown, step: () => Promise<{ id: string; state: State }>) => {
      const asFound = spec.stateOf(found, args);
      try {
        return await step();
      } catch (e) {
        // Keep what exists in state, loadable: the engine needs `__provider` to refresh or delete it.
        const partial = new PartialCreateError(asFound.id, asFound.state as object, e);
        partial.properties.__provider = inputs.__provider;
        throw partial;
      }
    };
    const prep = await spec.prepare?.(ctx, args, { owner });
    const { adoption } = spec;
    const found =
      adoption === undefined
        ? undefined
        : ((args.adopt === true ? await adoption.find(ctx, args, prep) : undefined) ??
          (await adoption.earlier(ctx, args, { owner }, prep)));
    let made: { id: string; state: State };
    if (found !== undefined && adoption !== undefined) {
      made = await halfDone(found, async () => {
        const state = await adoption.takeOver(ctx, found, args);
        return { id: spec.stateOf(found, args).id, state };
      });
    } else {
      let object: unknown;
      try {
        object = await ctx.createOnce(
          args.account,
          () => spec.send(ctx, args, prep),
          () => spec.madeBy(ctx, args, prep),
        );
      } catch (e) {
        throw spec.refused?.(e, args) ?? e;
      }
      made = await halfDone(object, () =>
        spec.finish ? spec.finish(ctx, object, args) : Promise.resolve(spec.stateOf(object, args)),
      );
    }
    this.owned.add(made.id);
    return { id: made.id, outs: withOwner(made.state, owner) };
  }

  async findCreated(inputs: Record<string, unknown>, known: readonly string[]): Promise<string | undefined> {
    if (this.spec.findCreated === undefined) return undefined;
    const owner = typeof inputs[OWNER_INPUT] === "string" ? inputs[OWNER_INPUT] : undefined;
    return this.spec.findCreated(this.context().ctx, parseArgs(this.spec, inputs), known, { owner });
  }

  async read(id: string, props: State): Promise<pulumi.dynamic.ReadResult> {
    this.owned.add(id);
    let state: State | undefined;
    const op = this.context();
    try {
      state = await this.spec.read(op.ctx, id, props);
    } catch (e) {
      if (!isNotFound(e)) throw this.staleTokenHint(e, () => op.resolve(props.account));
    }
    // Gone: an empty id drops it from state, so the next `up` creates it anew.
    if (state === undefined) return { id: "" };
    // The owner key is the resource class's, not the vendor's: it stays as the state has it, so that
    // neither a refresh nor a drift report shows it as changed.
    const owner = (props as Record<string, unknown>)[OWNER_INPUT];
    if (owner !== undefined && (state as Record<string, unknown>)[OWNER_INPUT] === undefined) {
      state = { ...state, [OWNER_INPUT]: owner };
    }
    // Unchanged: no inputs, so the engine keeps the ones the program gave. Inputs read back from the
    // object also hold what the vendor chose for arguments the program left out, which differ from
    // the program's, and the engine then rewrites the whole checkpoint for every resource of the
    // next `up` (or of the same `up --refresh`) although nothing changed.
    const { __provider: _, ...old } = props as Record<string, unknown>;
    if (deepEqual(state, old)) return { id, props: state };
    return { id, props: state, inputs: inputsOfState(this.spec, state) };
  }

  async update(id: string, olds: State, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    this.owned.add(id);
    const owner = typeof news[OWNER_INPUT] === "string" ? news[OWNER_INPUT] : undefined;
    return {
      outs: withOwner(
        await this.spec.update(this.context().ctx, id, olds, parseArgs(this.spec, news)),
        owner,
      ),
    };
  }

  async delete(id: string, props: State): Promise<void> {
    // A create of this run took the object over for another resource: the state held it twice (a
    // resource renamed without an alias, whose old name is deleted after the new one is created), and
    // the object now belongs to the new resource. Dropping the old one from the state is the delete.
    if (this.takenOver.has(id)) return;
    const op = this.context();
    try {
      await this.spec.remove(op.ctx, id, props);
    } catch (e) {
      if (!isNotFound(e)) throw this.staleTokenHint(e, () => op.resolve(props.account));
    }
  }

  /**
   * A rejected token in a refresh or destroy may be the one stored in state: without the program,
   * the engine configures the provider with the stack config of the last `up`, not the current one.
   */
  private staleTokenHint(e: unknown, resolve: () => ResolvedAccount): unknown {
    if (!(e instanceof ApiError) || e.code !== "UNAUTHORIZED") return e;
    let from: string | undefined;
    try {
      from = resolve().account.tokenFrom;
    } catch {
      return e;
    }
    if (!from?.startsWith("stack config")) return e;
    e.message +=
      `\n  the token came from ${from} as the engine handed it over: \`pulumi refresh\` and \`pulumi destroy\` ` +
      "use the stack config stored by the last `pulumi up`; if the token changed since, run them with " +
      "--run-program (or set PULUMI_RUN_PROGRAM=true), or run `pulumi up` first";
    return e;
  }
}

/**
 * A provider class for a spec, as the registry (provider/registry.ts) lists them; `backends` is the
 * list of backends its instances know unless their options say otherwise.
 */
export function providerClassOf<Args extends AccountArgs, State extends Args>(
  spec: ResourceSpec<Args, State>,
  backends: BackendDirectory,
): new (
  options?: ProviderOptions,
) => SpecProvider<Args, State> {
  return class extends SpecProvider<Args, State> {
    constructor(options: ProviderOptions = {}) {
      super(spec, { ...options, backends: options.backends ?? backends });
    }
  };
}

/** The base of every resource class of a spec: its type token and its declared outputs. */
export class SpecResource extends DynamicResource {
  constructor(
    spec: Pick<
      ResourceSpec<AccountArgs, AccountArgs>,
      "backend" | "type" | "diffTable" | "outputKeys" | "extraInputKeys" | "secretOutputs" | "marksOwner"
    >,
    name: string,
    args: object,
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Every input and output key is a property, so each declared output resolves (an input the user
    // left out reads back as what the vendor chose).
    const props: Record<string, unknown> = {};
    for (const k of [...Object.keys(spec.diffTable), ...(spec.extraInputKeys ?? []), ...spec.outputKeys]) {
      props[k] = undefined;
    }
    Object.assign(props, args);
    if (spec.marksOwner) {
      const owner = programOwnerKey();
      if (owner !== undefined) props[OWNER_INPUT] = owner;
    }
    const secrets = spec.secretOutputs ?? [];
    super(
      spec.backend,
      spec.type,
      name,
      props,
      secrets.length === 0
        ? opts
        : { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets] },
    );
  }
}
