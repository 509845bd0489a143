/**
 * The `checkout-links` commands on the Automation API: one stack of a work-dir program, the
 * backend and secrets from the usual Pulumi settings, reports from the engine's step events.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  type EngineEvent,
  LocalWorkspace,
  PulumiCommand,
  Stack,
  type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import { Redactor, stackTokens } from "./credentials";
import { type EmulatorSession, startEmulatorSession } from "./emulator";
import { endpointFor, isBackend, isLoopback, namedAccounts, refuseEndpointOverrides } from "./endpoints";
import { resolveEngineRoot } from "./engine";
import { UsageError } from "./errors";
import { recoverPendingCreates, removeStaleLocks, repairTornCheckpoint } from "./recover";
import {
  buildReport,
  describeType,
  type Endpoint,
  isLibraryResource,
  isLink,
  type LinkRow,
  nameOfUrn,
  type Report,
  renderJson,
  renderLinksText,
  renderMarkdown,
  typeOfUrn,
} from "./report";
import { safeUrl } from "./urls";

export type Command = "preview" | "up" | "refresh" | "destroy";

export interface RunOptions {
  command: Command;
  /** Work dir holding Pulumi.yaml. */
  cwd: string;
  /** @default `$PULUMI_STACK`, else `emulator` with --emulator, else `dev` */
  stack?: string;
  /** Run against the embedded emulator. */
  emulator: boolean;
  /** Port for the emulator. @default the remembered one, else ephemeral */
  emulatorPort?: number;
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

export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** Exit codes: pipelines gate on them. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

/** The passphrase of emulator stacks when PULUMI_CONFIG_PASSPHRASE(_FILE) is not set: local demo data only. */
export const EMULATOR_PASSPHRASE = "checkout-links-emulator";

/** A refusal by a safety rule: nothing was changed. */
export class Refusal extends Error {}

function projectFile(dir: string): string | undefined {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

function loggedIn(env: NodeJS.ProcessEnv): boolean {
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8")) as {
      current?: string;
    };
    return typeof creds.current === "string" && creds.current !== "";
  } catch {
    return false;
  }
}

function projectHasBackend(file: string): boolean {
  return /^backend:\s*\n\s+url:\s*\S/m.test(fs.readFileSync(file, "utf8"));
}

/**
 * Where state lives: `--backend`, else (emulator runs) `<work dir>/.emulator/state` so emulator
 * state never mixes with real state, else PULUMI_BACKEND_URL / the project's backend / `pulumi
 * login`, else a local file backend in `<work dir>/.pulumi-state`.
 */
export function chooseBackend(
  opts: Pick<RunOptions, "backend" | "emulator">,
  workDir: string,
  file: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (opts.backend) return opts.backend;
  if (opts.emulator) return `file://${path.join(workDir, ".emulator", "state")}`;
  if (env.PULUMI_BACKEND_URL || projectHasBackend(file) || loggedIn(env)) return undefined;
  return `file://${path.join(workDir, ".pulumi-state")}`;
}

function ensureFileBackend(url: string): void {
  if (url.startsWith("file://")) fs.mkdirSync(url.slice("file://".length), { recursive: true });
}

interface Destructive {
  urn: string;
  type: string;
  op: "delete" | "replace";
  endpoint: string;
}

/** Deletes and replaces of this library's resources, with the endpoint each talks to. */
export function destructiveSteps(
  events: readonly EngineEvent[],
  config: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv,
): Destructive[] {
  const out = new Map<string, Destructive>();
  for (const e of events) {
    const m: StepEventMetadata | undefined = e.resourcePreEvent?.metadata;
    if (!m || !isLibraryResource(m.type)) continue;
    const op =
      m.op === "delete"
        ? "delete"
        : ["replace", "create-replacement", "delete-replaced"].includes(m.op)
          ? "replace"
          : undefined;
    if (!op) continue;
    const { backend } = describeType(m.type);
    if (!isBackend(backend)) continue;
    const account = m.old?.inputs?.["account"];
    const endpoint = endpointFor(backend, typeof account === "string" ? account : undefined, config, env);
    const prior = out.get(m.urn);
    if (!prior || op === "replace") out.set(m.urn, { urn: m.urn, type: m.type, op, endpoint });
  }
  return [...out.values()];
}

/** The steps a run may not take without a flag: deletes and replaces on a non-loopback endpoint. */
export function blockedSteps(
  steps: readonly Destructive[],
  opts: Pick<RunOptions, "allowDestroy" | "allowReplace">,
): Destructive[] {
  return steps.filter(
    (s) =>
      !isLoopback(s.endpoint) &&
      ((s.op === "delete" && !opts.allowDestroy) || (s.op === "replace" && !opts.allowReplace)),
  );
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
      backend: describeType(r.type).backend,
      name: nameOfUrn(r.urn),
      slug: text(outputs.slug),
      url: text(outputs.url),
    };
  });
  return rows.sort((a, b) => a.backend.localeCompare(b.backend) || a.name.localeCompare(b.name));
}

const VERB: Record<string, [string, string]> = {
  create: ["creating", "created"],
  update: ["updating", "updated"],
  delete: ["deleting", "deleted"],
  replace: ["replacing", "replaced"],
  "create-replacement": ["creating replacement", "created replacement"],
  "delete-replaced": ["deleting replaced", "deleted replaced"],
  refresh: ["refreshing", "refreshed"],
  read: ["reading", "read"],
  import: ["importing", "imported"],
};

/** Prints what happens to each resource as the engine does it. */
function progressPrinter(io: Io, events: EngineEvent[]): (e: EngineEvent) => void {
  const started = new Map<string, number>();
  const label = (m: StepEventMetadata) => {
    const { backend, kind } = describeType(m.type);
    return `${backend} ${kind} ${nameOfUrn(m.urn)}`;
  };
  const relevant = (m: StepEventMetadata) =>
    m.op !== "same" && m.type !== "pulumi:pulumi:Stack" && !m.type.startsWith("pulumi:providers:");
  return (e) => {
    events.push(e);
    const pre = e.resourcePreEvent?.metadata;
    if (pre && relevant(pre)) {
      started.set(`${pre.urn}|${pre.op}`, Date.now());
      io.out(`  ${(VERB[pre.op]?.[0] ?? pre.op).padEnd(22)} ${label(pre)}`);
    }
    const done = e.resOutputsEvent?.metadata;
    if (done && relevant(done)) {
      const t0 = started.get(`${done.urn}|${done.op}`);
      const secs = t0 === undefined ? "" : ` (${((Date.now() - t0) / 1000).toFixed(1)}s)`;
      io.out(`  ${(VERB[done.op]?.[1] ?? done.op).padEnd(22)} ${label(done)}${secs}`);
    }
    const diag = e.diagnosticEvent;
    const onResource = diag?.urn !== undefined && !typeOfUrn(diag.urn).startsWith("pulumi:");
    if (diag && diag.severity === "error" && onResource) {
      // A failed operation: the engine's error diagnostic on the resource carries the provider's reason.
      const m = { type: typeOfUrn(diag.urn as string), urn: diag.urn as string } as StepEventMetadata;
      io.out(`  ${"FAILED".padEnd(22)} ${label(m)}: ${diag.message.trim()}`);
    } else if (
      diag &&
      (diag.severity === "error" || diag.severity === "warning") &&
      !diag.urn?.includes("pulumi:pulumi:Stack::")
    ) {
      io.err(`${diag.severity}: ${diag.message.trim()}`);
    }
  };
}

/** Runs an engine operation; when it fails, the reports still get written, with the failures in them. */
async function reportingFailure<T>(
  events: readonly EngineEvent[],
  opts: RunOptions,
  ctx: { command: string; project: string; stack: string },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    writeReports(buildReport(events, ctx), opts);
    throw e;
  }
}

function collectDiagnostics(events: readonly EngineEvent[]): string[] {
  return events
    .map((e) => e.diagnosticEvent)
    .filter((d) => d !== undefined && d.severity === "error")
    .map((d) => d!.message.trim())
    .filter((m) => m !== "");
}

function writeReports(report: Report, opts: RunOptions): void {
  if (opts.reportMd) {
    fs.mkdirSync(path.dirname(path.resolve(opts.reportMd)), { recursive: true });
    fs.writeFileSync(opts.reportMd, renderMarkdown(report));
  }
  if (opts.reportJson) {
    fs.mkdirSync(path.dirname(path.resolve(opts.reportJson)), { recursive: true });
    fs.writeFileSync(opts.reportJson, renderJson(report));
  }
}

function configValues(config: Record<string, { value: string; secret?: boolean }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = v.value;
  return out;
}

export async function run(opts: RunOptions, io: Io): Promise<number> {
  const workDir = path.resolve(opts.cwd);
  const file = projectFile(workDir);
  if (!file) throw new UsageError(`no Pulumi.yaml in ${workDir}: pass --cwd <dir of a Pulumi project>`);
  if (opts.command === "destroy" && !opts.allowDestroy) {
    throw new Refusal(
      "destroy deletes every checkout link, plan and product of the stack: refusing without --allow-destroy",
    );
  }

  const env: Record<string, string> = {
    PULUMI_SKIP_UPDATE_CHECK: io.env.PULUMI_SKIP_UPDATE_CHECK ?? "true",
    // TypeScript programs are type-checked by the project's own `tsc` step; Pulumi's vendored
    // ts-node 7 cannot type-check a program that imports a package through its export map (TS2209,
    // "the project root is ambiguous"), and transpiling only is also much faster.
    PULUMI_NODEJS_TRANSPILE_ONLY: io.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true",
    // Diff resources in parallel too (the engine diffs one at a time otherwise).
    PULUMI_PARALLEL_DIFF: io.env.PULUMI_PARALLEL_DIFF ?? "true",
  };
  const backend = chooseBackend(opts, workDir, file, io.env);
  if (backend) {
    ensureFileBackend(backend);
    env.PULUMI_BACKEND_URL = backend;
  }
  if (opts.emulator && !io.env.PULUMI_CONFIG_PASSPHRASE && !io.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    env.PULUMI_CONFIG_PASSPHRASE = EMULATOR_PASSPHRASE;
  }
  const stackName = opts.stack ?? io.env.PULUMI_STACK ?? (opts.emulator ? "emulator" : "dev");

  const root = resolveEngineRoot(io.env);
  const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: false });
  const ws = await LocalWorkspace.create({ workDir, pulumiCommand, envVars: env });
  const project = (await ws.projectSettings()).name;
  if (opts.command !== "preview") {
    const backendUrl = backend ?? (await ws.whoAmI().catch(() => undefined))?.url;
    for (const file of repairTornCheckpoint(backendUrl, project, stackName)) {
      io.out(`Repaired what an interrupted run left half-written: ${file}`);
    }
  }
  const stack =
    opts.command === "preview" || opts.command === "up"
      ? await Stack.createOrSelect(stackName, ws)
      : await Stack.select(stackName, ws);
  const config = configValues(await stack.getAllConfig());
  io.err(
    `checkout-links: ${opts.command} ${project}/${stackName} in ${workDir}${backend ? ` (state: ${backend})` : ""}`,
  );

  let session: EmulatorSession | undefined;
  if (opts.emulator) {
    refuseEndpointOverrides(stackName, config);
    session = await startEmulatorSession({
      workDir,
      ...(opts.emulatorPort !== undefined ? { port: opts.emulatorPort } : {}),
      namedAccounts: namedAccounts(config, io.env),
    });
    Object.assign(ws.envVars, session.env);
    io.err(`checkout-links: emulator at ${session.emulator.url} (data: ${session.dataFile})`);
  }
  // The engine runs on the stack's own config (tokens included, as under plain `pulumi`); the
  // provider also gets the current tokens, which win over the config stored by the last `up`.
  const tokens = stackTokens(config);
  Object.assign(ws.envVars, tokens.env);
  const redactor = new Redactor(tokens.values);
  // What the provider process sees: the engine's environment on top of ours.
  const providerEnv: NodeJS.ProcessEnv = { ...io.env, ...ws.envVars };
  const known = namedAccounts(config, providerEnv);
  const ctx = {
    project,
    stack: stackName,
    // Which endpoint each backend targets, in every report: a misdirected stack shows at a glance.
    endpoints: (backends: string[]): Endpoint[] =>
      backends.filter(isBackend).flatMap((backend) =>
        ["default", ...[...(known.get(backend) ?? [])].sort()].map((account) => ({
          backend,
          account,
          url: safeUrl(endpointFor(backend, account, config, providerEnv)),
        })),
      ),
  };
  const parallel = opts.parallel ?? DEFAULT_PARALLEL;
  // Options every engine operation takes: the engine's own logs if asked, tokens masked.
  const common = {
    color: "never" as const,
    parallel,
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
  // Every event of the run, for the engine's own error lines should it fail.
  const seen: EngineEvent[] = [];
  const tap =
    (f: (e: EngineEvent) => void) =>
    (e: EngineEvent): void => {
      seen.push(e);
      f(e);
    };

  try {
    if (opts.command !== "preview") {
      const backendUrl = backend ?? (await ws.whoAmI().catch(() => undefined))?.url;
      for (const lock of await removeStaleLocks(backendUrl, project, stackName)) {
        io.out(`Removed the lock of an interrupted run (its process is gone): ${lock}`);
      }
    }
    if (opts.command === "up" || opts.command === "refresh") {
      await recoverPendingCreates({
        stack,
        engineRoot: root,
        workDir,
        config,
        env: providerEnv,
        say: (line) => io.out(line),
      });
    }
    switch (opts.command) {
      case "preview": {
        const events: EngineEvent[] = [];
        await stack.preview({
          onEvent: tap((e) => events.push(e)),
          refresh: opts.refresh,
          ...common,
        });
        const report = buildReport(events, { command: "preview", ...ctx });
        writeReports(report, opts);
        io.out(renderMarkdown(report));
        return report.hasChanges ? EXIT.changes : EXIT.ok;
      }
      case "up": {
        // Preview first: the safety rules and --expect-no-changes act before anything changes.
        const planned: EngineEvent[] = [];
        await stack.preview({
          onEvent: tap((e) => planned.push(e)),
          refresh: opts.refresh,
          ...common,
        });
        const plan = buildReport(planned, { command: "preview", ...ctx });
        if (opts.expectNoChanges && plan.hasChanges) {
          writeReports(plan, opts);
          io.out(renderMarkdown(plan));
          io.err("checkout-links: changes found where none were expected; nothing was applied");
          return EXIT.changes;
        }
        const blocked = blockedSteps(destructiveSteps(planned, config, providerEnv), opts);
        if (blocked.length > 0) {
          writeReports(plan, opts);
          io.out(renderMarkdown(plan));
          const lines = blocked.map(
            (b) => `  - ${b.op} ${nameOfUrn(b.urn)} (${describeType(b.type).backend}, ${b.endpoint})`,
          );
          const flags = [
            blocked.some((b) => b.op === "delete") ? "--allow-destroy" : "",
            blocked.some((b) => b.op === "replace") ? "--allow-replace" : "",
          ].filter(Boolean);
          throw new Refusal(
            `this update would remove or replace published objects on a live endpoint:\n${lines.join("\n")}\n` +
              `nothing was applied; rerun with ${flags.join(" and ")} to allow it`,
          );
        }
        if (!plan.hasChanges) io.out("No changes to apply.");
        const events: EngineEvent[] = [];
        await reportingFailure(events, opts, { command: "up", ...ctx }, () =>
          stack.up({
            onEvent: tap(progressPrinter(io, events)),
            refresh: opts.refresh,
            ...common,
          }),
        );
        const report = buildReport(events, { command: "up", ...ctx });
        report.links = await linkTable(stack);
        writeReports(report, opts);
        io.out("");
        io.out(report.links.length > 0 ? renderLinksText(report.links) : "No checkout links in this stack.");
        return EXIT.ok;
      }
      case "refresh": {
        const events: EngineEvent[] = [];
        try {
          await stack.refresh({
            ...common,
            onEvent: tap(progressPrinter(io, events)),
            expectNoChanges: opts.expectNoChanges,
          });
        } catch (e) {
          if (opts.expectNoChanges && /no changes were expected/i.test(String((e as Error).message))) {
            io.err("checkout-links: refresh found drift where none was expected");
            return EXIT.changes;
          }
          throw e;
        }
        const report = buildReport(events, { command: "refresh", ...ctx });
        writeReports(report, opts);
        return EXIT.ok;
      }
      case "destroy": {
        const events: EngineEvent[] = [];
        await reportingFailure(events, opts, { command: "destroy", ...ctx }, () =>
          stack.destroy({ ...common, onEvent: tap(progressPrinter(io, events)) }),
        );
        const report = buildReport(events, { command: "destroy", ...ctx });
        writeReports(report, opts);
        io.out(`Destroyed ${report.summary.delete} resources of ${project}/${stackName}.`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command ${String(opts.command satisfies never)}`);
    }
  } catch (e) {
    if (e instanceof Refusal || e instanceof UsageError) throw e;
    const diagnostics = collectDiagnostics(seen).map((d) => redactor.redact(d));
    const backendUrl = backend ?? (await ws.whoAmI().catch(() => undefined))?.url;
    if (/currently locked/.test(String((e as Error).message)) && !backendUrl?.startsWith("file://")) {
      // The stale-lock removal reads lock files of a folder; other backends keep their locks elsewhere.
      if (diagnostics.length === 0)
        diagnostics.push(redactor.redact(summarizeEngineError((e as Error).message)));
      diagnostics.push(
        `checkout-links removes the lock of a killed run only on a file backend on this machine, not on ` +
          `${backendUrl?.split(":")[0] ?? "this"} backends. Once no run of ${project}/${stackName} is ` +
          `active, remove it with: pulumi cancel --yes --stack ${stackName}`,
      );
    }
    const failure = new EngineFailure(e as Error, diagnostics);
    failure.message = redactor.redact(failure.message);
    throw failure;
  } finally {
    const rest = redactor.flush();
    if (rest.trim() !== "") io.err(rest.trimEnd());
    await session?.emulator.close();
  }
}

/** An engine run that failed; the message keeps the engine's own error lines, not its whole log. */
class EngineFailure extends Error {
  constructor(cause: Error, diagnostics: string[]) {
    super(diagnostics.length > 0 ? diagnostics.join("\n") : summarizeEngineError(cause.message), { cause });
  }
}

/** The useful lines of a CommandError message (which embeds the whole stdout and stderr). */
function summarizeEngineError(message: string): string {
  const lines = message.split("\n");
  const errorLines = lines.filter((l) => /error:|Error:|failed|refused/i.test(l)).map((l) => l.trim());
  const picked = errorLines.length > 0 ? [...new Set(errorLines)] : lines.slice(-20);
  return picked.join("\n").slice(0, 4000);
}
