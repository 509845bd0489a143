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
import type { App, Ctx, Reply } from "./app";
import { type ErrorDialect, HttpError } from "./errors";
import { Exchange, type FamilyRoutes, Journal, type RequestLogEntry } from "./exchange";
import type { FaultTable } from "./faults";
import type { RateLimiter } from "./ratelimit";
import type { Router } from "./router";
import { saveState } from "./state";
import { schema, sleep } from "./util";

export type { FamilyRoutes, RequestLogEntry } from "./exchange";
export { Router } from "./router";

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

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
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

/**
 * Applies the fault matching an API request, before anything else happens to it: waits its
 * latency, then answers in its place (drop before, a missing route, a status) when it says so.
 * Returns whether the request was answered.
 */
async function applyFault(x: Exchange, faults: FaultTable): Promise<boolean> {
  const fault = faults.match(x.method, x.fullPath);
  x.fault = fault;
  if (fault?.latencyMs) await sleep(fault.latencyMs);
  if (fault?.drop === "before") {
    x.drop();
    return true;
  }
  if (fault?.missingRoute === "html") {
    x.req.resume();
    x.answerHtmlNotFound();
    return true;
  }
  if (fault?.missingRoute === "json") {
    x.req.resume();
    x.answer(x.dialect.routeNotFound(x.method, x.fullPath));
    return true;
  }
  if (fault?.status !== undefined) {
    const headers: Record<string, string> = {};
    if (fault.status === 429 || fault.retryAfter !== undefined)
      headers["retry-after"] = String(fault.retryAfter ?? 1);
    const body = fault.body !== undefined ? fault.body : x.dialect.injectedError(fault.status);
    // Drain the request so the connection stays usable for keep-alive.
    x.req.resume();
    x.answer({ status: fault.status, body, headers });
    return true;
  }
  return false;
}

/** The request body within the size limit: a Buffer, or the refusal to answer instead. */
async function boundedBody(x: Exchange, maxBodyBytes: number): Promise<Buffer | HttpError> {
  const declared = Number(x.req.headers["content-length"] ?? 0);
  const raw = declared > maxBodyBytes ? undefined : await readBody(x.req, maxBodyBytes);
  if (raw === undefined) {
    x.req.resume();
    return x.dialect.payloadTooLarge(maxBodyBytes);
  }
  return raw;
}

/** The JSON of a non-empty body, or the refusal of a wrong content type or unreadable JSON. */
function parseBody(x: Exchange, raw: Buffer): { body: unknown } | HttpError {
  if (raw.length === 0) return { body: undefined };
  const contentType = x.req.headers["content-type"];
  if (!isJsonContentType(contentType)) return x.dialect.unsupportedMediaType(contentType ?? "");
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    return x.dialect.malformedJson((error as Error).message);
  }
  x.requestBody = body;
  if (raw.length <= LOG_BODY_LIMIT) x.loggedBody = body;
  return { body };
}

/** Routes the request and runs its handler; a thrown {@link HttpError} is the answer. */
function route(parts: ServerParts, x: Exchange, raw: Buffer): Reply | HttpError {
  const matched = (x.under?.family.router ?? parts.control).match(x.method, x.path);
  if (!("route" in matched)) {
    if (matched.allowed.length > 0) return x.dialect.methodNotAllowed([...new Set(matched.allowed)]);
    return x.dialect.routeNotFound(x.method, x.fullPath);
  }
  const parsed = parseBody(x, raw);
  if (parsed instanceof HttpError) return parsed;
  const ctx: Ctx = {
    method: x.method,
    path: x.path,
    params: matched.params,
    query: x.url.searchParams,
    body: parsed.body,
    headers: x.req.headers,
    bearer: x.bearer,
    principal: x.principal,
    clientAddress: x.clientAddress,
  };
  try {
    return matched.route.handler(ctx);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
}

/** Everything after the faults: gate, body, route, handler, self-check, persistence, answer. */
async function serve(parts: ServerParts, x: Exchange): Promise<void> {
  const { app } = parts;
  const refused = x.module?.gate?.(
    { path: x.path, headers: x.req.headers, principal: x.principal, clientAddress: x.clientAddress },
    parts.limiter,
  );
  if (refused) {
    x.req.resume();
    return x.answer(refused);
  }
  const raw = await boundedBody(x, app.options.maxBodyBytes);
  if (raw instanceof HttpError) return x.answer(raw);
  const handled = route(parts, x, raw);
  if (handled instanceof HttpError) return x.answer(handled);

  let reply = selfCheck(app.options.selfCheck, x.dialect, handled, x.fault?.corrupt);
  // Applied; the answer is unreadable (after the self-check, which would refuse it).
  if (x.fault?.garble && reply.status < 300 && reply.status !== 204) reply = { ...reply, body: {} };
  if (app.options.dataFile && MUTATING.has(x.method) && reply.status < 400 && x.under) {
    saveState(app.options.dataFile, app.state);
  }
  if (x.fault?.drop === "after") return x.drop();
  return x.answer(reply, x.fault?.truncate === true);
}

export function createHandler(parts: ServerParts) {
  const journal = new Journal(parts.app, parts.log);
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const x = new Exchange(parts.app, parts.families, journal, req, res);
    try {
      if (x.under && (await applyFault(x, parts.faults))) return;
      await serve(parts, x);
    } catch (error) {
      if (res.headersSent || req.socket.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      return x.answer(x.dialect.internalError(`Emulator error: ${message}`));
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
