/**
 * A restore writes the restored database into the OS's page cache, where it waits for the next
 * checkpoint to be written out all at once; DROP DATABASE forces that checkpoint, and a --force
 * restore drops the database it replaced right after (a drill, its scratch copy). With
 * backend_flush_after (PostgreSQL 9.6+) set on the database Vaultdesk created for the restore,
 * and reset once it is restored, the restore's sessions ask the OS to start writing as they go,
 * while the disk would otherwise wait on the server parsing rows.
 *
 * In a DO block that swallows the statement's own error: a server that does not know the setting
 * or refuses it restores as before. `quotedDatabase`: the name, quoted as an identifier.
 */
export function pgFlushAsItGoesSql(quotedDatabase: string, on: boolean): string {
  const statement = on ? `ALTER DATABASE ${quotedDatabase} SET backend_flush_after = '2MB'` : `ALTER DATABASE ${quotedDatabase} RESET backend_flush_after`;
  let tag = 'vd';
  while (statement.includes(`$${tag}$`)) tag += 'x';
  return `DO $${tag}$BEGIN ${statement}; EXCEPTION WHEN OTHERS THEN NULL; END $${tag}$`;
}
