import { Option, type Command } from 'commander';
import type { RunDto } from '../../shared/domain/runs';
import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { openCore, parseInteger, reportError, type GlobalOptions } from './cli-context';
import { DEFAULT_RENDERER_DIR } from './serve-command';

/** `30s`, `5m`, `1h` (a bare number is seconds) -> milliseconds. */
export function parseGrace(value: string): number {
  const m = /^(\d+)\s*(s|m|min|h)?$/.exec(value.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `--grace takes a duration like 30s, 5m or 1h, not "${value}".`, { field: 'grace' });
  const n = Number(m[1]);
  return n * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' || m[2] === 'min' ? 60_000 : 1000);
}

const line = (text: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
};

export function registerDaemonCommand(program: Command): void {
  program
    .command('daemon')
    .description('run the schedules without the desktop app until stopped (SIGTERM): on a server, in a container, as a systemd unit')
    .option('--serve', 'also serve the UI and API, as vaultdesk serve does')
    .option('--host <host>', 'with --serve: address to listen on', '127.0.0.1')
    .option('--port <port>', 'with --serve: port (0 picks a free one)', parseInteger('--port'), 0)
    .option('--public-url <url>', 'with --serve: the address browsers use when it is not the bound one')
    // The default is shown in the option's own units, not as the milliseconds it parses to.
    .addOption(new Option('--grace <duration>', 'on SIGTERM, let running backups finish for this long before cancelling them (30s, 5m, 1h); a second signal cancels them at once').argParser(parseGrace).default(5 * 60_000, '5m'))
    .action(async (o: { serve?: boolean; host: string; port: number; publicUrl?: string; grace: number }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      let core: Core | null = null;
      try {
        core = await openCore(globals, 'daemon');
        const open = core;
        const bridge = o.serve
          ? await (await import('../serve/serve-bridge')).startServeBridge({ core, rendererDir: DEFAULT_RENDERER_DIR, host: o.host, port: o.port, publicUrl: o.publicUrl, log: core.log })
          : null;
        const { dataDir } = await core.call('app:info', {});
        let stopping = false;
        open.events.on('schedules:changed', ({ holding }) => line(holding ? 'this daemon now runs the schedules' : stopping ? 'let go of the schedules: another Vaultdesk process may take them over' : 'another process runs the schedules now; standing by'));
        open.events.on('runs:finished', (run) => line(runLine(run)));
        open.scheduler.start();
        const status = await core.call('schedules:status', {});
        line(`vaultdesk daemon on ${dataDir}: ${status.jobs.length} scheduled job(s)${status.paused ? ', schedules PAUSED' : ''}; ${status.holder?.self ? 'running the schedules' : `standing by (${status.holder?.who ?? 'another process'} runs them)`}`);
        if (bridge) process.stdout.write(`Vaultdesk is serving at ${bridge.url}\n`);
        // Every signal is answered: left to Node's default, a second Ctrl-C or SIGTERM during the grace
        // would kill the daemon outright, its runs left "running" and their .partial files behind.
        let signals = 0;
        const stop = (): void => {
          signals += 1;
          if (signals === 1) {
            stopping = true;
            line(`stopping: running backups may finish for up to ${Math.round(o.grace / 1000)} s, then they are cancelled (a second signal cancels them now)`);
            open.scheduler.stop();
            void Promise.all([bridge?.close(), open.shutdown('vaultdesk daemon was stopped', o.grace)]).finally(() => process.exit(0));
          } else if (signals === 2) {
            line(open.runService.activeRuns().length > 0 ? 'second signal: cancelling the running backups now' : 'second signal: stopping now');
            open.runService.endGrace();
          } else {
            line('already stopping: cancelled backups are recording their end and running their post-run hooks');
          }
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } catch (error) {
        core?.close();
        reportError(error, false);
      }
    });
}

/**
 * The daemon's line for a finished run: one line, as log shippers and journald take a record, so a
 * hook's output quoted in the error is folded onto it (`vaultdesk run show` has it whole).
 */
export function runLine(run: Pick<RunDto, 'jobName' | 'trigger' | 'status' | 'error'>): string {
  return `run of ${run.jobName} (${run.trigger}): ${run.status}${run.error ? `: ${run.error.message.trim().replace(/\s*\n\s*/g, ' | ')}` : ''}`;
}
