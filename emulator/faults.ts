/**
 * Fault injection: a fault matches requests by method and path pattern and applies to chosen attempt
 * numbers (the n-th matching request), so a test can say "the first two POSTs fail with 503, the
 * third succeeds". Faults come from tests (programmatic or `POST /_emulator/faults`) and from the
 * command line (`--fault "<METHOD> <path> key=value ..."`).
 *
 * A fault with a `probability` hits each matching request by chance instead, from a seeded random
 * source, so that a chaos run ("20% 5xx, 10% 429, 5% applied then dropped") is the same run every
 * time. The probabilistic faults that match a request share one draw: their probabilities add up, so
 * 0.2 + 0.1 + 0.05 means 35% of requests get exactly one of the three.
 */

export interface FaultSpec {
  /** HTTP method, or `*` (default) for any. */
  method?: string;
  /**
   * Full request path (vendor prefix included), e.g. `/polar/v1/checkout-links/*`. `*` matches one
   * path segment, `**` any number of segments; a trailing slash is ignored.
   */
  path: string;
  /** Which matching requests (1-based) the fault hits, e.g. `[1, 2]`; default: every one. */
  attempts?: number[];
  /**
   * Hit each matching request with this probability (0..1) instead of by attempt number, from the
   * table's seeded random source.
   */
  probability?: number;
  /** Delay before the request is handled (or before the other fault effects). */
  latencyMs?: number;
  /** With `latencyMs`: a delay drawn uniformly between `latencyMs` and this, per request. */
  latencyMaxMs?: number;
  /** Answer with this status instead of handling the request (the request is not applied). */
  status?: number;
  /** `Retry-After` seconds for a 429/503 status fault (default 1 for 429). */
  retryAfter?: number;
  /**
   * Body of the status fault; default: an error body in the vendor's shape (none for Polar 429; for
   * 404 the vendor's answer for an object that does not exist).
   */
  body?: unknown;
  /**
   * Destroy the connection without an answer: `before` the request is applied, or `after` it was
   * applied (the ambiguous case clients must survive).
   */
  drop?: "before" | "after";
  /**
   * Remove this top-level key from the response body before the emulator's self-check, which then
   * answers 500 (or, with `selfCheck: false`, sends the broken body so clients' parsing can be tested).
   */
  corrupt?: string;
  /**
   * Answer 404 as a server that lacks the route would, while the object exists: `json` in the
   * family's routing dialect (Fynn: Symfony's `No route found for "GET /api/…"`), `html` as a web
   * server's HTML page. A client must not take it as "gone" or "done".
   */
  missingRoute?: "json" | "html";
  /**
   * Apply the request, then answer its success status with a body the client cannot read (`{}`):
   * the create happened, the answer says nothing about it.
   */
  garble?: boolean;
  /**
   * Apply the request, then answer its status with only the first half of the JSON body: a success
   * whose answer cannot be read, which clients must treat as "it may exist" (look it up), not as a
   * failure to retry.
   */
  truncate?: boolean;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Matching requests seen so far. */
  seen: number;
}

export type FaultAction = Pick<
  FaultSpec,
  "latencyMs" | "status" | "retryAfter" | "body" | "drop" | "corrupt" | "missingRoute" | "garble" | "truncate"
> & {
  id: string;
  attempt: number;
};

function patternToRegExp(pattern: string): RegExp {
  const normalized = stripTrailingSlash(pattern);
  const source = normalized
    .split("/")
    .map((segment) => {
      if (segment === "**") return "\u0000";
      if (segment === "*") return "[^/]+";
      return segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/")
    .replaceAll("/\u0000", "(?:/.*)?");
  return new RegExp(`^${source}$`);
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/** mulberry32: a small seeded generator, enough for reproducible fault draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultTable {
  private faults: ActiveFault[] = [];
  private regexps = new Map<string, RegExp>();
  private counter = 0;
  private random: () => number;

  constructor(seed = 1) {
    this.random = seeded(seed);
  }

  /** Restarts the random source of probabilistic faults and latency ranges. */
  seed(seed: number): void {
    this.random = seeded(seed);
  }

  add(spec: FaultSpec | string): ActiveFault {
    const parsed = typeof spec === "string" ? parseFaultSpec(spec) : validateFaultSpec(spec);
    this.counter += 1;
    const fault: ActiveFault = { ...parsed, id: `fault-${this.counter}`, seen: 0 };
    this.regexps.set(fault.id, patternToRegExp(fault.path));
    this.faults.push(fault);
    return fault;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    this.regexps.delete(id);
    return this.faults.length !== before;
  }

  /** Removes every fault; ids start again at fault-1 (none of the old ones exists any more). */
  clear(): void {
    this.faults = [];
    this.regexps.clear();
    this.counter = 0;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /**
   * Counts this request against every matching fault and merges the effects of those whose
   * attempt list includes the count. Later faults win on conflicting keys.
   */
  match(method: string, path: string): FaultAction | undefined {
    if (this.faults.length === 0) return undefined;
    const target = stripTrailingSlash(path);
    let action: FaultAction | undefined;
    let draw: number | undefined;
    let chance = 0;
    for (const fault of this.faults) {
      if (fault.method && fault.method !== "*" && fault.method.toUpperCase() !== method) continue;
      if (!this.regexps.get(fault.id)?.test(target)) continue;
      fault.seen += 1;
      if (fault.attempts && !fault.attempts.includes(fault.seen)) continue;
      if (fault.probability !== undefined) {
        draw ??= this.random();
        const hit = draw >= chance && draw < chance + fault.probability;
        chance += fault.probability;
        if (!hit) continue;
      }
      const {
        id,
        seen,
        method: _m,
        path: _p,
        attempts: _a,
        probability: _q,
        latencyMaxMs,
        ...effects
      } = fault;
      if (effects.latencyMs !== undefined && latencyMaxMs !== undefined) {
        effects.latencyMs += Math.floor(this.random() * (latencyMaxMs - effects.latencyMs + 1));
      }
      action = { ...action, ...effects, id, attempt: seen };
    }
    return action;
  }
}

function validateFaultSpec(spec: FaultSpec): FaultSpec {
  if (!spec || typeof spec !== "object" || typeof spec.path !== "string" || !spec.path.startsWith("/")) {
    throw new Error("A fault needs a `path` starting with `/`.");
  }
  if (
    spec.status !== undefined &&
    (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)
  ) {
    throw new Error(`Fault status ${spec.status} is not an HTTP status.`);
  }
  if (spec.drop !== undefined && spec.drop !== "before" && spec.drop !== "after") {
    throw new Error('Fault `drop` must be "before" or "after".');
  }
  if (
    spec.attempts !== undefined &&
    (!Array.isArray(spec.attempts) || !spec.attempts.every((n) => Number.isInteger(n) && n > 0))
  ) {
    throw new Error("Fault `attempts` must be a list of positive integers.");
  }
  if (
    spec.probability !== undefined &&
    (typeof spec.probability !== "number" || !(spec.probability > 0 && spec.probability <= 1))
  ) {
    throw new Error("Fault `probability` must be a number above 0 and at most 1.");
  }
  if (
    spec.latencyMaxMs !== undefined &&
    (spec.latencyMs === undefined || !(spec.latencyMaxMs >= spec.latencyMs))
  ) {
    throw new Error("Fault `latencyMaxMs` needs `latencyMs` and must not be below it.");
  }
  if (spec.missingRoute !== undefined && spec.missingRoute !== "json" && spec.missingRoute !== "html") {
    throw new Error('Fault `missingRoute` must be "json" or "html".');
  }
  const hasEffect =
    spec.latencyMs !== undefined ||
    spec.status !== undefined ||
    spec.drop !== undefined ||
    spec.corrupt !== undefined ||
    spec.missingRoute !== undefined ||
    spec.garble === true ||
    spec.truncate === true;
  if (!hasEffect)
    throw new Error(
      "A fault needs at least one of latency, status, drop, corrupt, missing-route, garble or truncate.",
    );
  return spec;
}

/** Parses `1,3-5` into `[1,3,4,5]`. */
function parseAttempts(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(",")) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range) throw new Error(`Bad attempts "${text}": use e.g. 1,3-5`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    for (let n = from; n <= to; n++) out.push(n);
  }
  return out;
}

/**
 * Command-line form: `"<METHOD|*> <path> key=value ..."` with keys `latency` (ms), `status`,
 * `retry-after` (s), `drop` (`before`|`after`), `attempts` (`1,3-5`), `probability` (0..1),
 * `corrupt` (key), `body` (JSON), `missing-route` (`json`|`html`), `garble`, `truncate`; `latency`
 * also takes a range (`0-150`).
 * Examples: `"POST /polar/v1/checkout-links/ status=503 attempts=1-2"`,
 * `"* /** status=503 probability=0.2"`.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const [method, path, ...pairs] = text.trim().split(/\s+/);
  if (!method || !path) throw new Error(`Bad fault "${text}": expected "<METHOD|*> <path> key=value ..."`);
  const spec: FaultSpec = { method: method.toUpperCase(), path };
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    switch (key) {
      case "latency": {
        // `latency=100` or a range `latency=0-150`.
        const [from, to] = value.split("-");
        spec.latencyMs = Number(from);
        if (to !== undefined) spec.latencyMaxMs = Number(to);
        break;
      }
      case "probability":
        spec.probability = Number(value);
        break;
      case "status":
        spec.status = Number(value);
        break;
      case "retry-after":
        spec.retryAfter = Number(value);
        break;
      case "drop":
        // Validated below: anything but before/after is rejected.
        spec.drop = (value || "before") as "before" | "after";
        break;
      case "attempts":
        spec.attempts = parseAttempts(value);
        break;
      case "corrupt":
        spec.corrupt = value;
        break;
      case "truncate":
        spec.truncate = value === "" || value === "true";
        break;
      case "body":
        spec.body = JSON.parse(value);
        break;
      case "missing-route":
        // Validated below: anything but json/html is rejected.
        spec.missingRoute = (value || "json") as "json" | "html";
        break;
      case "garble":
        spec.garble = true;
        break;
      default:
        throw new Error(`Unknown fault key "${key}" in "${text}"`);
    }
  }
  for (const [key, value] of Object.entries(spec)) {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new Error(`Bad number for ${key} in "${text}"`);
  }
  return validateFaultSpec(spec);
}
