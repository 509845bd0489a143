import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { restoreTornCheckpoint } from "../../cli/recover";

describe("a checkpoint an interrupted run left half-written", () => {
  it("is restored from the backend's backup, and the torn file kept beside it", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-torn-"));
    const dir = path.join(root, ".pulumi", "stacks", "shop");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "dev.json");
    fs.writeFileSync(`${file}.bak`, '{"version":3,"checkpoint":{}}');
    fs.writeFileSync(file, "");
    try {
      expect(restoreTornCheckpoint(`file://${root}`, "shop", "dev")).toBe(file);
      expect(fs.readFileSync(file, "utf8")).toBe('{"version":3,"checkpoint":{}}');
      expect(fs.readFileSync(`${file}.torn`, "utf8")).toBe("");
      // A readable checkpoint, or another backend, is left alone.
      expect(restoreTornCheckpoint(`file://${root}`, "shop", "dev")).toBeUndefined();
      expect(restoreTornCheckpoint("https://api.pulumi.com", "shop", "dev")).toBeUndefined();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
