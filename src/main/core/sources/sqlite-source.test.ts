import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { seedSqliteFile, sqliteFingerprint, startSqliteWriter, testSourceDto } from '../testing/db-fixtures';
import { bindReadOnly, mountTmpfs, mountUnavailable } from '../testing/mounts';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { removeAbandonedSqlitePartials } from './sqlite-source';
import { collect, testContext } from './source-test-helpers';

let t: ReturnType<typeof tempDir>;
let work: string;
let file: string;
let driver: SourceDriver;

beforeEach(() => {
  t = tempDir();
  work = path.join(t.dir, 'tmp');
  mkdirSync(work);
  file = path.join(t.dir, 'shop.db');
  driver = createSourceDriver(testSourceDto('sqlite', { path: file }), {}, testContext(work));
});
afterEach(() => t.cleanup());

describe('sqlite source', () => {
  it('tests and lists the file as one database', async () => {
    seedSqliteFile(file, 10);
    const result = await driver.test();
    expect(result).toMatchObject({ success: true, serverVersion: expect.stringMatching(/^SQLite 3\./) });
    expect(result.message).toContain('2 tables');
    expect(await driver.listDatabases()).toEqual(['shop']);
    const db = new Database(file);
    db.exec('DROP TABLE ledger');
    db.close();
    expect((await driver.test()).message).toContain(`Opened ${file} (1 table) with SQLite`);
    expect(driver.extension('plain')).toBe('sqlite');
  });

  it('round-trips a file, and the temp snapshot is gone afterwards', async () => {
    seedSqliteFile(file, 500);
    const original = sqliteFingerprint(file);
    const dump = await driver.dump(null, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(readdirSync(work)).toEqual([]);

    const target = path.join(t.dir, 'restored', 'copy.db');
    mkdirSync(path.dirname(target));
    await driver.restore(Readable.from([bytes]), { database: target, format: 'plain' });
    expect(sqliteFingerprint(target)).toEqual(original);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(target))).toEqual(['copy.db']);
  });

  it('takes a consistent snapshot while another thread keeps writing', async () => {
    seedSqliteFile(file, 10_000);
    const writer = startSqliteWriter(file);
    try {
      // The backup has to cope with the writer from its first page on.
      await writer.started;
      const dump = await driver.dump(null, { format: 'plain' });
      const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
      const target = path.join(t.dir, 'snapshot.db');
      await driver.restore(Readable.from([bytes]), { database: target, format: 'plain' });
      const snapshot = sqliteFingerprint(target);
      expect(snapshot.integrity).toBe('ok');
      // Every row's ledger bump is in the same transaction: a torn copy would break the equality.
      expect(snapshot.ledger).toBe(snapshot.rows);
      expect(snapshot.rows).toBeGreaterThan(10_000);
    } finally {
      const written = await writer.stop();
      expect(written).toBeGreaterThan(0);
    }
    expect(sqliteFingerprint(file).ledger).toBe(sqliteFingerprint(file).rows);
  });

  it('replaces an existing target atomically and removes its stale WAL', async () => {
    seedSqliteFile(file, 50);
    const target = path.join(t.dir, 'target.db');
    seedSqliteFile(target, 5);
    writeFileSync(`${target}-wal`, 'stale wal from the old file');
    const dump = await driver.dump(null, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    await driver.restore(Readable.from([bytes]), { database: target, format: 'plain' });
    expect(sqliteFingerprint(target)).toEqual(sqliteFingerprint(file));
  });

  it('refuses a stream that is not a SQLite database and leaves the target unchanged', async () => {
    const target = path.join(t.dir, 'target.db');
    seedSqliteFile(target, 5);
    const before = readFileSync(target);
    const error = (await driver.restore(Readable.from([Buffer.alloc(8192, 7)]), { database: target, format: 'plain' }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain('not a SQLite database');
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(readdirSync(t.dir).sort()).toEqual(['target.db', 'tmp']);
  });

  it.skipIf(shouldSkip('a read-only bind mount', mountUnavailable()))('says in words that the target folder is read-only, and writes nothing', async () => {
    seedSqliteFile(file, 5);
    const dump = await driver.dump(null, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    const folder = path.join(t.dir, 'ro');
    mkdirSync(folder);
    const readOnly = bindReadOnly(folder, folder);
    try {
      const target = path.join(folder, 'copy.db');
      const error = (await driver.restore(Readable.from([bytes]), { database: target, format: 'plain' }).catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe('RESTORE_FAILED');
      expect(error.message).toBe(`The restore into ${target} failed: ${folder} is on a read-only file system.`);
      expect(error.details).toMatchObject({ problem: 'read-only', errno: 'EROFS' });
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      readOnly.unmount();
    }
  });

  it('cancels a dump: CANCELLED and no snapshot left in the temp dir', async () => {
    seedSqliteFile(file, 5_000);
    const controller = new AbortController();
    const dump = await driver.dump(null, { format: 'plain', signal: controller.signal });
    const first = await new Promise<Buffer>((resolve) => dump.stream.once('data', resolve));
    dump.stream.pause();
    expect(first.length).toBeGreaterThan(0);
    controller.abort();
    await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(work)).toEqual([]);
  });

  it.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('a temporary folder without room for the snapshot: DUMP_FAILED naming that folder, not the database', async () => {
    seedSqliteFile(file, 2_000);
    const disk = mountTmpfs(path.join(t.dir, 'small'), '256k');
    try {
      const small = createSourceDriver(testSourceDto('sqlite', { path: file }), {}, testContext(disk.dir));
      const dump = await small.dump(null, { format: 'plain' });
      dump.stream.resume();
      await expect(dump.done).rejects.toMatchObject({
        code: 'DUMP_FAILED',
        message: `The SQLite backup of ${file} could not write its snapshot in ${disk.dir}: no space left on the device holding ${disk.dir}.`,
      });
      expect(readdirSync(disk.dir)).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it('reports a missing or foreign file as SOURCE_UNREACHABLE', async () => {
    await expect(driver.test()).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE', message: expect.stringContaining(file) });
    writeFileSync(file, 'x'.repeat(4096));
    await expect(driver.dump(null, { format: 'plain' })).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE', message: expect.stringContaining('not a SQLite database') });
    expect(existsSync(path.join(work))).toBe(true);
    expect(readdirSync(work)).toEqual([]);
  });
});

describe('removeAbandonedSqlitePartials', () => {
  it('removes the temporary files of restores into that target only, with their journals', async () => {
    const temp = tempDir('vaultdesk-sqlite-partials-');
    const dir = temp.dir;
    const target = path.join(dir, 'ledger.db');
    const names = [
      '.ledger.db.vaultdesk-1b2c.partial',
      '.ledger.db.vaultdesk-1b2c.partial-wal',
      '.ledger.db.vaultdesk-1b2c.partial-journal',
      'ledger.db',
      'ledger.db-wal',
      '.ledger.db2.vaultdesk-9f.partial',
      '.ledger.db.vaultdesk-notes.txt',
      'ledger.db.bak-20261130T150000Z',
    ];
    for (const n of names) writeFileSync(path.join(dir, n), 'x');
    const removed = await removeAbandonedSqlitePartials(target);
    expect(removed.map((f) => path.basename(f)).sort()).toEqual(['.ledger.db.vaultdesk-1b2c.partial', '.ledger.db.vaultdesk-1b2c.partial-journal', '.ledger.db.vaultdesk-1b2c.partial-wal']);
    expect(readdirSync(dir).sort()).toEqual(['.ledger.db.vaultdesk-notes.txt', '.ledger.db2.vaultdesk-9f.partial', 'ledger.db', 'ledger.db-wal', 'ledger.db.bak-20261130T150000Z']);
    temp.cleanup();
  });

  it('finds nothing to remove in a folder that is gone', async () => {
    expect(await removeAbandonedSqlitePartials('/nonexistent-vaultdesk-dir/ledger.db')).toEqual([]);
  });
});
