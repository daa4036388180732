import { randomUUID } from 'node:crypto';
import type { ConnectionTestDto, DestinationConfig, DestinationDto, DestinationKind } from '../../../shared/domain/dto';
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
  last_test: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A destination as a create or update would store it, not stored yet: what a test on save checks.
 * `commit` stores it (with the test's outcome, when there was one); nothing is written before.
 */
export interface DestinationDraft {
  readonly dto: DestinationDto;
  readonly secrets: SecretMap;
  /** A host key pinned by the test is stored with the draft. */
  pinHostKey(fingerprint: string): void;
  commit(lastTest: ConnectionTestDto | null): DestinationDto;
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
    // Nothing stored (a local folder, S3 on the default credential chain) needs no key: a wrong
    // master key must not make such a destination unreadable too.
    if (row.secrets === null) return {};
    return openSecrets(this.keys.box(), 'destinations', id, row.secrets);
  }

  create(input: DestinationCreate): DestinationDto {
    return this.draftCreate(input).commit(null);
  }

  /** A new destination, checked (name, fields) but not stored. */
  draftCreate(input: DestinationCreate): DestinationDraft {
    const id = randomUUID();
    const time = this.now().toISOString();
    const config = buildConfig(input.kind, input as unknown as Record<string, unknown>, null);
    const changes = pickSecrets(input as Record<string, unknown>, SECRET_FIELDS[input.kind]);
    const secrets = applyChanges({}, changes);
    validateSecrets(input.kind, secrets);
    const sealed = hasChanges(changes) ? sealSecrets(this.keys.box(), 'destinations', id, secrets) : { sealed: null, names: [] };
    // Said before a test that may take a while, and again when stored.
    assertNameFree(this.db, 'destinations', 'destination', input.name);
    const row = (lastTest: ConnectionTestDto | null): DestinationRow => ({
      id,
      name: input.name,
      kind: input.kind,
      config: JSON.stringify(config),
      secrets: sealed.sealed,
      secret_names: JSON.stringify(sealed.names),
      locked: 0,
      is_default: input.isDefault ? 1 : 0,
      last_test: lastTest ? JSON.stringify(lastTest) : null,
      created_at: time,
      updated_at: time,
    });
    return {
      dto: this.#toDto(row(null)),
      secrets,
      pinHostKey: (fingerprint) => {
        if (!config.hostKeyFingerprint) config.hostKeyFingerprint = fingerprint;
      },
      commit: (lastTest) => {
        const r = row(lastTest);
        this.db.transaction(() => {
          assertNameFree(this.db, 'destinations', 'destination', input.name);
          if (input.isDefault) this.db.prepare('UPDATE destinations SET is_default = 0').run();
          this.db
            .prepare(
              `INSERT INTO destinations (id, name, kind, config, secrets, secret_names, locked, is_default, last_test, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
            )
            .run(r.id, r.name, r.kind, r.config, r.secrets, r.secret_names, r.is_default, r.last_test, r.created_at, r.updated_at);
        })();
        return this.get(id);
      },
    };
  }

  update(input: DestinationUpdate): DestinationDto {
    return this.draftUpdate(input).commit(null);
  }

  /** A destination's new settings, checked but not stored; stored, they replace its last test (null: not tested since). */
  draftUpdate(input: DestinationUpdate): DestinationDraft {
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
    let secrets: SecretMap | null = null;
    const box = (): ReturnType<MasterKey['box']> => this.keys.box();
    if (hasChanges(changes)) {
      secrets = applyChanges(openSecrets(box(), 'destinations', row.id, row.secrets), changes);
      validateSecrets(row.kind, secrets);
      sealed = sealSecrets(box(), 'destinations', row.id, secrets);
    }
    if (input.name !== undefined) assertNameFree(this.db, 'destinations', 'destination', input.name, row.id);
    // A new name does not change what a test found; new connection settings do.
    const sameConnection = JSON.stringify(config) === row.config && !hasChanges(changes);
    const next = (lastTest: ConnectionTestDto | null): DestinationRow => ({
      ...row,
      name: input.name ?? row.name,
      config: JSON.stringify(config),
      secrets: sealed.sealed,
      secret_names: JSON.stringify(sealed.names),
      last_test: lastTest ? JSON.stringify(lastTest) : sameConnection ? row.last_test : null,
      updated_at: this.now().toISOString(),
    });
    return {
      dto: this.#toDto(next(null)),
      // Opened only when a test asks: a rename must not need the master key.
      get secrets() {
        secrets ??= openSecrets(box(), 'destinations', row.id, row.secrets);
        return secrets;
      },
      pinHostKey: (fingerprint) => {
        if (!config.hostKeyFingerprint) config.hostKeyFingerprint = fingerprint;
      },
      commit: (lastTest) => {
        const r = next(lastTest);
        this.db.transaction(() => {
          if (input.name !== undefined) assertNameFree(this.db, 'destinations', 'destination', input.name, row.id);
          this.db
            .prepare('UPDATE destinations SET name = ?, config = ?, secrets = ?, secret_names = ?, last_test = ?, updated_at = ? WHERE id = ?')
            .run(r.name, r.config, r.secrets, r.secret_names, r.last_test, r.updated_at, row.id);
        })();
        return this.get(row.id);
      },
    };
  }

  /** Keeps the outcome of a connection test of the stored settings, for the list's status column. */
  recordTest(id: string, test: ConnectionTestDto): void {
    this.db.prepare('UPDATE destinations SET last_test = ? WHERE id = ?').run(JSON.stringify(test), id);
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
      lastTest: r.last_test ? (JSON.parse(r.last_test) as ConnectionTestDto) : null,
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
