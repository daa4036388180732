import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PREFIX = 'pipeline-worker-';

/** Folders whose TypeScript the worker is made of (worker.ts imports nothing from elsewhere in src). */
const SOURCE_DIRS = ['src/main/core', 'src/shared'];

/** Sizes and modification times of every source file: a change anywhere means a new bundle. */
function sourceKey(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const st = statSync(full);
        hash.update(`${path.relative(root, full)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir));
  return hash.digest('hex').slice(0, 16);
}

const built = new Map<string, Promise<URL | null>>();

/** Older bundles go once nothing can still be starting from them (another process may be). */
const STALE_MS = 60 * 60 * 1000;

function removeStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(PREFIX)) continue;
    const full = path.join(dir, name);
    try {
      if (Date.now() - statSync(full).mtimeMs > STALE_MS) rmSync(full, { force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/**
 * The pipeline worker as one JavaScript file, for hosts that run from the TypeScript sources
 * (the CLI, `vaultdesk serve`, tests). Loading the worker through tsx's loader took 0.6-0.9 s
 * at every run's start, most of it one loader round trip per module; the bundle loads in a
 * fraction of that. It is built with esbuild (tsx's own compiler) into node_modules/.cache,
 * once per state of the sources, dependencies left as imports. Resolves to null when it cannot
 * be built or written (a read-only install): the caller then runs the sources through tsx.
 */
export function sourceWorkerBundle(entry: URL): Promise<URL | null> {
  const entryFile = fileURLToPath(entry);
  const root = path.resolve(path.dirname(entryFile), '../../../..');
  let key: string;
  try {
    key = sourceKey(root);
  } catch {
    return Promise.resolve(null);
  }
  let found = built.get(key);
  if (!found) {
    found = build(root, entryFile, key);
    built.set(key, found);
  }
  return found;
}

async function build(root: string, entryFile: string, key: string): Promise<URL | null> {
  const dir = path.join(root, 'node_modules', '.cache', 'vaultdesk');
  const file = path.join(dir, `${PREFIX}${key}.mjs`);
  if (existsSync(file)) return pathToFileURL(file);
  try {
    const esbuild = await import('esbuild');
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: two processes building at once each publish a whole file.
    const partial = `${file}.${randomUUID()}.tmp`;
    await esbuild.build({ entryPoints: [entryFile], outfile: partial, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', logLevel: 'silent' });
    renameSync(partial, file);
    removeStale(dir);
    return pathToFileURL(file);
  } catch {
    return null;
  }
}
