import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationCleanupDto } from '../../shared/domain/dto';
import type { RunDto } from '../../shared/domain/runs';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../core/testing/db-fixtures';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../core/testing/s3-server';
import { pgEnv, shouldSkip } from '../core/testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../core/testing/sshd-server';
import { tempDir } from '../core/testing/temp-dir';
import { pgDumpWrapper } from '../core/testing/tool-wrapper';
import { pidExists } from '../core/ownership/process-identity';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));
const skip = shouldSkip('PostgreSQL', await probePostgres()) || shouldSkip('OpenSSH sshd', sshdUnavailable());

/** Files (not folders) under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skip)('backup runs killed mid-write, and processes sharing the data dir', { timeout: 240_000 }, () => {
  const t = tempDir('vaultdesk-kill-');
  const dataDir = path.join(t.dir, 'data');
  const keyFile = path.join(t.dir, 'master.key');
  const local = path.join(t.dir, 'local');
  const pgDb = scratchName('pg_kill');
  const secondDb = scratchName('pg_kill2');
  // The real dump, then a pause before the tool exits: the run is mid-write until it does.
  const lingerPid = path.join(t.dir, 'linger.pid');
  const lingering = pgDumpWrapper(path.join(t.dir, 'bin-linger'), `echo $$ > ${lingerPid}\nREAL "$@"\nexec sleep 120`);
  const brief = pgDumpWrapper(path.join(t.dir, 'bin-brief'), 'REAL "$@"\nsleep 15');
  let s3: S3TestServer;
  let sshd: SshdServer;
  let sftpRoot: string;

  const env = (pathPrefix?: string): NodeJS.ProcessEnv => ({ PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH, HOME: t.dir });
  const args = (rest: string[]): string[] => [bin, '--data-dir', dataDir, '--master-key-file', keyFile, ...rest];
  // Never spawnSync here: s3rver runs in this process, and a blocked event loop cannot answer the CLI.
  const vaultdesk = (rest: string[], pathPrefix?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, args(rest), { env: { ...env(pathPrefix), ...extraEnv }, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  /** A `backup run` in a process group of its own, so the test can kill it with everything it started. */
  const startRun = (job: string, pathPrefix: string): { child: ChildProcess; exited: Promise<number | null>; output: () => string } => {
    const child = spawn(process.execPath, args(['backup', 'run', job, '--json']), { env: env(pathPrefix), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  };
  const runsOf = async (job: string): Promise<RunDto[]> => JSON.parse((await vaultdesk(['run', 'list', '--job', job, '--json'])).stdout) as RunDto[];

  beforeAll(async () => {
    [s3, sshd] = await Promise.all([startS3Server({ buckets: ['backups'] }), startSshd()]);
    sftpRoot = path.join(sshd.dir, 'data', 'backups');
    await createPgDatabase(pgDb);
    // About 12 MiB of dump: several 5 MiB parts on S3.
    await withPg(pgDb, (c) => c.query("CREATE TABLE blobs AS SELECT g AS id, repeat(md5(g::text), 64) AS body FROM generate_series(1, 6000) g"));
    const sshKey = path.join(t.dir, 'id_sftp');
    writeFileSync(sshKey, sshd.privateKey, { mode: 0o600 });
    const setup = [
      ['source', 'add', 'postgres', '--name', 'pg', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', pgDb],
      ['destination', 'add', 'local', '--name', 'disk', '--path', local],
      ['destination', 'add', 's3', '--name', 'bucket', '--provider', 'minio', '--endpoint', s3.endpoint, '--bucket', 'backups', '--path-style', '--access-key-id', S3RVER_CREDENTIALS.accessKeyId, '--secret-env', 'S3_SECRET', '--part-size', '5'],
      ['destination', 'add', 'sftp', '--name', 'vault', '--host', sshd.host, '--port', String(sshd.port), '--user', sshd.user, '--path', sftpRoot, '--key-file', sshKey],
      ['job', 'add', '--name', 'to-disk', '--source', 'pg', '--destination', 'disk', '--compression', 'none', '--encryption', 'none'],
      ['job', 'add', '--name', 'to-bucket', '--source', 'pg', '--destination', 'bucket', '--compression', 'none', '--encryption', 'none'],
      ['job', 'add', '--name', 'to-vault', '--source', 'pg', '--destination', 'vault', '--compression', 'none', '--encryption', 'none'],
    ];
    for (const step of setup) {
      const r = await vaultdesk(step, undefined, { S3_SECRET: S3RVER_CREDENTIALS.secretAccessKey });
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
    }
  });

  afterAll(async () => {
    await Promise.allSettled([s3?.stop(), sshd?.stop(), dropPgDatabase(pgDb), dropPgDatabase(secondDb)]);
    t.cleanup();
  });

  const cases: { job: string; writing: () => Promise<boolean> | boolean; nothingLeft: () => Promise<void> | void }[] = [
    {
      job: 'to-disk',
      writing: () => filesUnder(local).some((f) => f.endsWith('.partial')),
      nothingLeft: () => expect(filesUnder(local)).toEqual([]),
    },
    {
      job: 'to-bucket',
      writing: async () => (await s3.pendingUploads('backups')).length > 0 && s3.partsStored > 0,
      nothingLeft: async () => expect(await s3.pendingUploads('backups')).toEqual([]),
    },
    {
      job: 'to-vault',
      writing: () => filesUnder(sftpRoot).some((f) => f.endsWith('.partial')),
      nothingLeft: () => expect(filesUnder(sftpRoot)).toEqual([]),
    },
  ];

  for (const c of cases) {
    it(`SIGKILL during a run to ${c.job}: the next command shows it interrupted and nothing unfinished is left; the next run succeeds`, async () => {
      const run = startRun(c.job, lingering);
      await until(`${c.job} to be writing`, c.writing);
      process.kill(-run.child.pid!, 'SIGKILL');
      await run.exited;

      const [after] = await runsOf(c.job);
      expect(after!.status, JSON.stringify(after!.log)).toBe('interrupted');
      expect(after!.log.at(-1)!.message).toMatch(/^Removed what this run left unfinished on destination/);
      // Its own lines, written before it was killed, are kept before the finder's.
      expect(after!.log[0]!.message).toBe(`Run started for job "${c.job}".`);
      expect(after!.log[1]!.message).toMatch(/^Backing up .* to /);
      // The dump streams into the upload: the last stage recorded is either.
      expect(after!.error).toMatchObject({ code: 'INTERRUPTED', stage: expect.stringMatching(/^(dump|upload)$/) });
      expect(after!.error!.message).toMatch(/^The run did not finish: the process running it \(pid \d+\) stopped while (dumping|uploading)/);
      // The command that found it is named, not called gone: it was alive when it wrote this.
      expect(after!.error!.message).toMatch(/ Found by vaultdesk run list \(pid \d+\); anything it left unfinished/);
      await c.nothingLeft();
      expect(filesUnder(path.join(dataDir, 'tmp'))).toEqual([]);

      const again = await vaultdesk(['backup', 'run', c.job, '--json']);
      expect(again.stderr).toBe('');
      expect((JSON.parse(again.stdout) as RunDto).status).toBe('succeeded');
    });
  }

  it('SIGKILL while the second database of a run dumps: the interrupted record keeps the pre-run hook and the first database\'s stage times', async () => {
    await createPgDatabase(secondDb);
    await withPg(secondDb, (c) => c.query('CREATE TABLE items AS SELECT generate_series(1, 500) AS id'));
    const job = ['job', 'add', '--name', 'two-dbs', '--source', 'pg', '--destination', 'disk', '--database', pgDb, '--database', secondDb, '--encryption', 'none', '--pre-hook', 'true'];
    expect((await vaultdesk(job)).code).toBe(0);
    // The second database's dump says it started, then hangs: the first database is stored by then.
    const started = path.join(t.dir, 'second.started');
    const hanging = pgDumpWrapper(path.join(t.dir, 'bin-hang-second'), `case "$* $PGDATABASE" in *${secondDb}*) touch ${started}; exec sleep 120;; esac\nexec REAL "$@"`);
    const run = startRun('two-dbs', hanging);
    await until('the second dump to start', () => existsSync(started));
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.exited;

    const [after] = await runsOf('two-dbs');
    expect(after).toMatchObject({ status: 'interrupted', error: { code: 'INTERRUPTED' } });
    expect(after!.hooks.pre).toMatchObject({ outcome: 'succeeded' });
    expect(after!.stageMs.dump).toBeGreaterThan(0);
    expect(after!.stageMs.manifest).toBeGreaterThanOrEqual(0);
  });

  it('SIGTERM to a backup run cancels it cleanly and the process ends within seconds', async () => {
    const before = filesUnder(local);
    const run = startRun('to-disk', lingering);
    await until('the run to be writing', () => filesUnder(local).some((f) => f.endsWith('.partial')));
    const stopped = Date.now();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    expect(Date.now() - stopped).toBeLessThan(15_000);
    const [after] = await runsOf('to-disk');
    expect(after).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(filesUnder(local)).toEqual(before);
    // The dump tool (the wrapper, by then a `sleep`) went with it.
    const toolPid = Number(readFileSync(lingerPid, 'utf8'));
    expect(toolPid).toBeGreaterThan(0);
    expect(pidExists(toolPid)).toBe(false);
  });

  it('SIGTERM to vaultdesk serve during a run, twice, cancels the run cleanly and the server stops within seconds', async () => {
    const before = filesUnder(local);
    const serve = spawn(process.execPath, args(['serve', '--port', '0']), { env: env(lingering), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      serve.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving at (\S+)/.exec(out);
        if (m) resolve(new URL(m[1]!));
      });
      serve.once('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    const invoke = async (channel: string, input: unknown): Promise<{ ok: boolean; data?: unknown }> =>
      (await fetch(new URL('/api/invoke', url), { method: 'POST', headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel, input }) })).json() as Promise<{ ok: boolean; data?: unknown }>;
    const jobs = (await invoke('jobs:list', {})).data as { id: string; name: string }[];
    const started = await invoke('jobs:run', { id: jobs.find((j) => j.name === 'to-disk')!.id });
    expect(started.ok).toBe(true);
    const { runId } = started.data as { runId: string };
    await until('the run to be writing', () => filesUnder(local).some((f) => f.endsWith('.partial')));
    const stopped = Date.now();
    serve.kill('SIGTERM');
    // A second signal while it stops (Ctrl-C pressed twice) is answered, not Node's default death.
    await new Promise((r) => setTimeout(r, 50));
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(15_000);
    const run = (await runsOf('to-disk')).find((r) => r.id === runId)!;
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(run.error!.message).toContain('vaultdesk serve was stopped');
    expect(filesUnder(local)).toEqual(before);
  });

  it('a command run during another process\'s backup leaves the run and its files alone, a second run of the job is refused, and the first completes', async () => {
    const first = startRun('to-disk', brief);
    await until('the run to be writing', () => filesUnder(local).some((f) => f.endsWith('.partial')));
    const running = (await runsOf('to-disk'))[0]!;
    expect(running.status).toBe('running');
    const partial = filesUnder(local).find((f) => f.endsWith('.partial'))!;

    expect((await vaultdesk(['job', 'list'])).code).toBe(0);
    const cleanup = await vaultdesk(['destination', 'cleanup', 'disk', '--older-than', '0m', '--json']);
    expect(JSON.parse(cleanup.stdout)).toMatchObject({ items: [{ key: partial.replace(/\.partial$/, ''), kind: 'partial-file', action: 'kept', reason: `run ${running.id} is writing it` }] });
    const second = await vaultdesk(['backup', 'run', 'to-disk']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`error \\[RUN_IN_PROGRESS\\]: Job "to-disk" is already running \\(run ${running.id}, in a vaultdesk command \\(pid ${first.child.pid}\\)\\)`));
    expect((await runsOf('to-disk'))[0]).toMatchObject({ id: running.id, status: 'running' });
    expect(filesUnder(local)).toContain(partial);
    expect(existsSync(path.join(dataDir, 'tmp', `run-${running.id}`))).toBe(true);

    expect(await first.exited).toBe(0);
    expect((await runsOf('to-disk'))[0]).toMatchObject({ id: running.id, status: 'succeeded' });
    expect(filesUnder(local).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('destination cleanup lists and removes stray partial files and multipart uploads older than the limit, and keeps younger ones', async () => {
    const stray = path.join(local, 'old/stray.dump.partial');
    const fresh = path.join(local, 'fresh.dump.partial');
    mkdirSync(path.dirname(stray), { recursive: true });
    writeFileSync(stray, 'abandoned');
    writeFileSync(fresh, 'maybe in progress');
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    utimesSync(stray, twoDaysAgo, twoDaysAgo);

    const dry = await vaultdesk(['destination', 'cleanup', 'disk', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/old\/stray\.dump\s+partial-file\s+\S+\s+9\s+would-remove/);
    expect(dry.stdout).toMatch(/fresh\.dump\s+partial-file\s+\S+\s+17\s+kept: newer than 24 h: it may still be in progress/);
    expect(existsSync(stray)).toBe(true);

    const done = JSON.parse((await vaultdesk(['destination', 'cleanup', 'disk', '--older-than', '24h', '--json'])).stdout) as DestinationCleanupDto;
    expect(done.items.map((i) => [i.key, i.action])).toEqual([
      ['fresh.dump', 'kept'],
      ['old/stray.dump', 'removed'],
    ]);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    rmSync(fresh);

    const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    const started = await client.send(new CreateMultipartUploadCommand({ Bucket: 'backups', Key: 'elsewhere/abandoned.dump' }));
    await client.send(new UploadPartCommand({ Bucket: 'backups', Key: 'elsewhere/abandoned.dump', UploadId: started.UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }));
    client.destroy();
    const kept = JSON.parse((await vaultdesk(['destination', 'cleanup', 'bucket', '--json'])).stdout) as DestinationCleanupDto;
    expect(kept.items).toMatchObject([{ key: 'elsewhere/abandoned.dump', kind: 'multipart-upload', uploadId: started.UploadId, action: 'kept' }]);
    const removed = JSON.parse((await vaultdesk(['destination', 'cleanup', 'bucket', '--older-than', '0m', '--json'])).stdout) as DestinationCleanupDto;
    expect(removed.items).toMatchObject([{ key: 'elsewhere/abandoned.dump', action: 'removed' }]);
    expect(await s3.pendingUploads('backups')).toEqual([]);

    const bad = await vaultdesk(['destination', 'cleanup', 'disk', '--older-than', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--older-than takes an age like 30m, 24h or 7d, not "yesterday".');
  });
});
