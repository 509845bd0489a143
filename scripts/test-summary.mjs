#!/usr/bin/env node
// Reads vitest's JSON report, prints the closing line "N passed, N failed, N skipped" and fails
// when no engine test ran or when any engine test was skipped: the engine tests are the proof that
// the providers work under the real pulumi CLI, so a run without them proves too little.
import * as fs from "node:fs";

const file = process.argv[2] ?? "test-results/vitest.json";
const report = JSON.parse(fs.readFileSync(file, "utf8"));
let passed = 0;
let failed = 0;
let skipped = 0;
let enginePassed = 0;
const engineSkipped = [];
for (const suite of report.testResults ?? []) {
  const engine = /[\\/]test[\\/]engine[\\/]/.test(suite.name);
  for (const t of suite.assertionResults ?? []) {
    if (t.status === "passed") {
      passed++;
      if (engine) enginePassed++;
    } else if (t.status === "failed") failed++;
    else {
      skipped++;
      if (engine) engineSkipped.push(t.fullName);
    }
  }
}
const problems = [];
if (enginePassed === 0) problems.push("no engine test passed");
if (engineSkipped.length > 0) problems.push(`engine tests were skipped: ${engineSkipped.join("; ")}`);
console.log(`engine tests: ${enginePassed} passed`);
for (const p of problems) console.error(`error: ${p}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
