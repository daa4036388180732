#!/usr/bin/env node
// The `vaultdesk` command: runs the built CLI (out/main/cli.js), which `npm ci` builds through
// the `prepare` script and `npm run build` rebuilds.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  // zstd in node:zlib, the default compression, arrived in Node 22.15.
  process.stderr.write(`vaultdesk: Node.js 22.15 or newer is required (this is ${process.version}).\n`);
  process.exit(1);
}
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`vaultdesk: the CLI is not built (${cli} is missing): run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
