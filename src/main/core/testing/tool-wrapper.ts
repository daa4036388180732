import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A shell script at `file` standing in for `tool` (found on PATH), doing what `body` says, where
 * REAL is the real tool's path: it notes its calls, or fails or lingers, for real, around the real one.
 */
export function toolWrapper(file: string, tool: string, body: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  writeFileSync(file, `#!/bin/sh\n${body.replaceAll('REAL', real)}\n`);
  chmodSync(file, 0o755);
  return file;
}

/**
 * A pg_dump stand-in in `dir` that runs the real one, then misbehaves as `body` says (REAL is
 * the real pg_dump): a real process failing, or lingering, for real. Put `dir` first on PATH.
 */
export function pgDumpWrapper(dir: string, body: string): string {
  toolWrapper(path.join(dir, 'pg_dump'), 'pg_dump', `case "$1" in --version|-V) exec REAL "$@";; esac\n${body}`);
  return dir;
}
