import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import { flipByte } from '../core/testing/backup-fixtures';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../core/testing/db-fixtures';
import { pgRowCounts } from '../core/testing/restore-fixtures';
import { pgEnv, probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const skip = shouldSkip('PostgreSQL, pg_restore, age and zstd', (await probePostgres()) ?? probeCommand('pg_restore') ?? probeCommand('age') ?? probeCommand('zstd'));
const bin = path.resolve(import.meta.dirname, '../../../bin/vaultdesk.mjs');

describe.skipIf(skip)('vaultdesk backup download ID -o -', { timeout: 180_000 }, () => {
  const t = tempDir('vaultdesk-download-stdout-');
  const source = scratchName('clipolish_dl_src');
  const target = scratchName('clipolish_dl_dst');
  const globals = ['--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key')];
  const identity = path.join(t.dir, 'identity.txt');
  const folder = path.join(t.dir, 'backups');
  const env = { PATH: process.env.PATH, HOME: t.dir };

  function vaultdesk(args: string[]): { code: number | null; stdout: Buffer; stderr: string } {
    const r = spawnSync(process.execPath, [bin, ...globals, ...args], { cwd: t.dir, input: '', env, timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
  }

  let backup: BackupDto;
  beforeAll(async () => {
    await createPgDatabase(source);
    await withPg(source, (c) => c.query(`CREATE SCHEMA sales; CREATE TABLE sales.orders (id int PRIMARY KEY, note text); INSERT INTO sales.orders SELECT g, repeat(md5(g::text), 20) FROM generate_series(1, 5000) g`));
    await createPgDatabase(target);
    const steps = [
      ['source', 'add', 'postgres', '--name', 'shop', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', source],
      ['destination', 'add', 'local', '--name', 'disk', '--path', folder, '--default'],
      ['profile', 'create', '--name', 'team'],
      ['profile', 'export-identity', 'team', '-o', identity],
      ['job', 'add', '--name', 'shop-nightly', '--source', 'shop', '--encryption', 'team', '--compression', 'zstd'],
      ['backup', 'run', 'shop-nightly'],
    ];
    for (const step of steps) expect(vaultdesk(step).code, step.join(' ')).toBe(0);
    [backup] = JSON.parse(vaultdesk(['backup', 'list', '--json']).stdout.toString('utf8')) as [BackupDto];
  });
  afterAll(async () => {
    await Promise.allSettled([dropPgDatabase(source), dropPgDatabase(target)]);
    t.cleanup();
  });

  it('writes the stored bytes, and nothing else, to stdout: age -d | zstd -d | pg_restore restores the database', async () => {
    const alone = vaultdesk(['backup', 'download', backup.id, '-o', '-']);
    expect(alone.code, alone.stderr).toBe(0);
    // Exactly as stored: still encrypted and compressed, no line of words among them.
    expect(alone.stdout.equals(readFileSync(path.join(folder, backup.key)))).toBe(true);
    expect(alone.stderr).toMatch(new RegExp(`^Wrote .+ of ${backup.key.replace(/[.]/g, '\\.')} \\(destination "disk"\\) to standard output; sha256 [0-9a-f]{64} matches the manifest\\.$`, 'm'));
    // Not a file named "-" (nor its manifest) in the working directory.
    expect(existsSync(path.join(t.dir, '-'))).toBe(false);
    expect(existsSync(path.join(t.dir, '-.manifest.json'))).toBe(false);

    const piped = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', 'node "$1" "${@:4}" backup download "$2" -o - | age -d -i "$3" | zstd -d | pg_restore --no-owner -d "$0"', target, bin, backup.id, identity, ...globals],
      { cwd: t.dir, env: { ...env, PGHOST: pgEnv.host, PGPORT: String(pgEnv.port), PGUSER: pgEnv.user }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(piped.status, piped.stderr).toBe(0);
    expect(await pgRowCounts(target)).toEqual({ 'sales.orders': 5000 });
    expect(await pgRowCounts(target)).toEqual(await pgRowCounts(source));
  });

  it('a stored copy that does not match its manifest: exit 1, INTEGRITY_FAILED on stderr, saying to discard what was written', () => {
    const refused = vaultdesk(['backup', 'download', backup.id, '-o', '-', '--json']);
    expect([refused.code, refused.stdout.length, refused.stderr]).toEqual([
      2,
      0,
      '{"error":{"code":"VALIDATION_FAILED","message":"--json prints to standard output, which -o - fills with the backup: leave one out.","details":{"field":"json"}}}\n',
    ]);

    flipByte(path.join(folder, backup.key), 2_000);
    const failed = vaultdesk(['backup', 'download', backup.id, '-o', '-']);
    expect(failed.code).toBe(1);
    // The bytes went out before the end could be checked: stderr says they are not the backup.
    expect(failed.stdout.length).toBe(backup.size);
    expect(failed.stderr).toMatch(
      new RegExp(`^vaultdesk: error \\[INTEGRITY_FAILED\\]: The stored copy of ${backup.key.replace(/[.]/g, '\\.')} on destination "disk" does not match its manifest \\(.*\\), so the bytes already written to standard output are not this backup: discard them\\.`, 'm'),
    );
    expect(vaultdesk(['backup', 'download', '--help']).stdout.toString('utf8')).toContain('output are not the backup and must be discarded');
  });
});
