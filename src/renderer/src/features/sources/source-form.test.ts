import { describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../../shared/domain/dto';
import { inputSchemas } from '../../../../shared/ipc/input-schemas';
import { emptySourceValues, sourceFieldFor, sourceLocation, sourceValues, toCreateInput, toUpdateInput } from './source-form';

const ID = '7d1f0e8a-3a52-4c1e-9a6f-0d2c4b8e9f10';
const ENV = '0b6c9a8e-1f2d-4e3c-8b7a-6d5e4f3a2b1c';

function dto(overrides: Partial<SourceDto> = {}): SourceDto {
  return {
    id: ID,
    name: 'orders',
    engine: 'postgres',
    environmentId: ENV,
    environmentName: 'production',
    host: 'db1',
    port: 5432,
    user: 'backup',
    database: 'orders',
    path: null,
    allDatabases: false,
    tlsMode: 'prefer',
    ssh: null,
    hasPassword: true,
    jobNames: [],
    lastTest: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('source form -> contract input', () => {
  it('builds a PostgreSQL create input the contract accepts, with the default port left to the core', () => {
    const input = toCreateInput({ ...emptySourceValues(), name: 'orders', host: 'db1', user: 'backup', password: 'pw', database: 'orders' });
    expect(inputSchemas['sources:create'].parse(input)).toMatchObject({ engine: 'postgres', name: 'orders', host: 'db1', user: 'backup', password: 'pw', database: 'orders' });
    expect(input).toMatchObject({ port: undefined, environmentId: undefined, ssh: undefined });
  });

  it('leaves the database out for "all databases" and sends only the path for SQLite', () => {
    const all = toCreateInput({ ...emptySourceValues(), engine: 'mysql', name: 'crm', host: 'h', user: 'root', database: 'ignored', allDatabases: true, port: 3307 });
    expect(inputSchemas['sources:create'].parse(all)).toMatchObject({ allDatabases: true, port: 3307 });
    expect(all).toMatchObject({ database: undefined });
    const sqlite = toCreateInput({ ...emptySourceValues(), engine: 'sqlite', name: 'app', path: '/var/lib/app.db', password: 'not sent' });
    expect(sqlite).toEqual({ engine: 'sqlite', name: 'app', environmentId: undefined, path: '/var/lib/app.db' });
    expect(inputSchemas['sources:create'].safeParse(sqlite).success).toBe(true);
  });

  it('builds SSH settings with only the secrets that were typed', () => {
    const input = toCreateInput({ ...emptySourceValues(), name: 'o', host: 'db', user: 'u', database: 'd', useSsh: true, sshHost: 'bastion', sshUser: 'ops', sshPrivateKey: 'KEY' });
    expect(inputSchemas['sources:create'].parse(input)).toMatchObject({ ssh: { mode: 'tunnel', host: 'bastion', port: 22, user: 'ops', privateKey: 'KEY' } });
    expect(input).toMatchObject({ ssh: { password: undefined, passphrase: undefined } });
  });

  it('edits keep, replace or clear the stored password, and never prefill it', () => {
    const source = dto();
    const values = sourceValues(source);
    expect(values.password).toBe('');
    expect(toUpdateInput(source, values)).toMatchObject({ id: ID, password: undefined, port: 5432, environmentId: ENV });
    expect(toUpdateInput(source, { ...values, password: 'new' }).password).toBe('new');
    expect(toUpdateInput(source, { ...values, clearPassword: true }).password).toBeNull();
    expect(inputSchemas['sources:update'].safeParse(toUpdateInput(source, values)).success).toBe(true);
  });

  it('edits remove SSH when it is switched off, and send only the path for SQLite', () => {
    const withSsh = dto({ ssh: { mode: 'exec', host: 'b', port: 22, user: 'ops', hostKeyFingerprint: null, hasPassword: true, hasPrivateKey: false, hasPassphrase: false } });
    expect(toUpdateInput(withSsh, { ...sourceValues(withSsh), useSsh: false }).ssh).toBeNull();
    expect(toUpdateInput(withSsh, sourceValues(withSsh)).ssh).toMatchObject({ mode: 'exec', host: 'b', password: undefined });
    const sqlite = dto({ engine: 'sqlite', host: null, port: null, user: null, database: null, path: '/a.db', hasPassword: false });
    const update = toUpdateInput(sqlite, { ...sourceValues(sqlite), path: '/b.db' });
    expect(update).toEqual({ id: ID, name: 'orders', environmentId: ENV, path: '/b.db' });
  });
});

describe('source display', () => {
  it('summarises where the source is', () => {
    expect(sourceLocation(dto())).toBe('backup@db1:5432/orders');
    expect(sourceLocation(dto({ allDatabases: true, database: null }))).toBe('backup@db1:5432/all databases');
    expect(sourceLocation(dto({ engine: 'sqlite', path: '/var/app.db' }))).toBe('/var/app.db');
    const ssh = dto({ ssh: { mode: 'tunnel', host: 'bastion', port: 22, user: 'ops', hostKeyFingerprint: null, hasPassword: false, hasPrivateKey: true, hasPassphrase: false } });
    expect(sourceLocation(ssh)).toBe('backup@db1:5432/orders via SSH tunnel through ops@bastion');
  });

  it('maps contract paths to form fields', () => {
    expect(sourceFieldFor('name')).toBe('name');
    expect(sourceFieldFor('ssh.port')).toBe('sshPort');
    expect(sourceFieldFor('ssh')).toBe('sshPassword');
    expect(sourceFieldFor('retention')).toBeNull();
  });
});
