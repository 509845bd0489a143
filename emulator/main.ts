#!/usr/bin/env node
/**
 * `checkout-links-emulator`: runs the emulator standalone, e.g. in a user's CI.
 *
 *   checkout-links-emulator --port 8787 --data .emulator/state.json \
 *     --fault "POST /polar/v1/checkout-links/ status=503 attempts=1"
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEMO_TOKEN_SEEDS, type EmulatorOptions, parseFaultSpec, startEmulator } from "./index";

const USAGE = `Usage: checkout-links-emulator [options]

  --port <n>               port (default 8787; 0 picks a free one)
  --host <addr>            interface (default 127.0.0.1)
  --data <file>            persist state to a JSON file (atomic writes), reloaded at start
  --polar-rate-limit <n>   Polar requests per organisation per minute (default 100; 0 disables)
  --public-base <url>      root of public link URLs (default: the emulator's own URL)
  --seed <demo|examples>   examples also creates the objects the vendors' docs refer to;
                           ignored (with a warning) when the --data file exists
  --fault <spec>           repeatable; "<METHOD|*> <path> key=value ..." with keys
                           latency (ms, or a range 0-150), status, retry-after, drop=before|after,
                           attempts=1,3-5, probability=0..1, corrupt, truncate, body
  --fault-seed <n>         seed of the probabilistic faults and latency ranges (default 1)
  --fynn-validation-status <n>  status of Fynn validation errors (default 422)
  -h, --help
`;

function fail(message: string): never {
  process.stderr.write(`checkout-links-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} needs a non-negative integer, got "${value}"`);
  return n;
}

function parse() {
  return parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      "polar-rate-limit": { type: "string" },
      "public-base": { type: "string" },
      seed: { type: "string" },
      fault: { type: "string", multiple: true },
      "fault-seed": { type: "string" },
      "fynn-validation-status": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}

/** The emulator's options from the command line's; a bad value ends the process with the usage. */
function optionsOf(values: ReturnType<typeof parse>["values"]): EmulatorOptions {
  const options: EmulatorOptions = { port: integer("port", values.port) ?? 8787 };
  if (values.host) options.host = values.host;
  if (values.data) options.dataFile = values.data;
  const rate = integer("polar-rate-limit", values["polar-rate-limit"]);
  if (rate !== undefined) options.polarRateLimitPerMinute = rate;
  if (values["public-base"]) options.publicBaseUrl = values["public-base"];
  if (values.seed) {
    if (values.seed !== "demo" && values.seed !== "examples") fail(`--seed must be demo or examples`);
    options.seed = values.seed;
  }
  const faultSeed = integer("fault-seed", values["fault-seed"]);
  if (faultSeed !== undefined) options.faultSeed = faultSeed;
  const validation = integer("fynn-validation-status", values["fynn-validation-status"]);
  if (validation !== undefined) options.fynnValidationStatus = validation;
  try {
    options.faults = (values.fault ?? []).map(parseFaultSpec);
  } catch (error) {
    fail((error as Error).message);
  }
  return options;
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse().values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const options = optionsOf(values);
  // A data file that exists is loaded as it is and the seed is not applied: say so, or a user who
  // asked for the example catalog finds it missing with no hint why.
  const seedIgnored =
    values.seed !== undefined && options.dataFile !== undefined && existsSync(options.dataFile)
      ? `checkout-links-emulator: warning: --seed ${values.seed} ignored: ${options.dataFile} already exists and is loaded as it is (delete it to start from the seed)\n`
      : undefined;

  if (seedIgnored) process.stderr.write(seedIgnored);
  const emulator = await startEmulator(options);
  const lines = [
    `checkout-links emulator listening on ${emulator.url}`,
    `  coreapi (Fynn V2) base URL: ${emulator.baseUrls.coreapi}`,
    `  Fynn classic base URL:      ${emulator.baseUrls.fynn}`,
    `  Polar base URL:             ${emulator.baseUrls.polar}`,
    `  control routes:             ${emulator.url}/_emulator/{state,reset,faults,requests,health}`,
    options.dataFile
      ? `  data file:                  ${options.dataFile}`
      : "  state: in memory (use --data <file> to persist)",
    "  demo tokens:",
    ...DEMO_TOKEN_SEEDS.map(
      (t) => `    ${t.token.padEnd(26)} ${t.family.padEnd(6)} org ${t.org.padEnd(7)} ${t.scopes.join(" ")}`,
    ),
    ...(options.faults?.length
      ? ["  faults:", ...options.faults.map((f) => `    ${JSON.stringify(f)}`)]
      : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  process.stderr.write(`checkout-links-emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
