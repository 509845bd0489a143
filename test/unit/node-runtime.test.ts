/**
 * The Node.js the stack runs on: scripts/node.sh picks one that @pulumi/pulumi supports, and the test
 * run itself is on one (so the language host and the providers the engine tests start are too).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const repo = path.join(__dirname, "../..");
const script = path.join(repo, "scripts/node.sh");
const runtime = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).nodeRuntime as {
  minimum: number;
  version: string;
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A folder with a `node` that claims major version `major` and otherwise runs the real one. */
function fakeNode(major: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-node-"));
  dirs.push(dir);
  fs.writeFileSync(
    path.join(dir, "node"),
    `#!/usr/bin/env bash\nif [ "$1" = "-p" ]; then echo ${major}; else exec ${JSON.stringify(process.execPath)} "$@"; fi\n`,
    { mode: 0o755 },
  );
  return dir;
}

/** Runs scripts/node.sh with `node` from `pathDir` first and the cache in `cache`; its last line. */
function resolve(pathDir: string, cache: string, extra: Record<string, string> = {}): string {
  const env: Record<string, string> = {
    PATH: `${pathDir}:/usr/bin:/bin`,
    HOME: cache,
    PULUMI_CHECKOUT_LINKS_CACHE: cache,
    ...extra,
  };
  const out = execFileSync("bash", [script], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return out.trim().split("\n").pop() as string;
}

describe("scripts/node.sh", () => {
  it("takes the node on the PATH when @pulumi/pulumi supports it", () => {
    const onPath = fakeNode(runtime.minimum + 2);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cache-"));
    dirs.push(cache);
    expect(resolve(onPath, cache)).toBe(onPath);
  });

  it("passes over an older node on the PATH for the cached copy of the pinned version", () => {
    const old = fakeNode(20);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cache-"));
    dirs.push(cache);
    const cached = path.join(cache, `node-${runtime.version}`, "bin");
    fs.mkdirSync(cached, { recursive: true });
    fs.copyFileSync(
      path.join(fakeNode(Number(runtime.version.split(".")[0])), "node"),
      path.join(cached, "node"),
    );
    fs.chmodSync(path.join(cached, "node"), 0o755);
    expect(resolve(old, cache)).toBe(cached);
  });

  it("takes CHECKOUT_LINKS_NODE_DIR first", () => {
    const chosen = fakeNode(runtime.minimum);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cache-"));
    dirs.push(cache);
    expect(resolve(fakeNode(runtime.minimum + 4), cache, { CHECKOUT_LINKS_NODE_DIR: chosen })).toBe(chosen);
  });
});

describe("the test run", () => {
  it("is on a Node.js that @pulumi/pulumi supports, as the programs and providers it starts are", () => {
    const major = Number(process.versions.node.split(".")[0]);
    expect(
      major,
      `run the tests with \`npm test\` (Node.js ${process.versions.node} here)`,
    ).toBeGreaterThanOrEqual(runtime.minimum);
    const pulumiEngines = JSON.parse(
      fs.readFileSync(path.join(repo, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ).engines.node as string;
    expect(pulumiEngines).toBe(`>=${runtime.minimum}`);
  });
});
