// `npm run dist`: builds the app, then the desktop installers with electron-builder
// (electron-builder.yml) for this machine's OS; arguments after `--` go to electron-builder
// (`npm run dist -- --linux deb`). electron-builder fetches Electron's release from GitHub (and
// node-gyp Electron's headers) and rebuilds node_modules' native modules for Electron before it
// does. Where those downloads cannot be reached it would fail with a stack after that rebuild, so
// that is found out first, and said in one line, with nothing changed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { downloadArtifact } from '@electron/get';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const passThrough = process.argv.slice(2);

function fail(line) {
  console.error(`npm run dist: ${line}`);
  process.exit(1);
}

/** "getaddrinfo ENOTFOUND github.com" rather than fetch's bare "fetch failed". */
function reason(error) {
  const cause = error?.cause?.message ?? error?.message ?? String(error);
  return String(cause).split('\n')[0];
}

try {
  // The download electron-builder makes first, into the same cache (@electron/get's, which
  // honours ELECTRON_MIRROR), so a reachable release is not fetched twice.
  await downloadArtifact({ version: require('electron/package.json').version, artifactName: 'electron', platform: process.platform, arch: process.arch });
} catch (error) {
  fail(`Electron's downloads cannot be reached from this machine (${reason(error)}), so installers cannot be built here: build them on a machine or CI with access to GitHub releases (see README, Packaging).`);
}

const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) fail('the build failed (see above).');

const builder = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-builder/cli.js'), ...passThrough], { cwd: root, stdio: 'inherit' });
if (builder.status !== 0) fail('electron-builder failed (see above).');
// electron-builder rebuilt the native modules in place; the CLI and the tests run on Node.
console.log(`npm run dist: the installers are in ${path.join(root, 'dist')}. electron-builder rebuilt node_modules' native modules for Electron: \`npm rebuild\` builds them for Node again.`);
