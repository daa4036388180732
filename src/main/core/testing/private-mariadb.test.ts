import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateMariadbUnavailable, startPrivateMariadb } from './private-mariadb';
import { shouldSkip } from './services';

describe.skipIf(shouldSkip('a private MariaDB server', privateMariadbUnavailable()))('a private MariaDB server', () => {
  it("leaves the shared server's temporary tables in the shared temporary folder alone", async () => {
    // What the shared server (running as mysql) keeps there while a query needs an on-disk temporary table.
    const live = path.join(tmpdir(), `#sql-temptable-vaultdesk-${process.pid}.MAI`);
    writeFileSync(live, '');
    const mysql = (flag: string): number => Number(execFileSync('id', [flag, 'mysql'], { encoding: 'utf8' }).trim());
    chownSync(live, mysql('-u'), mysql('-g'));
    try {
      const server = await startPrivateMariadb();
      try {
        expect(server.sql('SELECT 1').trim()).toBe('1');
      } finally {
        await server.stop();
      }
      expect(existsSync(live)).toBe(true);
    } finally {
      rmSync(live, { force: true });
    }
  });
});
