/**
 * The emulator's own routes under `/_emulator`: the state, reset, faults, the request log and
 * health. They answer in the plain control dialect and stay out of the request log.
 */
import type { Route } from "./app";
import { controlError } from "./errors";
import type { RequestLogEntry } from "./exchange";
import type { FaultSpec, FaultTable } from "./faults";

/** What the control routes act on. */
export interface ControlParts {
  /** A deep copy of the state. */
  snapshot(): unknown;
  reset(): void;
  faults: FaultTable;
  log: RequestLogEntry[];
  /** The body of `GET /_emulator/health` beside `ok`. */
  health(): Record<string, unknown>;
}

function faultRoutes(faults: FaultTable): Route[] {
  return [
    { method: "GET", pattern: "/_emulator/faults", handler: () => ({ status: 200, body: faults.list() }) },
    {
      method: "POST",
      pattern: "/_emulator/faults",
      handler: (ctx) => {
        // Accepts a spec object, a command-line string, `{spec: "..."}`, or a list of those.
        const items = Array.isArray(ctx.body) ? ctx.body : [ctx.body];
        try {
          const added = items.map((item) => {
            const spec =
              item && typeof item === "object" && "spec" in item ? (item as { spec: unknown }).spec : item;
            return faults.add(spec as FaultSpec | string);
          });
          return { status: 201, body: Array.isArray(ctx.body) ? added : added[0] };
        } catch (error) {
          throw controlError(400, (error as Error).message);
        }
      },
    },
    {
      method: "DELETE",
      pattern: "/_emulator/faults",
      handler: () => {
        faults.clear();
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      pattern: "/_emulator/faults/:id",
      handler: (ctx) => {
        if (!faults.remove(ctx.params["id"] ?? "")) throw controlError(404, "No such fault");
        return { status: 204 };
      },
    },
  ];
}

export function controlRoutes(parts: ControlParts): Route[] {
  const { log } = parts;
  return [
    { method: "GET", pattern: "/_emulator/state", handler: () => ({ status: 200, body: parts.snapshot() }) },
    {
      method: "POST",
      pattern: "/_emulator/reset",
      handler: () => {
        parts.reset();
        return { status: 200, body: { ok: true } };
      },
    },
    ...faultRoutes(parts.faults),
    {
      method: "GET",
      pattern: "/_emulator/requests",
      handler: () => ({ status: 200, body: structuredClone(log) }),
    },
    {
      method: "DELETE",
      pattern: "/_emulator/requests",
      handler: () => {
        log.length = 0;
        return { status: 204 };
      },
    },
    {
      method: "GET",
      pattern: "/_emulator/health",
      handler: () => ({ status: 200, body: { ok: true, ...parts.health() } }),
    },
  ];
}
