/**
 * What every command writes to: its output and error lines, its environment, its exit codes, and the
 * report files a pipeline asks for.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Report, renderJson } from "./report";
import { renderMarkdown } from "./reportMarkdown";

export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** Exit codes: pipelines gate on them. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

/** Where the reports go (`--report-md`, `--report-json`); neither is written when not given. */
export interface ReportFiles {
  reportMd?: string;
  reportJson?: string;
}

export function writeReports(report: Report, files: ReportFiles): void {
  if (files.reportMd) {
    fs.mkdirSync(path.dirname(path.resolve(files.reportMd)), { recursive: true });
    fs.writeFileSync(files.reportMd, renderMarkdown(report));
  }
  if (files.reportJson) {
    fs.mkdirSync(path.dirname(path.resolve(files.reportJson)), { recursive: true });
    fs.writeFileSync(files.reportJson, renderJson(report));
  }
}
