/**
 * A user program type-checks with no extra flags in a fresh project that installed the packed
 * tarball, under the tsconfig `pulumi new typescript` writes today (`nodenext`) and the one it wrote
 * until early 2026 (`module: commonjs`, `moduleResolution: node`), with TypeScript 5 and 6. Before,
 * the older tsconfig gave 63 errors inside zod's declarations (TS1259, esModuleInterop), which the
 * package's public declarations loaded; they no longer import zod.
 *
 * TypeScript 6 refuses `moduleResolution: node` itself (TS5107, deprecated) whatever the program
 * imports: the test shows that this is the only error, and that the tsconfig's own remedy
 * (`"ignoreDeprecations": "6.0"`, or `nodenext` as the README's Quick start has) leaves none.
 *
 * The TypeScript versions are installed once per machine into a cache folder (outside the
 * repository), so a run costs one `tsc` per case.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installedProject, REPO } from "../helpers/engine";
import { USER_TSCONFIG } from "../helpers/installed";

/** What `pulumi new typescript` writes today (pulumi/templates typescript/tsconfig.json). */
const TODAY_TSCONFIG = {
  compilerOptions: { ...USER_TSCONFIG.compilerOptions, module: "nodenext", moduleResolution: "nodenext" },
  files: ["index.ts"],
};
/** What it wrote until early 2026, which most existing projects have. */
const OLDER_TSCONFIG = USER_TSCONFIG;

const TYPESCRIPT = { 5: "typescript@5", 6: "typescript@6" } as const;

/** `tsc` of TypeScript `major`, installed once into a cache folder shared by runs. */
function tscOf(major: keyof typeof TYPESCRIPT): string {
  const cache = path.join(
    process.env.PULUMI_CHECKOUT_LINKS_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-checkout-links"),
    `typescript-${major}`,
  );
  const tsc = path.join(cache, "node_modules", "typescript", "bin", "tsc");
  if (!fs.existsSync(path.join(cache, ".installed"))) {
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(path.join(cache, "package.json"), '{ "private": true }\n');
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", TYPESCRIPT[major]],
      { cwd: cache, stdio: ["ignore", "ignore", "inherit"] },
    );
    fs.writeFileSync(path.join(cache, ".installed"), `${new Date().toISOString()}\n`);
  }
  return tsc;
}

/** The README's Quick start program, as a user copies it. */
function quickstartProgram(): string {
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  const m = /<!-- quickstart:file index\.ts -->\n```ts\n([\s\S]*?)\n```/.exec(readme);
  if (!m) throw new Error("README.md has no Quick start index.ts block");
  return m[1] as string;
}

const projects: string[] = [];
afterAll(() => {
  for (const p of projects) fs.rmSync(p, { recursive: true, force: true });
});

/**
 * A fresh project folder inside the installed user project (so it resolves the tarball's package,
 * `@pulumi/pulumi` and `@types/node` from there) with `tsconfig` and a program that uses every
 * resource: the README's Quick start and each example, imported from `index.ts`.
 */
function project(tsconfig: object): string {
  const dir = fs.mkdtempSync(path.join(installedProject(), "projects", "tsc-"));
  projects.push(dir);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const examples = ["coreapi", "fynn", "polar", "catalog"];
  for (const example of examples) {
    fs.copyFileSync(path.join(REPO, "examples", example, "index.ts"), path.join(dir, `${example}.ts`));
  }
  fs.writeFileSync(path.join(dir, "quickstart.ts"), `${quickstartProgram()}\n`);
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `${["quickstart", ...examples].map((m) => `import "./${m}";`).join("\n")}\n`,
  );
  return dir;
}

/** `tsc --noEmit` in `dir`: its exit code and the error codes it printed, one per error. */
function typecheck(tsc: string, dir: string): { code: number | null; errors: string[]; out: string } {
  const run = spawnSync(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", dir], {
    encoding: "utf8",
  });
  const out = `${run.stdout}${run.stderr}`;
  return { code: run.status, errors: [...out.matchAll(/error (TS\d+)/g)].map((m) => m[1] as string), out };
}

describe("a user program type-checks in a fresh project", () => {
  for (const major of [5, 6] as const) {
    it(`with TypeScript ${major} and today's pulumi new tsconfig (nodenext)`, { timeout: 300_000 }, () => {
      const result = typecheck(tscOf(major), project(TODAY_TSCONFIG));
      expect(result.out).toBe("");
      expect(result.code).toBe(0);
    });
  }

  it("with TypeScript 5 and the older tsconfig (commonjs, moduleResolution node)", {
    timeout: 300_000,
  }, () => {
    const result = typecheck(tscOf(5), project(OLDER_TSCONFIG));
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
  });

  it("with TypeScript 6 and the older tsconfig: only TS6's own deprecation (TS5107), none once it is acknowledged", {
    timeout: 300_000,
  }, () => {
    const tsc = tscOf(6);
    const plain = typecheck(tsc, project(OLDER_TSCONFIG));
    expect(plain.errors).toEqual(["TS5107"]);
    expect(plain.out).toContain("moduleResolution");
    const acknowledged = typecheck(
      tsc,
      project({
        ...OLDER_TSCONFIG,
        compilerOptions: { ...OLDER_TSCONFIG.compilerOptions, ignoreDeprecations: "6.0" },
      }),
    );
    expect(acknowledged.out).toBe("");
    expect(acknowledged.code).toBe(0);
  });
});
