// `npm test`: lint, type check, unit + integration tests (vitest), then the browser tests
// (Playwright); each runner builds the app from the current sources first (see
// scripts/build-for-tests.ts). Ends with one line `N passed, N failed, N skipped` summing both
// runners, and a non-zero exit code if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
const bin = (name) => `node_modules/.bin/${name}`;
const steps = [];

function run(name, command, args) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const r = spawnSync(command, args, { stdio: 'inherit' });
  const ok = r.status === 0;
  steps.push({ name, ok });
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

run('lint', bin('eslint'), ['.']);
run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);

rmSync(`${results}/unit.json`, { force: true });
run('unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/unit.json`]);

let passed = 0;
let failed = 0;
let skipped = 0;
const unit = readJson(`${results}/unit.json`);
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + unit.numTodoTests;
} else {
  failed += 1;
  process.stdout.write('vitest wrote no results\n');
}

if (existsSync('playwright.config.ts')) {
  rmSync(`${results}/e2e.json`, { force: true });
  run('browser tests', bin('playwright'), ['test']);
  const e2e = readJson(`${results}/e2e.json`);
  if (e2e?.stats) {
    passed += e2e.stats.expected + e2e.stats.flaky;
    failed += e2e.stats.unexpected;
    skipped += e2e.stats.skipped;
  } else {
    failed += 1;
    process.stdout.write('playwright wrote no results\n');
  }
}

const failedSteps = steps.filter((s) => !s.ok).map((s) => s.name);
process.stdout.write(`\n${failedSteps.length ? `failed steps: ${failedSteps.join(', ')}` : 'all steps passed'}\n`);
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
