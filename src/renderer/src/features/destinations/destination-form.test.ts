import { describe, expect, it } from 'vitest';
import type { DestinationDto } from '../../../../shared/domain/dto';
import { inputSchemas } from '../../../../shared/ipc/input-schemas';
import { destinationFieldFor, destinationLocation, destinationValues, emptyDestinationValues, secretLabel, toCreateInput, toUpdateInput } from './destination-form';
import { presetEndpoint } from './s3-providers';

const ID = '7d1f0e8a-3a52-4c1e-9a6f-0d2c4b8e9f10';

function dto(config: DestinationDto['config'], overrides: Partial<DestinationDto> = {}): DestinationDto {
  return {
    id: ID,
    name: 'dest',
    kind: config.kind,
    config,
    locked: false,
    isDefault: false,
    hasSecret: false,
    hasPassphrase: false,
    hasPassword: false,
    hasPrivateKey: false,
    jobNames: [],
    lastTest: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const s3Config = {
  kind: 's3' as const,
  provider: 'minio' as const,
  bucket: 'backups',
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9000',
  publicEndpoint: null,
  pathStyle: true,
  accessKeyId: 'AK',
  prefix: 'db/nightly',
  partSizeMiB: 16,
  buckets: [],
  account: null,
};

describe('destination form -> contract input', () => {
  it('builds a local destination', () => {
    const input = toCreateInput({ ...emptyDestinationValues(), name: 'nas', path: '/mnt/nas', isDefault: true });
    expect(input).toEqual({ kind: 'local', name: 'nas', isDefault: true, path: '/mnt/nas' });
    expect(inputSchemas['destinations:create'].safeParse(input).success).toBe(true);
  });

  it('builds S3 inputs per provider: the endpoint only for self-hosted servers, the account only for R2', () => {
    const base = { ...emptyDestinationValues(), kind: 's3' as const, name: 'bucket', bucket: 'backups', accessKeyId: 'AK', secretAccessKey: 'SK' };
    const minio = toCreateInput({ ...base, provider: 'minio', endpoint: 'http://127.0.0.1:9000', pathStyle: true, region: '' });
    expect(inputSchemas['destinations:create'].parse(minio)).toMatchObject({ provider: 'minio', endpoint: 'http://127.0.0.1:9000', pathStyle: true, secretAccessKey: 'SK' });
    expect(minio).not.toHaveProperty('region');
    const spaces = toCreateInput({ ...base, provider: 'spaces', region: 'nyc3', endpoint: 'http://ignored', account: 'ignored' });
    expect(spaces).toMatchObject({ region: 'nyc3', endpoint: null, account: null });
    const r2 = toCreateInput({ ...base, provider: 'r2', account: 'abc123', region: 'ignored' });
    expect(r2).toMatchObject({ account: 'abc123', endpoint: null });
    expect(r2).not.toHaveProperty('region');
    const anonymous = toCreateInput({ ...base, provider: 'aws', accessKeyId: ' ', secretAccessKey: '' });
    expect(anonymous).toMatchObject({ accessKeyId: null, secretAccessKey: undefined });
    for (const input of [spaces, r2, anonymous]) expect(inputSchemas['destinations:create'].safeParse(input).success).toBe(true);
  });

  it('builds SFTP with the credential of the chosen method only', () => {
    const base = { ...emptyDestinationValues(), kind: 'sftp' as const, name: 'offsite', host: 'h', user: 'u', path: '/srv', password: 'pw', privateKey: 'KEY', passphrase: 'pp' };
    const byPassword = toCreateInput({ ...base, sftpAuth: 'password' });
    expect(byPassword).toMatchObject({ password: 'pw', port: 22 });
    expect(byPassword).not.toHaveProperty('privateKey');
    expect(byPassword).not.toHaveProperty('passphrase');
    const byKey = toCreateInput({ ...base, sftpAuth: 'key' });
    expect(byKey).toMatchObject({ privateKey: 'KEY', passphrase: 'pp' });
    expect(byKey).not.toHaveProperty('password');
    for (const input of [byPassword, byKey]) expect(inputSchemas['destinations:create'].safeParse(input).success).toBe(true);
  });

  it('edits an S3 destination without ever having its secret, and can clear it', () => {
    const d = dto(s3Config, { hasSecret: true });
    const values = destinationValues(d);
    expect(values.secretAccessKey).toBe('');
    const keep = toUpdateInput(d, values);
    expect(keep).toMatchObject({ id: ID, endpoint: 'http://127.0.0.1:9000', prefix: 'db/nightly', secretAccessKey: undefined });
    expect(inputSchemas['destinations:update'].safeParse(keep).success).toBe(true);
    expect(toUpdateInput(d, { ...values, clearSecret: true }).secretAccessKey).toBeNull();
    expect(toUpdateInput(d, { ...values, secretAccessKey: 'new' }).secretAccessKey).toBe('new');
  });

  it('edits SFTP: a new password or key replaces whatever was stored, blank keeps it', () => {
    const d = dto({ kind: 'sftp', host: 'h', port: 2222, user: 'u', path: '/srv', hostKeyFingerprint: null }, { hasSecret: true, hasPassword: true });
    const values = destinationValues(d);
    expect(toUpdateInput(d, values)).toEqual({ id: ID, name: 'dest', host: 'h', port: 2222, user: 'u', path: '/srv' });
    expect(toUpdateInput(d, { ...values, password: 'pw' })).toMatchObject({ password: 'pw', privateKey: null, passphrase: null });
    expect(toUpdateInput(d, { ...values, sftpAuth: 'key', privateKey: 'KEY' })).toMatchObject({ privateKey: 'KEY', password: null, passphrase: null });
    expect(toUpdateInput(d, { ...values, clearSecret: true })).toMatchObject({ password: null, privateKey: null, passphrase: null });
    expect(inputSchemas['destinations:update'].safeParse(toUpdateInput(d, { ...values, password: 'pw' })).success).toBe(true);
  });

  it('opens an SFTP edit form on the method that is stored', () => {
    const sftp = { kind: 'sftp' as const, host: 'h', port: 22, user: 'u', path: '/srv', hostKeyFingerprint: null };
    expect(destinationValues(dto(sftp, { hasSecret: true, hasPassword: true })).sftpAuth).toBe('password');
    // A key without a passphrase is still a key.
    expect(destinationValues(dto(sftp, { hasSecret: true, hasPrivateKey: true })).sftpAuth).toBe('key');
    expect(destinationValues(dto(sftp, { hasSecret: true, hasPrivateKey: true, hasPassphrase: true })).sftpAuth).toBe('key');
    expect(destinationValues(dto(sftp)).sftpAuth).toBe('password');
  });
});

describe('destination display', () => {
  it('summarises the location of each kind', () => {
    expect(destinationLocation(dto({ kind: 'local', path: '/mnt/nas' }))).toBe('/mnt/nas');
    expect(destinationLocation(dto(s3Config))).toBe('s3://backups/db/nightly @ 127.0.0.1:9000');
    expect(destinationLocation(dto({ ...s3Config, provider: 'aws', endpoint: null, region: 'eu-west-3', prefix: '' }))).toBe('s3://backups @ AWS eu-west-3');
    expect(destinationLocation(dto({ kind: 'sftp', host: 'h', port: 22, user: 'u', path: '/srv', hostKeyFingerprint: null }))).toBe('u@h:/srv');
    expect(destinationLocation(dto({ kind: 'sftp', host: 'h', port: 2222, user: 'u', path: '/srv', hostKeyFingerprint: null }))).toBe('u@h:/srv (port 2222)');
  });

  it('shows the endpoint a preset will use', () => {
    expect(presetEndpoint('spaces', 'nyc3', '')).toBe('https://nyc3.digitaloceanspaces.com');
    expect(presetEndpoint('b2', '', '')).toBeNull();
    expect(presetEndpoint('r2', '', 'acct')).toBe('https://acct.r2.cloudflarestorage.com');
    expect(presetEndpoint('minio', 'x', '')).toBeNull();
  });

  it('says which credential is stored', () => {
    const sftp = { kind: 'sftp' as const, host: 'h', port: 22, user: 'u', path: '/srv', hostKeyFingerprint: null };
    expect(secretLabel(dto(sftp, { hasSecret: true, hasPassword: true }))).toBe('password stored');
    expect(secretLabel(dto(sftp, { hasSecret: true, hasPrivateKey: true, hasPassphrase: true }))).toBe('private key stored');
    expect(secretLabel(dto(s3Config, { hasSecret: true }))).toBe('secret key stored');
  });

  it('maps contract paths to form fields', () => {
    expect(destinationFieldFor('name')).toBe('name');
    expect(destinationFieldFor('buckets.2')).toBe('buckets');
    expect(destinationFieldFor('nonsense')).toBeNull();
  });
});
