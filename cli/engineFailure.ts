/**
 * What a failed engine run says, for a reader: the engine's own error lines (a CommandError embeds its
 * whole output), tokens masked, and for a lock the command cannot clear itself, how to clear it.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Redactor } from "./credentials";

/** An engine run that failed; the message keeps the engine's own error lines, not its whole log. */
export class EngineFailure extends Error {
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

/** The messages of the engine's error diagnostics. */
function errorDiagnostics(events: readonly EngineEvent[]): string[] {
  return events
    .map((e) => e.diagnosticEvent)
    .filter((d) => d !== undefined && d.severity === "error")
    .map((d) => d!.message.trim())
    .filter((m) => m !== "");
}

/**
 * The failure to report for an engine run that threw `e` after the given events. `backendUrl` is where
 * the stack's state lives, `project` and `stack` name it in the advice for a lock.
 */
export function engineFailure(
  e: Error,
  events: readonly EngineEvent[],
  redactor: Redactor,
  where: { backendUrl: string | undefined; project: string; stack: string },
): EngineFailure {
  const diagnostics = errorDiagnostics(events).map((d) => redactor.redact(d));
  const { backendUrl, project, stack } = where;
  if (/currently locked/.test(String(e.message)) && !backendUrl?.startsWith("file://")) {
    // The stale-lock removal reads lock files of a folder; other backends keep their locks elsewhere.
    if (diagnostics.length === 0) diagnostics.push(redactor.redact(summarizeEngineError(e.message)));
    diagnostics.push(
      `checkout-links removes the lock of a killed run only on a file backend on this machine, not on ` +
        `${backendUrl?.split(":")[0] ?? "this"} backends. Once no run of ${project}/${stack} is ` +
        `active, remove it with: pulumi cancel --yes --stack ${stack}`,
    );
  }
  const failure = new EngineFailure(e, diagnostics);
  failure.message = redactor.redact(failure.message);
  return failure;
}
