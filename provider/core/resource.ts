/**
 * The base of every resource: a Pulumi dynamic resource (type token
 * `pulumi-nodejs:dynamic/<backend>:<Type>`, served by the engine's Node.js dynamic provider) whose
 * `__provider` is a small fixed module that loads the implementation by package name, instead of
 * the provider code serialized by `pulumi.dynamic.Resource`.
 *
 * Why not `pulumi.dynamic.Resource`: it serializes the provider object into every resource, twice
 * (inputs and outputs). Captured by value that is 40-150 KB per resource, and from an installed
 * package it is captured as `require("<package>/<file>")` of internal files, which a package with an
 * `exports` map refuses; in both cases every step rewrites the whole checkpoint, and serialized
 * classes lose behaviour (an `Error` subclass arrives with an empty message).
 *
 * The module stored here is what the dynamic provider reads: `exports.handler()` returns the provider.
 * It resolves the package from the project the engine runs (its work dir), then from the copy of
 * `@pulumi/pulumi` that runs the provider process, and names both when it finds neither.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { typeToken } from "./typeToken";

/** The package's runtime entry, as listed in package.json `exports`. */
export const RUNTIME_ENTRY = "pulumi-checkout-links/dynamic";

/** The `__provider` module of one resource type (`<backend>:<Type>`). Plain ES5 on purpose. */
export function providerModule(type: string): string {
  // Kept short: it is stored twice in every resource, and the file backend rewrites it on every step.
  return `exports.handler = function () {
  var id = ${JSON.stringify(RUNTIME_ENTRY)}, from = [require("path").join(process.cwd(), "index.js"), require.main && require.main.filename], seen = [];
  for (var i = 0; i < 2; i++) if (from[i]) try { return require("module").createRequire(from[i])(id).provider(${JSON.stringify(type)}); } catch (e) {
    if (e.code !== "MODULE_NOT_FOUND" || e.message.indexOf("'" + id + "'") < 0) throw e; seen.push(from[i]);
  }
  throw new Error("cannot load " + id + " from " + seen.join(" or ") + ": install pulumi-checkout-links in the Pulumi project (npm install pulumi-checkout-links)");
};
`;
}

/** The folder of this package's package.json (the installed package, or a checkout of it). */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const ourRoot = packageRoot();

/** Code of a copy of this package (root: its folder): its compiled files and the sources their maps point to. */
function isOurs(file: string, roots: readonly string[]): boolean {
  return roots.some((root) =>
    [path.join(root, "dist") + path.sep, path.join(root, "provider") + path.sep].some((p) =>
      file.startsWith(p),
    ),
  );
}

const PULUMI_SDK = `${path.sep}node_modules${path.sep}@pulumi${path.sep}`;

/**
 * A frame of the program: not Node's own (no file), not Pulumi's runtime (which runs the program,
 * through its copy of ts-node), not this package's.
 */
function isProgram(file: string | undefined, roots: readonly string[]): boolean {
  return file !== undefined && !file.includes(PULUMI_SDK) && !isOurs(file, roots);
}

interface Callsite {
  file?: string;
  line?: number;
  column?: number;
}

/**
 * What the call-site hook keeps on the SDK's `Resource` class, shared by every copy of this package
 * that a program loads (two versions in one project): the folders of those copies, and how many of
 * their resources are registering right now.
 */
interface CallsiteHook {
  roots: string[];
  registering: number;
}

/**
 * Where a resource was declared, as the engine stores it (`sourcePosition`, `stackTrace`), should be
 * the program's line. The SDK finds it by skipping its own frames and one constructor, the resource
 * class's (Resource > CustomResource > the class > the program). Ours has more constructors of this
 * package in between (this one, the spec's, the resource class, a Catalog's), which would make every
 * resource's position a line of this package.
 *
 * So while one of ours registers, the call sites the SDK reads keep, after the frames it skips, only
 * the program's frames: the program's line comes first, and the stored trace is the program's own
 * call path, without the package's frames, Pulumi's runtime's and Node's (about 20 values per resource
 * that the file backend would otherwise rewrite on every step of every `up`). Returns undefined, and
 * nothing changes, when the SDK has no such hook (another version).
 */
function callsiteHook(): CallsiteHook | undefined {
  const Resource = pulumi.Resource as unknown as {
    callsites?: () => Callsite[];
    __pclCallsites?: CallsiteHook;
  };
  const installed = Resource.__pclCallsites;
  if (installed !== undefined) {
    if (typeof installed !== "object" || !Array.isArray(installed.roots)) return undefined;
    if (!installed.roots.includes(ourRoot)) installed.roots.push(ourRoot);
    return installed;
  }
  const original = Resource.callsites;
  if (typeof original !== "function") return undefined;
  const hook: CallsiteHook = { roots: [ourRoot], registering: 0 };
  Resource.callsites = function (this: unknown): Callsite[] {
    const all = original.call(this);
    // The SDK counts the frames it skips from its own call; this function's must not be among them.
    const mine = all[1]?.file !== undefined && isOurs(all[1].file, hook.roots);
    const frames = mine ? [all[0] as Callsite, ...all.slice(2)] : all;
    if (hook.registering === 0) return frames;
    // The SDK skips the frames up to the first constructor under CustomResource: this package's.
    const first = frames.findIndex((f) => f.file !== undefined && isOurs(f.file, hook.roots));
    if (first < 0) return frames;
    return [
      ...frames.slice(0, first + 1),
      ...frames.slice(first + 1).filter((f) => isProgram(f.file, hook.roots)),
    ];
  };
  Resource.__pclCallsites = hook;
  return hook;
}

/** A resource served by this package's provider of `<backend>:<type>`. */
export class DynamicResource extends pulumi.CustomResource {
  constructor(
    backend: string,
    type: string,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    if (props.__provider !== undefined) throw new Error("a resource must not define the __provider key");
    // The SDK wraps every property of a new resource (ours declare 15-20, outputs included) in
    // promises that each record `new Error().stack` for its promise-leak report, and under ts-node
    // every such stack is source-mapped frame by frame: a quarter of the program's CPU in a large
    // stack (bench/deploy-results.md, "Where the time goes"). Those stacks are only shown if the
    // program leaks a promise, and the report names the resource and property anyway, so none are
    // taken while the resource registers. The stack trace the engine stores with the resource is
    // taken by the SDK with its own limit, unchanged; an error thrown here gets a full stack again.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const hook = callsiteHook();
    if (hook !== undefined) hook.registering++;
    try {
      super(
        typeToken(backend, type),
        name,
        { ...props, __provider: providerModule(`${backend}:${type}`) },
        opts,
      );
    } catch (e) {
      Error.stackTraceLimit = limit;
      if (e instanceof Error) Error.captureStackTrace(e, DynamicResource);
      throw e;
    } finally {
      Error.stackTraceLimit = limit;
      if (hook !== undefined) hook.registering--;
    }
  }
}
