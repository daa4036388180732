import type { ScheduleStatusDto } from '../../../shared/domain/dto';
import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { SettingsRepository } from '../store/settings-repository';
import { describeSchedule } from './schedule';
import type { Scheduler } from './scheduler';
import type { SchedulerLease } from './scheduler-lease';

export interface StatusDeps {
  jobs: JobsRepository;
  runs: RunsRepository;
  settings: SettingsRepository;
  lease: SchedulerLease;
  scheduler: Scheduler;
  now: () => Date;
}

/** Who schedules, whether schedules are paused, and each scheduled job's next runs and last run. */
export function scheduleStatus(deps: StatusDeps): ScheduleStatusDto {
  const settings = deps.settings.get();
  const holder = deps.lease.holder();
  const now = deps.now();
  const jobs = deps.jobs
    .list()
    .filter((j) => j.schedule !== null)
    .map((j) => {
      const described = describeSchedule({ schedule: j.schedule!, timezone: j.timezone }, now, 3);
      const [last] = deps.runs.list({ jobId: j.id, limit: 1 });
      return {
        id: j.id,
        name: j.name,
        schedule: j.schedule!,
        timezone: j.timezone,
        words: described.words,
        next: described.next,
        catchUp: j.catchUp,
        enabled: j.enabled,
        lastRun: last ? { id: last.id, status: last.status, trigger: last.trigger, startedAt: last.startedAt } : null,
      };
    });
  return {
    paused: settings.schedulesPaused,
    maxConcurrentRuns: settings.maxConcurrentRuns,
    holder: holder ? { who: holder.who, since: holder.acquiredAt, heartbeatAt: holder.heartbeatAt, self: holder.self } : null,
    queued: deps.scheduler.queued(),
    jobs,
  };
}
