import type { Command } from 'commander';
import type { RestoreDto } from '../../shared/domain/restores';
import { tableName } from '../../shared/domain/sql-names';
import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { formatBytes } from '../core/destinations/local-files';
import { backupId } from './backup-explorer-commands';
import { action, parseInteger } from './cli-context';
import { cancelledExitCode, followToEnd } from './follow-to-end';
import { emit, printRecord, printTable } from './output';
import { restoreId, sourceId } from './resolve';

const MiB = 1024 * 1024;

/** Starts a restore or drill and waits for its end, with a progress bar on a terminal; Ctrl-C cancels it, leaving the target as it was. */
function restoreToEnd(core: Core, start: () => Promise<{ restoreId: string }>, progress: boolean, noun: 'restore' | 'drill'): Promise<RestoreDto> {
  return followToEnd(core, {
    noun,
    finished: 'restore:finished',
    finishedId: (r) => r.id,
    progress: 'restore:progress',
    progressId: (p) => p.restoreId,
    start: async () => (await start()).restoreId,
    cancel: (id) => void core.invoke('restore:cancel', { id }),
    bar: progress
      ? {
          format: ' {stage} {database} [{bar}] {read} of {total} MiB',
          initial: { stage: 'check', database: '', read: '0.0', total: '0.0' },
          at: (p) => ({ value: p.bytesRead, total: p.totalBytes, fields: { stage: p.stage.padEnd(8), database: p.database ?? '', read: (p.bytesRead / MiB).toFixed(1), total: (p.totalBytes / MiB).toFixed(1) } }),
        }
      : null,
  });
}

/**
 * A restore that ended otherwise says its message once, on stderr after its code: the message
 * already holds the error and what state each database was left in.
 */
function printRestore(r: RestoreDto): void {
  if (r.status === 'succeeded') process.stdout.write(`${r.message}\n`);
  printTables(r);
  // What the message already says (what is left to do by hand) is not said again.
  for (const d of r.databases) for (const n of d.notes) if (!r.message.includes(n)) process.stderr.write(`note: ${n}\n`);
  if (r.status !== 'succeeded') process.stderr.write(`vaultdesk: error [${r.error?.code ?? 'RESTORE_FAILED'}]: ${r.message}\n`);
}

/** Each restored database's tables with their rows, and a drill's differences. */
function printTables(r: RestoreDto): void {
  for (const d of r.databases) {
    if (d.kind === 'globals' || !d.tables || d.tables.length === 0) continue;
    const title = r.kind === 'drill' ? `${d.fromDatabase}, as restored from the backup` : `${d.database}${d.keptAs ? ` (the old file is kept as ${d.keptAs})` : ''}`;
    process.stdout.write(`\n${title}\n`);
    printTable(['TABLE', 'ROWS'], d.tables.map((t) => [tableName(r.engine, t.schema, t.table), t.rows]));
  }
  if (r.drill && r.drill.differences.length > 0) {
    process.stdout.write('\n');
    printTable(
      ['TABLE', 'IN BACKUP', 'IN SOURCE NOW', 'DIFFERENCE'],
      r.drill.differences.map((d) => [tableName(r.engine, d.schema, d.table), d.inBackup ?? 'missing', d.inSourceNow ?? 'missing', d.difference === null ? '-' : d.difference > 0 ? `+${d.difference}` : d.difference]),
    );
  }
}

export function registerRestoreCommands(program: Command): void {
  program
    .command('restore')
    .description(
      'restore a stored backup into a source (its own, or another of the same engine), under its own or a new database name; a database that already holds tables, views, functions or other objects is replaced only with --force, and only once the restored copy is complete',
    )
    .argument('<backup>', 'backup id (vaultdesk backup list), or its first characters')
    .option('--target <source>', "the source to restore into, by name or id (default: the backup's own source)")
    .option('--database <name>', 'the database to restore into (created when missing; default: the name in the backup); for SQLite, a file path')
    .option('--force', 'replace a database that already holds tables or other objects (views, functions, sequences, routines, events)')
    .option('--end-sessions', "with --force: at the swap, end the other sessions connected to the database it replaces (PostgreSQL: refuses new connections, then pg_terminate_backend; MySQL/MariaDB: KILL of the connections using it) instead of failing because it is in use")
    .option('--all-databases', 'restore every database of the run that made this backup (an "all databases" job)')
    .option('--only <db>', 'restore only this database of that run')
    .option('--with-globals', "PostgreSQL: also restore the run's roles (globals)")
    .option(
      '--jobs <n>',
      'into a database the restore creates, how many restore tools load the streamed dump at once (default 2). PostgreSQL custom format: pg_restore processes (1: one pg_restore, one transaction); asked for, a dump that cannot be loaded in parts (large objects) is decrypted to a temporary file in the data dir, as big as the dump, for pg_restore --jobs N. MySQL/MariaDB: mariadb/mysql clients, the INSERTs dealt out',
      parseInteger('--jobs'),
    )
    .option('--drill', 'restore into a scratch database, compare every table\'s row count with the source now, and drop it; exits 1 when counts differ')
    .option('--compare <source>', 'drill: the source to compare with (default: the backup\'s own source)')
    .option('--json', 'print the restore record as JSON')
    .action(
      action(
        async (
          core,
          ref: string,
          o: { target?: string; database?: string; jobs?: number; force?: boolean; endSessions?: boolean; allDatabases?: boolean; only?: string; withGlobals?: boolean; drill?: boolean; compare?: string; json?: boolean },
        ) => {
          refuseMixedOptions(o);
          const id = await backupId(core, ref);
          const targetSourceId = o.target ? await sourceId(core, o.target) : undefined;
          const progress = !o.json && process.stderr.isTTY === true;
          const restore = o.drill
            ? await restoreToEnd(core, async () => core.call('restore:drill', { backupId: id, targetSourceId, compareSourceId: o.compare ? await sourceId(core, o.compare) : undefined }), progress, 'drill')
            : await restoreToEnd(
                core,
                async () => {
                  const started = await core.call('restore:start', { backupId: id, targetSourceId, database: o.database, force: o.force === true, endSessions: o.endSessions === true, allDatabases: o.allDatabases === true, only: o.only, withGlobals: o.withGlobals === true, jobs: o.jobs });
                  // Now, not with the result: what it says can still be done while the restore runs.
                  for (const warning of started.warnings) process.stderr.write(`note: ${warning}\n`);
                  return started;
                },
                progress,
                'restore',
              );
          emit(o.json, restore, () => printRestore(restore));
          if (restore.status === 'cancelled') process.exitCode = cancelledExitCode();
          else if (restore.status !== 'succeeded' || (restore.drill && !restore.drill.ok)) process.exitCode = 1;
        },
        { pipeline: true },
      ),
    );

  program
    .command('restores')
    .description('the restore history: who restored what, where, when, and how it went; with a restore id, that one in full, its tables and a drill\'s differences')
    .argument('[restore]', 'a restore id (the first column of the list)')
    .option('--backup <backup>', "only this backup's restores and drills")
    .option('--limit <n>', 'how many', parseInteger('--limit'), 20)
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string | undefined, o: { backup?: string; limit: number; json?: boolean }) => {
        if (ref !== undefined) {
          if (o.backup !== undefined) throw new AppError('VALIDATION_FAILED', '--backup lists a backup\'s restores: it does not go with a restore id.', { field: 'backup' });
          const restore = await core.call('restore:get', { id: await restoreIdOf(core, ref) });
          emit(o.json, restore, () => printRestoreRecord(restore));
          return;
        }
        const list = await historyOf(core, o.backup, o.limit);
        emit(o.json, list, () =>
          printTable(
            ['RESTORE', 'KIND', 'STATUS', 'STARTED', 'BY', 'BACKUP', 'INTO', 'RESULT'],
            list.map((r) => [r.id, r.kind, r.status, r.startedAt, r.requestedBy, r.key, `${r.targetSource}: ${r.databases.map((d) => d.database).join(', ')}`, r.error ? `[${r.error.code}] ${r.error.message}` : r.message]),
          ),
        );
      }),
    );
}

/** One restore or drill of the history: who, what, where, when, then what it restored as after a restore. */
function printRestoreRecord(r: RestoreDto): void {
  printRecord({
    restore: r.id,
    kind: r.kind,
    status: r.status,
    backup: `${r.key} at "${r.destination}" (${r.backupId})`,
    into: `${r.targetSource}: ${r.databases.map((d) => d.database).join(', ') || '-'}`,
    by: r.requestedBy,
    started: r.startedAt,
    finished: r.finishedAt,
    read: `${formatBytes(r.bytesRead)} of ${formatBytes(r.totalBytes)}`,
    result: r.error ? `[${r.error.code}] ${r.message}` : r.message,
    notes: r.databases.flatMap((d) => d.notes.filter((n) => !r.message.includes(n))).join(' ') || '-',
  });
  printTables(r);
}

/**
 * The history `restores` prints; with `--backup`, that backup's. A deleted backup is no longer on any destination but
 * its restores are still in the history: the first characters of its id are looked for there first,
 * then on the destinations (whose words say when one could not be listed).
 */
async function historyOf(core: Core, ref: string | undefined, limit: number): Promise<RestoreDto[]> {
  if (ref === undefined) return core.call('restore:list', { limit });
  const wanted = ref.trim().toLowerCase();
  if (/^[0-9a-f-]{4,64}$/.test(wanted)) {
    const found = await core.call('restore:list', { backupIdPrefix: wanted, limit });
    if (found.length > 0) return found;
  }
  return core.call('restore:list', { backupId: await backupId(core, ref), limit });
}

/** A restore's whole id, or the first characters of one that only one restore's id starts with (as backups are named). */
async function restoreIdOf(core: Core, ref: string): Promise<string> {
  const wanted = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,64}$/.test(wanted) || wanted.length === 36) return restoreId(ref);
  const found = await core.call('restore:list', { idPrefix: wanted, limit: 2 });
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0) throw new AppError('NOT_FOUND', `No restore id starts with ${wanted} (vaultdesk restores lists them).`, { field: 'restore' });
  throw new AppError('VALIDATION_FAILED', `More than one restore id starts with ${wanted}: give more of the id.`, { field: 'restore' });
}

/** Options of a restore that a drill would leave unused, and the drill's own without one: refused, never dropped in silence. */
const RESTORE_ONLY = [
  ['database', '--database'],
  ['force', '--force'],
  ['endSessions', '--end-sessions'],
  ['allDatabases', '--all-databases'],
  ['only', '--only'],
  ['withGlobals', '--with-globals'],
  ['jobs', '--jobs'],
] as const;

function refuseMixedOptions(o: { drill?: boolean; compare?: string } & Partial<Record<(typeof RESTORE_ONLY)[number][0], unknown>>): void {
  if (!o.drill) {
    if (o.compare !== undefined) throw new AppError('VALIDATION_FAILED', '--compare names the source a drill compares with: it goes with --drill.', { field: 'compare' });
    return;
  }
  const given = RESTORE_ONLY.filter(([key]) => o[key] !== undefined && o[key] !== false).map(([, flag]) => flag);
  if (given.length === 0) return;
  const which = given.join(' and ');
  const oneOfRun = given.includes('--only') || given.includes('--all-databases') ? ' To drill one database of an "all databases" run, drill its own backup (vaultdesk backup list --database DB).' : '';
  throw new AppError(
    'VALIDATION_FAILED',
    `A drill restores the one backup it is given into a scratch database of its own and drops it after: ${which} ${given.length > 1 ? 'do' : 'does'} not go with --drill.${oneOfRun}`,
    { field: given[0]!.slice(2) },
  );
}
