import { lstatSync, readdirSync, rmSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RestoreDto } from '../../../shared/domain/restores';
import { removeAbandonedSqlitePartials } from '../sources/sqlite-source';

/**
 * What a SQLite restore whose process was killed outright left beside its target: the hidden
 * partial file it was writing (the backup in clear) and the second name it gave the old file to
 * keep it (`FILE.bak-<time>`, a hard link made before the replace that never came, so the same
 * file as the live one: it keeps nothing, and would be taken for the old copy). A `.bak` that is
 * another file than the live one is a replaced file kept by a restore that got that far, and
 * stays. Removed by the process that finds the restore interrupted; returns what it removed.
 */
export async function removeSqliteRestoreLeftovers(restore: RestoreDto): Promise<string[]> {
  if (restore.engine !== 'sqlite' || restore.kind !== 'restore') return [];
  const removed: string[] = [];
  for (const { database: target } of restore.databases) {
    if (!path.isAbsolute(target)) continue;
    removed.push(...(await removeAbandonedSqlitePartials(target)));
    removed.push(...removeStrayLinks(target));
  }
  return removed;
}

function removeStrayLinks(target: string): string[] {
  const dir = path.dirname(target);
  const base = path.basename(target);
  const kept = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.bak-\\d{8}T\\d{6}Z(?:-\\d+)?(-wal)?$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = kept.exec(name);
    if (!m) continue;
    const live = statOf(`${target}${m[1] ?? ''}`);
    const link = statOf(path.join(dir, name));
    if (!live || !link || !link.isFile() || live.ino !== link.ino || live.dev !== link.dev) continue;
    try {
      rmSync(path.join(dir, name));
      removed.push(path.join(dir, name));
    } catch {
      // Left as it is: the next process to find an interrupted restore there tries again.
    }
  }
  return removed;
}

function statOf(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}
