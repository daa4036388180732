import { notifications } from '@mantine/notifications';
import { createContext, useContext, useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { RunDto, RunProgressDto } from '../../../../shared/domain/runs';
import { storedWords } from '../../../../shared/domain/run-words';
import { api, onEvent } from '../../api';
import { describeRunError } from './run-status';

export interface RunActivity {
  /** The latest progress report of each run still going, by run id. */
  progress: ReadonlyMap<string, RunProgressDto>;
  /**
   * Bumped whenever a run finishes or a run this window has not seen starts (from the
   * scheduler, the tray or another window): lists of runs reload on it.
   */
  version: number;
}

const RunActivityContext = createContext<RunActivity>({ progress: new Map(), version: 0 });

/**
 * Listens to the core's run events for the whole window, so a run's progress is still known
 * after the DBA switches pages, and says when a run ends wherever the DBA is.
 */
export function RunActivityProvider({ children }: { children: ReactNode }): ReactElement {
  const [activity, setActivity] = useState<RunActivity>({ progress: new Map(), version: 0 });
  useEffect(() => {
    // A window opened (or reloaded) mid-run starts from the progress the store keeps, not from nothing.
    api.runs.list({ status: 'running', limit: 50 }).then(
      (runs) =>
        setActivity((current) => {
          const progress = new Map(current.progress);
          for (const run of runs) if (run.progress && !progress.has(run.id)) progress.set(run.id, run.progress);
          return { ...current, progress };
        }),
      // Nothing to start from: progress comes with the next event, and the lists say when the core cannot be reached.
      () => undefined,
    );
  }, []);
  useEffect(() => {
    const offProgress = onEvent('runs:progress', (p) => {
      setActivity((current) => {
        const progress = new Map(current.progress);
        const isNew = !progress.has(p.runId);
        progress.set(p.runId, p);
        return { progress, version: isNew ? current.version + 1 : current.version };
      });
    });
    const offFinished = onEvent('runs:finished', (run) => {
      setActivity((current) => {
        const progress = new Map(current.progress);
        progress.delete(run.id);
        return { progress, version: current.version + 1 };
      });
      announce(run);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, []);
  return <RunActivityContext.Provider value={activity}>{children}</RunActivityContext.Provider>;
}

export function useRunActivity(): RunActivity {
  return useContext(RunActivityContext);
}

function announce(run: RunDto): void {
  if (run.status === 'succeeded') {
    notifications.show({ color: 'teal', title: `Backup "${run.jobName}" succeeded`, message: storedWords(run.objects) });
  } else if (run.status === 'cancelled') {
    notifications.show({ color: 'gray', title: `Backup "${run.jobName}" cancelled`, message: 'Nothing was kept.' });
  } else if (run.error) {
    const text = describeRunError(run.error);
    notifications.show({ color: 'red', title: `Backup "${run.jobName}" failed`, message: `${text.headline}: ${text.message}`, autoClose: 15_000 });
  }
}
