import type { RestoreDto, RestoreProgressDto, RestoreStage, RestoreStatus } from '../../../../shared/domain/restores';

export const RESTORE_STAGE_WORDS: Record<RestoreStage, string> = {
  check: 'Checking the backup and the target',
  restore: 'Reading, decrypting and restoring',
  count: 'Counting rows',
  swap: 'Putting the restored copy in place',
  compare: 'Comparing row counts with the source',
  cleanup: 'Dropping the scratch database',
};

export const RESTORE_STATUS_COLORS: Record<RestoreStatus, string> = {
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
  interrupted: 'orange',
};

/** Where a running restore is: its stage, and the share of the backup read (0-100). */
export function restorePercent(p: Pick<RestoreProgressDto, 'bytesRead' | 'totalBytes'>): number {
  if (p.totalBytes <= 0) return 0;
  return Math.min(100, Math.round((p.bytesRead / p.totalBytes) * 100));
}

/** The restore as it is now: the record, moved on by the latest progress event of the same restore. */
export function withProgress(restore: RestoreDto, progress: RestoreProgressDto | null): RestoreDto {
  if (!progress || progress.restoreId !== restore.id || restore.status !== 'running') return restore;
  return { ...restore, stage: progress.stage, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes };
}

/** `1234567` -> "1,234,567": row counts are read digit by digit against the source's. */
export function formatCount(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

/** "+12", "-3", "0", or "—" when a side is missing. */
export function formatDifference(n: number | null): string {
  if (n === null) return '—';
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/**
 * The message without the to-do sentences it ends with: the history shows those apart, whole and
 * in the warning colour, where a cut message could hide them.
 */
export function messageWithoutToDo(r: Pick<RestoreDto, 'message' | 'toDo'>): string {
  let message = r.message;
  for (const sentence of r.toDo) {
    const at = message.lastIndexOf(` ${sentence}`);
    if (at >= 0) message = `${message.slice(0, at)}${message.slice(at + sentence.length + 1)}`;
  }
  return message;
}
