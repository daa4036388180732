import path from 'node:path';
import type { Command } from 'commander';
import { TOOL_NAMES, WEBHOOK_FORMATS, type ToolName, type WebhookFormat } from '../../shared/domain/dto';
import { AppError } from '../../shared/ipc/result';
import { action, secretFrom } from './cli-context';
import { emit, printTable } from './output';

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('app-wide settings');

  settings
    .command('show')
    .description('the app-wide settings')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const s = await core.call('settings:get', {});
        emit(o.json, s, () => {
          printTable(['TOOL', 'PATH'], TOOL_NAMES.map((t) => [t, s.toolPaths[t] ?? '(searched on PATH and in the usual install folders)']));
          process.stdout.write(`\nglobal webhook: ${s.hasWebhook ? `${s.webhookHost} (${s.webhookFormat})` : 'none'}\n`);
          process.stdout.write(`start at login: ${s.startAtLogin ? 'yes' : 'no'} (applied by the desktop app)\n`);
        });
      }),
    );

  settings
    .command('tools')
    .description('where each client tool and 7-Zip is, and its version: the path set with tool-path, or what the search finds')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const tools = await core.call('settings:tools', {});
        emit(o.json, tools, () =>
          printTable(
            ['TOOL', 'PATH', 'VERSION'],
            tools.map((s) => [s.tool, `${s.path ?? s.configured ?? '-'}${s.configured ? ' (set with tool-path)' : ''}`, s.version ?? `not usable: ${s.error}`]),
          ),
        );
      }),
    );

  settings
    .command('webhook')
    .description('the global webhook, told when any job fails and when it succeeds again')
    .argument('[url]', 'the URL (other users can see it in ps: prefer --env)')
    .option('--env <var>', 'read the URL from this environment variable')
    .option('--format <format>', `the body: ${WEBHOOK_FORMATS.join(', ')} (default json: the run record)`, 'json')
    .option('--clear', 'remove the global webhook')
    .option('--json', 'print JSON')
    .action(
      action(async (core, value: string | undefined, o: { env?: string; format: string; clear?: boolean; json?: boolean }) => {
        if (!(WEBHOOK_FORMATS as readonly string[]).includes(o.format)) throw new AppError('VALIDATION_FAILED', `--format is one of ${WEBHOOK_FORMATS.join(', ')}, not "${o.format}".`, { field: 'format' });
        const given = [value !== undefined, o.env !== undefined, o.clear === true].filter(Boolean).length;
        if (given !== 1) throw new AppError('VALIDATION_FAILED', 'Give the URL, --env VAR, or --clear (one of them).', { field: 'url' });
        const url = o.clear ? null : (value ?? (await secretFrom('webhook URL', { env: o.env }))!);
        const s = await core.call('settings:setWebhook', { url, format: o.format as WebhookFormat });
        emit(o.json, s, () => process.stdout.write(s.hasWebhook ? `The global webhook is ${s.webhookHost} (${s.webhookFormat}).\n` : 'There is no global webhook.\n'));
      }),
    );

  settings
    .command('tool-path')
    .description(`where a client tool or 7-Zip is, when the search does not find the right one (${TOOL_NAMES.join(', ')})`)
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
