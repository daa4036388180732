import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { HookCommand } from '../../../shared/domain/dto';
import { describeHook } from '../../../shared/domain/hook-command';
import type { HookRunDto } from '../../../shared/domain/runs';

/** The end of a hook's output is what says why it failed; 64 KiB keeps a run record small. */
export const HOOK_OUTPUT_KEEP = 64 * 1024;
/** How long a hook gets to exit after SIGTERM (timeout, cancel) before it is killed outright. */
const KILL_GRACE_MS = 5_000;
/**
 * A hook that exits may leave a background child holding its output open (`ssh -f`, a daemon it
 * started): its output is read for this long after the exit, not until that child ends.
 */
const OUTPUT_DRAIN_MS = 1_000;

/**
 * An abort reason that says why a hook is stopped where "the run was cancelled" would not be true
 * (a host stopping after the run succeeded): the hook's record gives `why` instead.
 */
export class HookStop {
  constructor(readonly why: string) {}
}

export interface HookRequest {
  which: 'pre' | 'post';
  command: HookCommand;
  timeoutMs: number;
  env: Record<string, string>;
  /** Aborting it stops the hook (the run was cancelled; a HookStop reason says otherwise). */
  signal: AbortSignal;
  now: () => Date;
  killGraceMs?: number;
}

/**
 * Where a hook runs: the home directory of the user Vaultdesk runs as, as cron does, so a hook
 * with relative paths behaves the same under the app, the daemon and a CLI command, whichever
 * folder each was started from. Without a home directory, the root of the file system.
 */
export function hookWorkingDir(home: string = homedir()): string {
  try {
    if (home && statSync(home).isDirectory()) return home;
  } catch {
    // No such folder (a service user whose home was never created).
  }
  return process.platform === 'win32' ? (process.env.SystemDrive ?? 'C:') + '\\' : '/';
}

/**
 * The environment a hook runs with: the host's tool environment without any of Vaultdesk's own
 * variables (a master key given by environment must never reach a hook, even if a host forgot to
 * remove it), plus the run's facts.
 */
export function hookEnv(toolEnv: Record<string, string | undefined>, facts: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(toolEnv)) {
    if (value !== undefined && !/^VAULTDESK_/i.test(name)) env[name] = value;
  }
  return { ...env, ...facts };
}

/**
 * Runs one hook to its end and says how it went; never rejects. It runs in a process group of its
 * own, so a timeout or cancel stops whatever it started too (a shell's children, a pipeline).
 */
export function runHook(req: HookRequest): Promise<HookRunDto> {
  const startedAt = req.now();
  const output = new OutputTail(HOOK_OUTPUT_KEEP);
  const label = describeHook(req.command);
  const posix = process.platform !== 'win32';
  const finish = (outcome: HookRunDto['outcome'], exitCode: number | null, signal: string | null, what: string): HookRunDto => ({
    command: label,
    outcome,
    exitCode,
    signal,
    startedAt: startedAt.toISOString(),
    durationMs: Math.max(0, req.now().getTime() - startedAt.getTime()),
    output: output.text(),
    outputTruncated: output.truncated,
    message: `The ${req.which}-run hook \`${label}\` ${what}.`,
  });

  const stoppedWhy = (): string | null => (req.signal.reason instanceof HookStop ? req.signal.reason.why : null);
  if (req.signal.aborted) return Promise.resolve(finish('cancelled', null, null, `was not run: ${stoppedWhy() ?? 'the run was cancelled first'}`));
  let child: ChildProcess;
  try {
    const options = { cwd: hookWorkingDir(), env: req.env, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], detached: posix, windowsHide: true };
    child = req.command.shell ? spawn(req.command.script, { ...options, shell: true }) : spawn(req.command.argv[0]!, req.command.argv.slice(1), { ...options, shell: false });
  } catch (error) {
    return Promise.resolve(finish('not-started', null, null, startFailure(req.command, error)));
  }

  const watch = posix && child.pid !== undefined ? watchGroup(child.pid, req.killGraceMs ?? KILL_GRACE_MS) : null;
  return new Promise<HookRunDto>((resolve) => {
    let stopping: 'timed-out' | 'cancelled' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (posix) process.kill(-child.pid, sig);
        else spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => child.kill());
      } catch {
        // The group is gone already.
      }
    };
    const stop = (why: 'timed-out' | 'cancelled'): void => {
      if (stopping) return;
      stopping = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), req.killGraceMs ?? KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timed-out'), req.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    req.signal.addEventListener('abort', onAbort, { once: true });
    if (req.signal.aborted) onAbort();

    const streams = [child.stdout!, child.stderr!];
    for (const s of streams) s.on('data', (chunk: Buffer) => output.add(chunk));
    const streamsClosed = Promise.all(streams.map((s) => new Promise<void>((done) => (s.closed ? done() : s.once('close', () => done())))));

    let settled = false;
    const settle = (result: HookRunDto): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      req.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.once('error', (error) => {
      // Not found, not executable: there is no process to wait for.
      if (child.pid === undefined) settle(finish('not-started', null, null, startFailure(req.command, error)));
    });
    child.once('exit', (code, signal) => {
      // Gone before anything else: what the hook left running on purpose is not the watch's to stop.
      watch?.kill('SIGKILL');
      let drained: NodeJS.Timeout | undefined;
      const drainLimit = new Promise<void>((done) => (drained = setTimeout(done, OUTPUT_DRAIN_MS)));
      void Promise.race([streamsClosed, drainLimit]).then(() => {
        clearTimeout(drained);
        for (const s of streams) s.destroy();
        if (stopping === 'timed-out') settle(finish('timed-out', code, signal, `did not finish within ${durationWords(req.timeoutMs)} and was stopped`));
        else if (stopping === 'cancelled') {
          const why = stoppedWhy();
          settle(finish('cancelled', code, signal, why ? `was stopped: ${why}` : 'was stopped because the run was cancelled'));
        }
        else if (code === 0) settle(finish('succeeded', 0, null, 'succeeded'));
        else settle(finish('failed', code, signal, code !== null ? `exited with code ${code}` : `was ended by signal ${signal}`));
      });
    });
  });
}

/**
 * Waits on a pipe from this process, which the kernel closes when the process ends, however it
 * ends; then stops the group as a timeout would: SIGTERM, SIGKILL after the grace period. No `--`
 * before the group: dash's kill takes it for a pid.
 */
const WATCH_SCRIPT = 'read _; kill -TERM "-$1" 2>/dev/null || exit 0; sleep "$2"; kill -KILL "-$1" 2>/dev/null';

/**
 * A host killed outright (kill -9, the OOM killer, a crash) runs no handler, and a hook it was
 * running (a script that stops a service, holds a lock, copies files) went on with no one to stop
 * it at its timeout or record how it ended. A small shell, in a group of its own, watches the host
 * for the hook and stops the hook's process group when the host is gone. It is killed as soon as
 * the hook exits, so what a hook leaves running on purpose (`ssh -f`) is not touched. Dump tools
 * use setpriv's parent-death signal instead (bound-child.ts), which reaches one process: a hook is
 * a group. None where it cannot start (no /bin/sh): the hook runs as it did.
 */
function watchGroup(pgid: number, graceMs: number): ChildProcess | null {
  try {
    const watch = spawn('/bin/sh', ['-c', WATCH_SCRIPT, 'vaultdesk-hook-watch', String(pgid), String(Math.max(1, Math.ceil(graceMs / 1000)))], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      cwd: '/',
      env: { PATH: '/usr/bin:/bin' },
    });
    watch.once('error', () => undefined);
    watch.stdin!.once('error', () => undefined);
    // Neither the watch nor its pipe keeps this process's event loop alive.
    watch.unref();
    (watch.stdin as unknown as { unref?: () => void }).unref?.();
    return watch;
  } catch {
    return null;
  }
}

/** The last few lines of a hook's output, for an error message. */
export function lastLines(output: string, lines = 5, chars = 600): string {
  const tail = output.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
  return tail.length > chars ? `…${tail.slice(-chars)}` : tail;
}

function startFailure(command: HookCommand, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const program = command.shell ? 'the shell' : `\`${command.argv[0]}\``;
  if (code === 'ENOENT') {
    return command.shell
      ? 'could not be started: no shell was found'
      : `could not be started: ${program} was not found (a hook runs without a shell: give the program's full path, or make it a shell hook)`;
  }
  if (code === 'EACCES') return `could not be started: ${program} is not executable (check its permissions)`;
  return `could not be started (${code ?? 'unknown error'})`;
}

function durationWords(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** The last `keep` bytes written, without holding more than twice that. */
class OutputTail {
  #kept = Buffer.alloc(0);
  #total = 0;

  constructor(private readonly keep: number) {}

  add(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#kept = Buffer.concat([this.#kept, chunk]);
    if (this.#kept.length > this.keep * 2) this.#kept = this.#kept.subarray(this.#kept.length - this.keep);
  }

  get truncated(): boolean {
    return this.#total > this.keep;
  }

  text(): string {
    return this.#kept.subarray(Math.max(0, this.#kept.length - this.keep)).toString('utf8');
  }
}
