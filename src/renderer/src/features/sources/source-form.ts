import type { Engine, SourceDto, TlsMode } from '../../../../shared/domain/dto';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { optionalText, secretChange } from '../../lib/form-errors';

export interface SourceFormValues {
  engine: Engine;
  name: string;
  /** '' puts the source in the `default` environment. */
  environmentId: string;
  host: string;
  /** '' uses the engine's default port. */
  port: number | '';
  user: string;
  database: string;
  allDatabases: boolean;
  tlsMode: TlsMode;
  password: string;
  clearPassword: boolean;
  path: string;
  useSsh: boolean;
  sshMode: 'exec' | 'tunnel';
  sshHost: string;
  sshPort: number | '';
  sshUser: string;
  sshPassword: string;
  clearSshPassword: boolean;
  sshPrivateKey: string;
  clearSshPrivateKey: boolean;
  sshPassphrase: string;
  clearSshPassphrase: boolean;
}

export const ENGINES: { value: Engine; label: string }[] = [
  { value: 'postgres', label: 'PostgreSQL' },
  { value: 'mysql', label: 'MySQL / MariaDB' },
  { value: 'sqlite', label: 'SQLite' },
];

export const DEFAULT_PORTS: Record<Exclude<Engine, 'sqlite'>, number> = { postgres: 5432, mysql: 3306 };

export function emptySourceValues(): SourceFormValues {
  return {
    engine: 'postgres',
    name: '',
    environmentId: '',
    host: '127.0.0.1',
    port: '',
    user: '',
    database: '',
    allDatabases: false,
    tlsMode: 'prefer',
    password: '',
    clearPassword: false,
    path: '',
    useSsh: false,
    sshMode: 'tunnel',
    sshHost: '',
    sshPort: 22,
    sshUser: '',
    sshPassword: '',
    clearSshPassword: false,
    sshPrivateKey: '',
    clearSshPrivateKey: false,
    sshPassphrase: '',
    clearSshPassphrase: false,
  };
}

/** The form for editing: every secret field starts blank (the page never has the value). */
export function sourceValues(dto: SourceDto): SourceFormValues {
  const base = emptySourceValues();
  return {
    ...base,
    engine: dto.engine,
    name: dto.name,
    environmentId: dto.environmentId,
    host: dto.host ?? '',
    port: dto.port ?? '',
    user: dto.user ?? '',
    database: dto.database ?? '',
    allDatabases: dto.allDatabases,
    tlsMode: dto.tlsMode,
    path: dto.path ?? '',
    useSsh: dto.ssh !== null,
    sshMode: dto.ssh?.mode ?? base.sshMode,
    sshHost: dto.ssh?.host ?? '',
    sshPort: dto.ssh?.port ?? 22,
    sshUser: dto.ssh?.user ?? '',
  };
}

type SshInput = NonNullable<Extract<InvokeInput<'sources:create'>, { engine: 'postgres' }>['ssh']>;

function sshInput(v: SourceFormValues, editing: boolean): SshInput {
  const secret = (value: string, clear: boolean): string | null | undefined => (editing ? secretChange(value, clear) : secretChange(value, false));
  return {
    mode: v.sshMode,
    host: v.sshHost.trim(),
    port: v.sshPort === '' ? 22 : v.sshPort,
    user: v.sshUser.trim(),
    password: secret(v.sshPassword, v.clearSshPassword),
    privateKey: secret(v.sshPrivateKey, v.clearSshPrivateKey),
    passphrase: secret(v.sshPassphrase, v.clearSshPassphrase),
  };
}

export function toCreateInput(v: SourceFormValues): InvokeInput<'sources:create'> {
  const environmentId = v.environmentId || undefined;
  if (v.engine === 'sqlite') return { engine: 'sqlite', name: v.name, environmentId, path: v.path };
  return {
    engine: v.engine,
    name: v.name,
    environmentId,
    host: v.host,
    port: v.port === '' ? undefined : v.port,
    user: v.user,
    database: v.allDatabases ? undefined : optionalText(v.database),
    allDatabases: v.allDatabases,
    tlsMode: v.tlsMode,
    password: v.password === '' ? undefined : v.password,
    ssh: v.useSsh ? sshInput(v, false) : undefined,
  };
}

/** Only what the source's engine has; secrets follow the keep / replace / clear rule. */
export function toUpdateInput(dto: SourceDto, v: SourceFormValues): InvokeInput<'sources:update'> {
  const common = { id: dto.id, name: v.name, environmentId: v.environmentId || undefined };
  if (dto.engine === 'sqlite') return { ...common, path: v.path };
  return {
    ...common,
    host: v.host,
    port: v.port === '' ? null : v.port,
    user: v.user,
    database: v.allDatabases ? null : (optionalText(v.database) ?? null),
    allDatabases: v.allDatabases,
    tlsMode: v.tlsMode,
    password: secretChange(v.password, v.clearPassword),
    ssh: v.useSsh ? sshInput(v, true) : dto.ssh ? null : undefined,
  };
}

const SSH_FIELDS: Record<string, keyof SourceFormValues> = {
  ssh: 'sshPassword',
  'ssh.mode': 'sshMode',
  'ssh.host': 'sshHost',
  'ssh.port': 'sshPort',
  'ssh.user': 'sshUser',
  'ssh.password': 'sshPassword',
  'ssh.privateKey': 'sshPrivateKey',
  'ssh.passphrase': 'sshPassphrase',
};
const PLAIN_FIELDS = new Set(['engine', 'name', 'environmentId', 'host', 'port', 'user', 'database', 'allDatabases', 'tlsMode', 'password', 'path']);

/** Contract path -> form field, for errors from the core. */
export function sourceFieldFor(path: string): string | null {
  if (SSH_FIELDS[path]) return SSH_FIELDS[path];
  const head = path.split('.')[0] ?? '';
  return PLAIN_FIELDS.has(head) ? head : null;
}

/** One line a DBA recognises: host:port/database, or the file. */
export function sourceLocation(dto: SourceDto): string {
  if (dto.engine === 'sqlite') return dto.path ?? '';
  const db = dto.allDatabases ? 'all databases' : (dto.database ?? '');
  const where = `${dto.user ? `${dto.user}@` : ''}${dto.host ?? ''}:${dto.port ?? ''}/${db}`;
  return dto.ssh ? `${where} via SSH ${dto.ssh.mode === 'exec' ? 'exec on' : 'tunnel through'} ${dto.ssh.user}@${dto.ssh.host}` : where;
}

export function engineLabel(engine: Engine): string {
  return ENGINES.find((e) => e.value === engine)?.label ?? engine;
}
