#!/usr/bin/env node
// `npm run bench`: builds the app (the backup runs in the built pipeline worker, as in the app
// and the CLI), then runs the TypeScript benchmark (bench/run.ts) through tsx.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  // zlib's zstd streams arrived in Node 22.15.
  process.stderr.write(`bench: Node.js 22.15 or newer is required (this is ${process.version}); run \`. scripts/ensure-node.sh\` first.\n`);
  process.exit(1);
}
const root = path.resolve(import.meta.dirname, '..');
const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  process.stderr.write('bench: the build failed (see above).\n');
  process.exit(1);
}
register();
await import('./run.ts');
