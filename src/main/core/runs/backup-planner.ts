import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { JobDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { assertDistinctPlaces } from '../destinations/same-place';
import type { BackupPlan, EncryptionPlan, ObjectPlan } from '../pipeline/backup-pipeline';
import { DEFAULT_PREFIX, objectName } from '../pipeline/manifest';
import { createSourceDriver, type SourceContext } from '../sources/source-driver';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { EnvironmentsRepository } from '../store/environments-repository';
import type { ProfilesRepository } from '../store/profiles-repository';
import type { SourcesRepository } from '../store/sources-repository';

export interface PlannerDeps {
  sources: SourcesRepository;
  destinations: DestinationsRepository;
  environments: EnvironmentsRepository;
  profiles: ProfilesRepository;
}

/**
 * Turns a job into a plan of plain data: the secrets opened, the destinations checked (not
 * locked, allowed for the source's environment), and the databases to dump resolved now, so
 * "all databases" includes the ones created after the job was defined.
 */
export async function planBackup(
  deps: PlannerDeps,
  job: JobDto,
  run: { id: string; startedAt: Date; appVersion: string; sourceContext: SourceContext; keyTaken: (key: string) => boolean },
): Promise<BackupPlan> {
  const source = deps.sources.get(job.sourceId);
  const env = deps.environments.get(source.environmentId);
  const sourceSecrets = deps.sources.secrets(source.id);
  const destinations = job.destinationIds.map((id) => {
    const dto = deps.destinations.get(id);
    if (dto.locked) throw new AppError('DESTINATION_LOCKED', `Destination "${dto.name}" is locked, so no run may use it. Unlock it or remove it from job "${job.name}".`, { destination: dto.name });
    if (!env.allowAllDestinations && !env.allowedDestinationIds.includes(id)) {
      throw new AppError('DESTINATION_NOT_ALLOWED', `Environment "${env.name}" may not use destination "${dto.name}".`, { destination: dto.name });
    }
    return { dto, secrets: deps.destinations.secrets(id) };
  });
  // Checked when the job is saved too; this catches a job saved before that check, or a
  // destination moved onto another's folder since, in words rather than a clash of names mid-run.
  assertDistinctPlaces(destinations.map((d) => d.dto));
  const encryption = encryptionOf(deps, job);
  const driver = createSourceDriver(source, sourceSecrets, { ...run.sourceContext, onHostKeyPinned: (fp) => deps.sources.pinHostKey(source.id, fp) });
  let targets: { database: string | null; label: string; kind: 'database' | 'globals' }[];
  try {
    if (source.engine === 'sqlite') {
      targets = [{ database: null, label: path.basename(source.path ?? 'database', path.extname(source.path ?? '')), kind: 'database' }];
    } else if (job.allDatabases || (job.databases.length === 0 && source.allDatabases)) {
      const all = await driver.listDatabases();
      targets = all.map((d) => ({ database: d, label: d, kind: 'database' as const }));
      if (source.engine === 'postgres') targets.unshift({ database: null, label: '_globals', kind: 'globals' });
    } else if (job.databases.length > 0) {
      targets = job.databases.map((d) => ({ database: d, label: d, kind: 'database' as const }));
    } else {
      targets = [{ database: null, label: source.database ?? 'database', kind: 'database' }];
    }
  } finally {
    await driver.close();
  }
  const extension = (kind: 'database' | 'globals'): string => (kind === 'globals' ? 'sql' : driver.extension(job.format));
  // Never overwrite a stored backup: a second run within the same second gets `-2`, `-3` ...
  const uniqueName = (parts: Parameters<typeof objectName>[0]): string => {
    let sequence = 1;
    while (run.keyTaken(objectName({ ...parts, sequence }))) sequence++;
    return objectName({ ...parts, sequence });
  };
  const objects: ObjectPlan[] = targets.map((t) => ({
    ...t,
    key: uniqueName({
      prefix: job.prefix ?? DEFAULT_PREFIX,
      environment: env.name,
      database: t.label,
      job: job.name,
      source: source.name,
      time: run.startedAt,
      extension: extension(t.kind),
      compression: encryption.kind === '7z' ? 'none' : job.compression,
      encrypted: encryption.kind,
    }),
  }));
  return {
    runId: run.id,
    appVersion: run.appVersion,
    job: { id: job.id, name: job.name },
    source: { dto: source, secrets: sourceSecrets },
    destinations,
    objects,
    format: job.format,
    compression: encryption.kind === '7z' ? 'none' : job.compression,
    compressionLevel: encryption.kind === '7z' ? null : job.compressionLevel,
    encryption,
    sourceContext: run.sourceContext,
    startedAt: run.startedAt.toISOString(),
  };
}

function encryptionOf(deps: PlannerDeps, job: JobDto): EncryptionPlan {
  if (job.encryption === 'none' || !job.profileId) return { kind: 'none' };
  const profile = deps.profiles.get(job.profileId);
  if (job.encryption === 'age') return { kind: 'age', recipients: [profile.recipient!, ...profile.extraRecipients] };
  const passphrase = deps.profiles.secrets(profile.id).passphrase;
  if (!passphrase) throw new AppError('MASTER_KEY_MISSING', `The 7-Zip profile "${profile.name}" has no passphrase any more (the master key was reset). Create a new 7-Zip profile for job "${job.name}".`);
  return { kind: '7z', passphrase };
}

export const newRunId = (): string => randomUUID();
