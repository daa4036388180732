import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import type { BackupDto, BackupListDto, BackupListProblemDto } from '../../shared/domain/backups';
import { AppError, type ErrorCode } from '../../shared/ipc/result';
import { andList } from '../../shared/domain/counted';
import { destinationsWords, sameProblems } from '../../shared/domain/destination-problems';
import { localMinuteWords } from '../../shared/domain/time-words';
import type { Core } from '../core/create-core';
import { formatBytes } from '../core/destinations/local-files';
import { namesFolder } from '../core/files/place-new';
import { action, parseInteger } from './cli-context';
import { emit, printRecord, printTable, stdoutSink } from './output';
import { destinationId, runId } from './resolve';

const DOWNLOAD_HELP = `
With -o -, the stored bytes (still compressed and encrypted, exactly as stored)
go to standard output as they are read, and nothing else does; what is said goes
to standard error, and no manifest is written. Their sha256 is checked against the
manifest on the way: when it does not match, the command ends with exit code 1
and INTEGRITY_FAILED on standard error, and the bytes already written to standard
output are not the backup and must be discarded (stop and undo whatever read
them, such as a restore).

Example:
  vaultdesk backup download ID -o - | age -d -i identity.txt | zstd -d | pg_restore -d shop
`;

/** The contract's largest page: a CLI listing asks for pages of this size until it has them all. */
const PAGE = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ListOptions {
  destination?: string;
  job?: string;
  database?: string;
  run?: string;
  from?: string;
  to?: string;
  status?: BackupDto['status'];
  limit?: number;
  offset?: number;
  refresh?: boolean;
  json?: boolean;
}

export function registerExplorerCommands(backup: Command): void {
  backup
    .command('list')
    .description('every backup the destinations hold, newest first, whoever made it (objects without a manifest are listed as incomplete)')
    .option('--destination <destination>', 'only this destination (name or id)')
    .option('--job <job>', 'only backups of this job (its name as the manifests record it, or its id)')
    .option('--database <database>', 'only backups of this database')
    .option('--run <run>', 'only the backups one run made (its id, as vaultdesk run list shows): the databases of an "all databases" run and its roles')
    .option('--from <time>', 'made at or after this time (2026-11-26, 2026-11-26T03:00, or with an offset)', parseTime('--from'))
    .option('--to <time>', 'made before this time', parseTime('--to'))
    .option('--status <status>', 'only complete, incomplete, broken or unreadable ones')
    .option('--limit <n>', 'at most this many (default: all)', parseInteger('--limit'))
    .option('--offset <n>', 'skip this many first', parseInteger('--offset'))
    .option('--refresh', 'read the destinations again rather than a listing of the last few seconds')
    .option('--json', 'print an array of backups as JSON')
    .action(
      action(async (core, o: ListOptions) => {
        const { backups, problems } = await listAll(core, o);
        emit(o.json, backups, () => {
          printTable(
            ['ID', 'CREATED', 'DESTINATION', 'JOB', 'DATABASE', 'SIZE', 'STATE', 'VERIFIED'],
            backups.map((b) => [b.id, shortTime(b.createdAt), b.destination, b.job, b.database, formatBytes(b.size), stateCell(b), verifiedCell(b)]),
          );
        });
        reportProblems(problems);
      }),
    );

  backup
    .command('show')
    .description('one backup, looked at now at its destination')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const b = await core.call('backups:get', { id: await backupId(core, ref) });
        emit(o.json, b, () => printBackup(b));
      }),
    );

  backup
    .command('verify')
    .description('read the stored backup back and check it against its manifest (and the whole age payload, when a profile here holds the identity); exits 1 when it fails')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const v = await core.call('backups:verify', { id: await backupId(core, ref) });
        emit(o.json, v, () => process.stdout.write(`${v.ok ? 'OK' : 'FAILED'}: ${v.backup.location}\n${v.message}\n`));
        if (!v.ok) process.exitCode = 1;
      }),
    );

  backup
    .command('download')
    .description('copy a backup and its manifest to this machine (checked against the manifest before it is kept; an existing file is never replaced)')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .requiredOption('-o, --output <path>', 'file to write, an existing folder to write it into under its own name, or - for standard output')
    .option('--json', 'print JSON')
    .addHelpText('after', DOWNLOAD_HELP)
    .action(
      action(async (core, ref: string, o: { output: string; json?: boolean }) => {
        if (o.output === '-') return downloadToStdout(core, ref, o.json === true);
        const d = await core.call('backups:download', { id: await backupId(core, ref), path: `${path.resolve(o.output)}${namesFolder(o.output) ? path.sep : ''}` });
        emit(o.json, d, () => process.stdout.write(`Downloaded ${formatBytes(d.size)} to ${d.path} (sha256 ${d.sha256}, matches the manifest), manifest beside it: ${d.manifestPath}\n`));
      }),
    );

  backup
    .command('url')
    .description('S3: a presigned download URL (through the destination\'s public endpoint when it has one)')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .addOption(new Option('--expires <duration>', 'how long the URL works: 30m, 1h, 2d ... up to 7d').argParser(parseDuration).default(3600, '1h'))
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { expires: number; json?: boolean }) => {
        const u = await core.call('backups:url', { id: await backupId(core, ref), expiresInSeconds: o.expires });
        emit(o.json, u, () => {
          process.stdout.write(`${u.url}\n`);
          process.stderr.write(`Valid until ${localMinuteWords(u.expiresAt)}.\n`);
        });
      }),
    );

  backup
    .command('pin')
    .description('keep a backup: retention leaves it and delete refuses it, until it is unpinned or --until has passed')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .option('--until <time>', 'end of the pin: a date (2027-01-01, midnight here), a time, or a duration from now (90d)', parseUntil)
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { until?: string; json?: boolean }) => {
        const b = await core.call('backups:pin', { id: await backupId(core, ref), until: o.until ?? null });
        emit(o.json, b, () => process.stdout.write(`Pinned ${b.location}${b.pinnedUntil ? ` until ${localMinuteWords(b.pinnedUntil)}` : ' until it is unpinned'}.\n`));
      }),
    );

  backup
    .command('unpin')
    .description('let retention delete the backup again')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const id = await backupId(core, ref);
        // Said as it was: unpinning a backup that was not pinned changes nothing.
        const was = (await core.call('backups:get', { id })).pinned;
        const b = await core.call('backups:unpin', { id });
        emit(o.json, b, () => process.stdout.write(was ? `Unpinned ${b.location}: retention applies to it again.\n` : `${b.location} was not pinned: nothing changed.\n`));
      }),
    );

  backup
    .command('delete')
    .description('delete a backup at its destination, manifest first (refused for pinned backups and locked destinations)')
    .argument('<id>', 'backup id (or the start of one that is unique)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { yes?: boolean; json?: boolean }) => {
        const id = await backupId(core, ref);
        const b = await core.call('backups:get', { id });
        const what = `${b.complete ? 'backup' : `${b.status} object`} ${b.location}${b.database ? ` (${b.database}, ${shortTime(b.createdAt)})` : ''}`;
        if (!o.yes) await confirm(`Delete ${what}? This cannot be undone. [y/N] `);
        const done = await core.call('backups:delete', { id });
        emit(o.json, done, () => process.stdout.write(`Deleted ${what}.\n`));
      }),
    );
}

async function listAll(core: Core, o: ListOptions): Promise<{ backups: BackupDto[]; problems: BackupListProblemDto[] }> {
  const filter = {
    ...(o.destination ? { destinationId: await destinationId(core, o.destination) } : {}),
    ...(o.job ? { job: o.job } : {}),
    ...(o.database ? { database: o.database } : {}),
    ...(o.run ? { runId: runId(o.run) } : {}),
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
    ...(o.status ? { status: o.status } : {}),
  };
  const offset = o.offset ?? 0;
  if (o.limit !== undefined) {
    const page = await core.call('backups:list', { ...filter, offset, limit: Math.max(1, Math.min(o.limit, PAGE)), refresh: o.refresh ?? false });
    return { backups: o.limit === 0 ? [] : page.backups, problems: page.problems };
  }
  let page: BackupListDto = await core.call('backups:list', { ...filter, offset, limit: PAGE, refresh: o.refresh ?? false });
  const backups = [...page.backups];
  // Later pages reuse the first one's reading of the destinations (a few seconds), so this lists each destination once.
  while (offset + backups.length < page.total && page.backups.length > 0) {
    page = await core.call('backups:list', { ...filter, offset: offset + backups.length, limit: PAGE });
    backups.push(...page.backups);
  }
  return { backups, problems: page.problems };
}

/** A destination that could not be read makes the listing incomplete: said on stderr, and the exit code says so too. */
function reportProblems(problems: BackupListProblemDto[]): void {
  for (const p of sameProblems(problems)) process.stderr.write(`vaultdesk: ${destinationsWords(p.destinations)} could not be listed [${p.code}]: ${p.message}\n`);
  if (problems.length > 0) process.exitCode = 1;
}

/** A full id, or the start of one that only one backup has (as git takes commits). */
export async function backupId(core: Core, ref: string): Promise<string> {
  const wanted = ref.trim().toLowerCase();
  if (UUID.test(wanted)) return wanted;
  if (!/^[0-9a-f-]{4,}$/.test(wanted)) {
    throw new AppError('NOT_FOUND', `"${ref}" is not a backup id: one looks like 3f2a1c9e-5b7d-8e41-9c3a-2b6d4a1c0e93 (vaultdesk backup list shows them; its first characters are enough when no other id starts with them).`, { field: 'id' });
  }
  const { backups, problems } = await listAll(core, {});
  const found = backups.filter((b) => b.id.startsWith(wanted));
  if (found.length === 1) return found[0]!.id;
  // In an incident "not found" would read as "the backup is gone": a destination that did not answer is said instead.
  if (found.length === 0 && problems.length > 0) {
    const unread = destinationsWords(problems.map((p) => p.destination));
    // A sentence several destinations failed with (a wrong master key) is said once.
    const why = sameProblems(problems).map((p) => p.message).join(' ');
    throw new AppError(
      problems[0]!.code as ErrorCode,
      `No backup id starts with ${wanted} on the destinations that could be listed, and ${unread} could not be listed (${why}): a backup there is not found by the first characters of its id. Give its whole id, or try again once ${problems.length === 1 ? 'it answers' : 'they answer'}.`,
      { id: ref, destination: problems[0]!.destination },
    );
  }
  if (found.length === 0) throw new AppError('NOT_FOUND', `No backup id starts with ${wanted} (vaultdesk backup list shows them).`, { id: ref });
  throw new AppError('VALIDATION_FAILED', `${found.length} backup ids start with ${wanted}: give more of the id.`, { id: ref });
}

function printBackup(b: BackupDto): void {
  const encryption =
    b.encryption === null
      ? null
      : b.encryption.kind === 'age'
        ? `age, to ${b.encryption.recipients.map((r) => `${r.fingerprint}${r.profile ? ` (profile "${r.profile}")` : ''}`).join(', ')}`
        : b.encryption.kind === '7z'
          ? '7-Zip (AES-256)'
          : 'none';
  printRecord({
    id: b.id,
    status: b.status,
    problem: b.problem,
    location: b.location,
    destination: b.destination,
    job: b.job,
    source: b.source ? `${b.source} (${b.engine}${b.serverVersion ? ` ${b.serverVersion}` : ''})` : null,
    database: b.database ? `${b.database}${b.kind === 'globals' ? ' (roles and tablespaces)' : ''}` : null,
    // What a restore creates the database with: PostgreSQL's encoding and locale, MySQL's default character set.
    ...(b.kind === 'database' && (b.engine === 'postgres' || b.engine === 'mysql')
      ? { [b.engine === 'postgres' ? 'locale' : 'charset']: b.locale ?? 'not recorded (an older Vaultdesk made it): a restore gives the database the server default' }
      : {}),
    // What keeps a MySQL/MariaDB backup from replacing an existing database.
    ...(b.kind === 'database' && b.engine === 'mysql'
      ? { 'also holds': b.holds === null ? 'not recorded (an older Vaultdesk made it)' : b.holds.length === 0 ? 'tables only' : `${andList(b.holds)} (replacing a database, made again once the tables are swapped in)` }
      : {}),
    created: b.createdAt,
    size: `${formatBytes(b.size)} (${b.size} bytes)`,
    dumped: b.dumpBytes === null ? null : `${formatBytes(b.dumpBytes)}${b.format ? `, ${b.format} format` : ''}`,
    compression: b.compression ? `${b.compression.algorithm}${b.compression.level !== null ? ` level ${b.compression.level}` : ''}` : null,
    encryption,
    sha256: b.sha256,
    'made by': b.appVersion ? `Vaultdesk ${b.appVersion}${b.runId ? `, run ${b.runId}` : ''}${b.trigger ? ` (${b.trigger})` : ''}` : null,
    pinned: b.pinned ? (b.pinnedUntil ? `until ${localMinuteWords(b.pinnedUntil)}` : 'yes') : 'no',
    'last verified': b.lastVerified ? `${b.lastVerified.ok ? 'ok' : 'FAILED'} ${b.lastVerified.at}: ${b.lastVerified.message}` : 'never',
    // The drill's tables and differences: vaultdesk restores RESTORE_ID.
    'last drilled': b.lastDrill ? `${b.lastDrill.ok ? 'ok' : b.lastDrill.restored ? 'restored, row counts differ' : 'FAILED'} ${b.lastDrill.at}: ${b.lastDrill.message} (restore ${b.lastDrill.restoreId})` : 'never',
  });
}

function stateCell(b: BackupDto): string {
  const state = b.complete ? 'complete' : b.status.toUpperCase();
  return b.pinned ? `${state}, pinned` : state;
}

function verifiedCell(b: BackupDto): string {
  return b.lastVerified ? `${b.lastVerified.ok ? 'ok' : 'FAILED'} ${shortTime(b.lastVerified.at)}` : 'never';
}

function shortTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}


const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800 };

/** `30m`, `1h`, `2d`, `3600` (seconds) -> seconds. */
/** S3 signs a link for at most 7 days (SigV4). */
const MAX_LINK_SECONDS = 7 * 24 * 3600;

/** `--expires`: a duration with its unit (`1` alone could mean any), up to S3's 7 days, in words. */
function parseDuration(value: string): number {
  const m = /^(\d+)\s*(s|m|min|h|d|w)$/.exec(value.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `--expires takes a duration with its unit, like 30m, 1h or 2d, not "${value}".`, { field: 'expires' });
  const seconds = Number(m[1]) * DURATION_UNITS[m[2]!]!;
  if (seconds < 1 || seconds > MAX_LINK_SECONDS) throw new AppError('VALIDATION_FAILED', `--expires goes from 1s to 7d (S3 signs a link for 7 days at most), not ${value.trim()}.`, { field: 'expires' });
  return seconds;
}

/**
 * A time as people type it: `2027-01-01` (midnight on this machine's clock), `2027-01-01T08:00`
 * (this machine's time), or an instant with its offset (`...Z`, `...+01:00`); as an ISO instant.
 */
function parseTime(option: string): (value: string) => string {
  return (value: string) => {
    const v = value.trim();
    const local = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(v);
    const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v);
    const at = local ? new Date(v.includes('T') ? v : `${v}T00:00:00`) : withOffset ? new Date(v) : null;
    if (!at || Number.isNaN(at.getTime())) throw new AppError('VALIDATION_FAILED', `${option} takes a date or time like 2027-01-01, 2027-01-01T08:00 or 2027-01-01T08:00:00Z, not "${value}".`, { field: option.slice(2) });
    return at.toISOString();
  };
}

/** `--until`: a time (see parseTime) or a duration from now (`90d`, `12h`, `8w`). */
function parseUntil(value: string): string {
  const m = /^(\d+)\s*(h|d|w)$/.exec(value.trim());
  if (m) return new Date(Date.now() + Number(m[1]) * DURATION_UNITS[m[2]!]! * 1000).toISOString();
  return parseTime('--until')(value);
}

/** Asks on the terminal; without one, a delete needs --yes. */
async function confirm(question: string): Promise<void> {
  if (!process.stdin.isTTY) throw new AppError('VALIDATION_FAILED', 'Deleting a backup asks for confirmation, and there is no terminal to ask on: add --yes.', { field: 'yes' });
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new AppError('CANCELLED', 'Nothing was deleted.');
  } finally {
    rl.close();
  }
}

/** `-o -`: the stored bytes to standard output for a pipe, words to stderr (what streamBackup checks, and says when it fails). */
async function downloadToStdout(core: Core, ref: string, json: boolean): Promise<void> {
  if (json) throw new AppError('VALIDATION_FAILED', '--json prints to standard output, which -o - fills with the backup: leave one out.', { field: 'json' });
  if (process.stdout.isTTY) throw new AppError('VALIDATION_FAILED', 'Refusing to write a backup to the terminal: redirect standard output, or give -o FILE.', { field: 'output' });
  const streamed = await core.streamBackup(await backupId(core, ref), stdoutSink(), 'standard output');
  process.stderr.write(`Wrote ${formatBytes(streamed.size)} of ${streamed.key} (destination "${streamed.destination}") to standard output; sha256 ${streamed.sha256} matches the manifest.\n`);
}
