// Request rate of the emulator on loopback, against a floor measured in the same run: a bare
// node:http server answering a fixed JSON body. Each scenario sends a bounded number of requests
// over keep-alive undici connections; the median of 5 runs is reported and appended to
// bench/emulator-results.md.
//
//   npm run build && node bench/emulator.mjs [--requests 4000] [--connections 8] [--runs 5]
import * as fs from "node:fs";
import * as http from "node:http";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Pool } from "undici";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { startEmulator } = require(path.join(here, "../dist/emulator/index.js"));

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "4000" },
    connections: { type: "string", default: "8" },
    runs: { type: "string", default: "5" },
  },
});
const REQUESTS = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const RUNS = Number(values.runs);

/** Sends REQUESTS requests with CONNECTIONS in flight; returns requests per second. */
async function measure(origin, request) {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 });
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      next += 1;
      const res = await pool.request(request());
      await res.body.dump();
      if (res.statusCode >= 400) failures += 1;
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.close();
  if (failures) throw new Error(`${failures} requests failed`);
  return REQUESTS / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function floorServer() {
  const body = JSON.stringify({
    id: "0c7e4f0a-4a2d-4d7b-9b2e-5f0f7f5c1a11",
    label: "fixed",
    items: [1, 2, 3],
  });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function main() {
  const floor = await floorServer();
  const emu = await startEmulator({ polarRateLimitPerMinute: 0, seed: "examples", requestLogLimit: 100 });
  const auth = (token) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
  let created;
  // Every run starts from the seed (the POST scenario grows state) with one Polar link to read.
  const prepare = async () => {
    emu.reset();
    // A fresh connection: an idle one from the previous run may have been closed by the server.
    const pool = new Pool(emu.url, { connections: 1 });
    const res = await pool.request({
      method: "POST",
      path: "/polar/v1/checkout-links/",
      headers: auth("polar_oat_demo_acme"),
      body: JSON.stringify({
        payment_processor: "stripe",
        products: ["6f1c9f0e-2d1c-4a3b-9a51-1f1f3c2a9b10"],
      }),
    });
    created = await res.body.json();
    await pool.close();
  };

  const scenarios = {
    "floor: bare node:http, fixed JSON": [floor.origin, () => ({ method: "GET", path: "/" })],
    "emulator: GET Polar link (auth, self-check)": [
      emu.url,
      () => ({
        method: "GET",
        path: `/polar/v1/checkout-links/${created.id}`,
        headers: auth("polar_oat_demo_acme"),
      }),
    ],
    "emulator: POST coreapi link (validate, write, self-check)": [
      emu.url,
      () => ({
        method: "POST",
        path: "/fynn/api/plans/1280792f-4e23-793d-8e9c-3a1bf36630bd/checkout-links",
        headers: auth("api_demo_acme"),
        body: JSON.stringify({ planTierId: "f5ece259-08ea-77a4-8bd9-9f3a9ed9e246" }),
      }),
    ],
  };

  const results = {};
  for (let run = 0; run < RUNS; run++) {
    await prepare();
    for (const [name, [origin, request]] of Object.entries(scenarios)) {
      results[name] ??= [];
      results[name].push(await measure(origin, request));
    }
  }
  await emu.close();
  await floor.close();

  const floorRate = median(results["floor: bare node:http, fixed JSON"]);
  const rows = Object.entries(results).map(([name, rates]) => {
    const m = median(rates);
    return `| ${name} | ${Math.round(m)} | ${rates.map((r) => Math.round(r)).join(", ")} | ${((m / floorRate) * 100).toFixed(0)}% |`;
  });
  const command = `node bench/emulator.mjs --requests ${REQUESTS} --connections ${CONNECTIONS} --runs ${RUNS}`;
  const report = [
    `## ${new Date().toISOString()}`,
    "",
    `Command: \`npm run build && ${command}\``,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, undici keep-alive pool.`,
    `${REQUESTS} requests per run, ${CONNECTIONS} connections, median of ${RUNS} runs.`,
    "",
    "| scenario | median req/s | runs (req/s) | of floor |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
  process.stdout.write(`${report}\n`);
  const file = path.join(here, "emulator-results.md");
  if (!fs.existsSync(file))
    fs.writeFileSync(file, "# Emulator benchmark results\n\nAppended by `bench/emulator.mjs`.\n\n");
  fs.appendFileSync(file, `${report}\n`);
}

await main();
