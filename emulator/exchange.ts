/**
 * One request and its answer as the server sees them: where the path belongs (family, vendor), who
 * asks, and how the answer is sent, then noted in the request log and, when recording, in the
 * exchange files.
 */
import type * as http from "node:http";
import type { App, FamilyModule, Principal } from "./app";
import { CONTROL_DIALECT, type ErrorDialect } from "./errors";
import type { FaultAction } from "./faults";
import { ExchangeRecorder } from "./recorder";
import type { Router } from "./router";
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

/** A family as one server serves it: its module, its vendors and their routes. */
export interface FamilyRoutes {
  served: ServedFamily;
  router: Router;
}

/** An answer before it is sent. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The family whose prefix (`/<family>`) a path is under, if any. */
function familyOf(
  families: Map<string, FamilyRoutes>,
  path: string,
): { family: FamilyRoutes; prefix: string } | undefined {
  const first = path.split("/")[1] ?? "";
  const family = families.get(first);
  return family ? { family, prefix: `/${first}` } : undefined;
}

function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Writes an answer with the family's headers; `truncate` sends only the first half of the JSON. */
function send(res: http.ServerResponse, module: FamilyModule | undefined, reply: Answer, truncate: boolean) {
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

/** Whether a fault changed the answer (latency alone leaves it the vendor's). */
function changesAnswer(fault: FaultAction): boolean {
  return (
    fault.status !== undefined ||
    fault.corrupt !== undefined ||
    Boolean(fault.drop) ||
    Boolean(fault.truncate) ||
    Boolean(fault.garble) ||
    fault.missingRoute !== undefined
  );
}

/** The request log (numbered, capped) and the optional recorder of one server. */
export class Journal {
  private seq = 0;
  private readonly recorder: ExchangeRecorder | undefined;

  constructor(
    private readonly app: App,
    private readonly log: RequestLogEntry[],
  ) {
    this.recorder = app.options.recordDir ? new ExchangeRecorder(app.options.recordDir) : undefined;
  }

  requestId(): string {
    return `emu-${(this.seq + 1).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Notes an API exchange; control calls stay out of the log so tests can count API calls. */
  note(x: Exchange, status: number | null, responseBody: unknown): void {
    if (!x.under) return;
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      at: this.app.now().toISOString(),
      method: x.method,
      path: x.fullPath,
      query: x.url.search,
      vendor: x.vendor,
      org: x.principal?.org.key ?? null,
      status,
      durationMs: Math.round((performance.now() - x.started) * 100) / 100,
    };
    if (x.loggedBody !== undefined) entry.body = x.loggedBody;
    if (x.fault) entry.fault = x.fault.id;
    this.log.push(entry);
    const limit = this.app.options.requestLogLimit;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    this.recorder?.write({
      family: x.under.prefix.slice(1),
      method: x.method,
      path: x.path,
      query: x.url.search,
      ...(x.requestBody === undefined ? {} : { request: x.requestBody }),
      status,
      ...(responseBody === undefined ? {} : { response: responseBody }),
      ...(x.fault && changesAnswer(x.fault) ? { fault: x.fault.id } : {}),
    });
  }
}

/** One request on its way through the server, and the ways to end it. */
export class Exchange {
  readonly started = performance.now();
  readonly method: string;
  readonly url: URL;
  /** The path with its family prefix. */
  readonly fullPath: string;
  readonly under: { family: FamilyRoutes; prefix: string } | undefined;
  readonly module: FamilyModule | undefined;
  /** How the server's own refusals are worded: the family's dialect, else the control routes'. */
  readonly dialect: ErrorDialect;
  /** The path below the family prefix, without a trailing slash. */
  readonly path: string;
  readonly bearer: string | undefined;
  readonly principal: Principal | undefined;
  readonly vendor: string;
  readonly requestId: string;
  /** The JSON body as the request log shows it (not above 64 KiB). */
  loggedBody: unknown;
  /** The JSON body as the recorder keeps it. */
  requestBody: unknown;
  fault: FaultAction | undefined;

  constructor(
    app: App,
    families: Map<string, FamilyRoutes>,
    private readonly journal: Journal,
    readonly req: http.IncomingMessage,
    readonly res: http.ServerResponse,
  ) {
    this.method = (req.method ?? "GET").toUpperCase();
    this.url = new URL(req.url ?? "/", "http://emulator.invalid");
    this.fullPath = this.url.pathname;
    this.under = familyOf(families, this.fullPath);
    this.module = this.under?.family.served.module;
    this.dialect = this.module?.dialect ?? CONTROL_DIALECT;
    let path = this.fullPath.slice(this.under?.prefix.length ?? 0) || "/";
    // Trailing slashes are not significant (Polar's collection paths end in one, its item paths do not).
    if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
    this.path = path;
    this.bearer = bearerOf(req.headers.authorization);
    this.principal = app.principalFor(this.bearer);
    this.vendor = this.under ? vendorOf(this.under.family.served, path) : "other";
    this.requestId = journal.requestId();
  }

  get clientAddress(): string {
    return this.req.socket.remoteAddress ?? "";
  }

  /** Sends the answer (with the request id) and notes the exchange. */
  answer(reply: Answer, truncate = false): void {
    send(
      this.res,
      this.module,
      { ...reply, headers: { "x-request-id": this.requestId, ...reply.headers } },
      truncate,
    );
    this.finish(reply.status, reply.status === 204 || reply.status === 304 ? undefined : reply.body);
  }

  /** Sends a 404 page as a web server without the route would. */
  answerHtmlNotFound(): void {
    const page = `<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL ${this.fullPath} was not found on this server.</p></body></html>`;
    this.res.writeHead(404, { "content-type": "text/html; charset=utf-8", "x-request-id": this.requestId });
    this.res.end(page);
    this.finish(404);
  }

  /** Closes the connection without an answer. */
  drop(): void {
    this.req.socket.destroy();
    this.finish(null);
  }

  private finish(status: number | null, responseBody?: unknown): void {
    this.journal.note(this, status, responseBody);
  }
}
