import type { SettingsDto, ToolName } from '../../../shared/domain/dto';
import { getMeta, setMeta, type Db } from './db';

const TOOL_PATHS = 'tool_paths';
const SCHEDULES_PAUSED = 'schedules_paused';
const MAX_CONCURRENT_RUNS = 'max_concurrent_runs';
/** Scheduled runs at once, over every process sharing the data dir, unless the user says otherwise. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 2;

/** App-wide settings, kept in the meta table. */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  get(): SettingsDto {
    return {
      toolPaths: JSON.parse(getMeta(this.db, TOOL_PATHS) ?? '{}') as SettingsDto['toolPaths'],
      schedulesPaused: getMeta(this.db, SCHEDULES_PAUSED) === 'true',
      maxConcurrentRuns: Number(getMeta(this.db, MAX_CONCURRENT_RUNS) ?? DEFAULT_MAX_CONCURRENT_RUNS),
    };
  }

  setSchedulesPaused(paused: boolean): SettingsDto {
    setMeta(this.db, SCHEDULES_PAUSED, String(paused));
    return this.get();
  }

  setMaxConcurrentRuns(limit: number): SettingsDto {
    setMeta(this.db, MAX_CONCURRENT_RUNS, String(limit));
    return this.get();
  }

  setToolPath(tool: ToolName, path: string | null): SettingsDto {
    const toolPaths = { ...this.get().toolPaths };
    if (path === null) delete toolPaths[tool];
    else toolPaths[tool] = path;
    setMeta(this.db, TOOL_PATHS, JSON.stringify(toolPaths));
    return this.get();
  }
}
