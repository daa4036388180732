import type { JobDto } from '../../../shared/domain/dto';
import type { RunDto, RunHooksDto, RunProgressDto } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';
import type { CoreEvents } from '../events';
import { hookEnv, HookStop, lastLines, runHook } from '../hooks/hook-runner';
import type { Logger } from '../logger';
import { keepWhileRunning } from './keep-while-running';
import type { RunsRepository } from '../store/runs-repository';

export interface RunHookDeps {
  runs: RunsRepository;
  events: CoreEvents;
  log: Logger;
  now: () => Date;
  toolEnv: Record<string, string | undefined>;
}

type Note = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What every hook of a run is told about it. */
function runFacts(job: JobDto, runId: string, trigger: string): Record<string, string> {
  return { VAULTDESK_RUN_ID: runId, VAULTDESK_JOB: job.name, VAULTDESK_JOB_ID: job.id, VAULTDESK_TRIGGER: trigger };
}

/**
 * The job's pre-run hook, before anything is planned or dumped. Its record goes into `hooks.pre`;
 * it throws HOOK_FAILED (with the hook's last output lines) when the hook did not succeed, or the
 * run's own abort reason when the run was cancelled or timed out meanwhile.
 */
export async function runPreHook(deps: RunHookDeps, job: JobDto, runId: string, signal: AbortSignal, hooks: RunHooksDto, note: Note): Promise<void> {
  const trigger = deps.runs.get(runId).trigger;
  const report = { runId, jobName: job.name, stage: 'pre-hook', database: null, objectIndex: 0, objectCount: 0, bytesDumped: 0, bytesStored: 0 } satisfies RunProgressDto;
  deps.runs.recordProgress(runId, report);
  deps.events.emit('runs:progress', report);
  // The hook hears why the run stopped it: the job's timeout is not "the run was cancelled".
  const stop = new AbortController();
  const onAbort = (): void =>
    stop.abort(signal.reason instanceof AppError && signal.reason.code === 'TIMEOUT' ? new HookStop(`the run reached the job's ${job.timeoutMinutes}-minute timeout`) : signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const result = await runHook({ which: 'pre', command: job.preHook!, timeoutMs: job.hookTimeoutSeconds * 1000, env: hookEnv(deps.toolEnv, runFacts(job, runId, trigger)), signal: stop.signal, now: deps.now }).finally(() =>
    signal.removeEventListener('abort', onAbort),
  );
  hooks.pre = result;
  keepWhileRunning(deps.log, runId, 'pre-run hook', () => deps.runs.recordPreHook(runId, result));
  if (result.outcome === 'succeeded') {
    note('info', result.message);
    deps.runs.setStage(runId, 'plan');
    return;
  }
  if (result.outcome === 'cancelled' && signal.reason instanceof AppError) throw signal.reason;
  const tail = lastLines(result.output);
  throw new AppError('HOOK_FAILED', `${result.message} Nothing was backed up.${tail ? ` Its last output:\n${tail}` : ' It printed nothing.'}`, {
    hook: 'pre',
    outcome: result.outcome,
    exitCode: result.exitCode,
  });
}

/**
 * The job's post-run hook, once the run is recorded, with the run's outcome in its environment. A
 * failure is recorded with the run and logged; the run's status stays what it was.
 */
export async function runPostHook(deps: RunHookDeps, job: JobDto, run: RunDto, signal: AbortSignal): Promise<RunDto> {
  const env = hookEnv(deps.toolEnv, {
    ...runFacts(job, run.id, run.trigger),
    VAULTDESK_STATUS: run.status,
    VAULTDESK_ERROR: run.error?.message ?? '',
    VAULTDESK_ERROR_CODE: run.error?.code ?? '',
    VAULTDESK_ERROR_STAGE: run.error?.stage ?? '',
  });
  const result = await runHook({ which: 'post', command: job.postHook!, timeoutMs: job.hookTimeoutSeconds * 1000, env, signal, now: deps.now });
  const ok = result.outcome === 'succeeded';
  const tail = ok ? '' : lastLines(result.output);
  const message = ok ? result.message : `${result.message.replace(/\.$/, '')}; the run stays ${run.status}.${tail ? ` Its last output:\n${tail}` : ''}`;
  deps.runs.recordHooks(run.id, { post: result }, [{ time: deps.now().toISOString(), level: ok ? 'info' : 'warn', message }]);
  if (!ok) deps.log.warn('post-run hook failed', { runId: run.id, job: job.name, outcome: result.outcome, exitCode: result.exitCode });
  return deps.runs.get(run.id);
}
