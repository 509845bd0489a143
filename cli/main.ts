#!/usr/bin/env node
/**
 * `checkout-links`: preview, apply, refresh and destroy a stack of checkout links from a pipeline.
 * Exit codes: 0 no changes / success, 2 changes (preview, or --expect-no-changes found some),
 * 1 error or refused by a safety rule.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { isValidAccountName } from "../provider/core/config";
import { type DoctorOptions, runDoctor } from "./doctor";
import { UsageError } from "./errors";
import { type ImportOptions, runImport } from "./import/run";
import { EXIT, type Io } from "./io";
import { importableBackends, probedBackends } from "./resourceTypes";
import { type Command, type RunOptions, run } from "./run";
import { Refusal } from "./safety";

const HELP = `checkout-links — checkout links as code, from a pipeline

Usage:
  checkout-links preview [options]   report what would change; exit 0 none, 2 changes, 1 error
  checkout-links up [options]        apply, showing each resource as it changes, then list the links
  checkout-links refresh [options]   read every object back from the vendor and update the state
  checkout-links destroy --allow-destroy [options]
  checkout-links import [import options]
                                     write a program declaring what the vendor accounts already have
  checkout-links doctor [doctor options]
                                     probe, read-only, every route the resources use on each account;
                                     exit 0 when all answer as expected, 1 otherwise

Options:
  --stack S            stack name (default: $PULUMI_STACK, else "emulator" with --emulator, else "dev")
  --cwd DIR            work dir with the Pulumi.yaml of the program (default: the current directory)
  --emulator           run against the embedded emulator (data in DIR/.emulator/data.json, state in
                       DIR/.emulator/state, demo tokens); started and stopped by the command
  --emulator-port N    port of the emulator (default: the port of the first run, kept in .emulator/port)
  --backend URL        state backend (default: PULUMI_BACKEND_URL, the project's backend, \`pulumi
                       login\`, else file://DIR/.pulumi-state)
  --report-md FILE     write the Markdown report (for a pull-request comment)
  --report-json FILE   write the JSON report
  --expect-no-changes  fail with exit code 2, applying nothing, if there is any change (drift check)
  --allow-destroy      allow destroy, and an up that deletes links on a live (non-loopback) endpoint
  --allow-replace      allow an up that replaces links on a live endpoint (their URLs change)
  --refresh            refresh the state before preview or up
  --parallel N         resource operations at once (default 32; the engine's own default is 8)
  --verbose N          the engine's log level, its logs on stderr (API tokens are kept out of them)
  -h, --help           show this help
  -V, --version        print the version of checkout-links

Import options (also --stack, --cwd, --emulator, --emulator-port):
  --vendor B           list only this vendor backend, one of ${importableBackends().join(", ")}
                       (repeatable; default: every backend with a token). \`--backend B\`, its old
                       name, still works but is deprecated: elsewhere --backend is the state backend
  --account A          a named account (checkout-links:<backend>.<A>.token); default: the default one
  --out FILE           write the program to FILE, which must not exist (default: stdout); the
                       summary of what was declared and left out goes to stderr
  --adopt              (the default) give every resource adopt: true (Polar: and adoptId), so
                       that \`checkout-links up\` takes the existing objects over
  --no-adopt           declare the objects as new instead (to copy an account into another one):
                       \`checkout-links up\` then creates them

Doctor options (also --stack, --cwd, --emulator, --emulator-port):
  --vendor V           check only this vendor backend, one of ${probedBackends().join(", ")} (repeatable;
                       default: every backend with a token)
  --account A          a named account (checkout-links:<backend>.<A>.token); default: the default one

Secrets: PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (with --emulator and neither
set, the fixed local passphrase "checkout-links-emulator"). Endpoints and tokens: stack config
checkout-links:<backend>.baseUrl / .token, or CHECKOUT_LINKS_<BACKEND>_BASE_URL / _TOKEN.
Engine: PULUMI_ENGINE_ROOT, else the package's scripts/engine.sh, else pulumi on PATH.
`;

const COMMANDS: readonly Command[] = ["preview", "up", "refresh", "destroy"];

/** The options every command shares with import. */
const SHARED_OPTIONS = {
  stack: { type: "string", short: "s" },
  cwd: { type: "string", short: "C" },
  emulator: { type: "boolean", default: false },
  "emulator-port": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const IMPORT_OPTIONS = {
  ...SHARED_OPTIONS,
  vendor: { type: "string", multiple: true },
  /** Deprecated name of --vendor for import (elsewhere --backend is the state backend). */
  backend: { type: "string", multiple: true },
  account: { type: "string" },
  out: { type: "string", short: "o" },
  adopt: { type: "boolean", default: true },
} as const;

function emulatorPort(port: string | undefined, emulator: boolean): number | undefined {
  if (port === undefined) return undefined;
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--emulator-port: not a port: ${port}`);
  if (!emulator) throw new UsageError("--emulator-port needs --emulator");
  return n;
}

/** `--account`: a named account, spelt as config keys and environment variables can hold it. */
function accountOption(account: string): string {
  if (!isValidAccountName(account)) {
    throw new UsageError(
      `--account: ${JSON.stringify(account)} is not an account name (a letter, then letters, digits, - and _)`,
    );
  }
  return account;
}

/** The command word (the first positional), found without judging the options yet. */
export function commandOf(argv: readonly string[]): string | undefined {
  const { positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    options: {
      ...IMPORT_OPTIONS,
      vendor: { type: "string", multiple: true },
      "report-md": { type: "string" },
      "report-json": { type: "string" },
      parallel: { type: "string" },
      verbose: { type: "string" },
    },
  });
  return positionals[0];
}

/** The deprecation note of import's `--backend`, printed on stderr when it is used. */
export const IMPORT_BACKEND_DEPRECATED =
  "checkout-links: warning: import --backend is deprecated, use --vendor (--backend names the state backend of the other commands)";

export function parseImport(
  argv: readonly string[],
  cwd: string,
  warn: (line: string) => void = () => {},
): ImportOptions | "help" {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: IMPORT_OPTIONS,
  });
  if (values.help) return "help";
  const extra = positionals.slice(1);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const opts: ImportOptions = {
    command: "import",
    cwd: values.cwd ?? cwd,
    emulator: values.emulator,
    adopt: values.adopt,
  };
  if (values.stack !== undefined) opts.stack = values.stack;
  if (values.backend !== undefined) warn(IMPORT_BACKEND_DEPRECATED);
  const vendors = [...(values.vendor ?? []), ...(values.backend ?? [])];
  if (vendors.length > 0) {
    const known = importableBackends();
    const flag = values.vendor !== undefined ? "--vendor" : "--backend";
    for (const b of vendors) {
      if (!known.includes(b)) {
        const hint = b.includes(":") ? " (for import it names a vendor, not a state backend URL)" : "";
        throw new UsageError(
          `${flag}: unknown backend ${JSON.stringify(b)}; one of ${known.join(", ")}${hint}`,
        );
      }
    }
    opts.backends = [...new Set(vendors)];
  }
  if (values.account !== undefined) opts.account = accountOption(values.account);
  if (values.out !== undefined) {
    if (values.out.trim() === "") throw new UsageError("--out: needs a file name");
    opts.out = values.out;
  }
  const port = emulatorPort(values["emulator-port"], values.emulator);
  if (port !== undefined) opts.emulatorPort = port;
  return opts;
}

const DOCTOR_OPTIONS = {
  ...SHARED_OPTIONS,
  vendor: { type: "string", multiple: true },
  account: { type: "string" },
} as const;

export function parseDoctor(argv: readonly string[], cwd: string): DoctorOptions | "help" {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: DOCTOR_OPTIONS,
  });
  if (values.help) return "help";
  const extra = positionals.slice(1);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const opts: DoctorOptions = { command: "doctor", cwd: values.cwd ?? cwd, emulator: values.emulator };
  if (values.stack !== undefined) opts.stack = values.stack;
  if (values.vendor !== undefined) {
    const known = probedBackends();
    const unknown = values.vendor.find((v) => !known.includes(v));
    if (unknown !== undefined) {
      throw new UsageError(
        `--vendor: unknown backend ${JSON.stringify(unknown)}; one of ${known.join(", ")}`,
      );
    }
    opts.backends = [...new Set(values.vendor)];
  }
  if (values.account !== undefined) opts.account = accountOption(values.account);
  const port = emulatorPort(values["emulator-port"], values.emulator);
  if (port !== undefined) opts.emulatorPort = port;
  return opts;
}

export function parse(argv: readonly string[], cwd: string): RunOptions | "help" {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      ...SHARED_OPTIONS,
      backend: { type: "string" },
      "report-md": { type: "string" },
      "report-json": { type: "string" },
      "expect-no-changes": { type: "boolean", default: false },
      "allow-destroy": { type: "boolean", default: false },
      "allow-replace": { type: "boolean", default: false },
      refresh: { type: "boolean", default: false },
      parallel: { type: "string" },
      verbose: { type: "string" },
    },
  });
  if (values.help) return "help";
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError("no command given");
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const opts: RunOptions = {
    command: command as Command,
    cwd: values.cwd ?? cwd,
    emulator: values.emulator,
    expectNoChanges: values["expect-no-changes"],
    allowDestroy: values["allow-destroy"],
    allowReplace: values["allow-replace"],
    refresh: values.refresh,
  };
  if (values.stack !== undefined) opts.stack = values.stack;
  if (values.backend !== undefined) opts.backend = values.backend;
  if (values["report-md"] !== undefined) opts.reportMd = values["report-md"];
  if (values["report-json"] !== undefined) opts.reportJson = values["report-json"];
  if (values.parallel !== undefined) {
    const n = Number(values.parallel);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--parallel: not a positive whole number: ${values.parallel}`);
    opts.parallel = n;
  }
  if (values.verbose !== undefined) {
    const n = Number(values.verbose);
    if (!Number.isInteger(n) || n < 0 || n > 11)
      throw new UsageError(`--verbose: a level from 0 to 11, not ${values.verbose}`);
    opts.verbose = n;
  }
  const port = emulatorPort(values["emulator-port"], values.emulator);
  if (port !== undefined) opts.emulatorPort = port;
  return opts;
}

/** This package's version, from its package.json (two folders up from dist/cli or cli). */
export function version(): string {
  for (const up of ["../..", ".."]) {
    const file = path.join(__dirname, up, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-checkout-links" && pkg.version) return pkg.version;
    }
  }
  throw new Error("cannot find the package.json of pulumi-checkout-links");
}

export async function main(argv: readonly string[], io: Io, cwd = process.cwd()): Promise<number> {
  if (argv[0] === "--version" || argv[0] === "-V") {
    io.out(`checkout-links ${version()}`);
    return EXIT.ok;
  }
  let opts: RunOptions | ImportOptions | DoctorOptions | "help";
  try {
    const command = commandOf(argv);
    opts =
      command === "import"
        ? parseImport(argv, cwd, io.err)
        : command === "doctor"
          ? parseDoctor(argv, cwd)
          : parse(argv, cwd);
  } catch (e) {
    io.err(`checkout-links: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.error;
  }
  if (opts === "help") {
    io.out(HELP);
    return EXIT.ok;
  }
  try {
    if (opts.command === "import") return await runImport(opts, io);
    if (opts.command === "doctor") return await runDoctor(opts, io);
    return await run(opts, io);
  } catch (e) {
    const kind = e instanceof Refusal ? "refused" : "error";
    io.err(`checkout-links: ${kind}: ${(e as Error).message}`);
    return EXIT.error;
  }
}

if (require.main === module) {
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`checkout-links: ${String(e)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
