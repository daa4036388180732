import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { SettingsRepository } from '../store/settings-repository';
import { trayModel, type TrayInput, type TrayModel } from './tray-model';

export interface TrayDeps {
  jobs: Pick<JobsRepository, 'list'>;
  runs: Pick<RunsRepository, 'healthFacts'>;
  settings: Pick<SettingsRepository, 'get'>;
  now: () => Date;
}

/** The jobs, the runs that decide their health and whether schedules are paused, read now. */
export function trayInput(deps: TrayDeps): TrayInput {
  return {
    now: deps.now(),
    paused: deps.settings.get().schedulesPaused,
    jobs: deps.jobs.list().map((j) => ({
      id: j.id,
      name: j.name,
      schedule: j.schedule,
      timezone: j.timezone,
      enabled: j.enabled,
      createdAt: j.createdAt,
      runs: deps.runs.healthFacts(j.id),
    })),
  };
}

/** The tray as the store has it now: what the desktop app draws. */
export function currentTrayModel(deps: TrayDeps): TrayModel {
  return trayModel(trayInput(deps));
}
