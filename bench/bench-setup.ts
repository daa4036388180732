import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/core/create-core';
import { createFileKeyStore } from '../src/main/core/keys/env-key';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../src/main/core/testing/s3-server';
import { mysqlEnv, pgEnv } from '../src/main/core/testing/services';
import type { BenchDatabase } from './bench-db';

export const BUCKET = 'bench';

export interface JobSpec {
  name: string;
  database: BenchDatabase;
  compression: 'zstd' | 'gzip';
  destination: 'local' | 's3';
}

/** A throw-away Vaultdesk data dir with a profile, sources, destinations and one job per scenario. */
export interface BenchWorkspace {
  dir: string;
  dataDir: string;
  keyFile: string;
  /** The profile's age recipient: the baseline encrypts to the same (and only) recipient. */
  recipient: string;
  /** The profile's identity (made with age-keygen, mode 0600), for the restore baselines' `age -d -i`. */
  identityFile: string;
  /** The workspace's source per engine, by id. */
  sourceIds: Partial<Record<BenchDatabase['engine'], string>>;
  /** Where the local destination and the baseline write. */
  outDir: string;
  s3: S3TestServer | null;
  /** Removes what runs left in the output folder and the bucket, so the disk does not fill up. */
  clearOutputs(): void;
  close(): Promise<void>;
}

export async function createWorkspace(jobs: JobSpec[]): Promise<BenchWorkspace> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-bench-'));
  let s3: S3TestServer | null = null;
  try {
    const dataDir = path.join(dir, 'data');
    const keyFile = path.join(dir, 'master.key');
    const outDir = path.join(dir, 'out');
    mkdirSync(outDir);
    if (jobs.some((j) => j.destination === 's3')) s3 = await startS3Server({ buckets: [BUCKET] });
    const core = await createCore({ dataDir, keyStore: createFileKeyStore(keyFile), toolEnv: { PATH: process.env.PATH } });
    const identityFile = path.join(dir, 'identity.txt');
    const keygen = spawnSync('age-keygen', ['-o', identityFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (keygen.status !== 0) throw new Error(`age-keygen failed: ${keygen.stderr.toString().trim()}`);
    const identity = readFileSync(identityFile, 'utf8').split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-'))!;
    let recipient: string;
    const sourceIds: BenchWorkspace['sourceIds'] = {};
    try {
      const profile = await core.call('profiles:create', { kind: 'age', name: 'bench', identity });
      recipient = profile.recipient!;
      const local = await core.call('destinations:create', { kind: 'local', name: 'bench-local', path: outDir });
      const bucket = s3
        ? await core.call('destinations:create', {
            kind: 's3',
            name: 'bench-s3',
            provider: 'minio',
            endpoint: s3.endpoint,
            bucket: BUCKET,
            pathStyle: true,
            accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
            secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
          })
        : null;
      const sources = new Map<string, string>();
      for (const job of jobs) {
        const db = job.database;
        let sourceId = sources.get(db.name + db.engine);
        if (!sourceId) {
          const server = db.engine === 'postgres' ? pgEnv : mysqlEnv;
          const source = await core.call('sources:create', { engine: db.engine, name: `${db.engine}-bench`, host: server.host, port: server.port, user: server.user, database: db.name, ...(server.password ? { password: server.password } : {}) });
          sourceId = source.id;
          sources.set(db.name + db.engine, sourceId);
          sourceIds[db.engine] = sourceId;
        }
        const destinationId = job.destination === 's3' ? bucket!.id : local.id;
        await core.call('jobs:create', { name: job.name, sourceId, destinationIds: [destinationId], compression: job.compression, encryption: 'age', profileId: profile.id });
      }
    } finally {
      core.close();
    }
    return {
      dir,
      dataDir,
      keyFile,
      recipient,
      identityFile,
      sourceIds,
      outDir,
      s3,
      clearOutputs() {
        for (const entry of readdirSync(outDir)) rmSync(path.join(outDir, entry), { recursive: true, force: true });
        if (s3) for (const entry of readdirSync(path.join(s3.dir, BUCKET))) rmSync(path.join(s3.dir, BUCKET, entry), { recursive: true, force: true });
      },
      async close() {
        await s3?.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
