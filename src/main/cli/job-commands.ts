import type { Command } from 'commander';
import type { JobDto } from '../../shared/domain/dto';
import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { action, collect, parseInteger } from './cli-context';
import { emit, printRecord, printTable } from './output';
import { destinationId, findProfile, jobId, sourceId } from './resolve';

interface AddOptions {
  name: string;
  source: string;
  destination?: string[];
  database?: string[];
  allDatabases?: boolean;
  format?: 'custom' | 'plain';
  compression?: 'zstd' | 'gzip' | 'none';
  level?: number;
  encryption?: string;
  schedule?: string;
  timezone?: string;
  timeout?: number;
  prefix?: string;
  json?: boolean;
}

/** `--encryption PROFILE|7z|none`: a profile by name, or `7z` for the only 7-Zip profile there is. */
async function resolveEncryption(core: Core, value: string | undefined): Promise<{ encryption: 'none' | 'age' | '7z'; profileId: string | null }> {
  if (!value || value === 'none') return { encryption: 'none', profileId: null };
  if (value === '7z') {
    const sevenZip = (await core.call('profiles:list', {})).filter((p) => p.kind === '7z');
    if (sevenZip.length !== 1) {
      throw new AppError(
        'VALIDATION_FAILED',
        sevenZip.length === 0
          ? 'There is no 7-Zip profile yet: create one with `vaultdesk profile create --kind 7z --name NAME`.'
          : `There are several 7-Zip profiles (${sevenZip.map((p) => p.name).join(', ')}): name one with --encryption NAME.`,
        { field: 'encryption' },
      );
    }
    return { encryption: '7z', profileId: sevenZip[0]!.id };
  }
  const profile = await findProfile(core, value);
  return { encryption: profile.kind, profileId: profile.id };
}

export function registerJobCommands(program: Command): void {
  const job = program.command('job').description('backup jobs: what to dump, where to store it, how to protect it, when');

  job
    .command('add')
    .requiredOption('--name <name>', 'a unique name (letters, digits, . _ -)')
    .requiredOption('--source <source>', 'source name or id')
    .option('--destination <destination>', 'destination name or id (repeatable; default: the default destination)', collect)
    .option('--database <db>', 'a database of the source to back up (repeatable; default: the source\'s own)', collect)
    .option('--all-databases', 'every database on the server, including ones created later')
    .option('--format <format>', 'PostgreSQL: custom (default) or plain')
    .option('--compression <c>', 'zstd (default), gzip or none')
    .option('--level <n>', 'compression level', parseInteger('level'))
    .option('--encryption <profile|7z|none>', 'an encryption profile name, 7z, or none')
    .option('--schedule <cron>', 'cron expression, e.g. "0 3 * * *"')
    .option('--timezone <tz>', 'time zone of the schedule, e.g. Europe/Paris')
    .option('--timeout <minutes>', 'cancel a run after this many minutes', parseInteger('timeout'))
    .option('--prefix <prefix>', 'object name prefix (default: {environment}/{database}/)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: AddOptions) => {
        let destinations = await Promise.all((o.destination ?? []).map((d) => destinationId(core, d)));
        if (destinations.length === 0) {
          const fallback = (await core.call('destinations:list', {})).find((d) => d.isDefault);
          if (!fallback) throw new AppError('VALIDATION_FAILED', 'Name at least one --destination (there is no default destination).', { field: 'destinationIds' });
          destinations = [fallback.id];
        }
        const created = await core.call('jobs:create', {
          name: o.name,
          sourceId: await sourceId(core, o.source),
          destinationIds: destinations,
          databases: o.database ?? [],
          allDatabases: o.allDatabases ?? false,
          format: o.format ?? 'custom',
          compression: o.compression ?? 'zstd',
          compressionLevel: o.level ?? null,
          ...(await resolveEncryption(core, o.encryption)),
          schedule: o.schedule ?? null,
          timezone: o.timezone ?? null,
          timeoutMinutes: o.timeout ?? null,
          prefix: o.prefix ?? null,
        });
        emit(o.json, created, () => {
          process.stdout.write(`Added job "${created.name}": ${summary(created)}.\n`);
          if (created.schedule) process.stderr.write('note: this version has no scheduler yet: the schedule is stored, but runs start only with `vaultdesk backup run` (call it from cron meanwhile).\n');
        });
      }),
    );

  job
    .command('list')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const list = await core.call('jobs:list', {});
        emit(o.json, list, () =>
          printTable(
            ['NAME', 'SOURCE', 'DESTINATIONS', 'COMPRESSION', 'ENCRYPTION', 'SCHEDULE'],
            list.map((j) => [j.name, j.sourceName, j.destinationNames.join(', '), j.compression, j.profileName ? `${j.encryption} (${j.profileName})` : j.encryption, j.schedule ? `${j.schedule}${j.timezone ? ` ${j.timezone}` : ''}` : 'manual']),
          ),
        );
      }),
    );

  job
    .command('show')
    .argument('<job>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const j = await core.call('jobs:get', { id: await jobId(core, ref) });
        emit(o.json, j, () =>
          printRecord({ name: j.name, id: j.id, source: j.sourceName, databases: j.allDatabases ? 'all' : j.databases.length ? j.databases : '(the source\'s database)', destinations: j.destinationNames, format: j.format, compression: `${j.compression}${j.compressionLevel ? ` level ${j.compressionLevel}` : ''}`, encryption: j.profileName ? `${j.encryption} (${j.profileName})` : j.encryption, schedule: j.schedule ?? 'manual', timezone: j.timezone, timeout: j.timeoutMinutes ? `${j.timeoutMinutes} min` : null, prefix: j.prefix }),
        );
      }),
    );

  job
    .command('remove')
    .argument('<job>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        await core.call('jobs:delete', { id: await jobId(core, ref) });
        process.stdout.write(`Removed job "${ref}".\n`);
      }),
    );
}

function summary(j: JobDto): string {
  return `${j.sourceName} -> ${j.destinationNames.join(', ')}, ${j.compression}, ${j.encryption === 'none' ? 'not encrypted' : `${j.encryption} (${j.profileName})`}, ${j.schedule ?? 'manual'}`;
}
