import type { DestinationDto, DestinationKind, S3Provider } from '../../../../shared/domain/dto';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { optionalText, secretChange, topLevelField } from '../../lib/form-errors';
import { providerInfo } from './s3-providers';

export interface DestinationFormValues {
  kind: DestinationKind;
  name: string;
  isDefault: boolean;
  /** Local folder, or the folder on the SFTP server. */
  path: string;
  provider: S3Provider;
  bucket: string;
  region: string;
  endpoint: string;
  publicEndpoint: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  prefix: string;
  partSizeMiB: number | '';
  buckets: string[];
  account: string;
  host: string;
  port: number | '';
  user: string;
  sftpAuth: 'password' | 'key';
  password: string;
  privateKey: string;
  passphrase: string;
  /** S3 secret key or the SFTP password / private key: remove what is stored. */
  clearSecret: boolean;
  clearPassphrase: boolean;
}

export const KINDS: { value: DestinationKind; label: string }[] = [
  { value: 'local', label: 'Local folder' },
  { value: 's3', label: 'S3-compatible bucket' },
  { value: 'sftp', label: 'SFTP server' },
];

export function emptyDestinationValues(): DestinationFormValues {
  return {
    kind: 'local',
    name: '',
    isDefault: false,
    path: '',
    provider: 'aws',
    bucket: '',
    region: '',
    endpoint: '',
    publicEndpoint: '',
    pathStyle: false,
    accessKeyId: '',
    secretAccessKey: '',
    prefix: '',
    partSizeMiB: 16,
    buckets: [],
    account: '',
    host: '',
    port: 22,
    user: '',
    sftpAuth: 'password',
    password: '',
    privateKey: '',
    passphrase: '',
    clearSecret: false,
    clearPassphrase: false,
  };
}

/** The form for editing: secrets start blank, the page never has them. */
export function destinationValues(dto: DestinationDto): DestinationFormValues {
  const v: DestinationFormValues = { ...emptyDestinationValues(), kind: dto.kind, name: dto.name, isDefault: dto.isDefault };
  const c = dto.config;
  if (c.kind === 'local') return { ...v, path: c.path };
  if (c.kind === 'sftp') return { ...v, host: c.host, port: c.port, user: c.user, path: c.path, sftpAuth: dto.hasPrivateKey ? 'key' : 'password' };
  return {
    ...v,
    provider: c.provider,
    bucket: c.bucket,
    region: providerInfo(c.provider).region === 'none' ? '' : c.region,
    endpoint: providerInfo(c.provider).endpoint === 'required' ? (c.endpoint ?? '') : '',
    publicEndpoint: c.publicEndpoint ?? '',
    pathStyle: c.pathStyle,
    accessKeyId: c.accessKeyId ?? '',
    prefix: c.prefix,
    partSizeMiB: c.partSizeMiB,
    buckets: c.buckets,
    account: c.account ?? '',
  };
}

function s3Fields(v: DestinationFormValues): {
  provider: S3Provider;
  bucket: string;
  region: string | undefined;
  endpoint: string | null;
  publicEndpoint: string | null;
  pathStyle: boolean;
  accessKeyId: string | null;
  prefix: string;
  partSizeMiB: number;
  buckets: string[];
  account: string | null;
} {
  const info = providerInfo(v.provider);
  return {
    provider: v.provider,
    bucket: v.bucket.trim(),
    region: info.region === 'none' ? undefined : v.region.trim(),
    // Presets derive the endpoint from region or account; only custom servers give one.
    endpoint: info.endpoint === 'required' ? (optionalText(v.endpoint) ?? null) : null,
    publicEndpoint: optionalText(v.publicEndpoint) ?? null,
    pathStyle: v.pathStyle,
    accessKeyId: optionalText(v.accessKeyId) ?? null,
    prefix: v.prefix.trim(),
    partSizeMiB: v.partSizeMiB === '' ? 16 : v.partSizeMiB,
    buckets: v.buckets.map((b) => b.trim()).filter(Boolean),
    account: info.account ? (optionalText(v.account) ?? null) : null,
  };
}

/**
 * SFTP holds a password or a private key (with an optional passphrase). Entering one replaces
 * whatever was stored; leaving both blank keeps it.
 */
function sftpSecrets(v: DestinationFormValues): { password?: string | null; privateKey?: string | null; passphrase?: string | null } {
  if (v.clearSecret) return { password: null, privateKey: null, passphrase: null };
  if (v.sftpAuth === 'password') return v.password ? { password: v.password, privateKey: null, passphrase: null } : {};
  if (v.privateKey) return { privateKey: v.privateKey, password: null, passphrase: v.passphrase || null };
  const passphrase = secretChange(v.passphrase, v.clearPassphrase);
  return passphrase === undefined ? {} : { passphrase };
}

export function toCreateInput(v: DestinationFormValues): InvokeInput<'destinations:create'> {
  const base = { name: v.name, isDefault: v.isDefault };
  switch (v.kind) {
    case 'local':
      return { kind: 'local', ...base, path: v.path };
    case 's3': {
      const { region, ...rest } = s3Fields(v);
      return { kind: 's3', ...base, ...rest, ...(region ? { region } : {}), secretAccessKey: secretChange(v.secretAccessKey, false) };
    }
    case 'sftp': {
      const secrets = sftpSecrets({ ...v, clearSecret: false, clearPassphrase: false });
      const given = Object.fromEntries(Object.entries(secrets).filter(([, value]) => typeof value === 'string'));
      return { kind: 'sftp', ...base, host: v.host, port: v.port === '' ? 22 : v.port, user: v.user, path: v.path, ...given };
    }
  }
}

/** Only the fields of the destination's own kind: the core refuses the others. */
export function toUpdateInput(dto: DestinationDto, v: DestinationFormValues): InvokeInput<'destinations:update'> {
  const base = { id: dto.id, name: v.name };
  switch (dto.kind) {
    case 'local':
      return { ...base, path: v.path };
    case 's3': {
      const { region, ...rest } = s3Fields(v);
      return { ...base, ...rest, region: region ?? '', secretAccessKey: secretChange(v.secretAccessKey, v.clearSecret) };
    }
    case 'sftp':
      return { ...base, host: v.host, port: v.port === '' ? 22 : v.port, user: v.user, path: v.path, ...sftpSecrets(v) };
  }
}

/** Contract path -> form field (`buckets.2` -> `buckets`). */
export const destinationFieldFor = topLevelField(...Object.keys(emptyDestinationValues()));

/** Where the backups go, in one line: the folder, s3://bucket/prefix @ endpoint, or user@host:path. */
export function destinationLocation(dto: DestinationDto): string {
  const c = dto.config;
  switch (c.kind) {
    case 'local':
      return c.path;
    case 's3': {
      const where = c.endpoint ? hostOf(c.endpoint) : `AWS ${c.region}`;
      return `s3://${c.bucket}${c.prefix ? `/${c.prefix}` : ''} @ ${where}`;
    }
    case 'sftp':
      return `${c.user}@${c.host}:${c.path}${c.port !== 22 ? ` (port ${c.port})` : ''}`;
  }
}

/** Which credential is stored, for the table's status badge. */
export function secretLabel(dto: DestinationDto): string {
  if (dto.kind === 's3') return 'secret key stored';
  if (dto.kind === 'sftp') return dto.hasPrivateKey ? 'private key stored' : dto.hasPassword ? 'password stored' : 'secret stored';
  return 'secret stored';
}

/** Short, for the table: the location column says the rest. */
export function kindLabel(kind: DestinationKind): string {
  return { local: 'Local folder', s3: 'S3', sftp: 'SFTP' }[kind];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
