/**
 * The `checkout-links` commands on the Automation API: one stack of a work-dir program, the
 * backend and secrets from the usual Pulumi settings, reports from the engine's step events.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";
import { Stack } from "@pulumi/pulumi/automation";
import { parseTypeToken } from "../provider/core/typeToken";
import { Redactor, stackTokens } from "./credentials";
import type { EmulatorSession } from "./emulator";
import { endpointFor, isBackend, namedAccounts } from "./endpoints";
import { engineFailure } from "./engineFailure";
import { UsageError } from "./errors";
import { EXIT, type Io, writeReports } from "./io";
import { progressPrinter } from "./progress";
import { recoverPendingCreates, removeStaleLocks, repairTornCheckpoint } from "./recover";
import type { Endpoint, LinkRow, ReportContext } from "./report";
import { buildReport } from "./reportBuild";
import { renderLinksText, renderMarkdown } from "./reportMarkdown";
import { isLink } from "./resourceTypes";
import { blockedSteps, destructiveSteps, Refusal, refusalOf, refuseDestroy } from "./safety";
import {
  configOf,
  engineEnv,
  openWorkspace,
  projectFile,
  type SessionOptions,
  stackNameOf,
  startEmulatorFor,
} from "./session";
import { safeUrl } from "./urls";
import { nameOfUrn } from "./urn";

export type Command = "preview" | "up" | "refresh" | "destroy";

export interface RunOptions extends SessionOptions {
  command: Command;
  /** Work dir holding Pulumi.yaml. */
  cwd: string;
  /** Backend URL; overrides PULUMI_BACKEND_URL and the project's backend. */
  backend?: string;
  reportMd?: string;
  reportJson?: string;
  expectNoChanges: boolean;
  allowDestroy: boolean;
  allowReplace: boolean;
  /** Refresh state before preview or up. */
  refresh: boolean;
  /** Resource operations the engine runs at once. @default 32 */
  parallel?: number;
  /** The engine's log level (`--verbose`), with its logs on stderr. */
  verbose?: number;
}

/**
 * Operations at once: the engine's default is 8, but every resource here is a short vendor call
 * from one provider process, so more of them overlap their waits on the network.
 */
const DEFAULT_PARALLEL = 32;

/** The options every engine operation of a run takes: the engine's own logs if asked, tokens masked. */
interface EngineOptions {
  color: "never";
  parallel: number;
  logVerbosity?: number;
  logFlow?: boolean;
  logToStdErr?: boolean;
  onError?: (text: string) => void;
}

/** One run's open stack and what its commands share. */
interface RunSession {
  opts: RunOptions;
  io: Io;
  workDir: string;
  ws: LocalWorkspace;
  engineRoot: string;
  stack: Stack;
  project: string;
  stackName: string;
  /** The state backend the command chose; undefined when the engine's own settings decide. */
  backend: string | undefined;
  config: Record<string, string>;
  /** What the provider process sees: the engine's environment on top of the command's. */
  providerEnv: NodeJS.ProcessEnv;
  redactor: Redactor;
  emulator: EmulatorSession | undefined;
  report: Omit<ReportContext, "command">;
  engine: EngineOptions;
  /** Every event of the run, for the engine's own error lines should it fail. */
  seen: EngineEvent[];
}

/** The engine's environment for a run: the stack's, plus how the program runs. */
function runEnv(opts: RunOptions, workDir: string, file: string, env: NodeJS.ProcessEnv) {
  const engine = engineEnv(opts, workDir, file, env);
  // TypeScript programs are type-checked by the project's own `tsc` step; Pulumi's vendored
  // ts-node 7 cannot type-check a program that imports a package through its export map (TS2209,
  // "the project root is ambiguous"), and transpiling only is also much faster.
  engine.env.PULUMI_NODEJS_TRANSPILE_ONLY = env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true";
  // Diff resources in parallel too (the engine diffs one at a time otherwise).
  engine.env.PULUMI_PARALLEL_DIFF = env.PULUMI_PARALLEL_DIFF ?? "true";
  // A file backend the command chose is created on first use.
  if (engine.backend?.startsWith("file://")) {
    fs.mkdirSync(engine.backend.slice("file://".length), { recursive: true });
  }
  return engine;
}

/** Where the stack's state lives: the chosen backend, else the one the engine is logged in to. */
async function stateUrl(s: Pick<RunSession, "backend" | "ws">): Promise<string | undefined> {
  return s.backend ?? (await s.ws.whoAmI().catch(() => undefined))?.url;
}

function engineOptions(opts: RunOptions, redactor: Redactor, io: Io): EngineOptions {
  return {
    color: "never",
    parallel: opts.parallel ?? DEFAULT_PARALLEL,
    ...(opts.verbose !== undefined
      ? {
          logVerbosity: opts.verbose,
          logFlow: true,
          logToStdErr: true,
          onError: (t: string) => {
            const lines = redactor.write(t);
            if (lines !== "") io.err(lines.trimEnd());
          },
        }
      : {}),
  };
}

/** Which endpoint each backend targets, in every report: a misdirected stack shows at a glance. */
function endpointsOf(config: Record<string, string>, providerEnv: NodeJS.ProcessEnv) {
  const known = namedAccounts(config, providerEnv);
  return (backends: string[]): Endpoint[] =>
    backends.filter(isBackend).flatMap((backend) =>
      ["default", ...[...(known.get(backend) ?? [])].sort()].map((account) => ({
        backend,
        account,
        url: safeUrl(endpointFor(backend, account, config, providerEnv)),
      })),
    );
}

/** Opens the stack of a run: workspace, state repairs, config, and with --emulator the emulator. */
async function openRun(opts: RunOptions, io: Io, workDir: string, file: string): Promise<RunSession> {
  const { env, backend } = runEnv(opts, workDir, file, io.env);
  const stackName = stackNameOf(opts, io.env);
  const { ws, engineRoot } = await openWorkspace(workDir, env, io.env);
  const project = (await ws.projectSettings()).name;
  if (opts.command !== "preview") {
    for (const repaired of repairTornCheckpoint(await stateUrl({ backend, ws }), project, stackName)) {
      io.out(`Repaired what an interrupted run left half-written: ${repaired}`);
    }
  }
  const stack =
    opts.command === "preview" || opts.command === "up"
      ? await Stack.createOrSelect(stackName, ws)
      : await Stack.select(stackName, ws);
  const config = await configOf(stack);
  io.err(
    `checkout-links: ${opts.command} ${project}/${stackName} in ${workDir}${backend ? ` (state: ${backend})` : ""}`,
  );
  let emulator: EmulatorSession | undefined;
  if (opts.emulator) {
    emulator = await startEmulatorFor(opts, workDir, stackName, config, namedAccounts(config, io.env), io);
    Object.assign(ws.envVars, emulator.env);
  }
  // The engine runs on the stack's own config (tokens included, as under plain `pulumi`); the
  // provider also gets the current tokens, which win over the config stored by the last `up`.
  const tokens = stackTokens(config);
  Object.assign(ws.envVars, tokens.env);
  const redactor = new Redactor(tokens.values);
  const providerEnv: NodeJS.ProcessEnv = { ...io.env, ...ws.envVars };
  return {
    opts,
    io,
    workDir,
    ws,
    engineRoot,
    stack,
    project,
    stackName,
    backend,
    config,
    providerEnv,
    redactor,
    emulator,
    report: { project, stack: stackName, endpoints: endpointsOf(config, providerEnv) },
    engine: engineOptions(opts, redactor, io),
    seen: [],
  };
}

/** Records an event in the run's `seen` list, then hands it on. */
function tap(s: RunSession, f: (e: EngineEvent) => void): (e: EngineEvent) => void {
  return (e) => {
    s.seen.push(e);
    f(e);
  };
}

/** Runs an engine operation; when it fails, the reports still get written, with the failures in them. */
async function reportingFailure<T>(
  s: RunSession,
  events: readonly EngineEvent[],
  command: string,
  op: () => Promise<T>,
): Promise<T> {
  try {
    return await op();
  } catch (e) {
    writeReports(buildReport(events, { command, ...s.report }), s.opts);
    throw e;
  }
}

/** Before up, refresh and destroy: what an interrupted run left (a lock, pending creates). */
async function recoverInterrupted(s: RunSession): Promise<void> {
  const { opts, io } = s;
  if (opts.command !== "preview") {
    for (const lock of await removeStaleLocks(await stateUrl(s), s.project, s.stackName)) {
      io.out(`Removed the lock of an interrupted run (its process is gone): ${lock}`);
    }
  }
  if (opts.command === "up" || opts.command === "refresh") {
    await recoverPendingCreates({
      stack: s.stack,
      engineRoot: s.engineRoot,
      workDir: s.workDir,
      config: s.config,
      env: s.providerEnv,
      say: (line) => io.out(line),
    });
  }
}

async function preview(s: RunSession): Promise<number> {
  const events: EngineEvent[] = [];
  await s.stack.preview({ onEvent: tap(s, (e) => events.push(e)), refresh: s.opts.refresh, ...s.engine });
  const report = buildReport(events, { command: "preview", ...s.report });
  writeReports(report, s.opts);
  s.io.out(renderMarkdown(report));
  return report.hasChanges ? EXIT.changes : EXIT.ok;
}

/** The links in the stack's state: backend, name, slug, URL. */
async function linkTable(stack: Stack): Promise<LinkRow[]> {
  const state = await stack.exportStack();
  const resources = ((state.deployment as { resources?: Record<string, any>[] }).resources ?? []).filter(
    (r) => typeof r.type === "string" && isLink(r.type) && !r.delete,
  );
  const rows = resources.map((r) => {
    const outputs = (r.outputs ?? {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    return {
      backend: parseTypeToken(r.type).backend,
      name: nameOfUrn(r.urn),
      slug: text(outputs.slug),
      url: text(outputs.url),
    };
  });
  return rows.sort((a, b) => a.backend.localeCompare(b.backend) || a.name.localeCompare(b.name));
}

async function up(s: RunSession): Promise<number> {
  const { opts, io } = s;
  // Preview first: the safety rules and --expect-no-changes act before anything changes.
  const planned: EngineEvent[] = [];
  await s.stack.preview({ onEvent: tap(s, (e) => planned.push(e)), refresh: opts.refresh, ...s.engine });
  const plan = buildReport(planned, { command: "preview", ...s.report });
  if (opts.expectNoChanges && plan.hasChanges) {
    writeReports(plan, opts);
    io.out(renderMarkdown(plan));
    io.err("checkout-links: changes found where none were expected; nothing was applied");
    return EXIT.changes;
  }
  const blocked = blockedSteps(destructiveSteps(planned, s.config, s.providerEnv), opts);
  if (blocked.length > 0) {
    writeReports(plan, opts);
    io.out(renderMarkdown(plan));
    throw refusalOf(blocked);
  }
  if (!plan.hasChanges) io.out("No changes to apply.");
  const events: EngineEvent[] = [];
  await reportingFailure(s, events, "up", () =>
    s.stack.up({ onEvent: tap(s, progressPrinter(io, events)), refresh: opts.refresh, ...s.engine }),
  );
  const report = buildReport(events, { command: "up", ...s.report });
  report.links = await linkTable(s.stack);
  writeReports(report, opts);
  io.out("");
  io.out(report.links.length > 0 ? renderLinksText(report.links) : "No checkout links in this stack.");
  return EXIT.ok;
}

async function refresh(s: RunSession): Promise<number> {
  const events: EngineEvent[] = [];
  try {
    await s.stack.refresh({
      ...s.engine,
      onEvent: tap(s, progressPrinter(s.io, events)),
      expectNoChanges: s.opts.expectNoChanges,
    });
  } catch (e) {
    if (s.opts.expectNoChanges && /no changes were expected/i.test(String((e as Error).message))) {
      s.io.err("checkout-links: refresh found drift where none was expected");
      return EXIT.changes;
    }
    throw e;
  }
  writeReports(buildReport(events, { command: "refresh", ...s.report }), s.opts);
  return EXIT.ok;
}

async function destroy(s: RunSession): Promise<number> {
  const events: EngineEvent[] = [];
  await reportingFailure(s, events, "destroy", () =>
    s.stack.destroy({ ...s.engine, onEvent: tap(s, progressPrinter(s.io, events)) }),
  );
  const report = buildReport(events, { command: "destroy", ...s.report });
  writeReports(report, s.opts);
  s.io.out(`Destroyed ${report.summary.delete} resources of ${s.project}/${s.stackName}.`);
  return EXIT.ok;
}

const COMMAND: Record<Command, (s: RunSession) => Promise<number>> = { preview, up, refresh, destroy };

export async function run(opts: RunOptions, io: Io): Promise<number> {
  const workDir = path.resolve(opts.cwd);
  const file = projectFile(workDir);
  if (!file) throw new UsageError(`no Pulumi.yaml in ${workDir}: pass --cwd <dir of a Pulumi project>`);
  refuseDestroy(opts.command, opts);
  const s = await openRun(opts, io, workDir, file);
  try {
    await recoverInterrupted(s);
    const command = COMMAND[opts.command];
    if (command === undefined) throw new UsageError(`unknown command ${String(opts.command)}`);
    return await command(s);
  } catch (e) {
    if (e instanceof Refusal || e instanceof UsageError) throw e;
    const where = { backendUrl: await stateUrl(s), project: s.project, stack: s.stackName };
    throw engineFailure(e as Error, s.seen, s.redactor, where);
  } finally {
    const rest = s.redactor.flush();
    if (rest.trim() !== "") io.err(rest.trimEnd());
    await s.emulator?.emulator.close();
  }
}
