import { execFileSync } from "node:child_process";
import * as path from "node:path";

/**
 * Makes the Pulumi engine available once for the whole run (a cached build takes a second; a cold
 * build from Go modules takes minutes and says so) and hands its root to every test file.
 */
export default function setup(project: { provide(key: "engineRoot", value: string): void }): void {
  const repo = path.resolve(__dirname, "../..");
  const root = execFileSync("bash", [path.join(repo, "scripts/engine.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop() as string;
  project.provide("engineRoot", root);
}

declare module "vitest" {
  export interface ProvidedContext {
    engineRoot: string;
  }
}
