import { CLIENT_TOOL_NAMES, type ToolName, type ToolStatusDto } from '../../../shared/domain/dto';
import { findSevenZip } from '../pipeline/seven-zip-tool';
import { findTool, toolVersion } from './client-tools';
import { toolEnv } from './tool-env';

/**
 * What each tool resolves to on this host, as a run would find it: the path set in Settings, or
 * the search (PATH, then the install folders), with the version it reports. A tool that cannot
 * be used says why, in the words a run would fail with. All are asked at once.
 */
export async function toolStatuses(env: Record<string, string | undefined>, toolPaths: Partial<Record<ToolName, string>>): Promise<ToolStatusDto[]> {
  const words = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  const clients = CLIENT_TOOL_NAMES.map(async (tool): Promise<ToolStatusDto> => {
    const configured = toolPaths[tool] ?? null;
    let found: ReturnType<typeof findTool>;
    try {
      found = findTool(tool, { env, toolPaths });
    } catch (error) {
      return { tool, configured, path: null, version: null, error: words(error) };
    }
    try {
      const version = await toolVersion(found, toolEnv(env, {}));
      return { tool, configured, path: found.path, version: version.text, error: null };
    } catch (error) {
      return { tool, configured, path: found.path, version: null, error: words(error) };
    }
  });
  const sevenZip = (async (): Promise<ToolStatusDto> => {
    const configured = toolPaths['7z'] ?? null;
    try {
      const found = await findSevenZip(env, configured ?? undefined);
      return { tool: '7z', configured, path: found.path, version: `7-Zip ${found.version}`, error: null };
    } catch (error) {
      return { tool: '7z', configured, path: null, version: null, error: words(error) };
    }
  })();
  return Promise.all([...clients, sevenZip]);
}
