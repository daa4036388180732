import { useEffect, useState } from 'react';
import type { RestoreDto, RestoreProgressDto } from '../../../../shared/domain/restores';
import type { AppError } from '../../../../shared/ipc/result';
import { api, asAppError, onEvent } from '../../api';
import { withProgress } from './restore-words';

/**
 * Follows one restore (or drill): its record, moved on by `restore:progress`, and read again
 * when `restore:finished` names it. A restore started by another window or process is followed
 * the same way.
 */
export function useRestore(restoreId: string | null): { restore: RestoreDto | null; error: AppError | null } {
  const [record, setRecord] = useState<{ id: string; restore: RestoreDto | null; error: AppError | null } | null>(null);
  const [progress, setProgress] = useState<RestoreProgressDto | null>(null);
  useEffect(() => {
    if (!restoreId) return;
    let current = true;
    const load = (): void => {
      api.restore.get({ id: restoreId }).then(
        (restore) => {
          if (!current) return;
          setRecord({ id: restoreId, restore, error: null });
          if (restore.status !== 'running') clearInterval(timer);
        },
        (err: unknown) => current && setRecord({ id: restoreId, restore: null, error: asAppError(err) }),
      );
    };
    // A restore that ended between the start and the subscription would otherwise never be seen ending.
    const timer = setInterval(() => load(), 5_000);
    load();
    const offProgress = onEvent('restore:progress', (p) => {
      if (p.restoreId === restoreId) setProgress(p);
    });
    const offFinished = onEvent('restore:finished', (r) => {
      if (r.id === restoreId && current) setRecord({ id: restoreId, restore: r, error: null });
    });
    return () => {
      current = false;
      offProgress();
      offFinished();
      clearInterval(timer);
    };
  }, [restoreId]);
  if (!restoreId || record?.id !== restoreId) return { restore: null, error: null };
  return { restore: record.restore ? withProgress(record.restore, progress) : null, error: record.error };
}
