/** The standalone command: prints base URLs and demo tokens, takes flags, applies --fault. Needs `npm run build`. */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../fixtures/http";

const bin = path.join(__dirname, "../../dist/emulator/main.js");
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGTERM");
  child = undefined;
});

function start(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d.toString();
      if (out.includes("polar_oat_demo_readonly")) resolve(out);
    });
    child.stderr!.on("data", (d) => reject(new Error(d.toString())));
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

describe("checkout-links-emulator", () => {
  it("starts on a chosen port, prints tokens, and honours --fault and --polar-rate-limit", async () => {
    const out = await start([
      "--port",
      "0",
      "--polar-rate-limit",
      "2",
      "--fault",
      "GET /fynn/api/plans status=503 attempts=1",
    ]);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    for (const token of [
      "api_demo_acme",
      "api_demo_globex",
      "api_demo_readonly",
      "polar_oat_demo_acme",
      "polar_oat_demo_globex",
    ]) {
      expect(out).toContain(token);
    }
    expect(out).toContain(`Polar base URL:             ${url}/polar`);
    const plans = `${url}/fynn/api/plans`;
    expect((await call("GET", plans, { token: "api_demo_acme" })).status).toBe(503);
    expect((await call("GET", plans, { token: "api_demo_acme" })).status).toBe(200);
    const polar = `${url}/polar/v1/products/`;
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call("GET", polar, { token: "polar_oat_demo_acme" })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("rejects a bad fault spec with usage and exit code 2", async () => {
    const code = await new Promise<number | null>((resolve) => {
      const proc = spawn(process.execPath, [bin, "--fault", "GET /x"], { stdio: "ignore" });
      proc.on("exit", resolve);
    });
    expect(code).toBe(2);
  });

  it("warns that --seed is ignored when the --data file already exists, and loads the file as it is", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-emulator-bin-"));
    const data = path.join(dir, "data.json");
    try {
      // First start: no file yet, so the example catalog is seeded and saved.
      const first = await startCollecting(["--port", "0", "--data", data, "--seed", "examples"]);
      expect(first.stderr).toBe("");
      expect(Object.keys(await products(first.url))).toContain("ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b");
      child?.kill("SIGTERM");
      await new Promise((resolve) => child?.once("exit", resolve));
      // An empty catalog in the file, then a start asking for the examples again.
      const saved = JSON.parse(fs.readFileSync(data, "utf8"));
      saved.fynn.products = {};
      saved.fynn.pricePlans = {};
      saved.fynn.links = {};
      fs.writeFileSync(data, JSON.stringify(saved));
      const second = await startCollecting(["--port", "0", "--data", data, "--seed", "examples"]);
      expect(second.stderr).toBe(
        `checkout-links-emulator: warning: --seed examples ignored: ${data} already exists and is loaded as it is (delete it to start from the seed)\n`,
      );
      expect(await products(second.url)).toEqual({});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Starts the bin and resolves once it printed its banner, with what it wrote to stderr before. */
function startCollecting(args: string[]): Promise<{ url: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += d.toString();
    });
    child.stdout!.on("data", (d) => {
      out += d.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url && out.includes("polar_oat_demo_readonly")) resolve({ url, stderr });
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}${stderr}`)));
  });
}

/** The Fynn products the emulator holds, by id. */
async function products(url: string): Promise<Record<string, unknown>> {
  const res = await call("GET", `${url}/_emulator/state`);
  return (res.body as { fynn: { products: Record<string, unknown> } }).fynn.products;
}
