import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InvokeInput } from '../../../shared/ipc/contract';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { seedSqliteFile } from './db-fixtures';
import { tempCore } from './temp-dir';

/** An install that has made backups: its own data dir and key, a SQLite source, an age profile, one job. */
export interface BackupMaker {
  core: Core;
  /** The SQLite file it backs up. */
  file: string;
  profileId: string;
  jobId: string;
  destinationId: string;
  runs: RunDto[];
  /** Moves the install's clock (each run gets its own time, so its object its own name). */
  setClock(at: Date): void;
}

/**
 * Makes `days.length` age-encrypted backups of a SQLite file, one per day at 03:00 UTC, to one
 * destination, from a data dir under `dir` (another install than any other core of the test).
 */
export async function makeBackups(dir: string, destination: InvokeInput<'destinations:create'>, days: string[], options: { jobName?: string } = {}): Promise<BackupMaker> {
  let clock = new Date(`${days[0] ?? '2026-11-01'}T03:00:00Z`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.db');
  seedSqliteFile(file, 30);
  const core = await tempCore(dir, undefined, { clock: () => clock, timeZone: 'UTC' });
  const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
  const dest = await core.call('destinations:create', destination);
  const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
  const job = await core.call('jobs:create', { name: options.jobName ?? 'app-nightly', sourceId: source.id, destinationIds: [dest.id], encryption: 'age', profileId: profile.id });
  const runs: RunDto[] = [];
  for (const day of days) {
    clock = new Date(`${day}T03:00:00Z`);
    const run = await core.runService.start(job.id, 'manual').finished;
    if (run.status !== 'succeeded') throw new Error(`fixture backup failed: ${JSON.stringify(run.error)}`);
    runs.push(run);
  }
  return { core, file, profileId: profile.id, jobId: job.id, destinationId: dest.id, runs, setClock: (at) => (clock = at) };
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Flips one bit of the byte at `offset` (from the end when negative). */
export function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at]! ^= 0x01;
  writeFileSync(file, bytes);
}

/** Rewrites the manifest beside `file` so its size and sha256 describe the file as it is now: what someone who can write the storage could do. */
export function reseal(file: string): void {
  const manifestFile = `${file}.manifest.json`;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { object: { size: number; sha256: string } };
  manifest.object.size = readFileSync(file).length;
  manifest.object.sha256 = sha256Of(file);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
}

/** Every file under a folder, relative, sorted (hidden ones too). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}
