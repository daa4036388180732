import path from 'node:path';
import { Option, type Command } from 'commander';
import type { DestinationDto } from '../../shared/domain/dto';
import type { DestinationCreate } from '../../shared/ipc/schemas';
import { AppError } from '../../shared/ipc/result';
import { action, collect, parseInteger, readUserFile, secretFrom } from './cli-context';
import { emit, lastTestCell, lastTestLine, printRecord, printTable } from './output';
import { destinationId } from './resolve';

interface AddOptions {
  name: string;
  test?: boolean;
  path?: string;
  default?: boolean;
  provider?: string;
  bucket?: string;
  endpoint?: string;
  publicEndpoint?: string;
  region?: string;
  pathStyle?: boolean;
  accessKeyId?: string;
  secretStdin?: boolean;
  secretEnv?: string;
  prefix?: string;
  partSize?: number;
  checkBucket?: string[];
  account?: string;
  host?: string;
  port?: number;
  user?: string;
  passwordStdin?: boolean;
  passwordEnv?: string;
  keyFile?: string;
  passphraseEnv?: string;
  json?: boolean;
}

/** `30m`, `24h`, `7d` -> hours. */
export function parseAge(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/.exec(value.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `--older-than takes an age like 30m, 24h or 7d, not "${value}".`, { field: 'olderThan' });
  const n = Number(m[1]);
  return m[2] === 'd' ? n * 24 : m[2] === 'h' ? n : n / 60;
}

export function describeDestination(d: DestinationDto): string {
  const c = d.config;
  if (c.kind === 'local') return c.path;
  if (c.kind === 's3') return `s3://${c.bucket}/${c.prefix}${c.endpoint ? ` @ ${c.endpoint}` : ` (${c.region})`}`;
  return `sftp://${c.user}@${c.host}:${c.port}${c.path.startsWith('/') ? '' : '/'}${c.path}`;
}

async function buildInput(kind: string, o: AddOptions): Promise<DestinationCreate> {
  const isDefault = o.default ?? false;
  if (kind === 'local') {
    if (!o.path) throw new AppError('VALIDATION_FAILED', 'A local destination needs --path DIR.', { field: 'path' });
    return { kind, name: o.name, path: path.resolve(o.path), isDefault };
  }
  if (kind === 's3') {
    if (!o.bucket) throw new AppError('VALIDATION_FAILED', 'An S3 destination needs --bucket.', { field: 'bucket' });
    const secretAccessKey = await secretFrom('secret access key', { stdin: o.secretStdin, env: o.secretEnv });
    if ((secretAccessKey === undefined) !== (o.accessKeyId === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'Give both --access-key-id and the secret (--secret-stdin or --secret-env), or neither to use the AWS default credentials.', { field: 'accessKeyId' });
    }
    return {
      kind,
      name: o.name,
      isDefault,
      provider: (o.provider ?? (o.endpoint ? 'custom' : 'aws')) as DestinationCreate extends { provider?: infer P } ? P : never,
      bucket: o.bucket,
      endpoint: o.endpoint,
      publicEndpoint: o.publicEndpoint,
      region: o.region,
      pathStyle: o.pathStyle,
      accessKeyId: o.accessKeyId,
      secretAccessKey,
      prefix: o.prefix ?? '',
      partSizeMiB: o.partSize ?? 16,
      buckets: o.checkBucket ?? [],
      account: o.account,
    } as DestinationCreate;
  }
  if (kind === 'sftp') {
    if (!o.host || !o.user || !o.path) throw new AppError('VALIDATION_FAILED', 'An SFTP destination needs --host, --user and --path.', { field: !o.host ? 'host' : !o.user ? 'user' : 'path' });
    const password = await secretFrom('SFTP password', { stdin: o.passwordStdin, env: o.passwordEnv });
    const privateKey = o.keyFile ? readUserFile(o.keyFile, 'key file', 'key-file') : undefined;
    if (!password && !privateKey) throw new AppError('VALIDATION_FAILED', 'An SFTP destination needs --password-stdin, --password-env VAR or --key-file FILE.', { field: 'password' });
    return { kind, name: o.name, isDefault, host: o.host, port: o.port ?? 22, user: o.user, path: o.path, password, privateKey, passphrase: await secretFrom('key passphrase', { env: o.passphraseEnv }) };
  }
  throw new AppError('VALIDATION_FAILED', `Unknown destination kind "${kind}": use local, s3 or sftp.`, { field: 'kind' });
}

export function registerDestinationCommands(program: Command): void {
  const dest = program.command('destination').description('where backups are stored: local folders, S3-compatible buckets, SFTP');

  dest
    .command('add')
    .description('add a destination: add local --path DIR, add s3 --bucket B ..., or add sftp --host H --user U --path DIR')
    .argument('<kind>', 'local, s3 or sftp')
    .requiredOption('--name <name>', 'a unique name, 3-30 characters')
    .option('--path <dir>', 'local folder (its last folder is created if missing; runs never create it), or the folder on the SFTP server')
    .option('--default', 'pre-fill this destination for new jobs')
    .option('--provider <p>', 's3: aws, minio, r2, b2, wasabi, spaces or custom')
    .option('--bucket <bucket>', 's3: bucket')
    .option('--endpoint <url>', 's3: custom endpoint URL')
    .option('--public-endpoint <url>', 's3: endpoint used in presigned download links')
    .option('--region <region>', 's3: region')
    .option('--path-style', 's3: path-style addressing (MinIO and most self-hosted servers)')
    .option('--access-key-id <id>', 's3: access key id (leave out to use the AWS default credentials)')
    .option('--secret-stdin', 's3: read the secret access key from standard input')
    .option('--secret-env <var>', 's3: read the secret access key from this environment variable')
    .option('--prefix <prefix>', 's3: key prefix inside the bucket')
    .option('--part-size <MiB>', 's3: multipart part size in MiB (5-5120)', parseInteger('--part-size'))
    .option('--check-bucket <bucket>', 's3: for bucket-scoped keys, a bucket the connection test checks (repeatable)', collect)
    .option('--account <id>', 's3 (Cloudflare R2): account id')
    .option('--host <host>', 'sftp: server')
    .option('--port <port>', 'sftp: port', parseInteger('--port'))
    .option('--user <user>', 'sftp: user')
    .option('--password-stdin', 'sftp: read the password from standard input')
    .option('--password-env <var>', 'sftp: read the password from this environment variable')
    .option('--key-file <file>', 'sftp: private key file')
    .option('--passphrase-env <var>', 'sftp: private key passphrase from this environment variable')
    .option('--test', 'test the destination first (reach it, write and remove a file), and save only if it passes')
    .option('--json', 'print the created destination as JSON')
    .action(
      action(async (core, kind: string, o: AddOptions) => {
        const created = await core.call('destinations:create', { ...(await buildInput(kind, o)), test: o.test === true });
        emit(o.json, created, () =>
          process.stdout.write(
            `Added destination "${created.name}" (${describeDestination(created)}); ${created.createdFolder ? `created ${created.createdFolder}; ` : ''}${created.lastTest ? `its test passed: ${created.lastTest.message.replace(/\.$/, '')}` : `not tested (vaultdesk destination test ${created.name})`}.\n`,
          ),
        );
      }),
    );

  dest
    .command('list')
    .description('list destinations and the jobs that use them')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const list = await core.call('destinations:list', {});
        emit(o.json, list, () =>
          printTable(
            ['NAME', 'KIND', 'LOCATION', 'FLAGS', 'LAST TEST', 'USED BY'],
            list.map((d) => [d.name, d.kind, describeDestination(d), [d.isDefault && 'default', d.locked && 'locked'].filter(Boolean).join(','), lastTestCell(d.lastTest), d.jobNames.join(', ')]),
          ),
        );
      }),
    );

  dest
    .command('show')
    .description('one destination, its last test and the jobs that use it')
    .argument('<destination>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const d = await core.call('destinations:get', { id: await destinationId(core, ref) });
        emit(o.json, d, () =>
          printRecord({ name: d.name, id: d.id, kind: d.kind, location: describeDestination(d), default: d.isDefault, locked: d.locked, credentials: d.hasSecret ? 'stored' : 'none', 'last test': lastTestLine(d.lastTest), 'used by': d.jobNames }),
        );
      }),
    );

  const simple = (name: string, description: string, channel: 'destinations:lock' | 'destinations:unlock' | 'destinations:setDefault', done: string): void => {
    dest
      .command(name)
      .description(description)
      .argument('<destination>', 'name or id')
      .action(
        action(async (core, ref: string) => {
          const d = await core.call(channel, { id: await destinationId(core, ref) });
          process.stdout.write(`Destination "${d.name}" ${done}.\n`);
        }),
      );
  };
  simple('lock', 'lock a destination: no run may use it', 'destinations:lock', 'is locked');
  simple('unlock', 'unlock a destination', 'destinations:unlock', 'is unlocked');
  simple('default', 'make this the default destination for new jobs', 'destinations:setDefault', 'is now the default');

  dest
    .command('test')
    .description('check the destination can be reached and written')
    .argument('<destination>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const r = await core.call('destinations:test', { id: await destinationId(core, ref) });
        emit(o.json, r, () => process.stdout.write(`${r.success ? 'OK' : 'PROBLEM'}: ${r.message}\n`));
        if (!r.success) process.exitCode = 1;
      }),
    );

  dest
    .command('cleanup')
    .description("remove unfinished uploads no running backup accounts for: stray .partial files, and S3 multipart uploads under the destination's prefix")
    .argument('<destination>', 'name or id')
    .addOption(new Option('--older-than <age>', 'only those older than this (30m, 24h, 7d)').argParser(parseAge).default(24, '24h'))
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { olderThan: number; dryRun?: boolean; json?: boolean }) => {
        const r = await core.call('destinations:cleanup', { id: await destinationId(core, ref), olderThanHours: o.olderThan, dryRun: o.dryRun === true });
        emit(o.json, r, () => {
          printTable(
            ['KEY', 'KIND', 'SINCE', 'SIZE', 'ACTION'],
            r.items.map((i) => [i.key, i.kind, i.since, i.size, i.reason ? `${i.action}: ${i.reason}` : i.action]),
          );
          if (r.recordedRemoved > 0) process.stdout.write(`Also removed ${r.recordedRemoved} unfinished upload(s) recorded by runs that did not finish.\n`);
        });
        if (r.items.some((i) => i.action === 'failed')) process.exitCode = 1;
      }),
    );

  dest
    .command('forget-host-key')
    .description('SFTP: forget the pinned host key (after a checked, expected key change); the next connection pins the new one')
    .argument('<destination>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        await core.call('destinations:update', { id: await destinationId(core, ref), forgetHostKey: true });
        process.stdout.write(`Forgot the host key of "${ref}"; the next connection will pin the key the server presents.\n`);
      }),
    );

  dest
    .command('remove')
    .description('remove an unlocked destination that no job uses')
    .argument('<destination>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        await core.call('destinations:delete', { id: await destinationId(core, ref) });
        process.stdout.write(`Removed destination "${ref}".\n`);
      }),
    );
}
