import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp-dir';

// bin/vaultdesk.mjs runs the built CLI (out/main/cli.js), which vitest's global setup builds
// from the current sources.
const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'bin/vaultdesk.mjs');
const t = tempDir('vaultdesk-cli-bundle-');
afterAll(() => t.cleanup());

/** Loaded with --import: records every module specifier the process resolves, ESM and require() alike. */
const hooks = path.join(t.dir, 'record-modules.mjs');
writeFileSync(
  hooks,
  `import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({ resolve(specifier, context, next) { seen.add(specifier); return next(specifier, context); } });
process.on('exit', () => process.stderr.write('\\nMODULES ' + JSON.stringify([...seen]) + '\\n'));
`,
);

function vaultdesk(args: string[], recordModules = false): { code: number | null; stdout: string; stderr: string; modules: string[] } {
  const r = spawnSync(process.execPath, [...(recordModules ? ['--import', hooks] : []), bin, ...args], {
    env: { PATH: process.env.PATH, HOME: t.dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = /\nMODULES (.*)\n$/.exec(r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: line ? r.stderr.slice(0, line.index) : r.stderr, modules: line ? (JSON.parse(line[1]!) as string[]) : [] };
}

/** Bare package names out of specifiers (`@aws-sdk/client-s3/x` -> `@aws-sdk/client-s3`), node: built-ins and relative paths left out. */
function packages(modules: string[]): string[] {
  const names = modules.filter((m) => !m.startsWith('node:') && !m.startsWith('.') && !m.startsWith('/') && !m.startsWith('file:'));
  return [...new Set(names.map((m) => m.split('/').slice(0, m.startsWith('@') ? 2 : 1).join('/')))];
}

const HEAVY = ['electron', '@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner', 'ssh2', 'mysql2', 'pg', 'age-encryption', 'better-sqlite3', '@napi-rs/keyring', 'zod', 'ws', 'react'];

describe('the built vaultdesk CLI', { timeout: 120_000 }, () => {
  it('prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const r = vaultdesk(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('answers --help without loading the core, a driver or electron', () => {
    const r = vaultdesk(['--help'], true);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: vaultdesk');
    expect(r.stdout).toContain('quickstart');
    const loaded = packages(r.modules);
    expect(loaded).toContain('commander');
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
    const sub = vaultdesk(['decrypt', '--help'], true);
    expect(sub.stdout).toContain('Usage: vaultdesk decrypt');
    expect(packages(sub.modules).filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads the store for a command that needs it, but no database driver, age or electron', () => {
    const r = vaultdesk(['--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'key'), 'job', 'list', '--json'], true);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
    const loaded = packages(r.modules);
    expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'zod']));
    expect(loaded.filter((p) => ['electron', '@aws-sdk/client-s3', 'ssh2', 'mysql2', 'pg', 'age-encryption', 'ws', 'react'].includes(p))).toEqual([]);
  });

  it('says to build, in one line, when the build is missing', () => {
    const checkout = path.join(t.dir, 'unbuilt');
    mkdirSync(path.join(checkout, 'bin'), { recursive: true });
    copyFileSync(bin, path.join(checkout, 'bin/vaultdesk.mjs'));
    const r = spawnSync(process.execPath, [path.join(checkout, 'bin/vaultdesk.mjs'), '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vaultdesk: the CLI is not built (${path.join(checkout, 'out/main/cli.js')} is missing): run \`npm run build\` in ${checkout} first.\n`);
  });
});
