// Reads Vitest's JSON report and prints per-database counts and the final "N passed, N failed" line.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log('no test report was written (lint or typecheck failed before the tests ran)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const tests = report.testResults.flatMap((f) => f.assertionResults.map((a) => ({ ...a, file: f.name })));
const count = (list, status) => list.filter((t) => t.status === status).length;
for (const db of ['pglite', 'postgres']) {
  const mine = tests.filter((t) => (t.ancestorTitles ?? []).some((title) => new RegExp(`\\b${db}\\b`).test(title)));
  console.log(`${db}: ${count(mine, 'passed')} passed, ${count(mine, 'failed')} failed, ${mine.length - count(mine, 'passed') - count(mine, 'failed')} skipped`);
}
// suites that fail to load have no assertion results: count each as a failure
const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
const passed = count(tests, 'passed');
const failed = count(tests, 'failed') + brokenFiles;
const skipped = tests.length - count(tests, 'passed') - count(tests, 'failed');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
