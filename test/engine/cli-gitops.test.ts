/**
 * The `checkout-links` command end to end: the bin of the installed package, the real engine, the
 * embedded emulator, a work-dir program of two Fynn classic links (in a project that installed the
 * packed tarball) whose catalog is a JSON file the tests edit like a pull request would.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../cli/report";
import { inheritedEnv, runCli } from "../helpers/cli";
import { installedProject } from "../helpers/engine";

/** The Fynn product and price plan of the vendor's documentation examples, seeded by the emulator. */
const FYNN_EXAMPLE_ID = "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b";

let dir: string;
let workDir: string;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(args, { cwd: workDir, env });

function writeCatalog(
  links: Record<string, { slug: string; allowCoupons: boolean; quantity: number }>,
): void {
  fs.writeFileSync(path.join(workDir, "catalog.json"), `${JSON.stringify({ links }, null, 2)}\n`);
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

const OUR_SLUGS = new Set(["starter", "partner", "starter-2026"]);

/** This program's Fynn links in the emulator's data file (it also holds seeded example links). */
function emulatorLinks(): Record<string, unknown>[] {
  const data = readJson<Record<string, any>>(path.join(workDir, ".emulator/data.json"));
  const found: Record<string, unknown>[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.slug === "string" && Array.isArray(o.items)) {
        if (OUR_SLUGS.has(o.slug)) found.push(o);
      } else Object.values(o).forEach(visit);
    }
  };
  visit(data);
  return found;
}

const PROGRAM = `// A catalog of Fynn classic links read from catalog.json: what a pull request edits.
const fs = require("node:fs");
const path = require("node:path");
const { fynn } = require("pulumi-checkout-links");

const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, "catalog.json"), "utf8"));
const out = {};
for (const [name, link] of Object.entries(catalog.links)) {
  const l = new fynn.CheckoutLink(name, {
    items: [{ productId: ${JSON.stringify(FYNN_EXAMPLE_ID)}, pricePlanId: ${JSON.stringify(FYNN_EXAMPLE_ID)}, quantity: link.quantity }],
    options: { allowCoupons: link.allowCoupons },
    slug: link.slug,
  });
  out[name] = l.url;
}
module.exports = out;
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cli-"));
  workDir = fs.mkdtempSync(path.join(installedProject(), "projects", "shop-"));
  fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nmain: index.js\n");
  fs.writeFileSync(path.join(workDir, "index.js"), PROGRAM);
  writeCatalog({
    starter: { slug: "starter", allowCoupons: false, quantity: 1 },
    partner: { slug: "partner", allowCoupons: false, quantity: 2 },
  });
  env = inheritedEnv(
    {
      PULUMI_HOME: path.join(dir, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    },
    ["NODE_OPTIONS"],
  );
});

afterAll(async () => {
  // Leave nothing behind on the emulator's data or the machine.
  if (workDir && fs.existsSync(path.join(workDir, ".emulator/state"))) {
    await cli("destroy", "--emulator", "--allow-destroy");
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe.sequential("checkout-links against the emulator", () => {
  it("previews a new stack as creates and exits 2", async () => {
    const run = await cli(
      "preview",
      "--emulator",
      "--report-json",
      "out/preview.json",
      "--report-md",
      "out/preview.md",
    );
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(2);
    const report = readJson<Report>(path.join(workDir, "out/preview.json"));
    expect(report.hasChanges).toBe(true);
    expect(report.stack).toBe("emulator");
    expect(report.summary).toEqual({ create: 2, update: 0, replace: 0, delete: 0, same: 0 });
    expect(report.resources.map((r) => [r.op, r.backend, r.kind, r.name])).toEqual([
      ["create", "fynn", "CheckoutLink", "partner"],
      ["create", "fynn", "CheckoutLink", "starter"],
    ]);
    expect(report.warnings).toEqual([]);
    expect(fs.readFileSync(path.join(workDir, "out/preview.md"), "utf8")).toContain(
      "**2 to create** · 0 unchanged",
    );
    // A preview creates nothing.
    expect(fs.existsSync(path.join(workDir, ".emulator/data.json")) ? emulatorLinks() : []).toEqual([]);
  });

  it("applies with progress per resource and ends with the table of links", async () => {
    const run = await cli("up", "--emulator");
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/creating\s+fynn CheckoutLink starter/);
    expect(run.stdout).toMatch(/created\s+fynn CheckoutLink partner/);
    const port = fs.readFileSync(path.join(workDir, ".emulator/port"), "utf8").trim();
    const base = `http://127.0.0.1:${port}/fynn`;
    const table = run.stdout.slice(run.stdout.indexOf("BACKEND"));
    expect(table.trim().split("\n")).toEqual([
      "BACKEND  NAME     SLUG     URL",
      `fynn     partner  partner  ${base}/checkout/partner`,
      `fynn     starter  starter  ${base}/checkout/starter`,
    ]);
    expect(
      emulatorLinks()
        .map((l) => l.slug)
        .sort(),
    ).toEqual(["partner", "starter"]);
  });

  it("previews no changes after up and exits 0; a second up changes nothing", async () => {
    const preview = await cli("preview", "--emulator", "--report-json", "out/second.json");
    expect(preview.code).toBe(0);
    const report = readJson<Report>(path.join(workDir, "out/second.json"));
    expect(report.hasChanges).toBe(false);
    expect(report.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, same: 2 });
    const drift = await cli("up", "--emulator", "--expect-no-changes");
    expect(drift.code).toBe(0);
    expect(drift.stdout).toContain("No changes to apply.");
  });

  it("reports exactly the edited fields and warns that a published slug changes", async () => {
    writeCatalog({
      starter: { slug: "starter-2026", allowCoupons: false, quantity: 1 },
      partner: { slug: "partner", allowCoupons: true, quantity: 2 },
    });
    const run = await cli(
      "preview",
      "--emulator",
      "--report-json",
      "out/edit.json",
      "--report-md",
      "out/edit.md",
    );
    expect(run.code).toBe(2);
    const report = readJson<Report>(path.join(workDir, "out/edit.json"));
    // A Fynn classic link's documented PUT has no slug: a new slug is a new link (a replace).
    expect(report.summary).toEqual({ create: 0, update: 1, replace: 1, delete: 0, same: 0 });
    expect(report.resources.map((r) => ({ op: r.op, name: r.name, fields: r.fields }))).toEqual([
      { op: "replace", name: "starter", fields: [{ field: "slug", old: "starter", new: "starter-2026" }] },
      { op: "update", name: "partner", fields: [{ field: "options.allowCoupons", old: false, new: true }] },
    ]);
    const port = fs.readFileSync(path.join(workDir, ".emulator/port"), "utf8").trim();
    expect(report.warnings).toEqual([
      {
        kind: "link-replaced",
        urn: "urn:pulumi:emulator::shop::pulumi-nodejs:dynamic/fynn:CheckoutLink::starter",
        name: "starter",
        message:
          'fynn CheckoutLink "starter" will be deleted and created anew (because of slug): ' +
          `http://127.0.0.1:${port}/fynn/checkout/starter stops working; its URL may change.`,
      },
      {
        kind: "slug-change",
        urn: "urn:pulumi:emulator::shop::pulumi-nodejs:dynamic/fynn:CheckoutLink::starter",
        name: "starter",
        message:
          'fynn CheckoutLink "starter" changes its published slug from "starter" to "starter-2026": ' +
          `http://127.0.0.1:${port}/fynn/checkout/starter stops working.`,
      },
    ]);
    const md = fs.readFileSync(path.join(workDir, "out/edit.md"), "utf8");
    expect(md).toContain("> [!CAUTION]");
    expect(md).toContain("| `slug` | <code>starter</code> | <code>starter-2026</code> |");
    expect(md).toContain("| `options.allowCoupons` | <code>false</code> | <code>true</code> |");
  });

  it("refuses an up with --expect-no-changes when the catalog changed, applying nothing", async () => {
    const run = await cli("up", "--emulator", "--expect-no-changes");
    expect(run.code).toBe(2);
    expect(
      emulatorLinks()
        .map((l) => l.slug)
        .sort(),
    ).toEqual(["partner", "starter"]);
  });

  it("refuses destroy without --allow-destroy and deletes nothing", async () => {
    const data = path.join(workDir, ".emulator/data.json");
    const before = fs.readFileSync(data, "utf8");
    const run = await cli("destroy", "--emulator");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "checkout-links: refused: destroy deletes every checkout link, plan and product of the stack: refusing without --allow-destroy",
    );
    expect(fs.readFileSync(data, "utf8")).toBe(before);
    const preview = await cli("preview", "--emulator", "--report-json", "out/after-refusal.json");
    // Still the update and the replace of the edited catalog: nothing was deleted from state either.
    expect(readJson<Report>(path.join(workDir, "out/after-refusal.json")).summary).toEqual({
      create: 0,
      update: 1,
      replace: 1,
      delete: 0,
      same: 0,
    });
    expect(preview.code).toBe(2);
  });

  it("destroys with --allow-destroy", async () => {
    const run = await cli("destroy", "--emulator", "--allow-destroy");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Destroyed 2 resources of shop/emulator.");
    const preview = await cli("preview", "--emulator", "--report-json", "out/after-destroy.json");
    expect(preview.code).toBe(2);
    expect(readJson<Report>(path.join(workDir, "out/after-destroy.json")).summary.create).toBe(2);
  });

  it("exits 1 with a usage message for an unknown command", async () => {
    const run = await cli("apply");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('checkout-links: unknown command "apply"');
  });
});
