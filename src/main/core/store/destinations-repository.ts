import { randomUUID } from 'node:crypto';
import type { DestinationConfig, DestinationDto, DestinationKind } from '../../../shared/domain/dto';
import { isAbsolutePath, type DestinationCreate, type DestinationUpdate } from '../../../shared/ipc/schemas';
import { AppError } from '../../../shared/ipc/result';
import { resolveS3Preset } from '../destinations/s3-presets';
import type { MasterKey } from '../keys/master-key';
import type { Db } from './db';
import { assertNameFree, notFound } from './names';
import { applyChanges, hasChanges, openSecrets, pickSecrets, sealSecrets, type SecretMap } from './row-secrets';

interface DestinationRow {
  id: string;
  name: string;
  kind: DestinationKind;
  config: string;
  secrets: string | null;
  secret_names: string;
  locked: number;
  is_default: number;
  created_at: string;
  updated_at: string;
}

const SECRET_FIELDS: Record<DestinationKind, readonly string[]> = {
  local: [],
  s3: ['secretAccessKey'],
  sftp: ['password', 'privateKey', 'passphrase'],
};

const FIELDS: Record<DestinationKind, readonly string[]> = {
  local: ['path'],
  s3: ['provider', 'bucket', 'region', 'endpoint', 'publicEndpoint', 'pathStyle', 'accessKeyId', 'prefix', 'partSizeMiB', 'buckets', 'account'],
  sftp: ['host', 'port', 'user', 'path', 'forgetHostKey'],
};

export class DestinationsRepository {
  constructor(
    private readonly db: Db,
    private readonly keys: MasterKey,
    private readonly now: () => Date,
  ) {}

  list(): DestinationDto[] {
    const rows = this.db.prepare('SELECT * FROM destinations ORDER BY name COLLATE NOCASE').all() as DestinationRow[];
    return rows.map((r) => this.#toDto(r));
  }

  get(id: string): DestinationDto {
    return this.#toDto(this.#row(id));
  }

  findByName(name: string): DestinationDto | null {
    const row = this.db.prepare('SELECT * FROM destinations WHERE name = ? COLLATE NOCASE').get(name) as DestinationRow | undefined;
    return row ? this.#toDto(row) : null;
  }

  /** The stored credentials, for the pipeline only: never returned through the contract. */
  secrets(id: string): SecretMap {
    const row = this.#row(id);
    return openSecrets(this.keys.box(), 'destinations', id, row.secrets);
  }

  create(input: DestinationCreate): DestinationDto {
    const id = randomUUID();
    const time = this.now().toISOString();
    const config = buildConfig(input.kind, input as unknown as Record<string, unknown>, null);
    const changes = pickSecrets(input as Record<string, unknown>, SECRET_FIELDS[input.kind]);
    validateSecrets(input.kind, applyChanges({}, changes));
    const sealed = hasChanges(changes) ? sealSecrets(this.keys.box(), 'destinations', id, applyChanges({}, changes)) : { sealed: null, names: [] };
    this.db.transaction(() => {
      assertNameFree(this.db, 'destinations', 'destination', input.name);
      if (input.isDefault) this.db.prepare('UPDATE destinations SET is_default = 0').run();
      this.db
        .prepare(
          `INSERT INTO destinations (id, name, kind, config, secrets, secret_names, locked, is_default, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
        )
        .run(id, input.name, input.kind, JSON.stringify(config), sealed.sealed, JSON.stringify(sealed.names), input.isDefault ? 1 : 0, time, time);
    })();
    return this.get(id);
  }

  update(input: DestinationUpdate): DestinationDto {
    const row = this.#row(input.id);
    const given = Object.entries(input).filter(([k, v]) => v !== undefined && k !== 'id' && k !== 'name').map(([k]) => k);
    const allowed = new Set([...FIELDS[row.kind], ...SECRET_FIELDS[row.kind]]);
    const foreign = given.filter((k) => !allowed.has(k));
    if (foreign.length > 0) {
      throw new AppError('VALIDATION_FAILED', `A ${row.kind} destination has no ${foreign.join(', ')}.`, { field: foreign[0] });
    }
    // The schema takes any path for updates (an SFTP path may be relative to the login's home); a local folder may not.
    if (row.kind === 'local' && input.path !== undefined && !isAbsolutePath(input.path)) {
      throw new AppError('VALIDATION_FAILED', 'path: must be an absolute path', { field: 'path' });
    }
    const config = buildConfig(row.kind, input as Record<string, unknown>, JSON.parse(row.config) as Record<string, unknown>);
    const changes = pickSecrets(input as Record<string, unknown>, SECRET_FIELDS[row.kind]);
    let sealed = { sealed: row.secrets, names: JSON.parse(row.secret_names) as string[] };
    if (hasChanges(changes)) {
      const box = this.keys.box();
      const next = applyChanges(openSecrets(box, 'destinations', row.id, row.secrets), changes);
      validateSecrets(row.kind, next);
      sealed = sealSecrets(box, 'destinations', row.id, next);
    }
    this.db.transaction(() => {
      if (input.name !== undefined) assertNameFree(this.db, 'destinations', 'destination', input.name, row.id);
      this.db
        .prepare('UPDATE destinations SET name = ?, config = ?, secrets = ?, secret_names = ?, updated_at = ? WHERE id = ?')
        .run(input.name ?? row.name, JSON.stringify(config), sealed.sealed, JSON.stringify(sealed.names), this.now().toISOString(), row.id);
    })();
    return this.get(row.id);
  }

  /** Trust on first use: remembers an SFTP server's host key; a later change is refused. */
  pinHostKey(id: string, fingerprint: string): void {
    const row = this.#row(id);
    const config = JSON.parse(row.config) as Record<string, unknown>;
    if (config.hostKeyFingerprint) return;
    config.hostKeyFingerprint = fingerprint;
    this.db.prepare('UPDATE destinations SET config = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(config), this.now().toISOString(), id);
  }

  setLocked(id: string, locked: boolean): DestinationDto {
    this.#row(id);
    this.db.prepare('UPDATE destinations SET locked = ?, updated_at = ? WHERE id = ?').run(locked ? 1 : 0, this.now().toISOString(), id);
    return this.get(id);
  }

  setDefault(id: string): DestinationDto {
    this.#row(id);
    this.db.transaction(() => {
      this.db.prepare('UPDATE destinations SET is_default = 0 WHERE is_default = 1').run();
      this.db.prepare('UPDATE destinations SET is_default = 1 WHERE id = ?').run(id);
    })();
    return this.get(id);
  }

  /** Only an unlocked destination that no job uses may go; the error names the jobs. */
  delete(id: string): void {
    const dto = this.get(id);
    if (dto.locked) {
      throw new AppError('DESTINATION_LOCKED', `Destination "${dto.name}" is locked. Unlock it before deleting it.`, { destination: dto.name });
    }
    if (dto.jobNames.length > 0) {
      throw new AppError(
        'DESTINATION_IN_USE',
        `Destination "${dto.name}" is used by ${dto.jobNames.length === 1 ? 'job' : 'jobs'} ${dto.jobNames.map((n) => `"${n}"`).join(', ')}. Remove it from ${dto.jobNames.length === 1 ? 'that job' : 'those jobs'} first.`,
        { destination: dto.name, jobs: dto.jobNames },
      );
    }
    this.db.prepare('DELETE FROM destinations WHERE id = ?').run(id);
  }

  #row(id: string): DestinationRow {
    const row = this.db.prepare('SELECT * FROM destinations WHERE id = ?').get(id) as DestinationRow | undefined;
    if (!row) throw notFound('destination', id);
    return row;
  }

  #toDto(r: DestinationRow): DestinationDto {
    const jobs = this.db
      .prepare('SELECT j.name FROM job_destinations jd JOIN jobs j ON j.id = jd.job_id WHERE jd.destination_id = ? ORDER BY j.name COLLATE NOCASE')
      .all(r.id) as { name: string }[];
    const names = JSON.parse(r.secret_names) as string[];
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      config: { kind: r.kind, ...JSON.parse(r.config) } as DestinationConfig,
      locked: r.locked === 1,
      isDefault: r.is_default === 1,
      hasSecret: names.some((n) => n !== 'passphrase'),
      hasPassphrase: names.includes('passphrase'),
      hasPassword: names.includes('password'),
      hasPrivateKey: names.includes('privateKey'),
      jobNames: jobs.map((j) => j.name),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

function buildConfig(kind: DestinationKind, input: Record<string, unknown>, current: Record<string, unknown> | null): Record<string, unknown> {
  const pick = (k: string, fallback: unknown): unknown => (input[k] !== undefined ? input[k] : current ? current[k] : fallback);
  switch (kind) {
    case 'local':
      return { path: pick('path', '') };
    case 'sftp':
      return {
        host: pick('host', ''),
        port: pick('port', 22),
        user: pick('user', ''),
        path: pick('path', ''),
        // A new host or port is a new server: its key is pinned afresh on first use.
        hostKeyFingerprint:
          input.forgetHostKey || (current && ((input.host !== undefined && input.host !== current.host) || (input.port !== undefined && input.port !== current.port)))
            ? null
            : (current?.hostKeyFingerprint ?? null),
      };
    case 's3': {
      const provider = pick('provider', 'aws') as Parameters<typeof resolveS3Preset>[0]['provider'];
      const bucket = pick('bucket', '') as string;
      const account = (pick('account', null) as string | null) ?? null;
      const endpointGiven = input.endpoint !== undefined ? (input.endpoint as string | null) : current && input.provider === undefined ? (current.endpoint as string | null) : null;
      const resolved = resolveS3Preset({
        provider,
        bucket,
        account,
        region: pick('region', '') as string,
        endpoint: endpointGiven,
        pathStyle: pick('pathStyle', undefined) as boolean | undefined,
      });
      let buckets = (pick('buckets', []) as string[]) ?? [];
      if (provider === 'r2' && buckets.length === 0) buckets = [bucket];
      return {
        provider,
        bucket,
        region: resolved.region,
        endpoint: resolved.endpoint,
        publicEndpoint: pick('publicEndpoint', null) ?? null,
        pathStyle: resolved.pathStyle,
        accessKeyId: pick('accessKeyId', null) ?? null,
        prefix: normalisePrefix(pick('prefix', '') as string),
        partSizeMiB: pick('partSizeMiB', 16),
        buckets,
        account,
      };
    }
  }
}

function normalisePrefix(prefix: string): string {
  return prefix.split('/').filter((p) => p.length > 0).join('/');
}

function validateSecrets(kind: DestinationKind, secrets: SecretMap): void {
  if (kind === 'sftp' && secrets.passphrase && !secrets.privateKey) {
    throw new AppError('VALIDATION_FAILED', 'A key passphrase only makes sense with a private key.', { field: 'passphrase' });
  }
}
