import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupDto, BackupVerifyDto } from '../../shared/domain/backups';
import type { JobDto, SourceDto } from '../../shared/domain/dto';
import type { RestoreDto } from '../../shared/domain/restores';
import type { RunDto } from '../../shared/domain/runs';
import type { SystemExportDto, SystemImportDto } from '../../shared/domain/system';
import { cliRunner, type CliResult } from '../core/testing/cli-runner';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../core/testing/db-fixtures';
import { pgEnv, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-system-cli-');
const database = scratchName('system');
const skip = shouldSkip('PostgreSQL', await probePostgres());
/** Two installs: each its own data dir and its own master key, given as a headless host takes it. */
const installs = {
  a: { dataDir: path.join(t.dir, 'a'), key: randomBytes(32).toString('base64') },
  b: { dataDir: path.join(t.dir, 'b'), key: randomBytes(32).toString('base64') },
};
const PASSPHRASE = 'move the whole thing over';

function vaultdesk(install: keyof typeof installs, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): CliResult {
  const { dataDir, key } = installs[install];
  return cliRunner(t.dir, { dataDir, keyFile: null })(args, { stdin: options.stdin, env: { VAULTDESK_MASTER_KEY: key, ...options.env } });
}

function json<T>(install: keyof typeof installs, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): T {
  const r = vaultdesk(install, [...args, '--json'], options);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe.skipIf(skip)('vaultdesk system export and import, end to end', { timeout: 300_000 }, () => {
  const folder = path.join(t.dir, 'backups');
  const file = path.join(t.dir, 'vaultdesk-system.age');

  beforeAll(async () => {
    await createPgDatabase(database);
    await withPg(database, (c) => c.query("CREATE TABLE ledger (id int PRIMARY KEY, note text); INSERT INTO ledger SELECT g, 'entry ' || g FROM generate_series(1, 500) g"));
  });
  afterAll(async () => {
    await dropPgDatabase(database);
    await dropPgDatabase(`${database}_back`);
    t.cleanup();
  });

  it('moves a configuration to another install, which runs its job and sees, verifies, keeps and restores the backups made before', async () => {
    // Install A: a PostgreSQL source with a password, a local folder, an age profile and a job.
    expect(vaultdesk('a', ['source', 'add', 'postgres', '--name', 'ledger-db', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', database, '--password-stdin'], { stdin: 'pg password from A\n' }).code).toBe(0);
    expect(vaultdesk('a', ['destination', 'add', 'local', '--name', 'disk', '--path', folder, '--default']).code).toBe(0);
    expect(vaultdesk('a', ['profile', 'create', '--name', 'team']).code).toBe(0);
    expect(vaultdesk('a', ['job', 'add', '--name', 'ledger-nightly', '--source', 'ledger-db', '--encryption', 'team', '--schedule', '0 3 * * *', '--timezone', 'UTC', '--keep-last', '5']).code).toBe(0);
    const first = json<RunDto>('a', ['backup', 'run', 'ledger-nightly']);
    expect(first.status).toBe('succeeded');
    const [made] = json<BackupDto[]>('a', ['backup', 'list']) as [BackupDto];
    expect(vaultdesk('a', ['backup', 'pin', made.id]).code).toBe(0);

    const exported = json<SystemExportDto>('a', ['system', 'export', '-o', file, '--passphrase-env', 'SYSTEM_PASSPHRASE'], { env: { SYSTEM_PASSPHRASE: PASSPHRASE } });
    expect(exported.counts).toEqual({ environments: 1, sources: 1, destinations: 1, profiles: 1, jobs: 1, pins: 1 });
    // A standard age file (age -d asks for the passphrase on a terminal); the configuration is not readable in it.
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(bytes.toString('latin1')).toMatch(/^-> scrypt \S+ 18$/m);
    expect(bytes.includes(Buffer.from('pg password from A'))).toBe(false);
    // A second export is never written over the first.
    const exportedAgain = vaultdesk('a', ['system', 'export', '-o', file, '--passphrase-env', 'SYSTEM_PASSPHRASE'], { env: { SYSTEM_PASSPHRASE: PASSPHRASE } });
    expect([exportedAgain.code, exportedAgain.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: ${file} already exists: choose another path, or remove it first. Nothing was written.\n`]);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Install B: another master key. A wrong passphrase imports nothing.
    const wrong = vaultdesk('b', ['system', 'import', file], { stdin: 'not the passphrase\n' });
    expect([wrong.code, wrong.stderr]).toEqual([1, `vaultdesk: error [DECRYPT_FAILED]: Wrong passphrase: it does not open the system backup ${file}. Nothing was imported.\n`]);
    const imported = json<SystemImportDto>('b', ['system', 'import', file], { stdin: `${PASSPHRASE}\n` });
    expect(imported).toMatchObject({ merged: false, counts: exported.counts, skipped: [], settings: 'imported' });
    const [jobA, jobB] = (['a', 'b'] as const).map((i) => json<JobDto>(i, ['job', 'show', 'ledger-nightly']));
    expect(jobB).toEqual(jobA);
    const sourceB = json<SourceDto>('b', ['source', 'show', 'ledger-db']);
    expect(sourceB).toMatchObject({ hasPassword: true, database });
    const again = vaultdesk('b', ['system', 'import', file, '--passphrase-env', 'P'], { env: { P: PASSPHRASE } });
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('vaultdesk: error [DATA_DIR_NOT_EMPTY]: This data dir already has a configuration: 1 environment ("default"), 1 source ("ledger-db")')]);

    // B lists A's backup (read from the destination), pinned as in A, and opens it with the imported identity.
    const listed = json<BackupDto[]>('b', ['backup', 'list']);
    expect(listed.map((b) => [b.id, b.key, b.pinned, b.complete])).toEqual([[made.id, made.key, true, true]]);
    const verdict = json<BackupVerifyDto>('b', ['backup', 'verify', made.id]);
    expect([verdict.ok, verdict.age]).toEqual([true, 'authenticated']);

    // B runs the imported job, with the imported password, to the same destination.
    const second = json<RunDto>('b', ['backup', 'run', 'ledger-nightly']);
    expect(second.status).toBe('succeeded');
    const both = json<BackupDto[]>('b', ['backup', 'list']);
    expect(both.map((b) => b.key).sort()).toEqual([made.key, second.objects[0]!.key].sort());

    // And restores A's backup, made before the move, into a new database, with the imported identity and password.
    await withPg(database, (c) => c.query('DELETE FROM ledger WHERE id > 100'));
    const restored = json<RestoreDto>('b', ['restore', made.id, '--database', `${database}_back`]);
    expect(restored).toMatchObject({ status: 'succeeded', databases: [{ database: `${database}_back`, tables: [{ schema: 'public', table: 'ledger', rows: 500 }] }] });
    expect(await withPg(`${database}_back`, async (c) => (await c.query<{ n: string }>('SELECT count(*) AS n FROM ledger')).rows[0]!.n)).toBe('500');
  });
});
