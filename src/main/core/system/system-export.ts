import type { SystemCountsDto, SystemExportDto } from '../../../shared/domain/system';
import { AppError } from '../../../shared/ipc/result';
import { exportSecretFile } from '../keys/export-file';
import { ageEncryptBuffer } from '../recovery/age-buffer';
import type { SystemBackupDeps, SystemExportRequest } from './system-backup';
import { SYSTEM_FORMAT, SYSTEM_FORMAT_VERSION, systemDocument, type SystemDocument } from './system-document';

interface Row {
  id: string;
  name: string;
  created_at: string;
}

/**
 * Writes the whole configuration, every secret opened with this data dir's master key, as one
 * age file encrypted to `passphrase` (scrypt), created 0600 under a temporary name and renamed.
 * The document is checked against the import schema first: a file import would refuse is not
 * written. Run history and connection test results stay behind: they describe this machine.
 */
export async function exportSystem(deps: SystemBackupDeps, request: SystemExportRequest): Promise<SystemExportDto> {
  // Said once, up front, rather than by the first row with a secret.
  deps.keys.box();
  const document = checked(collectSystemDocument(deps));
  const plaintext = Buffer.from(JSON.stringify(document), 'utf8');
  const bytes = await ageEncryptBuffer({ passphrase: request.passphrase, scryptWorkFactor: deps.scryptWorkFactor }, plaintext);
  plaintext.fill(0);
  exportSecretFile(request.path, bytes);
  return { path: request.path, bytes: bytes.byteLength, counts: countsOf(document) };
}

export function countsOf(document: Pick<SystemDocument, 'environments' | 'sources' | 'destinations' | 'profiles' | 'jobs' | 'pins'>): SystemCountsDto {
  return {
    environments: document.environments.length,
    sources: document.sources.length,
    destinations: document.destinations.length,
    profiles: document.profiles.length,
    jobs: document.jobs.length,
    pins: document.pins.length,
  };
}

function checked(document: unknown): SystemDocument {
  const parsed = systemDocument.safeParse(document);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // A row the store accepted but import would not: a bug to fix here, said before a useless file is written.
  throw new AppError('INTERNAL', `The configuration could not be exported: ${issue.path.join('.')} ${issue.message}. Nothing was written.`);
}

/**
 * The configuration as the document holds it, read straight from the store's rows so ids, names
 * and times are kept; unchecked until `checked` runs the document schema over it.
 */
export function collectSystemDocument(deps: SystemBackupDeps): unknown {
  const { db } = deps;
  const all = <T>(sql: string): T[] => db.prepare(sql).all() as T[];
  // The rows' shapes are the document schema's to check, as an import's are.
  const config = (text: string): unknown => JSON.parse(text);
  const allowed = new Map<string, string[]>();
  for (const r of all<{ environment_id: string; destination_id: string }>('SELECT environment_id, destination_id FROM environment_destinations ORDER BY destination_id')) {
    allowed.set(r.environment_id, [...(allowed.get(r.environment_id) ?? []), r.destination_id]);
  }
  const jobDestinations = new Map<string, string[]>();
  for (const r of all<{ job_id: string; destination_id: string }>('SELECT job_id, destination_id FROM job_destinations ORDER BY job_id, position')) {
    jobDestinations.set(r.job_id, [...(jobDestinations.get(r.job_id) ?? []), r.destination_id]);
  }
  const settings = deps.settings.get();
  const webhookUrl = deps.settings.webhookUrl();
  return {
    format: SYSTEM_FORMAT,
    formatVersion: SYSTEM_FORMAT_VERSION,
    app: { name: 'vaultdesk', version: deps.version },
    exportedAt: deps.now().toISOString(),
    environments: all<Row & { description: string; allow_all_destinations: number }>('SELECT * FROM environments ORDER BY created_at, id').map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      allowAllDestinations: r.allow_all_destinations === 1,
      allowedDestinationIds: allowed.get(r.id) ?? [],
      createdAt: r.created_at,
    })),
    destinations: all<Row & { kind: 'local' | 's3' | 'sftp'; config: string; locked: number; is_default: number; updated_at: string }>('SELECT * FROM destinations ORDER BY created_at, id').map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      config: config(r.config),
      secrets: deps.destinations.secrets(r.id),
      locked: r.locked === 1,
      isDefault: r.is_default === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    sources: all<Row & { engine: 'postgres' | 'mysql' | 'sqlite'; environment_id: string; config: string; updated_at: string }>('SELECT * FROM sources ORDER BY created_at, id').map((r) => ({
      id: r.id,
      name: r.name,
      engine: r.engine,
      environmentId: r.environment_id,
      config: config(r.config),
      secrets: deps.sources.secrets(r.id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    profiles: all<Row & { kind: 'age' | '7z'; recipient: string | null; extra_recipients: string; identity_exported_at: string | null; identity_imported: number }>(
      'SELECT * FROM profiles ORDER BY created_at, id',
    ).map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      recipient: r.recipient,
      extraRecipients: config(r.extra_recipients),
      secrets: deps.profiles.secrets(r.id),
      identityExportedAt: r.identity_exported_at,
      identityImported: r.identity_imported === 1,
      createdAt: r.created_at,
    })),
    jobs: all<Row & { source_id: string; profile_id: string | null; config: string; enabled: number; updated_at: string }>('SELECT * FROM jobs ORDER BY created_at, id').map((r) => ({
      id: r.id,
      name: r.name,
      sourceId: r.source_id,
      profileId: r.profile_id,
      destinationIds: jobDestinations.get(r.id) ?? [],
      enabled: r.enabled === 1,
      config: config(r.config),
      secrets: deps.jobs.secrets(r.id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    settings: {
      toolPaths: settings.toolPaths,
      maxConcurrentRuns: settings.maxConcurrentRuns,
      schedulesPaused: settings.schedulesPaused,
      webhook: webhookUrl === null ? null : { url: webhookUrl, format: settings.webhookFormat },
    },
    pins: all<{ destination_id: string; object_key: string; pinned_until: string | null }>(
      'SELECT destination_id, object_key, pinned_until FROM backup_state WHERE pinned = 1 ORDER BY destination_id, object_key',
    )
      // A pin whose end has passed no longer counts.
      .filter((r) => r.pinned_until === null || Date.parse(r.pinned_until) > deps.now().getTime())
      .map((r) => ({ destinationId: r.destination_id, objectKey: r.object_key, pinnedUntil: r.pinned_until })),
    backups: all<{ id: string; job_id: string; destination_id: string; object_key: string; database_name: string; size: number; sha256: string; manifest: string; created_at: string }>(
      'SELECT id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at FROM backups WHERE job_id IS NOT NULL ORDER BY created_at',
    ).map((r) => ({ id: r.id, jobId: r.job_id, destinationId: r.destination_id, objectKey: r.object_key, database: r.database_name, size: r.size, sha256: r.sha256, manifest: r.manifest, createdAt: r.created_at })),
  };
}
