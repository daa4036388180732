import { randomUUID } from 'node:crypto';
import type { ConnectionTestDto, Engine, SourceDto, TlsMode } from '../../../shared/domain/dto';
import type { SourceCreate, SourceUpdate, SshInput } from '../../../shared/ipc/schemas';
import { AppError } from '../../../shared/ipc/result';
import type { MasterKey } from '../keys/master-key';
import type { Db } from './db';
import { assertJobsAllowed, type EnvironmentsRepository } from './environments-repository';
import { assertNameFree, notFound } from './names';
import { applyChanges, hasChanges, openSecrets, sealSecrets, type SecretChanges, type SecretMap } from './row-secrets';

interface SourceRow {
  id: string;
  name: string;
  engine: Engine;
  environment_id: string;
  environment_name: string;
  config: string;
  secrets: string | null;
  secret_names: string;
  last_test: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A source as a create or update would store it, not stored yet: what a test on save checks.
 * `commit` stores it (with the test's outcome, when there was one); nothing is written before.
 */
export interface SourceDraft {
  readonly dto: SourceDto;
  readonly secrets: SecretMap;
  /** A host key pinned by the test is stored with the draft. */
  pinHostKey(fingerprint: string): void;
  commit(lastTest: ConnectionTestDto | null): SourceDto;
}

interface SshConfig {
  mode: 'exec' | 'tunnel';
  host: string;
  port: number;
  user: string;
  hostKeyFingerprint: string | null;
}

interface SourceConfig {
  host: string | null;
  port: number | null;
  user: string | null;
  database: string | null;
  path: string | null;
  allDatabases: boolean;
  tlsMode: TlsMode;
  ssh: SshConfig | null;
}

const DEFAULT_PORT: Record<Engine, number | null> = { postgres: 5432, mysql: 3306, sqlite: null };
const SELECT = 'SELECT s.*, e.name AS environment_name FROM sources s JOIN environments e ON e.id = s.environment_id';

export class SourcesRepository {
  constructor(
    private readonly db: Db,
    private readonly keys: MasterKey,
    private readonly environments: EnvironmentsRepository,
    private readonly now: () => Date,
  ) {}

  list(): SourceDto[] {
    const rows = this.db.prepare(`${SELECT} ORDER BY s.name COLLATE NOCASE`).all() as SourceRow[];
    return rows.map((r) => this.#toDto(r));
  }

  get(id: string): SourceDto {
    return this.#toDto(this.#row(id));
  }

  findByName(name: string): SourceDto | null {
    const row = this.db.prepare(`${SELECT} WHERE s.name = ? COLLATE NOCASE`).get(name) as SourceRow | undefined;
    return row ? this.#toDto(row) : null;
  }

  /** The stored credentials, for the pipeline only: never returned through the contract. */
  secrets(id: string): SecretMap {
    return openSecrets(this.keys.box(), 'sources', id, this.#row(id).secrets);
  }

  create(input: SourceCreate): SourceDto {
    return this.draftCreate(input).commit(null);
  }

  /** A new source, checked (name, environment, fields) but not stored. */
  draftCreate(input: SourceCreate): SourceDraft {
    const id = randomUUID();
    const time = this.now().toISOString();
    const environment = input.environmentId !== undefined ? this.environments.get(input.environmentId) : null;
    const config = input.engine === 'sqlite' ? sqliteConfig(input.path) : serverConfig(input.engine, input, null);
    const changes = input.engine === 'sqlite' ? {} : secretChanges(input.password, input.ssh);
    const secrets = applyChanges({}, changes);
    const sealed = hasChanges(changes) ? sealSecrets(this.keys.box(), 'sources', id, secrets) : { sealed: null, names: [] };
    validate(config, sealed.names);
    // Said before a test that may take a while, and again when stored.
    assertNameFree(this.db, 'sources', 'source', input.name);
    const row = (environmentId: string, environmentName: string, lastTest: ConnectionTestDto | null): SourceRow => ({
      id,
      name: input.name,
      engine: input.engine,
      environment_id: environmentId,
      environment_name: environmentName,
      config: JSON.stringify(config),
      secrets: sealed.sealed,
      secret_names: JSON.stringify(sealed.names),
      last_test: lastTest ? JSON.stringify(lastTest) : null,
      created_at: time,
      updated_at: time,
    });
    return {
      dto: this.#toDto(row(environment?.id ?? '', environment?.name ?? 'default', null)),
      secrets,
      pinHostKey: (fingerprint) => {
        if (config.ssh && !config.ssh.hostKeyFingerprint) config.ssh.hostKeyFingerprint = fingerprint;
      },
      commit: (lastTest) => {
        this.db.transaction(() => {
          assertNameFree(this.db, 'sources', 'source', input.name);
          // Inside the transaction: a refused source must not leave a `default` environment behind.
          const environmentId = input.environmentId ?? this.environments.ensureDefault().id;
          const r = row(environmentId, '', lastTest);
          this.db
            .prepare(
              `INSERT INTO sources (id, name, engine, environment_id, config, secrets, secret_names, last_test, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(r.id, r.name, r.engine, r.environment_id, r.config, r.secrets, r.secret_names, r.last_test, r.created_at, r.updated_at);
        })();
        return this.get(id);
      },
    };
  }

  update(input: SourceUpdate): SourceDto {
    return this.draftUpdate(input).commit(null);
  }

  /** A source's new settings, checked but not stored; stored, they replace its last test (null: not tested since). */
  draftUpdate(input: SourceUpdate): SourceDraft {
    const row = this.#row(input.id);
    const current = JSON.parse(row.config) as SourceConfig;
    if (row.engine === 'sqlite') {
      const foreign = ['host', 'port', 'user', 'database', 'allDatabases', 'tlsMode', 'password', 'ssh', 'forgetHostKey'].filter((k) => (input as Record<string, unknown>)[k] !== undefined);
      if (foreign.length > 0) throw new AppError('VALIDATION_FAILED', `A SQLite source has no ${foreign.join(', ')}.`, { field: foreign[0] });
    } else if (input.path !== undefined) {
      throw new AppError('VALIDATION_FAILED', 'Only SQLite sources have a file path.', { field: 'path' });
    }
    const environment = input.environmentId !== undefined ? this.environments.get(input.environmentId) : null;
    const config = row.engine === 'sqlite' ? sqliteConfig(input.path ?? current.path ?? '') : serverConfig(row.engine, input, current);
    if (input.forgetHostKey) {
      if (!config.ssh) throw new AppError('VALIDATION_FAILED', 'This source does not use SSH: there is no host key to forget.', { field: 'forgetHostKey' });
      config.ssh.hostKeyFingerprint = null;
    }
    const changes = row.engine === 'sqlite' ? {} : secretChanges(input.password, input.ssh, input.ssh === null);
    let sealed = { sealed: row.secrets, names: JSON.parse(row.secret_names) as string[] };
    let secrets: SecretMap | null = null;
    const box = (): ReturnType<MasterKey['box']> => this.keys.box();
    if (hasChanges(changes)) {
      secrets = applyChanges(openSecrets(box(), 'sources', row.id, row.secrets), changes);
      sealed = sealSecrets(box(), 'sources', row.id, secrets);
    }
    validate(config, sealed.names);
    if (input.name !== undefined) assertNameFree(this.db, 'sources', 'source', input.name, row.id);
    // A new name or environment does not change what a test found; new connection settings do.
    const sameConnection = JSON.stringify(config) === row.config && !hasChanges(changes);
    const next = (lastTest: ConnectionTestDto | null): SourceRow => ({
      ...row,
      name: input.name ?? row.name,
      environment_id: environment?.id ?? row.environment_id,
      environment_name: environment?.name ?? row.environment_name,
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
        secrets ??= openSecrets(box(), 'sources', row.id, row.secrets);
        return secrets;
      },
      pinHostKey: (fingerprint) => {
        if (config.ssh && !config.ssh.hostKeyFingerprint) config.ssh.hostKeyFingerprint = fingerprint;
      },
      commit: (lastTest) => {
        const r = next(lastTest);
        this.db.transaction(() => {
          if (input.name !== undefined) assertNameFree(this.db, 'sources', 'source', input.name, row.id);
          this.db
            .prepare('UPDATE sources SET name = ?, environment_id = ?, config = ?, secrets = ?, secret_names = ?, last_test = ?, updated_at = ? WHERE id = ?')
            .run(r.name, r.environment_id, r.config, r.secrets, r.secret_names, r.last_test, r.updated_at, row.id);
          if (r.environment_id !== row.environment_id) assertJobsAllowed(this.db, { sourceId: row.id });
        })();
        return this.get(row.id);
      },
    };
  }

  /** Keeps the outcome of a connection test of the stored settings, for the list's status column. */
  recordTest(id: string, test: ConnectionTestDto): void {
    this.db.prepare('UPDATE sources SET last_test = ? WHERE id = ?').run(JSON.stringify(test), id);
  }

  /** Trust on first use: remembers an SSH server's host key; a later change is refused. */
  pinHostKey(id: string, fingerprint: string): void {
    const row = this.#row(id);
    const config = JSON.parse(row.config) as SourceConfig;
    if (!config.ssh || config.ssh.hostKeyFingerprint) return;
    config.ssh.hostKeyFingerprint = fingerprint;
    this.db.prepare('UPDATE sources SET config = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(config), this.now().toISOString(), id);
  }

  delete(id: string): void {
    const dto = this.get(id);
    if (dto.jobNames.length > 0) {
      throw new AppError('IN_USE', `Source "${dto.name}" is used by ${dto.jobNames.map((n) => `"${n}"`).join(', ')}. Delete or change those jobs first.`, { jobs: dto.jobNames });
    }
    this.db.prepare('DELETE FROM sources WHERE id = ?').run(id);
  }

  #row(id: string): SourceRow {
    const row = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SourceRow | undefined;
    if (!row) throw notFound('source', id);
    return row;
  }

  #toDto(r: SourceRow): SourceDto {
    const c = JSON.parse(r.config) as SourceConfig;
    const names = new Set(JSON.parse(r.secret_names) as string[]);
    const jobs = this.db.prepare('SELECT name FROM jobs WHERE source_id = ? ORDER BY name COLLATE NOCASE').all(r.id) as { name: string }[];
    return {
      id: r.id,
      name: r.name,
      engine: r.engine,
      environmentId: r.environment_id,
      environmentName: r.environment_name,
      host: c.host,
      port: c.port,
      user: c.user,
      database: c.database,
      path: c.path,
      allDatabases: c.allDatabases,
      tlsMode: c.tlsMode,
      ssh: c.ssh
        ? { ...c.ssh, hasPassword: names.has('sshPassword'), hasPrivateKey: names.has('sshPrivateKey'), hasPassphrase: names.has('sshPassphrase') }
        : null,
      hasPassword: names.has('password'),
      jobNames: jobs.map((j) => j.name),
      lastTest: r.last_test ? (JSON.parse(r.last_test) as ConnectionTestDto) : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

function sqliteConfig(path: string): SourceConfig {
  return { host: null, port: null, user: null, database: null, path, allDatabases: false, tlsMode: 'disable', ssh: null };
}

type ServerInput = Partial<Pick<SourceUpdate, 'host' | 'port' | 'user' | 'database' | 'allDatabases' | 'tlsMode' | 'ssh'>>;

function serverConfig(engine: Engine, input: ServerInput, current: SourceConfig | null): SourceConfig {
  const ssh = input.ssh === undefined ? (current?.ssh ?? null) : input.ssh === null ? null : {
    mode: input.ssh.mode,
    host: input.ssh.host,
    port: input.ssh.port,
    user: input.ssh.user,
    // A new SSH host means a new host key to pin on first use.
    hostKeyFingerprint: current?.ssh && current.ssh.host === input.ssh.host && current.ssh.port === input.ssh.port ? current.ssh.hostKeyFingerprint : null,
  };
  return {
    host: input.host ?? current?.host ?? null,
    port: (input.port === undefined ? current?.port : input.port) ?? DEFAULT_PORT[engine],
    user: input.user ?? current?.user ?? null,
    database: input.database === undefined ? (current?.database ?? null) : input.database,
    path: null,
    allDatabases: input.allDatabases ?? current?.allDatabases ?? false,
    tlsMode: input.tlsMode ?? current?.tlsMode ?? 'prefer',
    ssh,
  };
}

function secretChanges(password: string | null | undefined, ssh: SshInput | null | undefined, dropSsh = false): SecretChanges {
  const changes: SecretChanges = { password };
  if (dropSsh) return { ...changes, sshPassword: null, sshPrivateKey: null, sshPassphrase: null };
  if (ssh) {
    changes.sshPassword = ssh.password;
    changes.sshPrivateKey = ssh.privateKey;
    changes.sshPassphrase = ssh.passphrase;
  }
  return changes;
}

function validate(config: SourceConfig, secretNames: string[]): void {
  if (config.path === null && !config.database && !config.allDatabases) {
    throw new AppError('VALIDATION_FAILED', 'Name the database to back up, or choose "all databases on this server".', { field: 'database' });
  }
  if (config.ssh && !secretNames.includes('sshPassword') && !secretNames.includes('sshPrivateKey')) {
    throw new AppError('VALIDATION_FAILED', 'SSH needs a password or a private key.', { field: 'ssh' });
  }
  if (secretNames.includes('sshPassphrase') && !secretNames.includes('sshPrivateKey')) {
    throw new AppError('VALIDATION_FAILED', 'A key passphrase only makes sense with a private key.', { field: 'ssh.passphrase' });
  }
}
