import type { Command } from 'commander';
import type { ScheduleStatusDto } from '../../shared/domain/dto';
import { action, parseInteger } from './cli-context';
import { emit, printTable } from './output';

const when = (iso: string): string => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

/** "Tue 1 Dec 02:00 Europe/Berlin": a slot as the job's schedule reads it. */
function local(iso: string, timezone: string | null): string {
  const zone = timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const text = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date(iso));
  return `${text.replace(',', '')} ${zone}`;
}

export function printScheduleStatus(s: ScheduleStatusDto): void {
  process.stdout.write(`Schedules: ${s.paused ? 'PAUSED (resume with: vaultdesk schedule resume)' : 'active'}; at most ${s.maxConcurrentRuns} scheduled run(s) at once.\n`);
  process.stdout.write(
    s.holder
      ? `Run by ${s.holder.self ? 'this process' : s.holder.who} since ${when(s.holder.since)}.\n`
      : 'Nothing runs them now: schedules run while the Vaultdesk app or vaultdesk daemon is open on this data dir.\n',
  );
  process.stdout.write('\n');
  printTable(
    ['JOB', 'SCHEDULE', 'NEXT', 'LAST RUN'],
    s.jobs.map((j) => [j.name, `${j.words}${j.enabled ? '' : ' (job disabled)'}`, j.next[0] ? local(j.next[0], j.timezone) : '-', j.lastRun ? `${j.lastRun.status} ${when(j.lastRun.startedAt)} (${j.lastRun.trigger})` : 'never']),
  );
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('the scheduler: who runs the schedules of this data dir, pause and resume them');
  schedule
    .command('status')
    .description('who runs the schedules, whether they are paused, and every scheduled job\'s next run')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const s = await core.call('schedules:status', {});
        emit(o.json, s, () => printScheduleStatus(s));
      }),
    );
  for (const [name, channel, words] of [
    ['pause', 'schedules:pause', 'pause every schedule (runs started by hand still work); stays paused across restarts'],
    ['resume', 'schedules:resume', 'resume the schedules (a slot missed while paused is not caught up)'],
  ] as const) {
    schedule
      .command(name)
      .description(words)
      .option('--json', 'print JSON')
      .action(
        action(async (core, o: { json?: boolean }) => {
          const s = await core.call(channel, {});
          emit(o.json, s, () => process.stdout.write(`Schedules ${s.paused ? 'paused' : 'resumed'}.\n`));
        }),
      );
  }
  schedule
    .command('concurrency')
    .description('how many scheduled runs may run at once over every process on this data dir (default 2)')
    .argument('<n>', 'runs at once', parseInteger('The number of runs at once'))
    .action(
      action(async (core, n: number) => {
        const s = await core.call('schedules:setConcurrency', { limit: n });
        process.stdout.write(`At most ${s.maxConcurrentRuns} scheduled run(s) at once.\n`);
      }),
    );
}
