/**
 * The deploy benchmark runs end to end at a small size: both stacks go through all five operations,
 * every goal line is computed, and the results file and the raw numbers are well formed. Timings are
 * not judged here; `npm run bench:deploy` measures them.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { engineRoot, REPO } from "../helpers/engine";

describe("bench/deploy.mjs", () => {
  it("runs at N = 5 and 10 and writes every goal line and the raw numbers", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-bench-smoke-"));
    try {
      const out = path.join(dir, "results.md");
      const json = path.join(dir, "results.json");
      await new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          [path.join(REPO, "bench/deploy.mjs"), "--sizes", "5,10", "--out", out, "--json", json],
          {
            cwd: REPO,
            env: { ...process.env, PULUMI_ENGINE_ROOT: engineRoot() },
            maxBuffer: 16 * 1024 * 1024,
          },
          (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
        ),
      );
      const md = fs.readFileSync(out, "utf8");
      const goals = md.split("## Goals")[1]?.split("## Operations")[0] ?? "";
      const lines = goals.split("\n").filter((l) => l.startsWith("- "));
      expect(lines.map((l) => l.slice(2, 12))).toEqual([
        "`up` ≤ 1.1",
        "`preview` ",
        "`refresh` ",
        "`destroy` ",
        "flat cost,",
        "state ≤ 5 ",
        "provider R",
        "an unchang",
        "`refresh` ",
      ]);
      for (const l of lines) expect(l).toMatch(/ — (met|\*\*not met\*\*)$/);
      const raw = JSON.parse(fs.readFileSync(json, "utf8")) as { runs: any[] };
      expect(raw.runs.map((r) => r.n)).toEqual([5, 10]);
      for (const r of raw.runs) {
        for (const side of [r.ours, r.floor]) {
          expect(Object.keys(side.seconds).sort()).toEqual(["destroy", "preview", "refresh", "up", "update"]);
          for (const s of Object.values(side.seconds)) expect(s).toBeGreaterThan(0);
        }
        expect(r.ours.requests.preview).toBe(0);
        expect(r.ours.writes.up).toBeGreaterThanOrEqual(r.n);
        expect(r.ours.stateBytes / r.ours.resources).toBeLessThan(5 * 1024);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bench/refresh.mjs", () => {
  it("runs at N = 5: each setting refreshes both stacks, and the legacy diff reads every object too", async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(REPO, "bench/refresh.mjs"), "--n", "5", "--rounds", "1"],
        {
          cwd: REPO,
          env: { ...process.env, PULUMI_ENGINE_ROOT: engineRoot() },
          maxBuffer: 16 * 1024 * 1024,
        },
        (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)),
      ),
    );
    const rows = stdout.split("\n").filter((l) => /^\| `/.test(l));
    expect(rows.map((r) => r.split(" | ")[0])).toEqual(["| `default`", "| `legacy-diff`"]);
    for (const r of rows) {
      const cells = r.split(" | ");
      expect(Number(cells[2])).toBeGreaterThan(0);
      expect(Number(cells[3])).toBeGreaterThan(0);
      // The fleet of 5 links: 1 plan, 2 coreapi links, 2 Fynn links, 1 Polar product, 1 Polar link.
      expect(Number(cells[7]?.replace(/ \|$/, ""))).toBe(7);
    }
  });
});
