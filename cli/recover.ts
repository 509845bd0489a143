/**
 * Recovery after an interrupted run. A `pulumi up` killed while creating leaves "pending creates" in
 * the state: the engine asked the provider to create an object and never heard back, so the object
 * may exist at the vendor without the state knowing. Run again as is, that would create a second
 * object (Polar) or fail on a slug or plan code this stack itself took (coreapi, Fynn).
 *
 * Before `up` and `refresh`, `checkout-links` looks each pending create of this package's resources
 * up at the vendor by its natural key (slug or plan code; for Polar the label and the
 * `pulumi-checkout-links:name` tag), skipping objects the state already owns. What it finds is taken
 * into the state (read back from the vendor); what it does not find is cleared, and the `up` that
 * follows creates it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { SECRET_SIG, SIG_KEY } from "../provider/core/engine";
import { parseTypeToken } from "../provider/core/typeToken";
import { freshProvider } from "../provider/dynamic";
import { isLibraryResource } from "./resourceTypes";
import { nameOfUrn } from "./urn";

interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; inputs?: Record<string, unknown> };
}

interface Finder extends Pick<pulumi.dynamic.ResourceProvider, "read"> {
  configure?(req: { config: { get(key: string): string | undefined } }): Promise<void>;
  findCreated?(inputs: Record<string, unknown>, known: readonly string[]): Promise<string | undefined>;
}

export interface RecoveryStep {
  urn: string;
  /** The vendor's id of the object the interrupted run made, when one was found. */
  id?: string;
}

/**
 * A run killed while the file backend wrote the checkpoint can leave it unreadable ("failed to load
 * checkpoint: EOF"). The backend writes the checkpoint itself atomically (a temporary file, then a
 * rename), but its metadata sidecar `<stack>.json.attrs` in place, so that is what a kill cuts short;
 * the checkpoint is whole, and the sidecar is only a cache of its content type and checksum, which the
 * backend does without. A checkpoint that is itself cut short is replaced by the backend's copy of the
 * one before (`<stack>.json.bak`): one step older, and the step it lacks was either a create not yet
 * started or one it records as pending, which the recovery then looks up. Returns what was repaired.
 */
export function repairTornCheckpoint(
  backendUrl: string | undefined,
  project: string,
  stack: string,
): string[] {
  if (!backendUrl?.startsWith("file://")) return [];
  const root = path.join(fileURLToPath(backendUrl.split("?")[0] as string), ".pulumi", "stacks");
  const readable = (f: string) => {
    try {
      JSON.parse(fs.readFileSync(f, "utf8"));
      return true;
    } catch {
      return false;
    }
  };
  const repaired: string[] = [];
  for (const file of [path.join(root, project, `${stack}.json`), path.join(root, `${stack}.json`)]) {
    if (!fs.existsSync(file)) continue;
    if (!readable(file) && fs.existsSync(`${file}.bak`) && readable(`${file}.bak`)) {
      fs.copyFileSync(file, `${file}.torn`);
      fs.copyFileSync(`${file}.bak`, file);
      fs.rmSync(`${file}.attrs`, { force: true });
      repaired.push(file);
    }
    if (fs.existsSync(`${file}.attrs`) && !readable(`${file}.attrs`)) {
      fs.rmSync(`${file}.attrs`);
      repaired.push(`${file}.attrs`);
    }
    break;
  }
  return repaired;
}

/**
 * A run killed on this machine leaves its lock on a file backend (`.pulumi/locks/...`), and every
 * later run stops at "the stack is currently locked". A lock whose process, on this host, is gone is
 * stale: remove it. Locks of live processes and of other hosts are left alone. Returns those removed.
 */
export async function removeStaleLocks(
  backendUrl: string | undefined,
  project: string,
  stack: string,
): Promise<string[]> {
  if (!backendUrl?.startsWith("file://")) return [];
  const root = path.join(fileURLToPath(backendUrl.split("?")[0] as string), ".pulumi", "locks");
  if (!fs.existsSync(root)) return [];
  const removed: string[] = [];
  for (const rel of fs.readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (!rel.endsWith(".json")) continue;
    const parts = rel.split(path.sep);
    // <org>/<project>/<stack>/<id>.json (or <project>/<stack>/<id>.json in older layouts)
    if (parts.at(-2) !== stack || parts.at(-3) !== project) continue;
    const file = path.join(root, rel);
    try {
      const lock = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: number; hostname?: string };
      if (lock.hostname !== os.hostname() || typeof lock.pid !== "number") continue;
      // A process killed a moment ago may still be on its way out: give it a few seconds.
      if (alive(lock.pid) && !(await gone(lock.pid, 5_000))) continue;
      fs.rmSync(file);
      removed.push(file);
    } catch {
      // unreadable or gone: not ours to judge
    }
  }
  return removed;
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const until = Date.now() + withinMs; Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 100));
    if (!alive(pid)) return true;
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    // A killed process whose parent is gone may linger as a zombie until init reaps it: dead all the same.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // No /proc entry (or no /proc): ask the kernel.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** What the interrupted run left: pending creates of this package's resources, and ids already owned. */
async function pendingCreates(stack: Stack): Promise<{ pending: PendingOperation[]; known: string[] }> {
  const deployment = (await stack.exportStack()).deployment as {
    resources?: { id?: string }[];
    pending_operations?: PendingOperation[];
  };
  const pending = (deployment.pending_operations ?? []).filter(
    (op) => op.type === "creating" && isLibraryResource(op.resource.type),
  );
  const known = (deployment.resources ?? []).map((r) => r.id).filter((id): id is string => !!id);
  return { pending, known };
}

/**
 * Finds what each pending create made and repairs the state. `config` is the stack config (decrypted),
 * `env` what the provider process would see. Returns the steps taken, in the order of the state.
 */
export async function recoverPendingCreates(opts: {
  stack: Stack;
  engineRoot: string;
  workDir: string;
  config: Record<string, string>;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
}): Promise<RecoveryStep[]> {
  const { pending, known } = await pendingCreates(opts.stack);
  if (pending.length === 0) return [];
  opts.say(`Recovering ${pending.length} create(s) that an interrupted run left pending:`);
  // The lookups run in this process with the provider code and the settings the provider would use:
  // one provider per type, reading the provider process's environment.
  const providers = new Map<string, Finder>();
  const providerOf = async (type: string): Promise<Finder> => {
    let p = providers.get(type);
    if (p === undefined) {
      p = freshProvider(type, { env: opts.env }) as Finder;
      await p.configure?.({ config: { get: (key) => opts.config[key] } });
      providers.set(type, p);
    }
    return p;
  };
  const owned = [...known];
  const steps: RecoveryStep[] = [];
  for (const op of pending) {
    const { backend, kind } = parseTypeToken(op.resource.type);
    const p = await providerOf(`${backend}:${kind}`);
    const id = await p.findCreated?.(op.resource.inputs ?? {}, owned);
    const label = `${backend} ${kind} ${nameOfUrn(op.resource.urn)}`;
    if (id !== undefined) {
      owned.push(id);
      steps.push({ urn: op.resource.urn, id });
      opts.say(`  ${"taken over".padEnd(22)} ${label}: ${id}, made by the interrupted run`);
    } else {
      steps.push({ urn: op.resource.urn });
      opts.say(`  ${"not made".padEnd(22)} ${label}: nothing at the vendor; it will be created`);
    }
  }
  await takeIntoState(opts.stack, pending, steps, providerOf);
  const left = await pendingCreates(opts.stack);
  if (left.pending.length > 0) {
    throw new Error(
      `recovery left ${left.pending.length} pending create(s) in the state: ${left.pending.map((p) => p.resource.urn).join(", ")}`,
    );
  }
  return steps;
}

/**
 * Writes the recovered objects into the state as created resources (inputs from the pending
 * operation, outputs read back from the vendor), drops this package's pending creates, and imports
 * the result. The engine's own `refresh --import-pending-creates` should do the first part, but with
 * the engine 3.259 and a dynamic provider it cleared the pending operations without keeping the
 * resources, so the recovery writes them itself.
 */
async function takeIntoState(
  stack: Stack,
  pending: PendingOperation[],
  steps: RecoveryStep[],
  providerOf: (type: string) => Promise<Finder>,
): Promise<void> {
  const exported = await stack.exportStack();
  const deployment = exported.deployment as {
    resources?: Record<string, unknown>[];
    pending_operations?: PendingOperation[];
  };
  const ours = new Set(pending.map((p) => p.resource.urn));
  for (const step of steps) {
    if (step.id === undefined) continue;
    const op = pending.find((p) => p.resource.urn === step.urn) as PendingOperation;
    const { backend, kind } = parseTypeToken(op.resource.type);
    const p = await providerOf(`${backend}:${kind}`);
    const inputs = op.resource.inputs ?? {};
    const read = await p.read?.(step.id, inputs as never);
    if (!read?.id) {
      delete step.id;
      continue;
    }
    const secret = new Set(
      (op.resource as { additionalSecretOutputs?: string[] }).additionalSecretOutputs ?? [],
    );
    const outputs: Record<string, unknown> = { ...(read.props ?? {}), __provider: inputs.__provider };
    for (const key of secret) {
      if (outputs[key] !== undefined)
        outputs[key] = {
          [SIG_KEY]: SECRET_SIG,
          plaintext: JSON.stringify(outputs[key]),
        };
    }
    const resource: Record<string, unknown> = {
      ...op.resource,
      id: read.id,
      inputs: { ...inputs, ...(read.inputs ?? {}), __provider: inputs.__provider },
      outputs,
    };
    // A pending resource never depends on another pending one (an operation starts once its dependencies
    // are done), so appending keeps the state's order of dependencies first.
    deployment.resources = [...(deployment.resources ?? []), resource];
  }
  deployment.pending_operations = (deployment.pending_operations ?? []).filter(
    (p) => !(p.type === "creating" && ours.has(p.resource.urn)),
  );
  await stack.importStack(exported);
}
