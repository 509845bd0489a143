/** The progress lines of `up`, `refresh` and `destroy`: what happens to each resource as the engine does it. */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { parseTypeToken } from "../provider/core/typeToken";
import type { Io } from "./io";
import { nameOfUrn, typeOfUrn } from "./urn";

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

function label(m: Pick<StepEventMetadata, "type" | "urn">): string {
  const { backend, kind } = parseTypeToken(m.type);
  return `${backend} ${kind} ${nameOfUrn(m.urn)}`;
}

function relevant(m: StepEventMetadata): boolean {
  return m.op !== "same" && m.type !== "pulumi:pulumi:Stack" && !m.type.startsWith("pulumi:providers:");
}

/** Prints what happens to each resource as the engine does it; keeps every event in `events`. */
export function progressPrinter(io: Io, events: EngineEvent[]): (e: EngineEvent) => void {
  const started = new Map<string, number>();
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
      const urn = diag.urn as string;
      io.out(`  ${"FAILED".padEnd(22)} ${label({ type: typeOfUrn(urn), urn })}: ${diag.message.trim()}`);
    } else if (
      diag &&
      (diag.severity === "error" || diag.severity === "warning") &&
      !diag.urn?.includes("pulumi:pulumi:Stack::")
    ) {
      io.err(`${diag.severity}: ${diag.message.trim()}`);
    }
  };
}
