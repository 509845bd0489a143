/**
 * The package as users install it: `npm pack` of this repository, installed with `@pulumi/pulumi`
 * and TypeScript into a fresh project outside the repository. The engine tests of the examples, the
 * main job and the upgrade path run there, and so does the deploy benchmark, so a broken `exports`
 * map, a file missing from `files` or a dependency missing from `dependencies` fails them as it would
 * fail a user.
 *
 * The install is made once per tarball (its content hash names the folder) and shared by every test
 * file and benchmark run; each program gets its own project folder inside it.
 */
const { execFileSync } = require("node:child_process");
const { createHash, randomUUID } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");

/** The tsconfig.json of `pulumi new typescript`, which users start from. */
const USER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

function installedVersion(pkg) {
  return JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", pkg, "package.json"), "utf8")).version;
}

/** Packs `source` (a package folder with its dist built) into `dest`; returns the tarball's path. */
function pack(source, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dest], {
    cwd: source,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [info] = JSON.parse(out);
  if (!info) throw new Error(`npm pack in ${source} reported no tarball`);
  return path.join(dest, info.filename);
}

/**
 * A user project with `tarball` installed (and the same `@pulumi/pulumi`, TypeScript and Node.js
 * types as this repository), made once per distinct tarball under `root`. Returns its folder.
 */
function installProject(tarball, root = path.join(os.tmpdir(), "pcl-installed")) {
  const hash = createHash("sha256").update(fs.readFileSync(tarball)).digest("hex").slice(0, 16);
  const dir = path.join(root, hash);
  if (fs.existsSync(path.join(dir, ".installed"))) return dir;
  const work = `${dir}.${process.pid}.${randomUUID().slice(0, 8)}`;
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(
    path.join(work, "package.json"),
    `${JSON.stringify({ name: "checkout-links-user-project", private: true }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(work, "tsconfig.json"), `${JSON.stringify(USER_TSCONFIG, null, 2)}\n`);
  const local = path.join(work, path.basename(tarball));
  fs.copyFileSync(tarball, local);
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      `./${path.basename(tarball)}`,
      `@pulumi/pulumi@${installedVersion("@pulumi/pulumi")}`,
      `typescript@${installedVersion("typescript")}`,
      `@types/node@${installedVersion("@types/node")}`,
    ],
    { cwd: work, stdio: ["ignore", "ignore", "inherit"] },
  );
  // Program folders live here; tests that make their own (mkdtemp) need it to exist already.
  fs.mkdirSync(path.join(work, "projects"), { recursive: true });
  fs.writeFileSync(path.join(work, ".installed"), `${new Date().toISOString()}\n`);
  try {
    fs.renameSync(work, dir);
  } catch (e) {
    // Another run installed the same tarball meanwhile: use that one.
    if (!fs.existsSync(path.join(dir, ".installed"))) throw e;
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A new Pulumi project folder inside the installed project `installed`, holding `index.ts`, a
 * Pulumi.yaml and the user tsconfig; it resolves `pulumi-checkout-links` from the install.
 */
function newProject(installed, name, files) {
  const dir = path.join(installed, "projects", `${name}-${randomUUID().slice(0, 8)}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime: nodejs\nmain: index.ts\n${files.description ? `description: ${JSON.stringify(files.description)}\n` : ""}`,
  );
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(USER_TSCONFIG, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), files.index);
  return dir;
}

/** A project running `examples/<example>/index.ts` as a user's copy of it. */
function exampleProject(installed, example) {
  const index = fs.readFileSync(path.join(REPO, "examples", example, "index.ts"), "utf8");
  return newProject(installed, `${example}-example`, { index });
}

/** The Pulumi engine's root folder: PULUMI_ENGINE_ROOT, else what scripts/engine.sh finds or builds. */
function engineRoot() {
  if (process.env.PULUMI_ENGINE_ROOT) return process.env.PULUMI_ENGINE_ROOT;
  const out = execFileSync("bash", [path.join(REPO, "scripts/engine.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return out.trim().split("\n").pop();
}

module.exports = {
  engineRoot,
  USER_TSCONFIG,
  pack,
  installProject,
  newProject,
  exampleProject,
};
