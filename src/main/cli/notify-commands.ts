import type { Command } from 'commander';
import { action } from './cli-context';
import { emit, printTable } from './output';
import { jobId } from './resolve';

export function registerNotifyCommands(program: Command): void {
  const notify = program.command('notify').description('notifications: webhooks, Healthchecks pings, the desktop');

  notify
    .command('test')
    .description("send a test notification through each configured channel: the job's webhook and Healthchecks URL (its /log endpoint), the global webhook, the desktop app")
    .argument('[job]', 'job name or id (without it: the global webhook only)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string | undefined, o: { json?: boolean }) => {
        const outcomes = await core.call('notifications:test', ref ? { jobId: await jobId(core, ref) } : {});
        emit(o.json, outcomes, () => printTable(['CHANNEL', 'TARGET', 'RESULT'], outcomes.map((r) => [r.channel, r.target, `${r.ok ? 'ok' : 'FAILED'}: ${r.message}`])));
        if (outcomes.some((r) => !r.ok && r.channel !== 'desktop')) process.exitCode = 1;
      }),
    );
}
