#!/usr/bin/env node
// `npm run bench`: tsx runs the TypeScript benchmark (bench/run.ts) straight from the source tree.
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  // zlib's zstd streams arrived in Node 22.15.
  process.stderr.write(`bench: Node.js 22.15 or newer is required (this is ${process.version}); run \`. scripts/ensure-node.sh\` first.\n`);
  process.exit(1);
}
register();
await import('./run.ts');
