/**
 * A stateful loopback emulator of coreapi.io (Fynn V2), Fynn classic and Polar, in the manner of
 * stripe-mock: one process, one port, each backend family under its path prefix. Another backend
 * (registered in provider/backends.ts) is served once its vendor module is registered with
 * {@link registerVendor}.
 *
 * ```ts
 * const emu = await startEmulator();           // ephemeral port on 127.0.0.1
 * emu.baseUrls.polar                           // http://127.0.0.1:PORT/polar
 * emu.injectFault("POST /polar/v1/checkout-links/ status=503 attempts=1");
 * await emu.close();
 * ```
 */

import * as http from "node:http";
import { App, type ResolvedOptions } from "./app";
import { controlRoutes } from "./control";
import { type ActiveFault, type FaultSpec, FaultTable } from "./faults";
import { RateLimiter } from "./ratelimit";
import {
  DEMO_ORGANIZATIONS,
  DEMO_TOKEN_SEEDS,
  DEMO_TOKENS,
  type OrganizationSeed,
  seededState,
  type TokenSeed,
} from "./seed";
import { createHandler, type FamilyRoutes, listen, type RequestLogEntry, Router } from "./server";
import { loadState, saveState } from "./state";
import { type EmulatorState, servedFamilies, servedSlices } from "./vendors/index";

export type { Ctx, FamilyModule, Reply, Route, VendorModule } from "./app";
export { HttpError } from "./errors";
export type { RequestLogEntry } from "./exchange";
export type { ActiveFault, FaultSpec } from "./faults";
export { parseFaultSpec } from "./faults";
export * from "./seed";
export type { StateContainer, StateSlice } from "./state";
export type { EmulatorState } from "./vendors/index";
export { registerFamily, registerVendor } from "./vendors/index";

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
  /** Persist state to this JSON file (atomic writes) and load it at start when it exists. */
  dataFile?: string;
  /** Polar requests per organisation per minute (sandbox: 100, production: 500); 0 disables. */
  polarRateLimitPerMinute?: number;
  /** Length of the rate-limit window; shorten it in tests. Default 60000. */
  polarRateLimitWindowMs?: number;
  /** Root of public link URLs (e.g. when behind a proxy); default: the emulator's own URL. */
  publicBaseUrl?: string;
  /** `demo` (default): organisations, tokens and sales channels only. `examples`: also the objects the vendors' documentation examples refer to. */
  seed?: "demo" | "examples";
  /** Faults active from the start (objects or command-line strings). */
  faults?: (FaultSpec | string)[];
  /** Seed of the random source behind probabilistic faults and latency ranges (default 1). */
  faultSeed?: number;
  /** inferred: status of Fynn/coreapi validation errors (default 422; the legacy SDK suggests 400). */
  fynnValidationStatus?: number;
  /** inferred: status of a duplicate slug or plan code (default 409). */
  fynnConflictStatus?: number;
  /** inferred: where coreapi single-link routes live (default `["plan"]`). */
  coreapiLinkRoutes?: ("plan" | "root")[];
  /** Answer coreapi and Fynn classic with only the keys their docs show (default false). */
  docsOnly?: boolean;
  /** Check every response against its schema before sending (default true). */
  selfCheck?: boolean;
  /**
   * Append every API exchange (family, method, path, query, request and response body, status, fault)
   * as a JSON line to a file in this folder; default: `CHECKOUT_LINKS_EMULATOR_RECORD_DIR`, unset
   * meaning off. The test suite turns it on and checks the exchanges against Polar's OpenAPI.
   */
  recordDir?: string;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Request log entries kept (default 1000). */
  requestLogLimit?: number;
  /** Extra organisations and tokens on top of the demo ones. */
  organizations?: OrganizationSeed[];
  tokens?: TokenSeed[];
  /** Clock, for tests. */
  now?: () => Date;
}

export interface Emulator {
  /** Root URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /**
   * Base URL of each backend the emulator serves (each registered backend with a vendor module): it
   * serves a backend under its family's prefix (coreapi and Fynn share `/fynn`; Polar is `/polar`).
   */
  baseUrls: { coreapi: string; fynn: string; polar: string } & Record<string, string>;
  tokens: typeof DEMO_TOKENS;
  port: number;
  /** A deep copy of everything stored, soft-deleted records included. */
  state(): EmulatorState;
  /** The server's application: tests write records through it that no route of theirs makes. @internal */
  app: App;
  reset(): void;
  injectFault(spec: FaultSpec | string): ActiveFault;
  clearFaults(): void;
  faults(): ActiveFault[];
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Makes a token unknown from now on (a vendor's dashboard revoking it): its requests get 401. */
  revokeToken(token: string): void;
  close(): Promise<void>;
}

function resolveOptions(opts: EmulatorOptions): ResolvedOptions {
  return {
    host: opts.host ?? "127.0.0.1",
    port: opts.port ?? 0,
    dataFile: opts.dataFile,
    polarRateLimitPerMinute: opts.polarRateLimitPerMinute ?? 100,
    polarRateLimitWindowMs: opts.polarRateLimitWindowMs ?? 60_000,
    publicBaseUrl: opts.publicBaseUrl,
    seed: opts.seed ?? "demo",
    fynnValidationStatus: opts.fynnValidationStatus ?? 422,
    fynnConflictStatus: opts.fynnConflictStatus ?? 409,
    coreapiLinkRoutes: opts.coreapiLinkRoutes ?? ["plan"],
    docsOnly: opts.docsOnly ?? false,
    selfCheck: opts.selfCheck ?? true,
    recordDir: opts.recordDir ?? (process.env.CHECKOUT_LINKS_EMULATOR_RECORD_DIR || undefined),
    maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
    requestLogLimit: opts.requestLogLimit ?? 1000,
    now: opts.now ?? (() => new Date()),
  };
}

/** A node:http server for `handler` that turns garbage that is not HTTP into a 400, not an exception. */
function httpServer(handler: ReturnType<typeof createHandler>): http.Server {
  const server = http.createServer((req, res) => {
    handler(req, res).catch(() => {
      // createHandler answers every failure itself; this only guards against a broken socket.
      if (!res.headersSent) res.destroy();
    });
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const options = resolveOptions(opts);
  // The vendors registered when the emulator starts, each family's in registration order.
  const served = servedFamilies();
  const slices = servedSlices(served.values());
  const seeded = () => seededState(options.seed, slices, () => options.now());
  const app = new App(
    options,
    [...DEMO_ORGANIZATIONS, ...(opts.organizations ?? [])],
    [...DEMO_TOKEN_SEEDS, ...(opts.tokens ?? [])],
    (options.dataFile && loadState(options.dataFile, slices)) || seeded(),
  );
  const faults = new FaultTable(opts.faultSeed ?? 1);
  for (const spec of opts.faults ?? []) faults.add(spec);
  const limiter = new RateLimiter(options.polarRateLimitPerMinute, options.polarRateLimitWindowMs, () =>
    options.now().getTime(),
  );
  const log: RequestLogEntry[] = [];

  const reset = () => {
    app.state = seeded();
    faults.clear();
    limiter.reset();
    log.length = 0;
    if (options.dataFile) saveState(options.dataFile, app.state);
  };
  const snapshot = () => structuredClone(app.state) as EmulatorState;

  const families = new Map<string, FamilyRoutes>();
  for (const [family, one] of served) {
    families.set(family, { served: one, router: new Router(one.vendors.flatMap((v) => v.routes(app))) });
  }
  const control = controlRoutes({
    snapshot,
    reset,
    faults,
    log,
    health: () => ({ baseUrls: baseUrls(), tokens: DEMO_TOKENS }),
  });
  const server = httpServer(
    createHandler({ app, families, control: new Router(control), faults, limiter, log }),
  );

  const url = await listen(server, options.host, options.port);
  app.serverUrl = url;
  const baseUrls = () => {
    const out: Record<string, string> = {};
    for (const [family, { served }] of families) {
      for (const vendor of served.vendors) out[vendor.backend] = `${url}/${family}`;
    }
    return out as Emulator["baseUrls"];
  };
  if (options.dataFile && !loadState(options.dataFile, slices)) saveState(options.dataFile, app.state);

  return {
    url,
    baseUrls: baseUrls(),
    tokens: DEMO_TOKENS,
    port: Number(new URL(url).port),
    state: snapshot,
    app,
    reset,
    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    revokeToken: (token) => {
      app.tokens.delete(token);
    },
    faults: () => faults.list(),
    requests: () => structuredClone(log),
    clearRequests: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
