import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { waitFor } from '../sources/source-test-helpers';
import { tempDir } from '../testing/temp-dir';
import { pipelineWorkerFile, runInWorker, SpareWorker, type WorkerFailure } from './worker-client';
import type { WorkerJob } from './worker-protocol';

const t = tempDir('vaultdesk-worker-client-');
afterAll(() => t.cleanup());

/** A decryption of a file that is not there: the worker answers it with its own error. */
const job = (name: string): WorkerJob => ({ kind: 'decrypt', request: { file: path.join(t.dir, name), output: { path: path.join(t.dir, `${name}.out`) }, keyFiles: [], passphrase: 'not used', decompress: false, toolEnv: {} } });

function run(spare: SpareWorker | undefined, file = pipelineWorkerFile()): Promise<AppError | WorkerFailure> {
  return runInWorker<AppError | WorkerFailure>(job('missing.age'), {
    signal: new AbortController().signal,
    cancelGraceMs: 1_000,
    file,
    spare,
    role: 'test',
    cancelMessage: 'cancelled',
    onMessage: (message) => (message.type === 'finished' ? { outcome: message.result.ok ? new AppError('INTERNAL', 'decrypted a missing file') : AppError.fromPayload(message.result.error) } : undefined),
    failed: (failure) => failure,
  });
}

describe('SpareWorker', () => {
  it('hands its worker, already started, to one job only; that worker does the job', async () => {
    const spare = SpareWorker.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const outcome = await run(spare);
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).message).toContain('missing.age');
    expect(spare.take()).toBeNull();
  });

  it('gives nothing once disposed, and a job then starts a worker of its own', async () => {
    const spare = SpareWorker.start();
    spare.dispose();
    expect(spare.take()).toBeNull();
    expect(await run(spare)).toBeInstanceOf(AppError);
  });

  it('does not hand out a worker that died while it waited', async () => {
    const broken = path.join(t.dir, 'broken-worker.mjs');
    const loaded = path.join(t.dir, 'broken-worker-loaded');
    writeFileSync(broken, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(loaded)}, '');\nthrow new Error('this worker fails as it loads');\n`);
    const spare = SpareWorker.start(pathToFileURL(broken));
    // Its load can take seconds on a busy machine; its error reaches this thread right after.
    await waitFor(() => existsSync(loaded), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(spare.take()).toBeNull();
    // The job's own fresh worker fails the same way, and says so.
    expect(await run(spare, pathToFileURL(broken))).toMatchObject({ cause: 'crashed', code: 'INTERNAL', message: 'The test worker crashed: this worker fails as it loads' });
  });

  it('prewarmed, is taken by the next start for its file, which starts no worker of its own; the start after that does', async () => {
    const loads = path.join(t.dir, 'loads.txt');
    writeFileSync(loads, '');
    const counting = path.join(t.dir, 'counting-worker.mjs');
    writeFileSync(counting, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(loads)}, 'loaded\\n');\n`);
    const file = pathToFileURL(counting);
    SpareWorker.prewarm(file);
    // A second call while one waits starts nothing more.
    SpareWorker.prewarm(file);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readFileSync(loads, 'utf8')).toBe('loaded\n');
    const first = SpareWorker.start(file);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(loads, 'utf8')).toBe('loaded\n');
    first.dispose();
    const second = SpareWorker.start(file);
    await new Promise((resolve) => setTimeout(resolve, 500));
    second.dispose();
    expect(readFileSync(loads, 'utf8')).toBe('loaded\nloaded\n');
  });

  it('prewarmed, the real worker does the job it is taken for', async () => {
    SpareWorker.prewarm();
    const outcome = await run(SpareWorker.start());
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).message).toContain('missing.age');
  });

  it('prewarmed and never taken, it does not keep its process alive', () => {
    const running = path.join(t.dir, 'worker-running');
    const forever = path.join(t.dir, 'forever-worker.mjs');
    writeFileSync(forever, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(running)}, '');\nsetInterval(() => {}, 1000);\n`);
    const client = pathToFileURL(path.join(import.meta.dirname, 'worker-client.ts')).href;
    const script = path.join(t.dir, 'prewarming-host.mjs');
    // The host waits until the worker runs (one that failed to start would prove nothing), then has nothing left to do.
    writeFileSync(
      script,
      [
        `import { existsSync } from 'node:fs';`,
        `import { SpareWorker } from ${JSON.stringify(client)};`,
        `SpareWorker.prewarm(new URL(${JSON.stringify(pathToFileURL(forever).href)}));`,
        `const wait = setInterval(() => { if (existsSync(${JSON.stringify(running)})) clearInterval(wait); }, 20);`,
      ].join('\n'),
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(existsSync(running)).toBe(true);
  });

  it('is empty when the worker is not built, and the job says so', async () => {
    const missing = pathToFileURL(path.join(t.dir, 'not-built.js'));
    const spare = SpareWorker.start(missing);
    expect(spare.take()).toBeNull();
    expect(await run(spare, missing)).toMatchObject({ cause: 'not-built', code: 'INTERNAL' });
  });
});
