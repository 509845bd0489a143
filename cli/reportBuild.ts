/**
 * Builds the change report from the engine events of one preview, update, refresh or destroy.
 *
 * Pure functions only: no I/O, no clock, so that the same events always give the same report.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { isDynamicToken, parseTypeToken } from "../provider/core/typeToken";
import type { Failure, Operation, Report, ReportContext, ResourceChange, Summary } from "./report";
import { fieldChanges, leaves, presentValue } from "./reportFields";
import { warningsFor } from "./reportWarnings";
import { isLink } from "./resourceTypes";
import { nameOfUrn, typeOfUrn } from "./urn";

/** The resources whose operations failed, from the engine's error diagnostics. */
function failuresOf(events: readonly EngineEvent[]): Failure[] {
  const out: Failure[] = [];
  for (const e of events) {
    const d = e.diagnosticEvent;
    if (d?.severity !== "error" || !d.urn) continue;
    const type = typeOfUrn(d.urn);
    if (skipped(type)) continue;
    const { backend, kind } = parseTypeToken(type);
    out.push({ urn: d.urn, name: nameOfUrn(d.urn), type: `${backend}:${kind}`, message: d.message.trim() });
  }
  return out;
}

/** The backends of every resource the events mention, changed or not. */
function backendsOf(events: readonly EngineEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    const type = e.resourcePreEvent?.metadata?.type;
    if (typeof type === "string" && isDynamicToken(type)) out.add(parseTypeToken(type).backend);
  }
  return [...out].sort();
}

function opOf(raw: string): Operation | "same" | undefined {
  switch (raw) {
    case "create":
    case "import":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "replace":
    case "create-replacement":
    case "delete-replaced":
    case "import-replacement":
      return "replace";
    case "same":
    case "read":
    case "refresh":
      return "same";
    default:
      return undefined;
  }
}

const OP_RANK: Record<Operation, number> = { delete: 0, replace: 1, update: 2, create: 3 };

function skipped(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** One operation for all the steps of a resource: any replace step makes a replace, else the first real one. */
function mergedOp(steps: readonly StepEventMetadata[]): Operation | "same" | undefined {
  let op: Operation | "same" | undefined;
  for (const s of steps) {
    const o = opOf(s.op);
    if (o === undefined) continue;
    if (o === "replace") op = "replace";
    else if (op === undefined || op === "same") op = o;
  }
  return op;
}

type StepState = StepEventMetadata["old"];

/**
 * With a refresh first: marks the fields the vendor changed out of band, or the resource as deleted
 * out of band. The operation's step starts from what the read found; where that differs from the
 * state before the refresh, the vendor changed it.
 */
function markDrift(change: ResourceChange, refreshed: NonNullable<StepState>, oldState: StepState): void {
  if (change.op === "create" && !oldState) {
    change.drift = "deleted";
    return;
  }
  const drifted = new Set(
    [
      ...fieldChanges(refreshed.inputs, oldState?.inputs),
      ...fieldChanges(refreshed.outputs, oldState?.outputs),
    ].map((f) => f.field),
  );
  // A field the read reports but neither the state before it nor the program holds (an optional
  // input left out, such as a generated slug) is not something the update changes.
  const before = leaves(refreshed.inputs);
  change.fields = change.fields.filter((f) => "new" in f || before.has(f.field));
  for (const f of change.fields) if (drifted.has(f.field)) f.drift = true;
  if (change.fields.some((f) => f.drift)) change.drift = "changed";
}

/** A link's published slug before and after, and its URL before the change. */
function addLinkFields(
  change: ResourceChange,
  oldState: StepState,
  newState: StepState,
  refreshed: StepState,
): void {
  const oldSlug = oldState?.outputs?.["slug"] ?? oldState?.inputs?.["slug"];
  const newSlug = newState?.inputs?.["slug"];
  if (oldSlug !== undefined || newSlug !== undefined) {
    const slug: { old?: unknown; new?: unknown } = {};
    if (oldSlug !== undefined) slug.old = presentValue("slug", oldSlug);
    if (newSlug !== undefined) slug.new = presentValue("slug", newSlug);
    change.slug = slug;
  }
  const url = str(oldState?.outputs?.["url"]) ?? str(refreshed?.outputs?.["url"]);
  if (url !== undefined) change.url = url;
  if (change.drift === "deleted" && change.slug === undefined) {
    const gone = refreshed?.outputs?.["slug"];
    if (gone !== undefined) change.slug = { old: presentValue("slug", gone) };
  }
}

/** Merges the step events of one resource (a replace emits up to three) into one change. */
function toChange(urn: string, steps: StepEventMetadata[]): ResourceChange | "same" | undefined {
  const op = mergedOp(steps);
  if (op === undefined || op === "same") return op;
  // With a refresh first, the refresh step holds the state before it and what the vendor has now;
  // the operation's own step compares what the vendor has with what the program declares.
  const refreshed = steps.find((s) => s.op === "refresh");
  const real = steps.filter((s) => s !== refreshed);
  const withBoth = real.find((s) => s.old && s.new) ?? real[0] ?? steps[0]!;
  const oldState = real.find((s) => s.old)?.old ?? (refreshed ? undefined : steps.find((s) => s.old)?.old);
  const newState = op === "delete" ? undefined : real.find((s) => s.new)?.new;
  const type = withBoth.type;
  const { backend, kind } = parseTypeToken(type);
  const keys = [...new Set(steps.flatMap((s) => s.keys ?? []))].sort();
  const change: ResourceChange = {
    urn,
    name: nameOfUrn(urn),
    type,
    backend,
    kind,
    op,
    replaceReasons: op === "replace" ? keys : [],
    fields: fieldChanges(oldState?.inputs, newState?.inputs),
  };
  if (refreshed?.old) markDrift(change, refreshed.old, oldState);
  if (isLink(type)) addLinkFields(change, oldState, newState, refreshed?.old);
  return change;
}

/** Builds the report from the engine events of one preview, update, refresh or destroy. */
export function buildReport(events: readonly EngineEvent[], ctx: ReportContext): Report {
  const byUrn = new Map<string, StepEventMetadata[]>();
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || skipped(m.type)) continue;
    const list = byUrn.get(m.urn);
    if (list) list.push(m);
    else byUrn.set(m.urn, [m]);
  }
  const summary: Summary = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  const resources: ResourceChange[] = [];
  for (const [urn, steps] of byUrn) {
    const c = toChange(urn, steps);
    if (c === undefined) continue;
    if (c === "same") {
      summary.same++;
      continue;
    }
    summary[c.op]++;
    resources.push(c);
  }
  resources.sort(
    (a, b) =>
      OP_RANK[a.op] - OP_RANK[b.op] ||
      a.backend.localeCompare(b.backend) ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name),
  );
  const warnings = resources.flatMap((c) => warningsFor(c));
  const failures = failuresOf(events);
  return {
    schemaVersion: 1,
    command: ctx.command,
    project: ctx.project,
    stack: ctx.stack,
    hasChanges: resources.length > 0,
    summary,
    warnings,
    resources,
    ...(failures.length > 0 ? { failures } : {}),
    ...(ctx.endpoints ? { endpoints: ctx.endpoints(backendsOf(events)) } : {}),
  };
}
