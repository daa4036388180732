import { useEffect } from 'react';
import type { JobDto, ScheduledJobDto, ScheduleStatusDto } from '../../../../shared/domain/dto';
import type { RunDto } from '../../../../shared/domain/runs';
import { api, onEvent } from '../../api';
import type { LiveQuery } from '../../lib/use-live-query';
import { useRunsQuery } from '../runs/use-runs-query';
import { scheduleInterval } from './job-health';

/** Runs read per job for its state, and successful ones for its size trend. */
const RECENT_RUNS = 10;
export const TREND_RUNS = 12;
/** Enough of a schedule's runs to see its longest gap (a weekday schedule's weekend). */
const INTERVAL_SLOTS = 20;
/**
 * Runs started by another process (the app's or the daemon's scheduler, a CLI command) send no
 * event to this window, and neither does another process taking the schedules: look again now
 * and then.
 */
const REFRESH_MS = 30_000;

export interface HomeJob {
  job: JobDto;
  /** Newest first. */
  recentRuns: RunDto[];
  /** Successful runs, newest first: the last success and the size trend. */
  successes: RunDto[];
  schedule: ScheduledJobDto | null;
  /** The longest gap between the schedule's runs, or null without a schedule. */
  intervalMs: number | null;
}

export interface HomeData {
  sources: number;
  destinations: number;
  status: ScheduleStatusDto;
  jobs: HomeJob[];
}

async function loadHome(): Promise<HomeData> {
  const [jobs, sources, destinations, status] = await Promise.all([api.jobs.list({}), api.sources.list({}), api.destinations.list({}), api.schedules.status({})]);
  const homeJobs = await Promise.all(
    jobs.map(async (job): Promise<HomeJob> => {
      const [recentRuns, successes, interval] = await Promise.all([
        api.runs.list({ jobId: job.id, limit: RECENT_RUNS }),
        api.runs.list({ jobId: job.id, status: 'succeeded', limit: TREND_RUNS }),
        job.schedule
          ? api.schedules
              .preview({ schedule: job.schedule, timezone: job.timezone, count: INTERVAL_SLOTS })
              // A schedule the core cannot read is not a reason to hide the whole page; the job is then never called stale.
              .then((p) => scheduleInterval(p.next), () => null)
          : Promise.resolve(null),
      ]);
      return { job, recentRuns, successes, schedule: status.jobs.find((s) => s.id === job.id) ?? null, intervalMs: interval };
    }),
  );
  return { sources: sources.length, destinations: destinations.length, status, jobs: homeJobs };
}

/** Everything the home page shows, loaded again on configuration changes, run events, schedule changes and every half minute. */
export function useHomeData(): LiveQuery<HomeData> {
  const query = useRunsQuery(loadHome);
  const { reload } = query;
  useEffect(() => {
    const off = onEvent('schedules:changed', () => reload());
    const timer = setInterval(reload, REFRESH_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [reload]);
  return query;
}
