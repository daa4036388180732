import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { trackChild } from './child-tracker';

const SETPRIV_PLACES = ['/usr/bin/setpriv', '/bin/setpriv'];
const PARENT_DEATH = ['--pdeathsig', 'TERM'];

let setpriv: string | null | undefined;

/**
 * util-linux's setpriv when it can set a parent-death signal (2.33 and later), null otherwise.
 * Asked once per process: the answer does not change while it runs.
 */
function parentDeathWrapper(): string | null {
  if (setpriv === undefined) setpriv = process.platform === 'linux' ? workingWrapper(SETPRIV_PLACES, PARENT_DEATH) : null;
  return setpriv;
}

/**
 * The first of `places` that is executable, if it runs a command with `options` (a shell that
 * exits 0, through `--`) and exits 0 itself; null otherwise.
 */
function workingWrapper(places: readonly string[], options: readonly string[]): string | null {
  const place = places.find(executable);
  if (!place) return null;
  const probe = spawnSync(place, probeArgs(options), { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
  return probe.status === 0 ? place : null;
}

const PROBE_TIMEOUT_MS = 5_000;

function probeArgs(options: readonly string[]): string[] {
  return [...options, '--', '/bin/sh', '-c', 'exit 0'];
}

/** Runs `file` without waiting for it (within PROBE_TIMEOUT_MS); true once it exited 0. */
export function exitsZero(file: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** workingWrapper without waiting: the probe runs while the caller goes on. */
async function workingWrapperLater(places: readonly string[], options: readonly string[]): Promise<string | null> {
  const place = places.find(executable);
  return place && (await exitsZero(place, probeArgs(options))) ? place : null;
}

/** What this process found of the wrappers spawnBound uses: a path, or null where one does not work. */
export interface WrapperAnswers {
  setpriv: string | null;
  stdbuf: string | null;
}

let probing: Promise<void> | null = null;

/**
 * Asks for setpriv and stdbuf (see spawnBound) without blocking the thread. Each probe is a
 * spawn, whose fork costs more the larger the process: a host asks once, while its first worker
 * starts, and hands the answers to its workers (adoptWrappers), so that a backup's tool does not
 * wait for them. spawnBound before they are in asks synchronously, as it did.
 */
export function probeWrappers(): Promise<void> {
  // Where a wrapper does not apply (see parentDeathWrapper, stdoutBufferWrapper), the answer is known.
  if (process.platform !== 'linux') setpriv ??= null;
  if (process.platform === 'win32') stdbuf ??= null;
  probing ??= probeBoth().then(async (both) => {
    if (both) return;
    await Promise.all([
      setpriv === undefined ? workingWrapperLater(SETPRIV_PLACES, PARENT_DEATH).then((found) => void (setpriv ??= found)) : null,
      stdbuf === undefined ? workingWrapperLater(STDBUF_PLACES, BUFFERED_STDOUT).then((found) => void (stdbuf ??= found)) : null,
    ]);
  });
  return probing;
}

/** Both wrappers in one probe, as spawnBound chains them: one spawn where two would cost twice. True when both work. */
async function probeBoth(): Promise<boolean> {
  if (setpriv !== undefined || stdbuf !== undefined) return false;
  const first = SETPRIV_PLACES.find(executable);
  const second = STDBUF_PLACES.find(executable);
  if (!first || !second || !(await exitsZero(first, [...PARENT_DEATH, '--', second, ...probeArgs(BUFFERED_STDOUT)]))) return false;
  setpriv ??= first;
  stdbuf ??= second;
  return true;
}

/** The answers, once both are in (null before): probeWrappers has them. */
export function knownWrappers(): WrapperAnswers | null {
  return setpriv === undefined || stdbuf === undefined ? null : { setpriv, stdbuf };
}

/** Takes another thread's answers (a worker, its host's), where this one has none of its own yet. */
export function adoptWrappers(answers: WrapperAnswers): void {
  setpriv ??= answers.setpriv;
  stdbuf ??= answers.stdbuf;
}

export function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a dump, restore or archive tool that ends with the process that started it. A host killed
 * outright (kill -9, the OOM killer, a crash) runs no handler, and a tool that does not read its
 * stdin (pg_restore's index builds from a file, `--jobs` workers) went on writing into the server
 * with no one left to report, cancel or clean up after it. On Linux the tool is started through
 * setpriv, which sets SIGTERM as its parent-death signal and then execs it: the same pid, so a
 * cancel's signal reaches the tool itself, and pg_restore's SIGTERM handler cancels its server
 * sessions' statements. The kernel sends it when the thread that started the tool ends, which is
 * a pipeline worker's thread: a worker stopped outright takes its tools with it too.
 * On Windows libuv's job object already ends children with the process. Elsewhere (macOS), and on
 * a Linux without a setpriv that can, the tool is started as it is.
 *
 * With `bufferStdout` (dump tools), the tool is also started through coreutils' stdbuf, which
 * execs it too: still the same pid, the parent-death signal kept.
 *
 * A tool that is not there or not executable is started as it is too, so that its ENOENT or
 * EACCES comes from the spawn itself, as the callers' messages expect, not as setpriv's exit code.
 */
export function spawnBound(file: string, args: readonly string[], options: SpawnOptions, how: { bufferStdout?: boolean } = {}): ChildProcess {
  const wrapper = parentDeathWrapper();
  const found = executable(file);
  const buffer = how.bufferStdout && found ? stdoutBufferWrapper() : null;
  const usual = found && otherPolicy ? [otherPolicy, ...OTHER_POLICY] : [];
  const command = [...usual, ...(buffer ? [buffer, ...BUFFERED_STDOUT, '--'] : []), file, ...args];
  const child = wrapper && found ? spawn(wrapper, [...PARENT_DEATH, '--', ...command], options) : spawn(command[0]!, command.slice(1), options);
  trackChild(child);
  return child;
}

/** chrt's way back to the usual policy (SCHED_OTHER, priority 0), before the command it execs. */
const OTHER_POLICY = ['--other', '0'];

let otherPolicy: string | null = null;

/**
 * `chrt` when this thread runs under SCHED_BATCH (thread-priority.ts: the pipeline worker's,
 * during a backup), null otherwise. A child inherits its thread's policy: the tools this thread
 * starts go back to the usual one through it, as the server's other clients run, rather than
 * yield to everything. Also execs its command: the same pid.
 */
export function startToolsWithOtherPolicy(chrt: string | null): void {
  otherPolicy = chrt;
}

const STDBUF_PLACES = ['/usr/bin/stdbuf', '/bin/stdbuf'];
/**
 * stdbuf's option for writes of 64 KiB instead of C stdio's 4 KiB for a pipe or socket: see
 * stdoutBufferWrapper. Not larger: a write bigger than the dump socket holds waits for the
 * reader, and pg_dump's server waits with it.
 */
const BUFFERED_STDOUT = ['-o', '64K'];

let stdbuf: string | null | undefined;

/**
 * GNU coreutils' stdbuf when it works here (it needs its preload library), null otherwise. A dump
 * tool writes its output through C stdio, 4 KiB a write into a pipe or socket: a write, a copy and
 * a wake-up of the reader each time, a quarter of a million per GiB, which costs mariadb-dump (the
 * slowest part of a MariaDB backup) much of its time. With stdbuf the tool's stdout is buffered in
 * 64 KiB instead (figures: README, Performance). Asked once per process.
 */
function stdoutBufferWrapper(): string | null {
  if (stdbuf === undefined) stdbuf = process.platform === 'win32' ? null : workingWrapper(STDBUF_PLACES, BUFFERED_STDOUT);
  return stdbuf;
}
