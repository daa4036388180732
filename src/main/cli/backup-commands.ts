import type { Command } from 'commander';
import { keptNothing, type RunDto } from '../../shared/domain/runs';
import type { Core } from '../core/create-core';
import { formatBytes } from '../core/destinations/local-files';
import { registerExplorerCommands } from './backup-explorer-commands';
import { action, parseInteger } from './cli-context';
import { cancelledExitCode, followToEnd } from './follow-to-end';
import { emit, printRecord, printTable } from './output';
import { jobId, runId } from './resolve';

const MiB = 1024 * 1024;

/** Runs a job to the end in this process, with a progress bar on a terminal; Ctrl-C cancels cleanly. */
export function runJobToEnd(core: Core, id: string, options: { progress: boolean; trigger?: 'manual' | 'quickstart' }): Promise<RunDto> {
  return followToEnd(core, {
    noun: 'run',
    finished: 'runs:finished',
    finishedId: (run) => run.id,
    progress: 'runs:progress',
    progressId: (p) => p.runId,
    start: async () => (await core.call('jobs:run', { id, trigger: options.trigger ?? 'manual' })).runId,
    cancel: (runId) => void core.invoke('runs:cancel', { id: runId }),
    bar: options.progress
      ? {
          format: ' {stage} {database} [{bar}] {dumped} MiB dumped, {stored} MiB stored',
          initial: { stage: 'plan', database: '', dumped: '0.0', stored: '0.0' },
          at: (p) => ({
            value: p.objectIndex + (p.stage === 'manifest' ? 1 : 0),
            total: p.objectCount,
            fields: { stage: p.stage.padEnd(8), database: p.database ?? '', dumped: (p.bytesDumped / MiB).toFixed(1), stored: (p.bytesStored / MiB).toFixed(1) },
          }),
        }
      : null,
  });
}

export function printRun(run: RunDto): void {
  printRecord({
    run: run.id,
    job: run.jobName,
    status: run.status,
    started: run.startedAt,
    finished: run.finishedAt,
    dumped: `${formatBytes(run.bytesIn)} (${run.bytesIn} bytes)`,
    // A run that failed kept nothing: what its dump reached is above, and nothing is "stored".
    stored: keptNothing(run) ? 'nothing' : `${formatBytes(run.bytesOut)} (${run.bytesOut} bytes)`,
    error: run.error ? `stage ${run.error.stage}${run.error.destination ? ` (${run.error.destination})` : ''}: [${run.error.code}] ${run.error.message}` : null,
  });
  for (const o of run.objects) {
    const what = o.status === 'succeeded' ? `${formatBytes(o.size)}, ${o.size} bytes, sha256 ${o.sha256}` : `${formatBytes(o.bytesIn)} dumped before it stopped`;
    process.stdout.write(`\n${o.database} (${o.status}, ${what})\n`);
    for (const d of o.destinations) process.stdout.write(`  ${d.name}: ${d.ok ? d.location : `not stored: ${d.error}`}\n`);
  }
  for (const r of run.retention ?? []) {
    process.stdout.write(`\nretention on ${r.destination}: ${r.deleted.length} deleted, ${r.kept} kept${r.error ? `; not finished [${r.error.code}]: ${r.error.message}` : ''}\n`);
    for (const key of r.deleted) process.stdout.write(`  deleted ${key}\n`);
  }
  for (const hook of [run.hooks.pre, run.hooks.post]) {
    if (!hook) continue;
    process.stdout.write(`\n${hook.message.replace(/\.$/, '')} (${(hook.durationMs / 1000).toFixed(1)} s).\n`);
    if (hook.output.trim()) process.stdout.write(`${hook.outputTruncated ? '  ...\n' : ''}${hook.output.trimEnd().replace(/^/gm, '  | ')}\n`);
  }
}

/** How long `run cancel` waits for the run's process to stop it: past its grace for a hook or a tool, it is told as still stopping. */
const CANCEL_WAIT_MS = 60_000;

/** The run once it is no longer running, read as any process records it, or as it is after CANCEL_WAIT_MS. */
async function endOf(core: Core, run: RunDto): Promise<RunDto> {
  const until = Date.now() + CANCEL_WAIT_MS;
  let now = run;
  while (now.status === 'running' && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    now = await core.call('runs:get', { id: run.id });
  }
  return now;
}

export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('run backups, and find, verify, download, pin and delete the stored ones');
  backup
    .command('run')
    .description('run a job now and wait for it; exits non-zero if the run failed')
    .argument('<job>', 'job name or id')
    .option('--json', 'print the run record (with each stored object\'s location) as JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const run = await runJobToEnd(core, await jobId(core, ref), { progress: !o.json && process.stderr.isTTY === true });
        emit(o.json, run, () => printRun(run));
        if (run.status === 'cancelled') process.exitCode = cancelledExitCode();
        else if (run.status !== 'succeeded') process.exitCode = 1;
      }, { pipeline: true }),
    );

  registerExplorerCommands(backup);

  const runs = program.command('run').description('past and current runs');
  runs
    .command('list')
    .description('the latest runs, newest first')
    .option('--job <job>', 'only this job\'s runs')
    .option('--limit <n>', 'how many', parseInteger('--limit'), 20)
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { job?: string; limit: number; json?: boolean }) => {
        const list = await core.call('runs:list', { jobId: o.job ? await jobId(core, o.job) : undefined, limit: o.limit });
        emit(o.json, list, () =>
          printTable(
            ['RUN', 'JOB', 'TRIGGER', 'STATUS', 'STARTED', 'STORED', 'ERROR'],
            list.map((r) => [r.id, r.jobName, r.trigger, r.status, r.startedAt, `${(r.bytesOut / MiB).toFixed(1)} MiB`, r.error ? `${r.error.stage}: ${r.error.message}` : '']),
          ),
        );
      }),
    );
  runs
    .command('cancel')
    .description('cancel a running run, in this process or another sharing the data dir (the app, the daemon): nothing of it is kept; waits for it to end')
    .argument('<run>', 'run id')
    .option('--no-wait', 'return once the cancel is asked for, without waiting for the run to end')
    .option('--json', 'print the run record as JSON')
    .action(
      action(async (core, ref: string, o: { wait: boolean; json?: boolean }) => {
        const id = runId(ref);
        const asked = await core.call('runs:cancel', { id });
        const run = o.wait ? await endOf(core, asked) : asked;
        emit(o.json, run, () => {
          if (run.status === 'running') process.stdout.write(o.wait ? `Run ${run.id} was asked to cancel and has not ended yet after ${CANCEL_WAIT_MS / 1000} s: its process stops it at its next step (\`vaultdesk run show ${run.id}\`).\n` : `Run ${run.id} was asked to cancel.\n`);
          else printRun(run);
        });
        // Ended some other way before the cancel reached it (it succeeded or failed meanwhile): not what was asked.
        if (run.status !== 'running' && run.status !== 'cancelled') process.exitCode = 1;
      }),
    );
  runs
    .command('show')
    .description('one run: its status, sizes, error and what it stored where')
    .argument('<run>', 'run id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, id: string, o: { json?: boolean }) => {
        const run = await core.call('runs:get', { id: runId(id) });
        emit(o.json, run, () => printRun(run));
      }),
    );
}
