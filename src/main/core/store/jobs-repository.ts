import { randomUUID } from 'node:crypto';
import { LEVEL_RANGE } from '../../../shared/domain/compression-levels';
import type { JobDto } from '../../../shared/domain/dto';
import { HOOK_TIMEOUT_DEFAULT_S, type JobCreate, type JobUpdate } from '../../../shared/ipc/schemas';
import { AppError } from '../../../shared/ipc/result';
import { assertDistinctPlaces } from '../destinations/same-place';
import { assertSchedule, assertTimeZone } from '../scheduler/schedule';
import type { MasterKey } from '../keys/master-key';
import { redactUrl } from '../notifications/redact-url';
import { statement, type Db } from './db';
import type { DestinationsRepository } from './destinations-repository';
import type { EnvironmentsRepository } from './environments-repository';
import { assertNameFree, notFound } from './names';
import type { ProfilesRepository } from './profiles-repository';
import { applyChanges, hasChanges, openSecrets, pickSecrets, sealSecrets, type SecretMap } from './row-secrets';
import type { SourcesRepository } from './sources-repository';

interface JobRow {
  id: string;
  name: string;
  source_id: string;
  profile_id: string | null;
  config: string;
  secrets: string | null;
  secret_names: string;
  enabled: number;
  created_at: string;
  updated_at: string;
  /** Every write sets it since migration 007; should a row lack it, `updated_at` is the migration's value. */
  schedule_set_at: string | null;
}

/** The job's secrets: URLs that carry their credentials. */
const SECRET_FIELDS = ['webhookUrl', 'healthchecksUrl'] as const;

/** Jobs saved before hooks and notifications existed lack those keys. */
type JobConfig = Omit<JobCreate, 'name' | 'sourceId' | 'destinationIds' | 'profileId' | 'enabled' | (typeof SECRET_FIELDS)[number]> & {
  /** Redacted hosts of the sealed URLs, so listing jobs needs no master key. */
  webhookHost?: string | null;
  healthchecksHost?: string | null;
};
type JobSpec = JobCreate;

export class JobsRepository {
  constructor(
    private readonly db: Db,
    private readonly sources: SourcesRepository,
    private readonly destinations: DestinationsRepository,
    private readonly environments: EnvironmentsRepository,
    private readonly profiles: ProfilesRepository,
    private readonly keys: MasterKey,
    private readonly now: () => Date,
  ) {}

  list(): JobDto[] {
    const rows = statement(this.db, 'SELECT * FROM jobs ORDER BY name COLLATE NOCASE').all() as JobRow[];
    return rows.map((r) => this.#toDto(r));
  }

  get(id: string): JobDto {
    return this.#toDto(this.#row(id));
  }

  findByName(name: string): JobDto | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE name = ? COLLATE NOCASE').get(name) as JobRow | undefined;
    return row ? this.#toDto(row) : null;
  }

  /**
   * Since when the job's schedule promises its slots: catch-up runs no slot before it. See
   * `schedulePromiseChanged` for what moves it.
   */
  scheduleSetAt(id: string): string {
    const row = this.#row(id);
    return row.schedule_set_at ?? row.updated_at;
  }

  /** The job's webhook and Healthchecks URLs, for the notifier only: never returned through the contract. */
  secrets(id: string): SecretMap {
    const row = this.#row(id);
    return openSecrets(this.keys.box(), 'jobs', id, row.secrets);
  }

  create(input: JobCreate): JobDto {
    const id = randomUUID();
    this.#validate(input);
    const time = this.now().toISOString();
    const secrets = applyChanges({}, pickSecrets(input, SECRET_FIELDS));
    const sealed = Object.keys(secrets).length > 0 ? sealSecrets(this.keys.box(), 'jobs', id, secrets) : { sealed: null, names: [] };
    this.db.transaction(() => {
      assertNameFree(this.db, 'jobs', 'job', input.name);
      this.db
        .prepare('INSERT INTO jobs (id, name, source_id, profile_id, config, secrets, secret_names, enabled, created_at, updated_at, schedule_set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, input.name, input.sourceId, input.profileId, JSON.stringify(configOf(input, secrets)), sealed.sealed, JSON.stringify(sealed.names), input.enabled ? 1 : 0, time, time, time);
      this.#setDestinations(id, input.destinationIds);
    })();
    return this.get(id);
  }

  update(input: JobUpdate): JobDto {
    const row = this.#row(input.id);
    const current = this.#toDto(row);
    const merged: JobSpec = { ...specOf(current), ...stripUndefined(input) } as JobSpec;
    if (input.encryption === 'none' && input.profileId === undefined) merged.profileId = null;
    this.#validate(merged);
    const changes = pickSecrets(input, SECRET_FIELDS);
    let sealed = { sealed: row.secrets, names: JSON.parse(row.secret_names) as string[] };
    const config = configOf(merged, null);
    const old = JSON.parse(row.config) as JobConfig;
    config.webhookHost = old.webhookHost ?? null;
    config.healthchecksHost = old.healthchecksHost ?? null;
    if (hasChanges(changes)) {
      const box = this.keys.box();
      const next = applyChanges(openSecrets(box, 'jobs', row.id, row.secrets), changes);
      sealed = sealSecrets(box, 'jobs', row.id, next);
      Object.assign(config, hostsOf(next));
    }
    const time = this.now().toISOString();
    const scheduleSetAt = schedulePromiseChanged(current, merged) ? time : (row.schedule_set_at ?? row.updated_at);
    this.db.transaction(() => {
      if (input.name !== undefined) assertNameFree(this.db, 'jobs', 'job', input.name, input.id);
      this.db
        .prepare('UPDATE jobs SET name = ?, source_id = ?, profile_id = ?, config = ?, secrets = ?, secret_names = ?, enabled = ?, updated_at = ?, schedule_set_at = ? WHERE id = ?')
        .run(merged.name, merged.sourceId, merged.profileId, JSON.stringify(config), sealed.sealed, JSON.stringify(sealed.names), merged.enabled ? 1 : 0, time, scheduleSetAt, input.id);
      if (input.destinationIds) this.#setDestinations(input.id, input.destinationIds);
    })();
    return this.get(input.id);
  }

  /**
   * Deletes the job; `refuse` runs first under the write lock (a run in progress, say), so
   * nothing can start between the check and the delete.
   */
  delete(id: string, refuse: (job: JobDto) => void = () => undefined): void {
    this.db
      .transaction(() => {
        refuse(this.get(id));
        this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
      })
      .immediate();
  }

  /** Every rule a job must satisfy, checked before anything is written. */
  #validate(spec: JobSpec): void {
    const source = this.sources.get(spec.sourceId);
    const env = this.environments.get(source.environmentId);
    if (new Set(spec.destinationIds).size !== spec.destinationIds.length) {
      throw new AppError('VALIDATION_FAILED', 'A destination is listed twice.', { field: 'destinationIds' });
    }
    // Two names for one place fail every run just as surely (same-place.ts).
    assertDistinctPlaces(spec.destinationIds.map((destId) => this.destinations.get(destId)));
    for (const destId of spec.destinationIds) {
      const dest = this.destinations.get(destId);
      if (!env.allowAllDestinations && !env.allowedDestinationIds.includes(destId)) {
        throw new AppError(
          'DESTINATION_NOT_ALLOWED',
          `Source "${source.name}" belongs to environment "${env.name}", which may not use destination "${dest.name}". Allow it in the environment's settings or pick another destination.`,
          { field: 'destinationIds', environment: env.name, destination: dest.name },
        );
      }
    }
    if (source.engine === 'sqlite' && (spec.databases.length > 0 || spec.allDatabases)) {
      throw new AppError('VALIDATION_FAILED', 'A SQLite source is one file: it has no databases to choose.', { field: 'databases' });
    }
    if (spec.allDatabases && spec.databases.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'Choose either "all databases" or a list of databases, not both.', { field: 'databases' });
    }
    if (spec.encryption === 'none') {
      if (spec.profileId) throw new AppError('VALIDATION_FAILED', 'An unencrypted job has no encryption profile.', { field: 'profileId' });
    } else {
      if (!spec.profileId) throw new AppError('VALIDATION_FAILED', `${spec.encryption === 'age' ? 'age' : '7-Zip'} encryption needs an encryption profile.`, { field: 'profileId' });
      const profile = this.profiles.get(spec.profileId);
      if (profile.kind !== spec.encryption) {
        throw new AppError('VALIDATION_FAILED', `Profile "${profile.name}" is a ${profile.kind} profile, not ${spec.encryption}.`, { field: 'profileId' });
      }
    }
    if (spec.compressionLevel !== null) {
      if (spec.compression === 'none') throw new AppError('VALIDATION_FAILED', 'Without compression there is no level to set.', { field: 'compressionLevel' });
      const [min, max] = LEVEL_RANGE[spec.compression];
      if (spec.compressionLevel < min || spec.compressionLevel > max) {
        throw new AppError('VALIDATION_FAILED', `${spec.compression} levels go from ${min} to ${max}, not ${spec.compressionLevel}.`, { field: 'compressionLevel' });
      }
    }
    if (spec.timezone !== null) assertTimeZone(spec.timezone);
    if (spec.schedule !== null) {
      assertSchedule({ schedule: spec.schedule, timezone: spec.timezone });
    } else if (spec.timezone !== null) {
      throw new AppError('VALIDATION_FAILED', 'A time zone only applies to a schedule.', { field: 'timezone' });
    }
  }

  #setDestinations(jobId: string, ids: string[]): void {
    this.db.prepare('DELETE FROM job_destinations WHERE job_id = ?').run(jobId);
    const insert = this.db.prepare('INSERT INTO job_destinations (job_id, destination_id, position) VALUES (?, ?, ?)');
    ids.forEach((d, i) => insert.run(jobId, d, i));
  }

  #row(id: string): JobRow {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw notFound('job', id);
    return row;
  }

  #toDto(r: JobRow): JobDto {
    const c = JSON.parse(r.config) as JobConfig;
    const dests = statement(this.db, 'SELECT d.id, d.name FROM job_destinations jd JOIN destinations d ON d.id = jd.destination_id WHERE jd.job_id = ? ORDER BY jd.position').all(r.id) as {
      id: string;
      name: string;
    }[];
    const source = statement(this.db, 'SELECT name FROM sources WHERE id = ?').get(r.source_id) as { name: string };
    const profile = r.profile_id ? (statement(this.db, 'SELECT name FROM profiles WHERE id = ?').get(r.profile_id) as { name: string } | undefined) : undefined;
    const secretNames = JSON.parse(r.secret_names) as string[];
    const hasWebhook = secretNames.includes('webhookUrl');
    const hasHealthchecks = secretNames.includes('healthchecksUrl');
    const newest = statement(this.db, 'SELECT max(created_at) AS at FROM backups WHERE job_id = ?').get(r.id) as { at: string | null };
    return {
      id: r.id,
      name: r.name,
      sourceId: r.source_id,
      sourceName: source.name,
      databases: c.databases,
      allDatabases: c.allDatabases,
      destinationIds: dests.map((d) => d.id),
      destinationNames: dests.map((d) => d.name),
      format: c.format,
      compression: c.compression,
      compressionLevel: c.compressionLevel,
      encryption: c.encryption,
      profileId: r.profile_id,
      profileName: profile?.name ?? null,
      schedule: c.schedule,
      timezone: c.timezone,
      timeoutMinutes: c.timeoutMinutes,
      prefix: c.prefix,
      retention: c.retention,
      // Jobs saved before catch-up existed have it on, as new ones do.
      catchUp: c.catchUp ?? true,
      preHook: c.preHook ?? null,
      postHook: c.postHook ?? null,
      hookTimeoutSeconds: c.hookTimeoutSeconds ?? HOOK_TIMEOUT_DEFAULT_S,
      hasWebhook,
      // A key reset drops the sealed URL; its host stays in the config but no longer means anything.
      webhookHost: hasWebhook ? (c.webhookHost ?? null) : null,
      webhookFormat: c.webhookFormat ?? 'json',
      hasHealthchecks,
      healthchecksHost: hasHealthchecks ? (c.healthchecksHost ?? null) : null,
      lastBackupAt: newest.at,
      enabled: r.enabled === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

/**
 * Whether an edit makes the job promise slots it did not promise before, so that catch-up must not
 * run a slot from before the edit: a new schedule or time zone (a slot of the old one was never the
 * new one's), enabled again or catch-up turned on (a slot that passed while it was off was not to
 * run then, and is not owed now). Everything else (retention, hooks, name, destinations, source,
 * compression, encryption, timeout) keeps the slots it promised: a nightly missed before such an
 * edit is still owed a backup.
 */
function schedulePromiseChanged(before: JobDto, after: JobSpec): boolean {
  return before.schedule !== after.schedule || before.timezone !== after.timezone || (!before.enabled && after.enabled) || (!before.catchUp && after.catchUp);
}

function configOf(spec: JobSpec, secrets: SecretMap | null): JobConfig {
  return {
    databases: spec.databases,
    allDatabases: spec.allDatabases,
    format: spec.format,
    compression: spec.compression,
    compressionLevel: spec.compressionLevel,
    encryption: spec.encryption,
    schedule: spec.schedule,
    timezone: spec.timezone,
    timeoutMinutes: spec.timeoutMinutes,
    prefix: spec.prefix,
    retention: spec.retention,
    catchUp: spec.catchUp,
    preHook: spec.preHook,
    postHook: spec.postHook,
    hookTimeoutSeconds: spec.hookTimeoutSeconds,
    webhookFormat: spec.webhookFormat,
    ...(secrets ? hostsOf(secrets) : {}),
  };
}

function hostsOf(secrets: SecretMap): { webhookHost: string | null; healthchecksHost: string | null } {
  return {
    webhookHost: secrets.webhookUrl ? redactUrl(secrets.webhookUrl) : null,
    healthchecksHost: secrets.healthchecksUrl ? redactUrl(secrets.healthchecksUrl) : null,
  };
}

function specOf(dto: JobDto): JobSpec {
  const { id: _id, sourceName: _s, destinationNames: _d, profileName: _p, createdAt: _c, updatedAt: _u, hasWebhook: _w, webhookHost: _wh, hasHealthchecks: _h, healthchecksHost: _hh, ...spec } = dto;
  return spec;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
