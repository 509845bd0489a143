/**
 * Engine test harness: every stack gets its own temporary file backend and PULUMI_HOME, passphrase
 * secrets, and the real `pulumi` CLI. The stack is always destroyed and removed afterwards.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import {
  type ConfigMap,
  type EngineEvent,
  LocalWorkspace,
  type LocalWorkspaceOptions,
  PulumiCommand,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation";
import { expect, inject } from "vitest";
import { exampleProject } from "./installed";

export const REPO = path.resolve(__dirname, "../..");
const PASSPHRASE = "engine-tests";

/** The compiled library, loaded as plain CommonJS so that Pulumi can serialize its providers. */
export function lib(): typeof import("../../provider/index") {
  return createRequire(__filename)(path.join(REPO, "dist/provider/index.js"));
}

let command: Promise<PulumiCommand> | undefined;

export function engineRoot(): string {
  const fromRun = (() => {
    try {
      return inject("engineRoot");
    } catch {
      return undefined;
    }
  })();
  const root = fromRun ?? process.env.PULUMI_ENGINE_ROOT;
  if (!root) throw new Error("no engine: run the tests through vitest (its global setup builds the engine)");
  return root;
}

/** The user project with the packed tarball installed (made once per run by the global setup). */
export function installedProject(): string {
  return inject("installedProject");
}

export function pulumiCommand(): Promise<PulumiCommand> {
  command ??= PulumiCommand.get({ root: engineRoot() });
  return command;
}

/** Environment for the CLI and, through it, the provider process. */
export function engineEnv(home: string): Record<string, string> {
  return {
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: home,
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "",
  };
}

export interface StackContext {
  stack: Stack;
  /** Temporary folder holding the backend and PULUMI_HOME. */
  dir: string;
  /**
   * The state as stored by the backend (secrets encrypted), for leak checks. `stack.exportStack()`
   * would not do: the Automation API exports with the secrets shown in plaintext.
   */
  exportedText(): Promise<string>;
}

export interface WithStackOptions {
  config?: ConfigMap;
  /** Extra environment for the CLI and the provider process. */
  env?: Record<string, string>;
  /** Skip the final destroy (the test destroys itself and asserts on it). */
  skipDestroy?: boolean;
}

/**
 * Runs `fn` with a fresh stack of an inline program. `program` may be swapped between updates with
 * `ctx.stack.workspace.program = ...`.
 */
export async function withStack<T>(
  project: string,
  program: PulumiFn,
  fn: (ctx: StackContext) => Promise<T>,
  opts: WithStackOptions = {},
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-engine-"));
  const stackName = `t${randomUUID().slice(0, 8)}`;
  const wsOpts: LocalWorkspaceOptions = {
    pulumiCommand: await pulumiCommand(),
    pulumiHome: dir,
    envVars: { ...engineEnv(dir), ...opts.env },
    projectSettings: {
      name: project,
      runtime: "nodejs",
      // Dynamic providers resolve their packages from the program folder: the repository root.
      main: REPO,
      backend: { url: `file://${dir}` },
    },
  };
  const stack = await LocalWorkspace.createStack({ stackName, projectName: project, program }, wsOpts);
  return runAndRemove(stack, dir, fn, opts);
}

/**
 * Sets the stack's config, runs `fn`, then destroys (unless `skipDestroy`) and removes the stack and
 * deletes its backend folder `dir` and the `paths` given, whatever happened.
 */
async function runAndRemove<T>(
  stack: Stack,
  dir: string,
  fn: (ctx: StackContext) => Promise<T>,
  opts: WithStackOptions,
  paths: string[] = [],
): Promise<T> {
  if (opts.config) await stack.setAllConfig(opts.config);
  const ctx: StackContext = { stack, dir, exportedText: async () => storedState(dir) };
  try {
    return await fn(ctx);
  } finally {
    try {
      if (!opts.skipDestroy) await stack.destroy();
      await stack.workspace.removeStack(stack.name, { force: true });
    } finally {
      for (const p of [...paths, dir]) fs.rmSync(p, { recursive: true, force: true });
    }
  }
}

/**
 * Runs `fn` with a fresh stack of the work-dir program in `workDir` (a project folder with
 * Pulumi.yaml), on its own file backend and PULUMI_HOME, as users run `pulumi` in their project.
 * The stack is destroyed and removed afterwards unless `skipDestroy`.
 */
export async function withWorkDirStack<T>(
  workDir: string,
  fn: (ctx: StackContext) => Promise<T>,
  opts: WithStackOptions = {},
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-engine-"));
  const stackName = `t${randomUUID().slice(0, 8)}`;
  const stack = await LocalWorkspace.createStack(
    { stackName, workDir },
    {
      pulumiCommand: await pulumiCommand(),
      pulumiHome: dir,
      envVars: { ...engineEnv(dir), PULUMI_BACKEND_URL: `file://${dir}`, ...opts.env },
    },
  );
  return runAndRemove(stack, dir, fn, opts, [path.join(workDir, `Pulumi.${stackName}.yaml`)]);
}

/**
 * Runs `fn` with a fresh stack of `examples/<example>` as users run it: a copy of the program in the
 * user project that installed the packed tarball (see {@link withWorkDirStack}). The copy is removed
 * afterwards.
 */
export async function withExampleStack<T>(
  example: string,
  fn: (ctx: StackContext) => Promise<T>,
  opts: WithStackOptions = {},
): Promise<T> {
  const workDir = exampleProject(installedProject(), example);
  try {
    return await withWorkDirStack(workDir, fn, opts);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The paths of every stack file of a file backend. */
export function storedStateFiles(backendDir: string): string[] {
  const root = path.join(backendDir, ".pulumi", "stacks");
  return fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.join(root, f));
}

/**
 * Every stack file of a file backend, as stored on disk (secrets encrypted), for leak checks:
 * `stack.exportStack()` runs `pulumi stack export --show-secrets` and cannot prove a leak.
 */
export function storedState(backendDir: string): string {
  const files = storedStateFiles(backendDir);
  if (files.length === 0) throw new Error(`no stack state under ${backendDir}`);
  return files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
}

/**
 * The text a failed operation (`() => stack.up()`) printed: the Automation API's CommandError
 * carries the command's output. Fails the test when the operation succeeded.
 */
export async function failureText(run: () => Promise<unknown>): Promise<string> {
  const err = await run().then(
    () => undefined,
    (e: Error) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return (err as Error).message;
}

/** What one preview or update did per resource (by logical name), and why it replaced any. */
export interface Ops<T> {
  res: T;
  /** The operation per resource; a replacement (several steps) shows as `replace`. */
  ops: Record<string, string>;
  /** The replace keys per replaced resource. */
  keys: Record<string, string[]>;
}

/** Runs a preview or update with an event handler that records {@link Ops}. */
async function recordOps<T>(run: (onEvent: (e: EngineEvent) => void) => Promise<T>): Promise<Ops<T>> {
  const ops: Record<string, string> = {};
  const keys: Record<string, string[]> = {};
  const res = await run((e) => {
    const m = e.resourcePreEvent?.metadata;
    if (m && m.type !== "pulumi:pulumi:Stack" && !String(m.type).startsWith("pulumi:providers")) {
      const name = String(m.urn).split("::").pop() as string;
      // A replacement shows as several steps (create-replacement, replace, delete-replaced).
      const op = String(m.op).includes("replace") ? "replace" : m.op;
      if (ops[name] !== "replace") ops[name] = op;
      if (m.keys?.length) keys[name] = m.keys;
    }
  });
  return { res, ops, keys };
}

export const upOps = (stack: Stack) => recordOps((onEvent) => stack.up({ onEvent }));
export const previewOps = (stack: Stack) => recordOps((onEvent) => stack.preview({ onEvent }));

/** Resources of a type in the exported state. */
export async function resourcesOfType(stack: Stack, type: string): Promise<Record<string, any>[]> {
  const state = await stack.exportStack();
  const resources = (state.deployment as { resources?: Record<string, any>[] }).resources ?? [];
  return resources.filter((r) => r.type === type);
}
