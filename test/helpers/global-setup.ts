import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installProject, pack } from "./installed";

/**
 * Once for the whole run: makes the Pulumi engine available (a cached build takes a second; a cold
 * build from Go modules takes minutes and says so), and packs this repository and installs the
 * tarball into a user project (see ./installed.ts). Hands both folders to every test file.
 */
export default function setup(project: {
  provide(key: "engineRoot" | "installedProject" | "tarball", value: string): void;
}): void {
  const repo = path.resolve(__dirname, "../..");
  const root = execFileSync("bash", [path.join(repo, "scripts/engine.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop() as string;
  project.provide("engineRoot", root);
  if (!fs.existsSync(path.join(repo, "dist/provider/index.js"))) {
    throw new Error("dist/ is missing: the test command builds it first (npm test)");
  }
  const tarball = pack(repo, path.join(repo, "test-results", "pack"));
  project.provide("tarball", tarball);
  project.provide("installedProject", installProject(tarball));
}

declare module "vitest" {
  export interface ProvidedContext {
    engineRoot: string;
    installedProject: string;
    tarball: string;
  }
}
