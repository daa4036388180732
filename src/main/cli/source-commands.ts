import path from 'node:path';
import type { Command } from 'commander';
import type { SourceDto } from '../../shared/domain/dto';
import type { SourceCreate } from '../../shared/ipc/schemas';
import { AppError } from '../../shared/ipc/result';
import { action, parseInteger, readUserFile, secretFrom } from './cli-context';
import { emit, lastTestCell, lastTestLine, printRecord, printTable } from './output';
import { environmentId, sourceId } from './resolve';

interface AddOptions {
  name: string;
  test?: boolean;
  host?: string;
  port?: number;
  user?: string;
  database?: string;
  allDatabases?: boolean;
  path?: string;
  environment?: string;
  tls?: 'disable' | 'prefer' | 'require' | 'verify-full';
  passwordStdin?: boolean;
  passwordEnv?: string;
  sshHost?: string;
  sshPort?: number;
  sshUser?: string;
  sshMode?: 'exec' | 'tunnel';
  sshKeyFile?: string;
  sshPasswordEnv?: string;
  sshPassphraseEnv?: string;
  json?: boolean;
}

export function describeSource(s: SourceDto): string {
  if (s.engine === 'sqlite') return s.path ?? '';
  const db = s.allDatabases ? '(all databases)' : (s.database ?? '');
  return `${s.user}@${s.host}:${s.port}/${db}${s.ssh ? ` via ssh ${s.ssh.user}@${s.ssh.host}` : ''}`;
}

export function registerSourceCommands(program: Command): void {
  const source = program.command('source').description('database connections to back up');

  source
    .command('add')
    .description('add a source: add postgres|mysql --name N --host H --user U --database D, or add sqlite --name N --path FILE')
    .argument('<engine>', 'postgres, mysql (MySQL and MariaDB) or sqlite')
    .requiredOption('--name <name>', 'a unique name')
    .option('--host <host>', 'database server host')
    .option('--port <port>', 'database server port', parseInteger('--port'))
    .option('--user <user>', 'database user')
    .option('--database <db>', 'the database to back up')
    .option('--all-databases', 'back up every database on the server')
    .option('--path <file>', 'SQLite database file')
    .option('--environment <env>', 'environment name (default: "default")')
    .option('--tls <mode>', 'disable, prefer, require or verify-full')
    .option('--password-stdin', 'read the database password from standard input')
    .option('--password-env <var>', 'read the database password from this environment variable')
    .option('--ssh-host <host>', 'run the dump through this SSH host')
    .option('--ssh-port <port>', 'SSH port', parseInteger('--ssh-port'))
    .option('--ssh-user <user>', 'SSH user')
    .option('--ssh-mode <mode>', 'exec (run the dump and restore tools on the SSH host) or tunnel (forward the port)', 'exec')
    .option('--ssh-key-file <file>', 'SSH private key file')
    .option('--ssh-password-env <var>', 'SSH password from this environment variable')
    .option('--ssh-passphrase-env <var>', 'SSH key passphrase from this environment variable')
    .option('--test', 'test the connection first, and save only if it passes')
    .option('--json', 'print the created source as JSON')
    .action(
      action(async (core, engine: string, o: AddOptions) => {
        const environment = o.environment ? await environmentId(core, o.environment) : undefined;
        let input: SourceCreate;
        if (engine === 'sqlite') {
          if (!o.path) throw new AppError('VALIDATION_FAILED', 'A SQLite source needs --path FILE.', { field: 'path' });
          input = { engine: 'sqlite', name: o.name, path: path.resolve(o.path), environmentId: environment };
        } else if (engine === 'postgres' || engine === 'mysql') {
          if (!o.host || !o.user) throw new AppError('VALIDATION_FAILED', `A ${engine} source needs --host and --user.`, { field: o.host ? 'user' : 'host' });
          const password = await secretFrom('database password', { stdin: o.passwordStdin, env: o.passwordEnv });
          const ssh = o.sshHost
            ? {
                mode: o.sshMode ?? 'exec',
                host: o.sshHost,
                port: o.sshPort ?? 22,
                user: o.sshUser ?? '',
                privateKey: o.sshKeyFile ? readUserFile(o.sshKeyFile, 'SSH key file', 'ssh-key-file') : undefined,
                password: await secretFrom('SSH password', { env: o.sshPasswordEnv }),
                passphrase: await secretFrom('SSH key passphrase', { env: o.sshPassphraseEnv }),
              }
            : undefined;
          input = {
            engine,
            name: o.name,
            host: o.host,
            port: o.port,
            user: o.user,
            database: o.database,
            allDatabases: o.allDatabases ?? false,
            tlsMode: o.tls ?? 'prefer',
            password,
            ssh: ssh as SourceCreate extends { ssh?: infer S } ? S : never,
            environmentId: environment,
          } as SourceCreate;
        } else {
          throw new AppError('VALIDATION_FAILED', `Unknown engine "${engine}": use postgres, mysql or sqlite.`, { field: 'engine' });
        }
        const created = await core.call('sources:create', { ...input, test: o.test === true });
        emit(o.json, created, () =>
          process.stdout.write(
            `Added source "${created.name}" (${created.engine}, ${describeSource(created)}); ${created.lastTest ? `its test passed: ${created.lastTest.message.replace(/\.$/, '')}` : `not tested (vaultdesk source test ${created.name})`}.\n`,
          ),
        );
      }),
    );

  source
    .command('list')
    .description('list sources')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const list = await core.call('sources:list', {});
        emit(o.json, list, () =>
          printTable(
            ['NAME', 'ENGINE', 'CONNECTION', 'ENVIRONMENT', 'PASSWORD', 'LAST TEST', 'JOBS'],
            list.map((s) => [s.name, s.engine, describeSource(s), s.environmentName, s.hasPassword ? 'stored' : '', lastTestCell(s.lastTest), s.jobNames.join(', ')]),
          ),
        );
      }),
    );

  source
    .command('show')
    .description('one source and its last connection test')
    .argument('<source>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const s = await core.call('sources:get', { id: await sourceId(core, ref) });
        emit(o.json, s, () =>
          printRecord({ name: s.name, id: s.id, engine: s.engine, connection: describeSource(s), environment: s.environmentName, tls: s.tlsMode, password: s.hasPassword ? 'stored' : 'none', ssh: s.ssh ? `${s.ssh.mode} ${s.ssh.user}@${s.ssh.host}:${s.ssh.port}` : null, 'host key': s.ssh?.hostKeyFingerprint, 'last test': lastTestLine(s.lastTest), jobs: s.jobNames }),
        );
      }),
    );

  source
    .command('test')
    .description('connect, report the server version, and check the dump tools')
    .argument('<source>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const id = await sourceId(core, ref);
        const r = await core.call('sources:test', { id });
        const databases = r.success ? await core.call('sources:databases', { id }) : [];
        emit(o.json, { ...r, databases }, () => process.stdout.write(`${r.success ? 'OK' : 'PROBLEM'}: ${r.message}\n${databases.length ? `databases: ${databases.join(', ')}\n` : ''}`));
        if (!r.success) process.exitCode = 1;
      }),
    );

  source
    .command('forget-host-key')
    .description('forget the pinned SSH host key (after a checked, expected key change); the next connection pins the new one')
    .argument('<source>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        await core.call('sources:update', { id: await sourceId(core, ref), forgetHostKey: true });
        process.stdout.write(`Forgot the SSH host key of "${ref}"; the next connection will pin the key the server presents.\n`);
      }),
    );

  source
    .command('remove')
    .description('remove a source no job uses')
    .argument('<source>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        const id = await sourceId(core, ref);
        await core.call('sources:delete', { id });
        process.stdout.write(`Removed source "${ref}".\n`);
      }),
    );

  source
    .command('set-password')
    .description('replace the stored password (from stdin or an environment variable)')
    .argument('<source>', 'name or id')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--clear', 'remove the stored password')
    .action(
      action(async (core, ref: string, o: { passwordStdin?: boolean; passwordEnv?: string; clear?: boolean }) => {
        const password = o.clear ? null : await secretFrom('database password', { stdin: o.passwordStdin, env: o.passwordEnv });
        if (password === undefined) throw new AppError('VALIDATION_FAILED', 'Give --password-stdin, --password-env VAR or --clear.');
        await core.call('sources:update', { id: await sourceId(core, ref), password });
        process.stdout.write(o.clear ? `Cleared the password of "${ref}".\n` : `Stored a new password for "${ref}".\n`);
      }),
    );
}
