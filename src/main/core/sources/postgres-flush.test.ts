import { afterAll, describe, expect, it } from 'vitest';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { pgFlushAsItGoesSql } from './postgres-flush';

const skip = shouldSkip('PostgreSQL', await probePostgres());

/** What a new session on `database` gets. */
const flushAfter = (database: string): Promise<string> => withPg(database, async (c) => (await c.query<{ v: string }>("SELECT current_setting('backend_flush_after') AS v")).rows[0]!.v);

describe.skipIf(skip)('backend_flush_after on a database being restored', () => {
  // A name holding the dollar-quote tag the statement would otherwise use.
  const database = `${scratchName('flush')}$vd$x`;
  afterAll(() => dropPgDatabase(database));

  it("is set for the database's new sessions, then reset, leaving no setting behind; a name with the quote's tag in it is no trouble", async () => {
    await createPgDatabase(database);
    await withPg('postgres', (c) => c.query(pgFlushAsItGoesSql(c.escapeIdentifier(database), true)));
    expect(await flushAfter(database)).toBe('2MB');
    expect(await flushAfter('postgres')).toBe('0');
    await withPg('postgres', (c) => c.query(pgFlushAsItGoesSql(c.escapeIdentifier(database), false)));
    expect(await flushAfter(database)).toBe('0');
    const left = await withPg('postgres', async (c) => (await c.query('SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1', [database])).rowCount);
    expect(left).toBe(0);
  });

  it("swallows the server's refusal (here: no such database), so a restore goes on as before", async () => {
    await expect(withPg('postgres', (c) => c.query(pgFlushAsItGoesSql(c.escapeIdentifier(scratchName('missing')), true)))).resolves.toBeDefined();
  });
});
