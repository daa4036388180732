// Tests run the built files, as users do: the pipeline worker (out/main/pipeline-worker.js, which
// the core starts even when the tests run it from the TypeScript sources), the CLI behind
// bin/vaultdesk.mjs and the UI `vaultdesk serve` serves. Vitest and Playwright both build before
// their first test (and vitest again before each watch-mode rerun), so no test runs a build
// older than the sources.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const root = path.resolve(import.meta.dirname, '..');

/** `npm run build`, quietly unless it fails. */
export function buildForTests(): void {
  const env = { ...process.env };
  // Vitest sets NODE_ENV=test; the build must be the one `npm run build` makes.
  delete env.NODE_ENV;
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`The build the tests run (npm run build) failed:\n${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}`);
}

/** Vitest's global setup. */
export default function setup(project: TestProject): void {
  buildForTests();
  project.onTestsRerun(() => buildForTests());
}
