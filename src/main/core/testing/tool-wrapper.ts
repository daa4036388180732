import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A pg_dump stand-in in `dir` that runs the real one, then misbehaves as `body` says (REAL is
 * the real pg_dump): a real process failing, or lingering, for real. Put `dir` first on PATH.
 */
export function pgDumpWrapper(dir: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const real = execFileSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' }).trim();
  const file = path.join(dir, 'pg_dump');
  writeFileSync(file, `#!/bin/sh\ncase "$1" in --version|-V) exec ${real} "$@";; esac\n${body.replaceAll('REAL', real)}\n`);
  chmodSync(file, 0o755);
  return dir;
}
