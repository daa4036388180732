#!/usr/bin/env node
// The `vaultdesk` command. tsx runs the TypeScript CLI straight from src/, so `npx vaultdesk`
// works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  // zstd in node:zlib, the default compression, arrived in Node 22.15.
  process.stderr.write(`vaultdesk: Node.js 22.15 or newer is required (this is ${process.version}).\n`);
  process.exit(1);
}
register();
await import('../src/main/cli/main.ts');
