import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Children that run a measured pipeline, each the leader of its own process group (so its own
 * children, pg_dump, zstd, age, aws, go with it), for stopAll() on Ctrl-C.
 */
const running = new Set<ChildProcess>();

export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.once('close', () => running.delete(child));
  return child;
}

/** Stops every tracked child and its process group. */
export function stopAll(): void {
  for (const child of running) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
}

export interface CommandResult {
  code: number | null;
  stdoutBytes: number;
  stderr: string;
  wallMs: number;
}

/**
 * Runs a command without a shell, counts (and discards) its stdout, keeps the tail of stderr.
 * Used to size a dump the way the tools write it, without holding it in memory.
 */
export function runCounting(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawnTracked(command, args, { shell: false, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdoutBytes, stderr: stderr.trim(), wallMs: performance.now() - started }));
  });
}

/** Like runCounting, but a non-zero exit is an error that quotes the tool's stderr. */
export async function countOutput(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const result = await runCounting(command, args, env);
  if (result.code !== 0) throw new Error(`${command} exited with code ${String(result.code)}: ${result.stderr}`);
  return result.stdoutBytes;
}

/** Runs `script` in bash with `-o pipefail`, so any failing stage of a pipeline fails it; positional args are $1.. */
export async function runPipeline(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const result = await runCounting('bash', ['-o', 'pipefail', '-c', script, 'bench', ...args], env);
  if (result.code !== 0) throw new Error(`shell pipeline exited with code ${String(result.code)}: ${result.stderr}`);
  return result;
}

/** One argument for a bash script, quoted so bash reads it back as it is. */
export const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;
