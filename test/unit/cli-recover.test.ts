import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repairTornCheckpoint } from "../../cli/recover";

describe("a checkpoint an interrupted run left half-written", () => {
  it("has its cut-short metadata sidecar dropped, keeping the whole checkpoint", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-torn-"));
    const dir = path.join(root, ".pulumi", "stacks", "shop");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "dev.json");
    fs.writeFileSync(file, '{"version":3,"checkpoint":{"latest":{}}}');
    fs.writeFileSync(`${file}.attrs`, "");
    try {
      expect(repairTornCheckpoint(`file://${root}`, "shop", "dev")).toEqual([`${file}.attrs`]);
      expect(fs.existsSync(`${file}.attrs`)).toBe(false);
      expect(fs.readFileSync(file, "utf8")).toBe('{"version":3,"checkpoint":{"latest":{}}}');
      expect(repairTornCheckpoint(`file://${root}`, "shop", "dev")).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("is restored from the backend's backup when the checkpoint itself is cut short, the torn file kept", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-torn-"));
    const dir = path.join(root, ".pulumi", "stacks", "shop");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "dev.json");
    fs.writeFileSync(`${file}.bak`, '{"version":3,"checkpoint":{}}');
    fs.writeFileSync(file, "");
    try {
      expect(repairTornCheckpoint(`file://${root}`, "shop", "dev")).toEqual([file]);
      expect(fs.readFileSync(file, "utf8")).toBe('{"version":3,"checkpoint":{}}');
      expect(fs.readFileSync(`${file}.torn`, "utf8")).toBe("");
      // A readable checkpoint, or another backend, is left alone.
      expect(repairTornCheckpoint(`file://${root}`, "shop", "dev")).toEqual([]);
      expect(repairTornCheckpoint("https://api.pulumi.com", "shop", "dev")).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
