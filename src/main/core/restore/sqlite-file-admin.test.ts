import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { inspectSqliteFile } from './sqlite-file-admin';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

describe('a SQLite restore target', () => {
  const t = tempDir('vaultdesk-sqlite-target-');
  afterAll(() => t.cleanup());

  it('with a transaction a killed writer left in its journal: said so, and what to do; once rolled back, read as usual', () => {
    const file = path.join(t.dir, 'hot.db');
    // A writer whose changes spilled into the file before it was killed: the journal is "hot".
    const writer = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)}); db.pragma('journal_mode = DELETE');
         db.exec('CREATE TABLE t (x BLOB)'); const add = db.prepare('INSERT INTO t VALUES (randomblob(4000))'); for (let i = 0; i < 100; i++) add.run();
         db.pragma('cache_size = 2'); db.exec('BEGIN'); db.exec('UPDATE t SET x = randomblob(4000)'); process.kill(process.pid, 'SIGKILL');`,
      ],
      { cwd: root },
    );
    expect(writer.signal).toBe('SIGKILL');
    expect(existsSync(`${file}-journal`)).toBe(true);
    expect(() => inspectSqliteFile(file)).toThrow(
      expect.objectContaining({
        code: 'RESTORE_FAILED',
        details: { path: file, reason: 'hot-journal' },
        message: `${file} has an unfinished transaction in ${file}-journal (a program writing it stopped halfway), which only a connection that may write the file rolls back: open it once with that program or with sqlite3 (sqlite3 ${file} 'PRAGMA integrity_check'), then restore again.`,
      }),
    );
    const rollBack = new Database(file);
    rollBack.prepare('SELECT count(*) FROM t').get();
    rollBack.close();
    expect(inspectSqliteFile(file)).toEqual({ exists: true, tables: 1, others: [] });
  });
});
