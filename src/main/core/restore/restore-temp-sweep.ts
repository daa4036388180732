import path from 'node:path';

/** A SQLite drill's scratch copy, with SQLite's files beside it and the restore's hidden partial file of it. */
const DRILL_FILE = /^\.?(drill-[0-9a-f-]{36}\.sqlite)(?:-wal|-shm|-journal|\.vaultdesk-[0-9a-f-]{36}\.partial(?:-wal|-shm|-journal)?)?$/;

/** What the start-up sweep of the temporary folder does with an entry: a restore's, kept or removed; null, not a restore's. */
export type RestoreTempVerdict = (name: string) => 'keep' | 'remove' | null;

/**
 * A restore's entries in the data dir's temporary folder hold the backup in clear: the decrypted
 * dump a parallel restore reads (`restore-<id>/`), a SQLite drill's scratch copy
 * (`drill-<uuid>.sqlite`). Those of a restore still running, in any process, are kept however old
 * they are (a restore may run for hours); those of a restore no process runs any more are removed
 * at once, not an hour later. `running` null (the store could not be read): every restore entry is kept.
 */
export function restoreTempVerdict(tempRoot: string, running: { id: string; targets: string[] }[] | null): RestoreTempVerdict {
  const ids = new Set(running?.map((r) => r.id));
  const files = new Set(running?.flatMap((r) => r.targets.map((t) => path.resolve(t))));
  return (name) => {
    const restore = /^restore-(.+)$/.exec(name)?.[1];
    const drill = DRILL_FILE.exec(name)?.[1];
    if (restore === undefined && drill === undefined) return null;
    if (running === null) return 'keep';
    const owned = restore !== undefined ? ids.has(restore) : files.has(path.resolve(tempRoot, drill!));
    return owned ? 'keep' : 'remove';
  };
}
