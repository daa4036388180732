import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';

/** A SQLite drill's scratch copy, with SQLite's files beside it and the restore's hidden partial file of it. */
const DRILL_FILE = /^\.?(drill-[0-9a-f-]{36}\.sqlite)(?:-wal|-shm|-journal|\.vaultdesk-[0-9a-f-]{36}\.partial(?:-wal|-shm|-journal)?)?$/;

/**
 * What a restore that did not finish left in the data dir's temporary folder holds the backup in
 * clear: the decrypted dump a parallel restore reads (`restore-<id>/`), a SQLite drill's scratch
 * copy (`drill-<uuid>.sqlite`). At start, once restores whose process is gone are marked
 * interrupted, those of restores no process runs any more are removed, not left for the sweep of
 * old temporary files: a restore running in another process keeps its own.
 */
export function sweepRestoreTemp(tempRoot: string, running: { id: string; targets: string[] }[], log: Logger): string[] {
  const ids = new Set(running.map((r) => r.id));
  const files = new Set(running.flatMap((r) => r.targets.map((t) => path.resolve(t))));
  let names: string[];
  try {
    names = readdirSync(tempRoot);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const restore = /^restore-(.+)$/.exec(name)?.[1];
    const drill = DRILL_FILE.exec(name)?.[1];
    const stale = restore !== undefined ? !ids.has(restore) : drill !== undefined && !files.has(path.resolve(tempRoot, drill));
    if (!stale) continue;
    const full = path.join(tempRoot, name);
    try {
      rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch (error) {
      log.warn('could not remove what an interrupted restore left', { path: full, error: String(error) });
    }
  }
  return removed;
}
