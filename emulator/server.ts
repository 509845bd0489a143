/**
 * The HTTP front of the emulator: one node:http server, each backend family under its path prefix
 * (`/fynn` serves coreapi V2 and Fynn classic, `/polar` serves Polar; see vendors/index.ts),
 * control routes under `/_emulator`.
 *
 * Pipeline per request: faults (latency, drop, status) -> the family's gate (Polar: version and
 * rate limit) -> body (size, content type, JSON) -> route (404/405) -> handler -> self-check of the
 * response against its schema -> persistence -> answer. Nothing a client sends can crash the
 * process: every failure becomes a response in the family's error dialect.
 */
import type * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { App, Ctx, FamilyModule, Reply, Route } from "./app";
import { CONTROL_DIALECT, type ErrorDialect, HttpError } from "./errors";
import type { FaultAction, FaultTable } from "./faults";
import type { RateLimiter } from "./ratelimit";
import { ExchangeRecorder } from "./recorder";
import { saveState } from "./state";
import { schema, sleep } from "./util";
import { type ServedFamily, vendorOf } from "./vendors/index";

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  /** Full path including the vendor prefix, without the query string. */
  path: string;
  query: string;
  /** The backend (provider/backends.ts) the path belongs to; `other` outside every family's prefix. */
  vendor: string;
  /** Organisation key of the token, when the token is known. Token values are never logged. */
  org: string | null;
  /** null when the connection was dropped by a fault. */
  status: number | null;
  durationMs: number;
  /** The parsed JSON body (omitted above 64 KiB). */
  body?: unknown;
  fault?: string;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  keys: string[];
}

function compile(route: Route): CompiledRoute {
  const keys: string[] = [];
  const source = route.pattern
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        keys.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { ...route, regex: new RegExp(`^${source}$`), keys };
}

export class Router {
  private routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map(compile);
  }

  match(
    method: string,
    path: string,
  ): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(found[i + 1] ?? "");
      });
      return { route, params };
    }
    return { allowed };
  }
}

/** A family as one server serves it: its module, its vendors and their routes. */
export interface FamilyRoutes {
  served: ServedFamily;
  router: Router;
}

export interface ServerParts {
  app: App;
  /** By family name, which is also the path prefix. */
  families: Map<string, FamilyRoutes>;
  control: Router;
  faults: FaultTable;
  limiter: RateLimiter;
  log: RequestLogEntry[];
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const LOG_BODY_LIMIT = 64 * 1024;

/** The family whose prefix (`/<family>`) a path is under, if any. */
function familyOf(
  families: Map<string, FamilyRoutes>,
  path: string,
): { family: FamilyRoutes; prefix: string } | undefined {
  const first = path.split("/")[1] ?? "";
  const family = families.get(first);
  return family ? { family, prefix: `/${first}` } : undefined;
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Reads the body up to `limit` bytes; resolves `undefined` (and stops reading) when it is larger. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", (error) => {
      if (!done) reject(error);
    });
  });
}

export function createHandler(parts: ServerParts) {
  const { app, families, control, faults, limiter, log } = parts;
  let seq = 0;
  const recorder = app.options.recordDir ? new ExchangeRecorder(app.options.recordDir) : undefined;

  function record(entry: Omit<RequestLogEntry, "seq">): void {
    seq += 1;
    log.push({ seq, ...entry });
    if (log.length > app.options.requestLogLimit) log.splice(0, log.length - app.options.requestLogLimit);
  }

  function send(
    res: http.ServerResponse,
    module: FamilyModule | undefined,
    reply: { status: number; body?: unknown; headers?: Record<string, string> },
    truncate = false,
  ) {
    const headers: Record<string, string> = { ...reply.headers };
    for (const [name, value] of Object.entries(module?.headers ?? {})) headers[name] ??= value;
    let payload: string | undefined;
    if (reply.body !== undefined && reply.status !== 204 && reply.status !== 304) {
      payload = JSON.stringify(reply.body);
      if (truncate) payload = payload.slice(0, Math.floor(payload.length / 2));
      headers["content-type"] ??= "application/json";
    }
    headers["content-length"] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const fullPath = url.pathname;
    const under = familyOf(families, fullPath);
    const module = under?.family.served.module;
    const dialect: ErrorDialect = module?.dialect ?? CONTROL_DIALECT;
    let path = fullPath.slice(under?.prefix.length ?? 0) || "/";
    // Trailing slashes are not significant (Polar's collection paths end in one, its item paths do not).
    if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
    const bearer = bearerOf(req.headers.authorization);
    const principal = app.principalFor(bearer);
    const vendor = under ? vendorOf(under.family.served, path) : "other";
    const requestId = `emu-${(seq + 1).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    let loggedBody: unknown;
    let requestBody: unknown;
    let fault: FaultAction | undefined;

    const finish = (status: number | null, responseBody?: unknown) => {
      if (!under) return; // control calls stay out of the log so tests can count API calls
      const entry: Omit<RequestLogEntry, "seq"> = {
        at: app.now().toISOString(),
        method,
        path: fullPath,
        query: url.search,
        vendor,
        org: principal?.org.key ?? null,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (loggedBody !== undefined) entry.body = loggedBody;
      if (fault) entry.fault = fault.id;
      record(entry);
      if (recorder) {
        recorder.write({
          family: under.prefix.slice(1),
          method,
          path,
          query: url.search,
          ...(requestBody === undefined ? {} : { request: requestBody }),
          status,
          ...(responseBody === undefined ? {} : { response: responseBody }),
          // Latency alone leaves the answer the vendor's.
          ...(fault &&
          (fault.status !== undefined ||
            fault.corrupt !== undefined ||
            fault.drop ||
            fault.truncate ||
            fault.garble ||
            fault.missingRoute !== undefined)
            ? { fault: fault.id }
            : {}),
        });
      }
    };
    const answer = (
      reply: { status: number; body?: unknown; headers?: Record<string, string> },
      truncate = false,
    ) => {
      send(res, module, { ...reply, headers: { "x-request-id": requestId, ...reply.headers } }, truncate);
      finish(reply.status, reply.status === 204 || reply.status === 304 ? undefined : reply.body);
    };
    const drop = () => {
      req.socket.destroy();
      finish(null);
    };

    try {
      if (under) {
        fault = faults.match(method, fullPath);
        if (fault?.latencyMs) await sleep(fault.latencyMs);
        if (fault?.drop === "before") return drop();
        if (fault?.missingRoute === "html") {
          req.resume();
          const page = `<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL ${fullPath} was not found on this server.</p></body></html>`;
          res.writeHead(404, { "content-type": "text/html; charset=utf-8", "x-request-id": requestId });
          res.end(page);
          return finish(404);
        }
        if (fault?.missingRoute === "json") {
          req.resume();
          return answer(dialect.routeNotFound(method, fullPath));
        }
        if (fault?.status !== undefined) {
          const headers: Record<string, string> = {};
          if (fault.status === 429 || fault.retryAfter !== undefined)
            headers["retry-after"] = String(fault.retryAfter ?? 1);
          const body = fault.body !== undefined ? fault.body : dialect.injectedError(fault.status);
          // Drain the request so the connection stays usable for keep-alive.
          req.resume();
          return answer({ status: fault.status, body, headers });
        }
      }

      const refused = module?.gate?.(
        { path, headers: req.headers, principal, clientAddress: req.socket.remoteAddress ?? "" },
        limiter,
      );
      if (refused) {
        req.resume();
        return answer(refused);
      }

      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > app.options.maxBodyBytes) {
        req.resume();
        return answer(dialect.payloadTooLarge(app.options.maxBodyBytes));
      }
      const raw = await readBody(req, app.options.maxBodyBytes);
      if (raw === undefined) {
        req.resume();
        return answer(dialect.payloadTooLarge(app.options.maxBodyBytes));
      }

      const matched = (under?.family.router ?? control).match(method, path);
      if (!("route" in matched)) {
        if (matched.allowed.length > 0)
          return answer(dialect.methodNotAllowed([...new Set(matched.allowed)]));
        return answer(dialect.routeNotFound(method, fullPath));
      }

      let body: unknown;
      if (raw.length > 0) {
        const contentType = req.headers["content-type"];
        if (!isJsonContentType(contentType)) return answer(dialect.unsupportedMediaType(contentType ?? ""));
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch (error) {
          return answer(dialect.malformedJson((error as Error).message));
        }
        requestBody = body;
        if (raw.length <= LOG_BODY_LIMIT) loggedBody = body;
      }

      const ctx: Ctx = {
        method,
        path,
        params: matched.params,
        query: url.searchParams,
        body,
        headers: req.headers,
        bearer,
        principal,
        clientAddress: req.socket.remoteAddress ?? "",
      };
      let reply: Reply;
      try {
        reply = matched.route.handler(ctx);
      } catch (error) {
        if (error instanceof HttpError) return answer(error);
        throw error;
      }

      reply = selfCheck(app.options.selfCheck, dialect, reply, fault?.corrupt);
      // Applied; the answer is unreadable (after the self-check, which would refuse it).
      if (fault?.garble && reply.status < 300 && reply.status !== 204) reply = { ...reply, body: {} };
      if (app.options.dataFile && MUTATING.has(method) && reply.status < 400 && under) {
        saveState(app.options.dataFile, app.state);
      }
      if (fault?.drop === "after") return drop();
      return answer(reply, fault?.truncate === true);
    } catch (error) {
      if (res.headersSent || req.socket.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      return answer(dialect.internalError(`Emulator error: ${message}`));
    }
  };
}

/**
 * Parses the response body with its schema before it goes out, so the emulator cannot drift from
 * the schemas the provider relies on. A failure is a 500 naming the offending fields.
 */
function selfCheck(
  enabled: boolean,
  dialect: ErrorDialect,
  reply: Reply,
  corrupt: string | undefined,
): Reply {
  let body = reply.body;
  if (corrupt && body && typeof body === "object" && !Array.isArray(body)) {
    const { [corrupt]: _removed, ...rest } = body as Record<string, unknown>;
    body = rest;
  }
  if (!enabled || !reply.schema || body === undefined) return { ...reply, body };
  const result = schema(reply.schema).safeParse(body);
  if (result.success) return { ...reply, body };
  const where = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  const detail = `Emulator self-check failed: the response does not match its schema (${where})`;
  const error = dialect.internalError(detail);
  return { status: error.status, body: error.body, headers: error.headers };
}

export async function listen(server: http.Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}
