import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../shared/domain/dto';
import type { RunDto } from '../../../shared/domain/runs';
import type { JobCreate } from '../../../shared/ipc/schemas';
import type { Core } from '../create-core';
import { processRunning } from '../testing/child-processes';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';

async function waitForFile(file: string, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return readFileSync(file, 'utf8');
}

async function waitUntil(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const STORED_PASSWORD = 'sftp-Pa55word-must-not-reach-hooks';

describe('pre- and post-run hooks', () => {
  let t: ReturnType<typeof tempDir>;
  let core: Core;
  let backups: string;
  let sourceFile: string;
  let job: (fields: Partial<JobCreate>) => Promise<JobDto>;

  beforeEach(async () => {
    t = tempDir('vaultdesk-hooks-');
    // A master key the host forgot to remove from the tool environment must still not reach a hook.
    core = await tempCore(t.dir, undefined, { toolEnv: { PATH: process.env.PATH, VAULTDESK_MASTER_KEY: 'leaked-master-key' } });
    backups = path.join(t.dir, 'backups');
    sourceFile = path.join(t.dir, 'shop.db');
    seedSqliteFile(sourceFile, 50);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: sourceFile });
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: backups });
    // A stored secret elsewhere in the configuration, which a hook must never see.
    await core.call('destinations:create', { kind: 'sftp', name: 'vault', host: '127.0.0.1', user: 'u', path: '/srv', password: STORED_PASSWORD });
    let n = 0;
    job = (fields) => core.call('jobs:create', { name: `job-${++n}`, sourceId: source.id, destinationIds: [dest.id], compression: 'none', ...fields });
  });

  afterEach(() => {
    core.close();
    t.cleanup();
  });

  const run = (j: JobDto): Promise<RunDto> => core.runService.start(j.id, 'manual').finished;
  const storedFiles = (): string[] => (existsSync(backups) ? (readdirSync(backups, { recursive: true }) as string[]).filter((f) => /\.(sqlite|json)$/.test(f)) : []);

  it('a failing pre-hook fails the run at stage pre-hook, with its output kept, and nothing is stored', async () => {
    const j = await job({ preHook: { shell: false, argv: ['sh', '-c', 'echo "mounting /mnt/backup"; echo "mount: permission denied" >&2; exit 3'] } });
    const result = await run(j);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ stage: 'pre-hook', code: 'HOOK_FAILED' });
    expect(result.error!.message).toContain('exited with code 3');
    expect(result.error!.message).toContain('mount: permission denied');
    expect(result.error!.message).toContain('Nothing was backed up');
    expect(result.hooks.pre).toMatchObject({ outcome: 'failed', exitCode: 3, outputTruncated: false });
    expect(result.hooks.pre!.output).toBe('mounting /mnt/backup\nmount: permission denied\n');
    expect(result.objects).toEqual([]);
    expect(storedFiles()).toEqual([]);
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM backups').get()).toEqual({ n: 0 });
    // The record as the contract returns it says the same.
    expect(await core.call('runs:get', { id: result.id })).toMatchObject({ status: 'failed', error: { stage: 'pre-hook' }, hooks: { pre: { exitCode: 3 } } });
  });

  it('a pre-hook that succeeds lets the run go on; a program that does not exist fails it in words', async () => {
    const ok = await run(await job({ preHook: { shell: false, argv: ['sh', '-c', 'echo ready'] } }));
    expect(ok.status).toBe('succeeded');
    expect(ok.hooks.pre).toMatchObject({ outcome: 'succeeded', exitCode: 0, output: 'ready\n' });
    expect(storedFiles().length).toBe(2);
    const missing = await run(await job({ preHook: { shell: false, argv: [path.join(t.dir, 'no-such-script.sh'), '--now'] } }));
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatchObject({ stage: 'pre-hook', code: 'HOOK_FAILED' });
    expect(missing.error!.message).toContain('was not found');
    expect(missing.hooks.pre!.outcome).toBe('not-started');
    expect(storedFiles().length).toBe(2);
  });

  it("a post-hook gets the run's status and error in its environment, and never the master key or a stored secret", async () => {
    const out = path.join(t.dir, 'post-env.txt');
    const postHook = { shell: true as const, script: `env > "${out}.env"; printf '%s\\n%s\\n%s\\n%s\\n%s\\n' "$VAULTDESK_STATUS" "$VAULTDESK_ERROR" "$VAULTDESK_RUN_ID" "$VAULTDESK_JOB" "$VAULTDESK_TRIGGER" > "${out}"` };
    const failing = await job({ postHook });
    // The source file goes missing: the run fails while dumping, and the post-hook is told so.
    const gone = `${sourceFile}.moved`;
    (await import('node:fs')).renameSync(sourceFile, gone);
    const failed = await run(failing);
    expect(failed.status).toBe('failed');
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines[0]).toBe('failed');
    expect(lines[1]).toBe(failed.error!.message);
    expect(lines[1]!.length).toBeGreaterThan(10);
    expect(lines.slice(2, 5)).toEqual([failed.id, failing.name, 'manual']);
    expect(failed.hooks.post).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    const env = readFileSync(`${out}.env`, 'utf8');
    expect(env).not.toContain('leaked-master-key');
    expect(env).not.toContain('VAULTDESK_MASTER_KEY');
    expect(env).not.toContain(STORED_PASSWORD);
    expect(env).toContain(`PATH=${process.env.PATH}`);

    (await import('node:fs')).renameSync(gone, sourceFile);
    const succeeded = await run(failing);
    expect(succeeded.status).toBe('succeeded');
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 3)).toEqual(['succeeded', '', succeeded.id]);
  });

  it("a failing post-hook is recorded and logged but the run's status stays", async () => {
    const j = await job({ postHook: { shell: false, argv: ['sh', '-c', 'echo "upload to archive failed" >&2; exit 7'] } });
    const result = await run(j);
    expect(result.status).toBe('succeeded');
    expect(result.error).toBeNull();
    expect(result.hooks.post).toMatchObject({ outcome: 'failed', exitCode: 7, output: 'upload to archive failed\n' });
    const line = result.log.find((l) => l.message.includes('post-run hook'));
    expect(line).toMatchObject({ level: 'warn' });
    expect(line!.message).toContain('exited with code 7; the run stays succeeded');
    expect(storedFiles().length).toBe(2);
  });

  it('a hook that outlives its timeout is stopped with everything it started', async () => {
    const pidFile = path.join(t.dir, 'child.pid');
    const j = await job({ hookTimeoutSeconds: 1, preHook: { shell: true, script: `sleep 600 & echo $! > "${pidFile}"; echo started; wait` } });
    const result = await run(j);
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ stage: 'pre-hook', code: 'HOOK_FAILED' });
    expect(result.error!.message).toContain('did not finish within 1 s and was stopped');
    expect(result.hooks.pre).toMatchObject({ outcome: 'timed-out', output: 'started\n' });
    // Its background child went with it: the whole process group was signalled.
    await waitUntil(() => !processRunning(child), 10_000);
    expect(storedFiles()).toEqual([]);
  });

  it('cancelling a run stops its running hook at once', async () => {
    const pidFile = path.join(t.dir, 'hook.pid');
    const j = await job({ preHook: { shell: false, argv: ['sh', '-c', `echo $$ > "${pidFile}"; exec sleep 600`] } });
    const started = core.runService.start(j.id, 'manual');
    const pid = Number(await waitForFile(pidFile));
    expect(processRunning(pid)).toBe(true);
    expect(core.runs.get(started.runId)).toMatchObject({ status: 'running' });
    core.runService.cancel(started.runId);
    const result = await started.finished;
    expect(result.status).toBe('cancelled');
    expect(result.error).toMatchObject({ stage: 'pre-hook', code: 'CANCELLED' });
    expect(result.hooks.pre!.outcome).toBe('cancelled');
    await waitUntil(() => !processRunning(pid), 10_000);
    expect(storedFiles()).toEqual([]);
  });

  it("a pre-run hook stopped by the job's timeout says so, not that the run was cancelled", async () => {
    core.close();
    // A minute of 1.5 s: the job's one-minute timeout comes while the hook sleeps.
    core = await tempCore(t.dir, undefined, { toolEnv: { PATH: process.env.PATH }, minuteMs: 1500 });
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop2', path: sourceFile });
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk2', path: backups });
    const j = await core.call('jobs:create', { name: 'slow-hook', sourceId: source.id, destinationIds: [dest.id], compression: 'none', timeoutMinutes: 1, preHook: { shell: false, argv: ['sleep', '600'] } });
    const result = await run(j);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ stage: 'pre-hook', code: 'TIMEOUT' });
    expect(result.hooks.pre!.message).toMatch(/was stopped: the run reached the job's 1-minute timeout\.$/);
    expect(result.hooks.pre!.message).not.toContain('cancelled');
    expect(storedFiles()).toEqual([]);
  });

  it('a cancel that comes during the post-run hook stops the hook; the run stays as it was recorded', async () => {
    const pidFile = path.join(t.dir, 'post.pid');
    const j = await job({ postHook: { shell: false, argv: ['sh', '-c', `echo $$ > "${pidFile}"; exec sleep 600`] } });
    const started = core.runService.start(j.id, 'manual');
    const pid = Number(await waitForFile(pidFile));
    expect(core.runs.get(started.runId).status).toBe('succeeded');
    core.runService.cancel(started.runId);
    const result = await started.finished;
    expect(result.status).toBe('succeeded');
    expect(result.hooks.post).toMatchObject({ outcome: 'cancelled' });
    expect(result.hooks.post!.message).toMatch(/was stopped: the run was cancelled while it ran\.$/);
    await waitUntil(() => !processRunning(pid), 10_000);
    expect(storedFiles().length).toBe(2);
  });

  it('a host shutting down cancels the run, whose post-run hook still runs before the store closes', async () => {
    const pidFile = path.join(t.dir, 'pre.pid');
    const marker = path.join(t.dir, 'post-ran');
    const j = await job({ preHook: { shell: false, argv: ['sh', '-c', `echo $$ > "${pidFile}"; exec sleep 600`] }, postHook: { shell: false, argv: ['touch', marker] } });
    const started = core.runService.start(j.id, 'manual');
    await waitForFile(pidFile);
    await core.shutdown('test shutdown');
    core = await tempCore(t.dir);
    const result = core.runs.get(started.runId);
    expect(result.status).toBe('cancelled');
    expect(result.error!.message).toBe('test shutdown: the run was cancelled; nothing was kept.');
    expect(result.hooks).toMatchObject({ pre: { outcome: 'cancelled' }, post: { outcome: 'succeeded' } });
    expect(existsSync(marker)).toBe(true);
  });
});
