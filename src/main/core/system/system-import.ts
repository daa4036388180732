import { randomUUID } from 'node:crypto';
import type { SystemCountsDto, SystemImportDto, SystemSkipDto } from '../../../shared/domain/system';
import { AppError } from '../../../shared/ipc/result';
import { redactUrl } from '../notifications/redact-url';
import type { Db } from '../store/db';
import { DEFAULT_ENVIRONMENT } from '../store/environments-repository';
import { nameKey } from '../store/names';
import { openSecrets, sealSecrets, type SecretTable } from '../store/row-secrets';
import type { SecretBox } from '../store/secret-box';
import type { SystemBackupDeps, SystemImportRequest } from './system-backup';
import type { SystemDocument } from './system-document';
import { readSystemFile } from './system-file';

type Table = 'environments' | 'destinations' | 'sources' | 'profiles' | 'jobs';

/**
 * Recreates a system backup's configuration in this data dir, every secret sealed under this
 * install's master key, ids kept where they are free (so pins and backups made before line up).
 * Into an empty data dir only, unless `merge`: then whatever has a name already used here is left
 * out and reported, with what depends on it, and nothing here is changed; a destination, source or
 * profile of the same name that is the same thing here (the same place, the same connection, the
 * same key) is joined instead, as environments are, so the file's jobs and pins use it. One
 * transaction: a failure leaves nothing half-imported.
 */
export async function importSystem(deps: SystemBackupDeps, request: SystemImportRequest): Promise<SystemImportDto> {
  // Without the key nothing can be sealed: said before the passphrase's slow key derivation.
  deps.keys.box();
  const document = await readSystemFile(request.path, request.passphrase, deps.version);
  checkReferences(document, request.path);
  await checkIdentities(document, request.path);
  const box = deps.keys.box();
  let result: Omit<SystemImportDto, 'path' | 'exportedAt' | 'appVersion' | 'merged'> | null = null;
  deps.db
    .transaction(() => {
      if (!request.merge) assertEmpty(deps.db);
      result = apply(deps, box, document, request.merge);
    })
    .immediate();
  return { path: request.path, exportedAt: document.exportedAt, appVersion: document.app.version, merged: request.merge, ...result! };
}

/** What refers to what inside the file must hold there: a file that passed the schema can still be inconsistent. */
function checkReferences(doc: SystemDocument, file: string): void {
  const fail = (what: string): never => {
    throw new AppError('VALIDATION_FAILED', `${file} is not a valid system backup: ${what}. Nothing was imported.`, { field: 'path', reason: 'invalid-document' });
  };
  const index = <T extends { id: string; name: string }>(label: string, rows: T[]): Map<string, T> => {
    const ids = new Map<string, T>();
    const names = new Set<string>();
    for (const r of rows) {
      if (ids.has(r.id)) fail(`two ${label}s have the id ${r.id}`);
      const key = nameKey(r.name);
      if (names.has(key)) fail(`two ${label}s are named "${r.name}"`);
      ids.set(r.id, r);
      names.add(key);
    }
    return ids;
  };
  const environments = index('environment', doc.environments);
  const destinations = index('destination', doc.destinations);
  const sources = index('source', doc.sources);
  const profiles = index('profile', doc.profiles);
  index('job', doc.jobs);
  if (doc.destinations.filter((d) => d.isDefault).length > 1) fail('more than one destination is the default');
  for (const e of doc.environments) for (const d of e.allowedDestinationIds) if (!destinations.has(d)) fail(`environment "${e.name}" allows a destination that is not in the file`);
  for (const s of doc.sources) if (!environments.has(s.environmentId)) fail(`source "${s.name}" belongs to an environment that is not in the file`);
  for (const j of doc.jobs) {
    if (!sources.has(j.sourceId)) fail(`job "${j.name}" backs up a source that is not in the file`);
    if (new Set(j.destinationIds).size !== j.destinationIds.length) fail(`job "${j.name}" lists a destination twice`);
    for (const d of j.destinationIds) if (!destinations.has(d)) fail(`job "${j.name}" stores to a destination that is not in the file`);
    const profile = j.profileId === null ? null : profiles.get(j.profileId);
    if (j.profileId !== null && !profile) fail(`job "${j.name}" encrypts with a profile that is not in the file`);
    if ((j.config.encryption === 'none') !== (profile === null)) fail(`job "${j.name}" has encryption "${j.config.encryption}" ${profile ? 'and' : 'but no'} encryption profile`);
    if (profile && profile.kind !== j.config.encryption) fail(`job "${j.name}" has ${j.config.encryption} encryption with ${profile.kind} profile "${profile.name}"`);
  }
  for (const p of doc.pins) if (!destinations.has(p.destinationId)) fail(`a pinned backup (${p.objectKey}) is at a destination that is not in the file`);
}

/** An age identity must be the one its profile encrypts to: otherwise backups made here could not be opened with it. */
async function checkIdentities(doc: SystemDocument, file: string): Promise<void> {
  const { identityToRecipient } = await import('age-encryption');
  for (const p of doc.profiles) {
    if (p.kind !== 'age' || p.secrets.identity === undefined) continue;
    let recipient: string | null = null;
    try {
      recipient = await identityToRecipient(p.secrets.identity);
    } catch {
      // Said below, with the profile's name.
    }
    if (recipient !== p.recipient) {
      throw new AppError('VALIDATION_FAILED', `${file} is not a valid system backup: the identity of profile "${p.name}" does not belong to its public key ${p.recipient}. Nothing was imported.`, {
        field: 'path',
        reason: 'invalid-document',
      });
    }
  }
}

/** "Empty": nothing configured but the `default` environment the store makes by itself, unused. */
function assertEmpty(db: Db): void {
  const found: string[] = [];
  const say = (label: string, names: string[]): void => {
    if (names.length === 0) return;
    const shown = names.slice(0, 5).map((n) => `"${n}"`).join(', ');
    found.push(`${names.length} ${label}${names.length === 1 ? '' : 's'} (${shown}${names.length > 5 ? ', ...' : ''})`);
  };
  const names = (sql: string, ...params: unknown[]): string[] => (db.prepare(sql).all(...params) as { name: string }[]).map((r) => r.name);
  say(
    'environment',
    names(
      `SELECT name FROM environments e WHERE NOT (name = ? COLLATE NOCASE
         AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.environment_id = e.id)
         AND NOT EXISTS (SELECT 1 FROM environment_destinations d WHERE d.environment_id = e.id)) ORDER BY name COLLATE NOCASE`,
      DEFAULT_ENVIRONMENT,
    ),
  );
  say('source', names('SELECT name FROM sources ORDER BY name COLLATE NOCASE'));
  say('destination', names('SELECT name FROM destinations ORDER BY name COLLATE NOCASE'));
  say('encryption profile', names('SELECT name FROM profiles ORDER BY name COLLATE NOCASE'));
  say('job', names('SELECT name FROM jobs ORDER BY name COLLATE NOCASE'));
  if (found.length === 0) return;
  throw new AppError(
    'DATA_DIR_NOT_EMPTY',
    `This data dir already has a configuration: ${found.join(', ')}. A system backup is imported into an empty data dir; to add only what is not here yet (whatever has a name already used here is left out, nothing is changed), import with merge ("Merge into this configuration" on the Recovery page, or vaultdesk system import --merge).`,
    { found },
  );
}

function apply(deps: SystemBackupDeps, box: SecretBox, doc: SystemDocument, merge: boolean): Omit<SystemImportDto, 'path' | 'exportedAt' | 'appVersion' | 'merged'> {
  const { db } = deps;
  const counts: SystemCountsDto = { environments: 0, sources: 0, destinations: 0, profiles: 0, jobs: 0, pins: 0 };
  const skipped: SystemSkipDto[] = [];
  const named = (table: Table, name: string): { id: string; name: string } | undefined =>
    db.prepare(`SELECT id, name FROM ${table} WHERE name = ? COLLATE NOCASE`).get(name) as { id: string; name: string } | undefined;
  // Kept unless another row here already has it (a merge of a file from this very data dir, say).
  const idFor = (table: Table, id: string): string => (db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) ? randomUUID() : id);
  const sealed = (table: SecretTable, id: string, secrets: Record<string, string | undefined>): { sealed: string | null; names: string } => {
    const present = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => e[1] !== undefined));
    const s = sealSecrets(box, table, id, present);
    return { sealed: s.sealed, names: JSON.stringify(s.names) };
  };
  // The same key: age, the same recipients (the identity is the recipient's); 7-Zip, the same passphrase.
  const sameKey = (id: string, p: SystemDocument['profiles'][number]): boolean => {
    const row = db.prepare('SELECT kind, recipient, extra_recipients, secrets FROM profiles WHERE id = ?').get(id) as { kind: string; recipient: string | null; extra_recipients: string; secrets: string | null };
    if (row.kind !== p.kind) return false;
    if (p.kind === 'age') return row.recipient === p.recipient && canonical(JSON.parse(row.extra_recipients)) === canonical(p.extraRecipients);
    const passphrase = openSecrets(box, 'profiles', id, row.secrets).passphrase;
    return passphrase !== undefined && passphrase === p.secrets.passphrase;
  };
  const taken = (label: string, existing: string): string => `a${/^[aeiou]/.test(label) ? 'n' : ''} ${label} named "${existing}" exists here`;
  // A row here of the same name whose stored configuration is the file's (its credentials aside).
  const sameConfig = (table: 'destinations' | 'sources', id: string, kind: [column: 'kind' | 'engine', value: string], config: unknown): boolean => {
    const row = db.prepare(`SELECT ${kind[0]} AS kind, config FROM ${table} WHERE id = ?`).get(id) as { kind: string; config: string };
    return row.kind === kind[1] && canonical(JSON.parse(row.config)) === canonical(config);
  };

  const environmentIds = new Map<string, string>();
  const insertedEnvironments: { id: string; allowed: string[] }[] = [];
  for (const e of doc.environments) {
    const existing = named('environments', e.name);
    if (existing && merge) {
      environmentIds.set(e.id, existing.id);
      skipped.push({ kind: 'environment', name: e.name, reason: `${taken('environment', existing.name)}: its sources join that one, whose settings are kept` });
      continue;
    }
    // Not a merge: the data dir is empty, so this is the unused `default` the store made by itself.
    if (existing) db.prepare('DELETE FROM environments WHERE id = ?').run(existing.id);
    const id = idFor('environments', e.id);
    db.prepare('INSERT INTO environments (id, name, description, allow_all_destinations, created_at) VALUES (?, ?, ?, ?, ?)').run(id, e.name, e.description, e.allowAllDestinations ? 1 : 0, e.createdAt);
    environmentIds.set(e.id, id);
    insertedEnvironments.push({ id, allowed: e.allowedDestinationIds });
    counts.environments++;
  }

  const destinationIds = new Map<string, string>();
  const destinationNames = new Map(doc.destinations.map((d) => [d.id, d.name]));
  const hasDefault = db.prepare('SELECT 1 FROM destinations WHERE is_default = 1').get() !== undefined;
  for (const d of doc.destinations) {
    const existing = named('destinations', d.name);
    if (existing && merge && sameConfig('destinations', existing.id, ['kind', d.kind], d.config)) {
      destinationIds.set(d.id, existing.id);
      skipped.push({ kind: 'destination', name: d.name, reason: `${taken('destination', existing.name)} and stores to the same place: its jobs and pins use that one, whose settings and credentials are kept` });
      continue;
    }
    if (existing) {
      skipped.push({ kind: 'destination', name: d.name, reason: taken('destination', existing.name) });
      continue;
    }
    const id = idFor('destinations', d.id);
    const s = sealed('destinations', id, d.secrets);
    db.prepare('INSERT INTO destinations (id, name, kind, config, secrets, secret_names, locked, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      d.name,
      d.kind,
      JSON.stringify(d.config),
      s.sealed,
      s.names,
      d.locked ? 1 : 0,
      d.isDefault && !hasDefault ? 1 : 0,
      d.createdAt,
      d.updatedAt,
    );
    destinationIds.set(d.id, id);
    counts.destinations++;
  }
  // An allowed destination left out stays not allowed: the safe side of the environment's rule.
  const allow = db.prepare('INSERT INTO environment_destinations (environment_id, destination_id) VALUES (?, ?)');
  for (const e of insertedEnvironments) for (const d of e.allowed) if (destinationIds.has(d)) allow.run(e.id, destinationIds.get(d)!);

  const sourceIds = new Map<string, string>();
  const sourceNames = new Map(doc.sources.map((s) => [s.id, s.name]));
  for (const src of doc.sources) {
    const existing = named('sources', src.name);
    if (existing && merge && sameConfig('sources', existing.id, ['engine', src.engine], src.config)) {
      sourceIds.set(src.id, existing.id);
      skipped.push({ kind: 'source', name: src.name, reason: `${taken('source', existing.name)} and connects to the same database: its jobs use that one, whose settings and credentials are kept` });
      continue;
    }
    if (existing) {
      skipped.push({ kind: 'source', name: src.name, reason: taken('source', existing.name) });
      continue;
    }
    const id = idFor('sources', src.id);
    const s = sealed('sources', id, src.secrets);
    db.prepare('INSERT INTO sources (id, name, engine, environment_id, config, secrets, secret_names, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      src.name,
      src.engine,
      environmentIds.get(src.environmentId)!,
      JSON.stringify(src.config),
      s.sealed,
      s.names,
      src.createdAt,
      src.updatedAt,
    );
    sourceIds.set(src.id, id);
    counts.sources++;
  }

  const profileIds = new Map<string, string>();
  const profileNames = new Map(doc.profiles.map((p) => [p.id, p.name]));
  for (const p of doc.profiles) {
    const existing = named('profiles', p.name);
    if (existing && merge && sameKey(existing.id, p)) {
      profileIds.set(p.id, existing.id);
      skipped.push({ kind: 'profile', name: p.name, reason: `${taken('encryption profile', existing.name)} and encrypts the same way: its jobs use that one` });
      continue;
    }
    if (existing) {
      // Another key under the same name: what was encrypted with the file's does not open here.
      const lost = p.kind === 'age' ? `its identity is not imported, so backups made with the file's "${p.name}" do not open here` : `its passphrase is not imported, so backups made with the file's "${p.name}" do not open here`;
      const remedy = p.kind === 'age' ? 'rename one of the two, on either install, and import again, or keep a recovery kit of it' : 'rename one of the two, on either install, and import again';
      skipped.push({ kind: 'profile', name: p.name, reason: `${taken('encryption profile', existing.name)} with another key: ${lost} (${remedy})` });
      continue;
    }
    const id = idFor('profiles', p.id);
    const s = sealed('profiles', id, p.secrets);
    db.prepare(
      'INSERT INTO profiles (id, name, kind, recipient, extra_recipients, secrets, secret_names, identity_exported_at, identity_imported, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, p.name, p.kind, p.recipient, JSON.stringify(p.extraRecipients), s.sealed, s.names, p.identityExportedAt, p.identityImported ? 1 : 0, p.createdAt);
    profileIds.set(p.id, id);
    counts.profiles++;
  }

  const jobIds = new Map<string, string>();
  for (const j of doc.jobs) {
    const existing = named('jobs', j.name);
    const missing = [
      ...(sourceIds.has(j.sourceId) ? [] : [`its source "${sourceNames.get(j.sourceId)}"`]),
      ...j.destinationIds.filter((d) => !destinationIds.has(d)).map((d) => `its destination "${destinationNames.get(d)}"`),
      ...(j.profileId === null || profileIds.has(j.profileId) ? [] : [`its encryption profile "${profileNames.get(j.profileId)}"`]),
    ];
    const refused = existing ? taken('job', existing.name) : missing.length > 0 ? `${missing.join(' and ')} ${missing.length === 1 ? 'was' : 'were'} left out` : notAllowed(db, sourceIds.get(j.sourceId)!, j.destinationIds.map((d) => destinationIds.get(d)!));
    if (refused) {
      skipped.push({ kind: 'job', name: j.name, reason: refused });
      continue;
    }
    const id = idFor('jobs', j.id);
    const s = sealed('jobs', id, j.secrets);
    // The redacted hosts are derived from the URLs, not taken from the file.
    const config = { ...j.config, webhookHost: j.secrets.webhookUrl ? redactUrl(j.secrets.webhookUrl) : null, healthchecksHost: j.secrets.healthchecksUrl ? redactUrl(j.secrets.healthchecksUrl) : null };
    // The file does not say when the schedule was set: its last save is the best known value, as
    // migration 007 gave the rows it found (no slot before it is caught up here).
    db.prepare(
      'INSERT INTO jobs (id, name, source_id, profile_id, config, secrets, secret_names, enabled, created_at, updated_at, schedule_set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      id,
      j.name,
      sourceIds.get(j.sourceId)!,
      j.profileId === null ? null : profileIds.get(j.profileId)!,
      JSON.stringify(config),
      s.sealed,
      s.names,
      j.enabled ? 1 : 0,
      j.createdAt,
      j.updatedAt,
      j.updatedAt,
    );
    jobIds.set(j.id, id);
    const place = db.prepare('INSERT INTO job_destinations (job_id, destination_id, position) VALUES (?, ?, ?)');
    j.destinationIds.forEach((d, i) => place.run(id, destinationIds.get(d)!, i));
    counts.jobs++;
  }

  const pin = db.prepare('INSERT INTO backup_state (destination_id, object_key, pinned, pinned_until) VALUES (?, ?, 1, ?) ON CONFLICT (destination_id, object_key) DO NOTHING');
  for (const p of doc.pins) {
    const destination = destinationIds.get(p.destinationId);
    if (!destination) {
      skipped.push({ kind: 'pin', name: p.objectKey, reason: `its destination "${destinationNames.get(p.destinationId)}" was left out` });
      continue;
    }
    counts.pins += pin.run(destination, p.objectKey, p.pinnedUntil).changes;
  }

  // The backups the jobs' runs stored, so that their retention counts them as the jobs' own; the run history itself stays behind.
  const stored = db.prepare(
    'INSERT INTO backups (id, run_id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  for (const b of doc.backups) {
    const job = jobIds.get(b.jobId);
    const destination = destinationIds.get(b.destinationId);
    if (job && destination) stored.run(b.id, job, destination, b.objectKey, b.database, b.size, b.sha256, b.manifest, b.createdAt);
  }

  if (merge) return { counts, skipped, settings: 'kept' };
  const { settings } = doc;
  for (const [tool, path] of Object.entries(settings.toolPaths)) deps.settings.setToolPath(tool as keyof typeof settings.toolPaths, path);
  deps.settings.setMaxConcurrentRuns(settings.maxConcurrentRuns);
  // Paused on the machine it came from, since a time that means nothing here.
  deps.settings.setSchedulesPaused(settings.schedulesPaused, null);
  if (settings.webhook) deps.settings.setWebhook(settings.webhook.url, settings.webhook.format);
  return { counts, skipped, settings: 'imported' };
}

/** A merged source joins an environment of this data dir, whose rules may not allow the job's destinations. */
function notAllowed(db: Db, sourceId: string, destinationIds: string[]): string | null {
  const env = db.prepare('SELECT e.id, e.name, e.allow_all_destinations FROM sources s JOIN environments e ON e.id = s.environment_id WHERE s.id = ?').get(sourceId) as {
    id: string;
    name: string;
    allow_all_destinations: number;
  };
  if (env.allow_all_destinations === 1) return null;
  const allowed = new Set((db.prepare('SELECT destination_id FROM environment_destinations WHERE environment_id = ?').all(env.id) as { destination_id: string }[]).map((r) => r.destination_id));
  const refused = destinationIds.filter((d) => !allowed.has(d));
  if (refused.length === 0) return null;
  return `environment "${env.name}" here does not allow its destination${refused.length === 1 ? '' : 's'}`;
}

/** JSON with every object's keys in order: two configurations compare equal whatever order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
