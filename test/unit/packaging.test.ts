/**
 * The packed tarball as the registry would publish it (the one the test run packed): a license
 * file, where the project lives, README links that work from the registry's page, source maps whose
 * sources are in the package, and `@pulumi/pulumi` as a range so that a user's project keeps one
 * copy of the SDK (the Quick start test installs the newest next to it; here the oldest supported).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

const REPOSITORY = "https://github.com/pulumi-checkout-links/pulumi-checkout-links";

const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-packed-"));
execFileSync("tar", ["-xzf", inject("tarball"), "-C", unpacked]);
const root = path.join(unpacked, "package");
afterAll(() => fs.rmSync(unpacked, { recursive: true, force: true }));

const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const pkg = JSON.parse(read("package.json")) as Record<string, any>;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(path.join(root, f)).isFile());
}

describe("the packed tarball", () => {
  it("carries the Apache-2.0 license text its package.json names", () => {
    expect(pkg.license).toBe("Apache-2.0");
    const license = read("LICENSE");
    expect(license).toContain("Apache License");
    expect(license).toContain("Version 2.0, January 2004");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });

  it("says where the project lives: repository, homepage and bugs", () => {
    expect(pkg.repository).toEqual({ type: "git", url: `git+${REPOSITORY}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
  });

  it("has README links that work from the registry's page: absolute, to this repository, or anchors", () => {
    const readme = read("README.md");
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.filter((t) => !/^(https?:\/\/|#)/.test(t))).toEqual([]);
    const repoLinks = targets.filter((t) => t.includes("github.com/"));
    expect(repoLinks.filter((t) => !t.startsWith(`${REPOSITORY}/`))).toEqual([]);
    // Each link into the repository names a file or folder that exists in it.
    const repo = path.resolve(__dirname, "../..");
    const missing = repoLinks
      .map((t) => t.slice(REPOSITORY.length + 1).replace(/^(blob|tree)\/main\//, ""))
      .filter((p) => !fs.existsSync(path.join(repo, p)));
    expect(missing).toEqual([]);
  });

  it("has source maps whose sources are in the package", () => {
    const maps = ["dist/provider", "dist/emulator", "dist/cli"]
      .flatMap(filesUnder)
      .filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(read(map)) as { sources: string[] };
      for (const s of sources) {
        const file = path.join(path.dirname(map), s);
        if (!fs.existsSync(path.join(root, file))) missing.push(`${map} -> ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("takes @pulumi/pulumi as a range, and installs as one copy next to the oldest supported", () => {
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe("^3.259.0");
    // The user project of the engine tests installed the tarball next to @pulumi/pulumi 3.259.0.
    const installed = inject("installedProject");
    const copies = execFileSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], {
      cwd: installed,
      encoding: "utf8",
    })
      .trim()
      .split("\n");
    expect(copies.map((p) => path.relative(installed, p))).toEqual([
      path.join("node_modules", "@pulumi", "pulumi"),
    ]);
    const version = JSON.parse(
      fs.readFileSync(path.join(installed, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ).version;
    expect(version).toBe("3.259.0");
  });
});
