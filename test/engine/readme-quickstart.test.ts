/**
 * The README's Quick start, run as written: every block of the section (marked with
 * `<!-- quickstart:… -->` comments) copied out of README.md and run in a fresh folder, as a new user
 * would, with plain `pulumi` (the engine built here) on the PATH. The printed outputs must be the
 * ones the README shows, so the README cannot drift from the product.
 *
 * Two substitutions, both of where rather than what: `npm install pulumi-checkout-links` installs
 * this repository's packed tarball instead of the registry's release, and the emulator's port 8787
 * becomes a free one, in every block (the machine may run something on 8787). `@pulumi/pulumi` and
 * TypeScript come from the registry as the README says: the newest `@pulumi/pulumi`, installed as one
 * copy next to this package.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { engineRoot, REPO } from "../helpers/engine";

/** One marked block of the Quick start. */
interface QuickstartBlock {
  kind: "shell" | "file" | "emulator" | "output";
  /** The file's name, for `file` blocks. */
  name?: string;
  text: string;
}

/** The marked blocks of the README's Quick start section, in order. */
function quickstartBlocks(readme: string): QuickstartBlock[] {
  const start = readme.indexOf("\n## Quick start\n");
  if (start < 0) throw new Error("README.md has no Quick start section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks: QuickstartBlock[] = [];
  const marked = /<!-- quickstart:(shell|file|emulator|output)(?: (\S+))? -->\n```[^\n]*\n([\s\S]*?)\n```/g;
  for (const m of section.matchAll(marked)) {
    const block: QuickstartBlock = { kind: m[1] as QuickstartBlock["kind"], text: m[3] as string };
    if (m[2]) block.name = m[2];
    blocks.push(block);
  }
  return blocks;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a shell block with bash, stopping at the first failing command; returns its stdout. */
function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync("bash", ["-e", "-o", "pipefail", "-c", script], {
      cwd,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${err.message}\n--- stdout\n${err.stdout ?? ""}\n--- stderr\n${err.stderr ?? ""}`);
  }
}

/** Starts the emulator block in the background; resolves once it listens. */
function startEmulator(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that the npx wrapper and the emulator under it stop together.
    const child = spawn("bash", ["-c", `exec ${command}`], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("listening on")) resolve(child);
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
      reject(new Error(`the emulator exited (${code}) before it listened:\n${out}`)),
    );
  });
}

/** The README's output block as a pattern: `…` stands for a value that changes from run to run. */
function outputPattern(block: string): RegExp {
  const parts = block.split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(parts.join("[A-Za-z0-9_]+"));
}

describe("README Quick start", () => {
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  const blocks = quickstartBlocks(readme);

  it("has the blocks a fresh project needs, each program file and command marked", () => {
    expect(blocks.map((b) => (b.kind === "file" ? `file ${b.name}` : b.kind))).toEqual([
      "shell",
      "file Pulumi.yaml",
      "file tsconfig.json",
      "file index.ts",
      "emulator",
      "shell",
      "output",
    ]);
  });

  it("runs as written in a fresh folder and prints the outputs it shows", { timeout: 900_000 }, async () => {
    const port = String(await freePort());
    const tarball = inject("tarball");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-quickstart-"));
    const home = path.join(dir, ".pulumi-home");
    const project = path.join(dir, "project");
    fs.mkdirSync(project);
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => !k.startsWith("PULUMI_") && !k.startsWith("CHECKOUT_LINKS_"),
        ),
      ),
      // Plain `pulumi` on the PATH, and the Node.js the tests run on.
      PATH: `${path.join(engineRoot(), "bin")}:${path.dirname(process.execPath)}:${process.env.PATH}`,
      PULUMI_HOME: home,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
    };
    const here = (text: string) =>
      text
        .replaceAll("8787", port)
        .replace(/^(npm install .*)\bpulumi-checkout-links\b/m, `$1${JSON.stringify(tarball)}`);
    const passphrase = /PULUMI_CONFIG_PASSPHRASE=(\S+)/.exec(readme)?.[1] as string;
    let emulator: ChildProcess | undefined;
    let deployed = false;
    let printed = "";
    try {
      for (const block of blocks) {
        if (block.kind === "file")
          fs.writeFileSync(path.join(project, block.name as string), `${block.text}\n`);
        else if (block.kind === "emulator") emulator = await startEmulator(here(block.text), project, env);
        else if (block.kind === "shell") {
          if (block.text.includes("pulumi up")) deployed = true;
          printed = runShell(here(block.text), project, env);
        } else {
          expect(printed).toMatch(outputPattern(here(block.text)));
        }
      }
      // One copy of the Pulumi SDK: the project's newest, not a second one nested in this package.
      const copies = runShell("npm ls @pulumi/pulumi --all --parseable", project, env).trim().split("\n");
      expect(copies.map((p) => path.relative(project, p))).toEqual([
        path.join("node_modules", "@pulumi", "pulumi"),
      ]);
      // "A second `pulumi up` changes nothing."
      runShell("pulumi preview --expect-no-changes", project, {
        ...env,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
      });
    } finally {
      try {
        if (deployed)
          runShell("pulumi destroy --yes", project, { ...env, PULUMI_CONFIG_PASSPHRASE: passphrase });
      } finally {
        if (emulator?.pid) process.kill(-emulator.pid, "SIGTERM");
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
