/**
 * `checkout-links doctor`'s probes: before a first `up` against a real account, every route the
 * resources use is tried with a safe request (a list, a GET of an object the list found, a GET of an
 * id that cannot exist) whose answer the provider's own readers parse. A backend lists its routes,
 * documented or inferred, and how to probe each; writes are listed and not probed, since a probe
 * must never change the account.
 */
import { randomUUID } from "node:crypto";
import { isApiError } from "./errors";
import type { ApiClient, Method } from "./http";

/** Whether the vendor's docs show the route, or the package guessed it. */
export type RouteKind = "documented" | "inferred";

/** What one probe found. */
export interface ProbeRow {
  backend: string;
  method: Method;
  route: string;
  kind: RouteKind;
  /** The resource types that use the route. */
  usedBy: readonly string[];
  result: "ok" | "failed" | "skipped" | "not probed";
  detail: string;
}

/** Ids found by earlier probes of the same backend (`plan`, `link`, …), for the GETs that follow. */
export type Found = Map<string, string>;

export interface RouteProbe {
  method: Method;
  /** The route as the docs write it, e.g. `/api/plans/{id}`. */
  route: string;
  kind: RouteKind;
  usedBy: readonly string[];
  /**
   * A read-only request and what its answer says, or why it could not be made (an id no list
   * found); throws when the route does not answer as the provider expects. Absent: not probed, with
   * `notProbed` saying why.
   */
  probe?: Probe;
  notProbed?: string;
}

/** What a probe saw, or why it was skipped. */
export type ProbeOutcome = { ok: string } | { skipped: string };
export type Probe = (client: ApiClient, found: Found) => Promise<ProbeOutcome>;

/** Why a write is never probed. */
export const WRITE_NOT_PROBED = "a write (doctor never changes the account)";

/** A list: parses the answer and remembers the first object's id under `key`. */
export function listProbe<T>(
  path: (found: Found) => string | undefined,
  parse: (json: unknown) => T,
  firstId: (body: T) => string | undefined,
  key: string,
  query: Record<string, string | number> = {},
): Probe {
  return async (client, found) => {
    const p = path(found);
    if (p === undefined) return { skipped: "no object to list under (the list above was empty)" };
    const res = await client.request("GET", p, { query, parse });
    const id = firstId(res.body);
    if (id === undefined) return { ok: "answered and parsed; the list is empty" };
    found.set(key, id);
    return { ok: "answered and parsed" };
  };
}

/** A GET of the object an earlier list found: its answer must parse. */
export function getProbe(
  path: (found: Found) => string | undefined,
  parse: (json: unknown) => unknown,
): Probe {
  return async (client, found) => {
    const p = path(found);
    if (p === undefined) return { skipped: "no object to read (the list above was empty)" };
    await client.request("GET", p, { parse });
    return { ok: "answered and parsed" };
  };
}

/**
 * A GET of an id that cannot exist: the answer must be the vendor's not-found form, the one answer
 * that lets the provider conclude an object is gone. A framework's "no route" 404 fails here, as it
 * would fail a refresh.
 */
export function missingProbe(path: (id: string, found: Found) => string | undefined): Probe {
  return async (client, found) => {
    const p = path(randomUUID(), found);
    if (p === undefined) return { skipped: "no parent object (the list above was empty)" };
    const res = await client.request("GET", p, { expect: [404] });
    if (res.status !== 404) throw new Error(`answered ${res.status} for an id that cannot exist`);
    return { ok: "a missing object answers the vendor's not-found form" };
  };
}

/** Runs a backend's probes in order, each one whatever the others did. */
export async function runProbes(
  backend: string,
  client: ApiClient,
  probes: readonly RouteProbe[],
): Promise<ProbeRow[]> {
  const found: Found = new Map();
  const rows: ProbeRow[] = [];
  for (const p of probes) {
    const row = { backend, method: p.method, route: p.route, kind: p.kind, usedBy: p.usedBy };
    if (p.probe === undefined) {
      rows.push({ ...row, result: "not probed", detail: p.notProbed ?? WRITE_NOT_PROBED });
      continue;
    }
    try {
      const outcome = await p.probe(client, found);
      rows.push(
        "ok" in outcome
          ? { ...row, result: "ok", detail: outcome.ok }
          : { ...row, result: "skipped", detail: outcome.skipped },
      );
    } catch (e) {
      const detail = isApiError(e) ? e.message.split("\n")[0] : (e as Error).message;
      rows.push({ ...row, result: "failed", detail: detail ?? String(e) });
    }
  }
  return rows;
}
