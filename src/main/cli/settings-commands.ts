import path from 'node:path';
import type { Command } from 'commander';
import { TOOL_NAMES, type ToolName } from '../../shared/domain/dto';
import { AppError } from '../../shared/ipc/result';
import { action } from './cli-context';
import { emit, printTable } from './output';

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('app-wide settings');

  settings
    .command('show')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const s = await core.call('settings:get', {});
        emit(o.json, s, () => printTable(['TOOL', 'PATH'], TOOL_NAMES.map((t) => [t, s.toolPaths[t] ?? '(searched on PATH and in the usual install folders)'])));
      }),
    );

  settings
    .command('tool-path')
    .description(`where a client tool is, when the search does not find the right one (${TOOL_NAMES.join(', ')})`)
    .argument('<tool>', 'tool name')
    .argument('[path]', 'absolute path of the executable')
    .option('--clear', 'forget the configured path and search again')
    .action(
      action(async (core, tool: string, file: string | undefined, o: { clear?: boolean }) => {
        if (!(TOOL_NAMES as readonly string[]).includes(tool)) throw new AppError('VALIDATION_FAILED', `Unknown tool "${tool}": use one of ${TOOL_NAMES.join(', ')}.`, { field: 'tool' });
        if (!o.clear && !file) throw new AppError('VALIDATION_FAILED', 'Give the path of the executable, or --clear.', { field: 'path' });
        await core.call('settings:setToolPath', { tool: tool as ToolName, path: o.clear ? null : path.resolve(file!) });
        process.stdout.write(o.clear ? `${tool} will be searched for.\n` : `${tool} is ${path.resolve(file!)}.\n`);
      }),
    );
}
