/**
 * `--emulator`: runs the embedded emulator for the length of one command, with its data in the work
 * dir (`.emulator/data.json`), and points every backend at it through the providers' environment
 * variables.
 *
 * Link URLs contain the emulator's address, so it listens on the same port every run: the one given
 * with `--emulator-port`, else the one remembered in `.emulator/port` from the first run (an
 * ephemeral port then). A second run therefore sees the same URLs and reports no changes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { backend as backendEntry, backendNames } from "../provider/backends";
import type { Backend } from "../provider/core/config";
import { envName } from "../provider/core/config";

/** The emulator's contract (emulator/index.ts). */
interface RunningEmulator {
  url: string;
  baseUrls: Record<string, string>;
  close(): Promise<void>;
}

export interface EmulatorSession {
  emulator: RunningEmulator;
  /** Environment for the engine and, through it, the provider process. */
  env: Record<string, string>;
  dataFile: string;
}

/** Loaded on demand: runs without --emulator never load the emulator's code. */
function loadStart(): typeof import("../emulator/index").startEmulator {
  return (require("../emulator/index") as typeof import("../emulator/index")).startEmulator;
}

/** The seeded acme token (all scopes) of a backend's family: the emulator's seed is the one source. */
function demoTokenFor(backend: Backend): string {
  const { acmeToken } = require("../emulator/seed") as typeof import("../emulator/seed");
  const token = acmeToken(backendEntry(backend).family);
  if (token === undefined) throw new Error(`the emulator has no demo token for backend "${backend}"`);
  return token;
}

export async function startEmulatorSession(opts: {
  workDir: string;
  port?: number;
  namedAccounts: Map<Backend, Set<string>>;
}): Promise<EmulatorSession> {
  const dir = path.join(opts.workDir, ".emulator");
  fs.mkdirSync(dir, { recursive: true });
  const dataFile = path.join(dir, "data.json");
  const portFile = path.join(dir, "port");
  let port = opts.port;
  if (port === undefined && fs.existsSync(portFile)) {
    const remembered = Number(fs.readFileSync(portFile, "utf8").trim());
    if (Number.isInteger(remembered) && remembered > 0) port = remembered;
  }
  const start = loadStart();
  let emulator: RunningEmulator;
  try {
    // `examples` also seeds the catalog objects of the vendors' documentation (the Fynn product and
    // price plan the example catalog sells), on first start only: later runs load the data file.
    emulator = await start({ dataFile, port: port ?? 0, seed: "examples" });
  } catch (e) {
    const hint =
      port !== undefined
        ? ` (port ${port}; pass --emulator-port with a free port, or delete ${portFile} to pick a new one — link URLs then change)`
        : "";
    throw new Error(`could not start the emulator${hint}: ${(e as Error).message}`, { cause: e });
  }
  const actualPort = Number(new URL(emulator.url).port);
  if (opts.port === undefined && actualPort > 0) fs.writeFileSync(portFile, `${actualPort}\n`);
  const env: Record<string, string> = {};
  for (const b of backendNames()) {
    const baseUrl = emulator.baseUrls[b];
    if (baseUrl === undefined) continue; // a backend the emulator does not serve
    env[envName(b, "default", "baseUrl")] = baseUrl;
    env[envName(b, "default", "token")] = demoTokenFor(b);
    for (const account of opts.namedAccounts.get(b) ?? []) {
      env[envName(b, account, "baseUrl")] = baseUrl;
      env[envName(b, account, "token")] = demoTokenFor(b);
    }
  }
  return { emulator, env, dataFile };
}
