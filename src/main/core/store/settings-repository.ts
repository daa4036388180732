import type { SettingsDto, ToolName } from '../../../shared/domain/dto';
import { getMeta, setMeta, type Db } from './db';

const TOOL_PATHS = 'tool_paths';

/** App-wide settings, kept in the meta table. */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  get(): SettingsDto {
    return { toolPaths: JSON.parse(getMeta(this.db, TOOL_PATHS) ?? '{}') as SettingsDto['toolPaths'] };
  }

  setToolPath(tool: ToolName, path: string | null): SettingsDto {
    const toolPaths = { ...this.get().toolPaths };
    if (path === null) delete toolPaths[tool];
    else toolPaths[tool] = path;
    setMeta(this.db, TOOL_PATHS, JSON.stringify(toolPaths));
    return this.get();
  }
}
