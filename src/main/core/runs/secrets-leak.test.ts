import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, type Dirent } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { jsonLogger } from '../logger';
import { toolEnvFrom } from '../paths';
import { createMysqlDatabase, createMysqlUser, createPgDatabase, dropMysqlDatabase, dropMysqlUser, dropPgDatabase, probeMysql, probePostgres, scratchName, seedMysqlAwkward, seedPgAwkward } from '../testing/db-fixtures';
import { watchProcesses, type ProcessSighting } from '../testing/process-watch';
import { startS3Server, type S3TestServer } from '../testing/s3-server';
import { mysqlEnv, pgEnv, probeCommand, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip(
  'PostgreSQL, MariaDB, sshd, age and 7-Zip',
  (await probePostgres()) ?? (await probeMysql()) ?? sshdUnavailable() ?? probeCommand('age') ?? probeCommand('7zz', ['i']),
);

const token = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;

/** A free loopback port with nothing listening on it: an S3 endpoint that refuses connections. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every file under a folder, read as bytes: the database, its WAL and shm, tmp/, whatever else. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => ({ file, bytes: readFileSync(file) }));
}

/** PostgreSQL's client tools take the password from PGPASSWORD, by design (README, Backups). */
const PG_TOOL = /(^|\/)(pg_dump|pg_dumpall|pg_restore|psql)$/;

describe.skipIf(skip)('secrets stay out of logs, run records, messages, the data dir and child processes', () => {
  const t = tempDir('vaultdesk-secrets-');
  const pgDb = scratchName('pg_leak');
  const myDb = scratchName('my_leak');
  const myUser = `vd_leak_${randomBytes(4).toString('hex')}`;
  const secret = {
    pgPassword: token('pg-password'),
    pgSshPassword: token('pg-ssh-password'),
    mariaPassword: token('maria-password'),
    mariaWrongPassword: token('maria-wrong'),
    s3Secret: token('s3-secret'),
    s3DownSecret: token('s3-down-secret'),
    sftpWrongPassphrase: token('sftp-wrong'),
    sevenZip: token('7z-passphrase'),
    masterKey: randomBytes(32).toString('base64'),
  };
  const lines: string[] = [];
  const messages: string[] = [];
  const runs: RunDto[] = [];
  let sightings: ProcessSighting[] = [];
  let watcher: ReturnType<typeof watchProcesses> | null = null;
  let s3: S3TestServer;
  let sshd: SshdServer;
  let core: Core;
  let identity: string;

  beforeAll(async () => {
    [s3, sshd] = await Promise.all([startS3Server({ buckets: ['backups'] }), startSshd()]);
    s3.grantKey('VDLEAKTEST', secret.s3Secret);
    await createPgDatabase(pgDb);
    await seedPgAwkward(pgDb);
    await createMysqlDatabase(myDb);
    await seedMysqlAwkward(myDb, 3000);
    await createMysqlUser(myUser, secret.mariaPassword, myDb);
    const keyFile = path.join(t.dir, 'master.key');
    writeFileSync(keyFile, `${secret.masterKey}\n`, { mode: 0o600 });
    // The host's environment as a shell would have it, master key included: no tool may inherit it.
    const toolEnv = toolEnvFrom({ ...process.env, VAULTDESK_MASTER_KEY: secret.masterKey });
    core = await tempCore(t.dir, keyFile, { log: jsonLogger((line) => lines.push(line), 'debug'), toolEnv });

    const pg = { host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: pgDb };
    const my = { host: mysqlEnv.host, port: mysqlEnv.port, user: myUser, database: myDb };
    const sources = {
      pg: await core.call('sources:create', { engine: 'postgres', name: 'pg', ...pg, password: secret.pgPassword }),
      pgSsh: await core.call('sources:create', { engine: 'postgres', name: 'pg-ssh', ...pg, password: secret.pgSshPassword, ssh: { mode: 'exec', host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey } }),
      maria: await core.call('sources:create', { engine: 'mysql', name: 'maria', ...my, password: secret.mariaPassword }),
      mariaWrong: await core.call('sources:create', { engine: 'mysql', name: 'maria-wrong', ...my, password: secret.mariaWrongPassword }),
    };
    const sftp = { kind: 'sftp' as const, host: sshd.host, port: sshd.port, user: sshd.user, path: path.join(sshd.dir, 'data'), privateKey: sshd.encryptedKey.privateKey };
    const dests = {
      disk: await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') }),
      bucket: await core.call('destinations:create', { kind: 's3', name: 'bucket', provider: 'minio', endpoint: s3.endpoint, bucket: 'backups', accessKeyId: 'VDLEAKTEST', secretAccessKey: secret.s3Secret, partSizeMiB: 5 }),
      bucketDown: await core.call('destinations:create', { kind: 's3', name: 'bucket-down', provider: 'minio', endpoint: `http://127.0.0.1:${await closedPort()}`, bucket: 'backups', accessKeyId: 'VDLEAKDOWN', secretAccessKey: secret.s3DownSecret }),
      vault: await core.call('destinations:create', { ...sftp, name: 'vault', passphrase: sshd.encryptedKey.passphrase }),
      vaultWrong: await core.call('destinations:create', { ...sftp, name: 'vault-wrong', passphrase: secret.sftpWrongPassphrase }),
    };
    const age = await core.call('profiles:create', { kind: 'age', name: 'team' });
    identity = core.profiles.secrets(age.id).identity!;
    const zip = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: secret.sevenZip });
    const job = (name: string, sourceId: string, destinationIds: string[], profile = age): Promise<unknown> =>
      core.call('jobs:create', { name, sourceId, destinationIds, encryption: profile.kind, profileId: profile.id });
    await job('pg-offsite', sources.pg.id, [dests.bucket.id, dests.vault.id]);
    await job('pg-over-ssh', sources.pgSsh.id, [dests.disk.id]);
    await job('maria-7z', sources.maria.id, [dests.disk.id], zip);
    await job('maria-wrong-password', sources.mariaWrong.id, [dests.disk.id]);
    await job('s3-unreachable', sources.pg.id, [dests.bucketDown.id], zip);
    await job('sftp-wrong-passphrase', sources.pg.id, [dests.vaultWrong.id]);
    watcher = watchProcesses();
  });

  afterAll(async () => {
    watcher?.stop();
    core?.close();
    await Promise.allSettled([s3?.stop(), sshd?.stop(), dropPgDatabase(pgDb), dropMysqlDatabase(myDb), dropMysqlUser(myUser)]);
    t.cleanup();
  });

  /** Through the contract, as a host would: jobs:run, the runs:finished event, then runs:get. */
  const run = async (name: string): Promise<RunDto> => {
    const finished = new Map<string, RunDto>();
    let wake = (): void => {};
    const off = core.events.on('runs:finished', (r) => (finished.set(r.id, r), wake()));
    try {
      const { runId } = await core.call('jobs:run', { id: core.jobs.findByName(name)!.id });
      while (!finished.has(runId)) await new Promise<void>((resolve) => (wake = resolve));
      const record = await core.call('runs:get', { id: runId });
      runs.push(record);
      return record;
    } finally {
      off();
    }
  };

  it('backs up PostgreSQL (directly and over SSH) and MariaDB to S3, SFTP and a folder, with age and 7-Zip', async () => {
    for (const name of ['pg-offsite', 'pg-over-ssh', 'maria-7z']) {
      const result = await run(name);
      expect(result.error, name).toBeNull();
      expect(result.status).toBe('succeeded');
    }
  });

  it('fails on a wrong MariaDB password, an unreachable bucket and a wrong key passphrase', async () => {
    const expected: Record<string, string> = { 'maria-wrong-password': 'dump', 's3-unreachable': 'upload', 'sftp-wrong-passphrase': 'upload' };
    for (const [name, stage] of Object.entries(expected)) {
      const result = await run(name);
      expect(result.status, name).toBe('failed');
      expect(result.error?.stage, `${name}: ${result.error?.message}`).toBe(stage);
      messages.push(result.error!.message);
    }
  });

  it('tests every source and destination, whatever the answer', async () => {
    for (const s of core.sources.list()) {
      const r = await core.invoke('sources:test', { id: s.id });
      messages.push(JSON.stringify(r));
    }
    for (const d of core.destinations.list()) {
      const r = await core.invoke('destinations:test', { id: d.id });
      messages.push(JSON.stringify(r));
    }
    expect(messages.some((m) => m.includes('SOURCE_AUTH_FAILED'))).toBe(true);
  });

  it('holds no secret in any log line, run record, message, data dir file, child argv or child environment', () => {
    sightings = watcher!.stop();
    watcher = null;
    const values: [string, string][] = [...Object.entries(secret), ['SSH private key', sshd.privateKey], ['SFTP private key', sshd.encryptedKey.privateKey], ['SFTP key passphrase', sshd.encryptedKey.passphrase], ['age identity', identity]];
    // A key's text also leaks line by line: look for every base64 line of each private key.
    for (const [label, key] of [['SSH private key', sshd.privateKey], ['SFTP private key', sshd.encryptedKey.privateKey]] as const) {
      key.split('\n').filter((l) => l.length >= 20 && !l.startsWith('-----')).forEach((l, i) => values.push([`${label} line ${i + 1}`, l]));
    }
    // The log must have heard the pipeline's drivers (in the worker thread) and the SSH links, or it proves nothing.
    expect(lines.filter((l) => /"message":"(dump started|ssh connected)"/.test(l)).length, lines.join('')).toBeGreaterThanOrEqual(3);
    const places: [string, string | Buffer][] = [
      ['the log', lines.join('')],
      ['the run records', JSON.stringify(runs)],
      ['the error messages', messages.join('\n')],
      ...filesUnder(core.dataDir).map(({ file, bytes }): [string, Buffer] => [path.relative(t.dir, file), bytes]),
    ];
    const leaks: string[] = [];
    for (const [where, text] of places) for (const [label, value] of values) if (text.includes(value)) leaks.push(`${label} in ${where}`);
    for (const p of sightings) {
      // A tool is started through setpriv, and a dump tool through stdbuf too (pipeline/bound-child.ts),
      // each of which execs the next with the same environment: seen in that moment, the process is
      // the tool its argv names after `--`.
      let argv = p.argv;
      for (;;) {
        if (/(^|\/)(setpriv|stdbuf)$/.test(argv[0] ?? '') && argv.includes('--')) argv = argv.slice(argv.indexOf('--') + 1);
        // chrt --other 0 TOOL...: the pipeline worker's thread is under SCHED_BATCH, its tools go back.
        else if (/(^|\/)chrt$/.test(argv[0] ?? '') && argv[1] === '--other') argv = argv.slice(3);
        else break;
      }
      // Debian's /usr/bin/pg_dump is a Perl wrapper (pg_wrapper): the tool is the script perl runs.
      const command = (/(^|\/)perl$/.test(argv[0] ?? '') ? argv[1] : argv[0]) ?? '';
      for (const [label, value] of values) {
        if (p.argv.some((a) => a.includes(value))) leaks.push(`${label} in the argv of ${command} (pid ${p.pid})`);
        const allowed = (entry: string): boolean => PG_TOOL.test(command) && (entry === `PGPASSWORD=${secret.pgPassword}` || entry === `PGPASSWORD=${secret.pgSshPassword}`);
        if (p.env.some((e) => e.includes(value) && !allowed(e))) leaks.push(`${label} in the environment of ${command} (pid ${p.pid})`);
      }
    }
    expect(leaks).toEqual([]);
    // The watch must have seen the tools it vouches for, or the argv and environment checks said nothing.
    const commands = new Set(sightings.flatMap((p) => p.argv.slice(0, 2).map((a) => path.basename(a))));
    expect([...commands].filter((c) => ['pg_dump', 'mariadb-dump', 'mysqldump', '7zz', 'sshd'].includes(c)).sort()).toEqual(expect.arrayContaining(['7zz', 'pg_dump']));
    expect(commands.has('mariadb-dump') || commands.has('mysqldump')).toBe(true);
  });
});
