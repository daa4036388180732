// `npm start`: builds the app, then opens the desktop app with Electron. Where the Electron
// binary cannot be had (no download possible, no display), it says so in one line and serves
// the same UI with `vaultdesk serve` instead, printing its URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const passThrough = process.argv.slice(2);

const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('npm start: the build failed (see above).');
  process.exit(1);
}

function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const version = require('electron/package.json').version;
  const installed = () => existsSync(path.join(dir, 'path.txt')) && readFileSync(path.join(dir, 'dist', 'version'), 'utf8').replace(/^v/, '').trim() === version;
  if (!installed()) {
    // Electron fetches its binary on first use; this is that download.
    const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { cwd: dir, stdio: 'ignore', timeout: 300_000 });
    if (r.status !== 0 || !installed()) return { error: 'the Electron binary could not be downloaded' };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { error: 'there is no display' };
  return { path: require('electron') };
}

const electron = electronBinary();
if (electron.path) {
  const child = spawn(electron.path, [root, ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot run here (${electron.error}); starting the same UI with \`vaultdesk serve\` instead.`);
  // As the desktop app would: on a box without a keychain, a first start keeps the key in a file beside the data dir and says where.
  const child = spawn(process.execPath, [path.join(root, 'bin/vaultdesk.mjs'), ...passThrough, 'serve', '--key-file-fallback'], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
