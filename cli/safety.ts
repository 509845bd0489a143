/**
 * The safety rules of the commands: a destroy, or an up that deletes or replaces this package's
 * objects on a live (non-loopback) endpoint, needs an explicit flag. A refusal changes nothing.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { parseTypeToken } from "../provider/core/typeToken";
import { endpointFor, isBackend, isLoopback } from "./endpoints";
import { isLibraryResource } from "./resourceTypes";
import { nameOfUrn } from "./urn";

/** A refusal by a safety rule: nothing was changed. */
export class Refusal extends Error {}

export interface SafetyFlags {
  allowDestroy: boolean;
  allowReplace: boolean;
}

/** A destroy without `--allow-destroy` is refused before the engine starts. */
export function refuseDestroy(command: string, flags: SafetyFlags): void {
  if (command === "destroy" && !flags.allowDestroy) {
    throw new Refusal(
      "destroy deletes every checkout link, plan and product of the stack: refusing without --allow-destroy",
    );
  }
}

export interface Destructive {
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
    const { backend } = parseTypeToken(m.type);
    if (!isBackend(backend)) continue;
    const account = m.old?.inputs?.["account"];
    const endpoint = endpointFor(backend, typeof account === "string" ? account : undefined, config, env);
    const prior = out.get(m.urn);
    if (!prior || op === "replace") out.set(m.urn, { urn: m.urn, type: m.type, op, endpoint });
  }
  return [...out.values()];
}

/** The steps a run may not take without a flag: deletes and replaces on a non-loopback endpoint. */
export function blockedSteps(steps: readonly Destructive[], flags: SafetyFlags): Destructive[] {
  return steps.filter(
    (s) =>
      !isLoopback(s.endpoint) &&
      ((s.op === "delete" && !flags.allowDestroy) || (s.op === "replace" && !flags.allowReplace)),
  );
}

/** The refusal of an up whose plan has blocked steps, naming each and the flags that allow them. */
export function refusalOf(blocked: readonly Destructive[]): Refusal {
  const lines = blocked.map(
    (b) => `  - ${b.op} ${nameOfUrn(b.urn)} (${parseTypeToken(b.type).backend}, ${b.endpoint})`,
  );
  const flags = [
    blocked.some((b) => b.op === "delete") ? "--allow-destroy" : "",
    blocked.some((b) => b.op === "replace") ? "--allow-replace" : "",
  ].filter(Boolean);
  return new Refusal(
    `this update would remove or replace published objects on a live endpoint:\n${lines.join("\n")}\n` +
      `nothing was applied; rerun with ${flags.join(" and ")} to allow it`,
  );
}
