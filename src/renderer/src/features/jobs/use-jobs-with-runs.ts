import { useCallback, useState } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import type { RunDto } from '../../../../shared/domain/runs';
import { api, asAppError } from '../../api';
import type { LiveQuery } from '../../lib/use-live-query';
import { useRunsQuery } from '../runs/use-runs-query';

export interface JobWithRun {
  job: JobDto;
  /** The job's newest run, null when it never ran. */
  lastRun: RunDto | null;
}

/** Each job with its newest run, whatever its age (one small query per job, not a window of recent runs). */
async function loadJobsWithRuns(): Promise<JobWithRun[]> {
  const jobs = await api.jobs.list({});
  const latest = await Promise.all(jobs.map((job) => api.runs.list({ jobId: job.id, limit: 1 })));
  return jobs.map((job, i) => ({ job, lastRun: latest[i]![0] ?? null }));
}

export interface JobsWithRuns extends LiveQuery<JobWithRun[]> {
  /** Starts a run now; the list reloads so the job shows as running at once. */
  runNow: (job: JobDto) => Promise<void>;
  /** Jobs whose `jobs:run` call has not answered yet. */
  starting: ReadonlySet<string>;
}

export function useJobsWithRuns(onRunError: (job: JobDto, message: string) => void): JobsWithRuns {
  const query = useRunsQuery(loadJobsWithRuns);
  const [starting, setStarting] = useState<ReadonlySet<string>>(new Set());
  const { reload } = query;
  const runNow = useCallback(
    async (job: JobDto) => {
      setStarting((s) => new Set(s).add(job.id));
      try {
        await api.jobs.run({ id: job.id });
      } catch (error) {
        onRunError(job, asAppError(error).message);
      } finally {
        setStarting((s) => {
          const next = new Set(s);
          next.delete(job.id);
          return next;
        });
        reload();
      }
    },
    [reload, onRunError],
  );
  return { ...query, runNow, starting };
}
