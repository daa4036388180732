import type { Command } from 'commander';
import { describeLevels } from '../../shared/domain/compression-levels';
import { WEBHOOK_FORMATS, type HookCommand, type JobDto, type WebhookFormat } from '../../shared/domain/dto';
import { describeHook, hookCommandFromLine } from '../../shared/domain/hook-command';
import { describeRetention } from '../../shared/domain/retention';
import type { JobUpdate } from '../../shared/ipc/schemas';
import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { action, collect, parseInteger, secretFrom } from './cli-context';
import { emit, printRecord, printTable } from './output';
import { destinationId, findProfile, jobId, sourceId } from './resolve';
import { retentionFrom, retentionOptions, type RetentionOptions } from './retention-commands';

/** Options shared by `job add` and `job update`; absent means "not given" (update leaves it alone). */
interface FieldOptions extends RetentionOptions {
  source?: string;
  destination?: string[];
  database?: string[];
  allDatabases?: boolean;
  format?: 'custom' | 'plain';
  compression?: 'zstd' | 'gzip' | 'none';
  level?: number;
  encryption?: string;
  schedule?: string | false;
  timezone?: string;
  catchUp?: boolean;
  timeout?: number | false;
  prefix?: string;
  preHook?: string | false;
  postHook?: string | false;
  hookShell?: boolean;
  hookTimeout?: number;
  webhook?: string | false;
  webhookEnv?: string;
  webhookFormat?: string;
  healthchecks?: string | false;
  healthchecksEnv?: string;
  json?: boolean;
}

/** `90` (minutes), `90m`, `2h`, `1d` -> minutes. */
export function parseMinutes(value: string): number {
  const m = /^(\d+)\s*(m|min|h|d)?$/.exec(value.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `--timeout takes a duration like 90m, 2h or 1d (or minutes), not "${value}".`, { field: 'timeoutMinutes' });
  const n = Number(m[1]);
  return m[2] === 'd' ? n * 1440 : m[2] === 'h' ? n * 60 : n;
}

/** `30s`, `5m`, `1h` -> seconds; a unit is required, so a hook timeout is never misread as minutes. */
export function parseSeconds(value: string): number {
  const m = /^(\d+)\s*(s|sec|m|min|h)$/.exec(value.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `--hook-timeout takes a duration like 30s, 5m or 1h, not "${value}".`, { field: 'hookTimeoutSeconds' });
  const n = Number(m[1]);
  return m[2]!.startsWith('h') ? n * 3600 : m[2]!.startsWith('m') ? n * 60 : n;
}

/** The options `job add` and `job update` share. */
function fieldOptions(command: Command): Command {
  const fields = command
    .option('--destination <destination>', 'destination name or id (repeatable; add: default is the default destination)', collect)
    .option('--database <db>', "a database of the source to back up (repeatable; default: the source's own)", collect)
    .option('--all-databases', 'every database on the server, including ones created later')
    .option('--format <format>', 'PostgreSQL: custom (default) or plain')
    .option('--compression <c>', 'zstd (default), gzip or none')
    .option('--level <n>', `compression level: ${describeLevels('zstd')}, ${describeLevels('gzip')}`, parseInteger('--level'))
    .option('--encryption <profile|7z|none>', 'an encryption profile name, 7z, or none')
    .option('--schedule <cron>', 'when to run, as a cron expression: "0 3 * * *" is every day at 03:00')
    .option('--no-schedule', 'run only when started by hand')
    .option('--timezone <tz>', 'time zone of the schedule and of the days retention counts, e.g. Europe/Paris (default: this machine\'s)')
    .option('--catch-up', 'run once on start or wake-up when a scheduled run was missed (the default)')
    .option('--no-catch-up', 'do not run missed schedules on start or wake-up')
    .option('--timeout <duration>', 'cancel a run that takes longer (90m, 2h, 1d)', parseMinutes)
    .option('--no-timeout', 'no time limit')
    .option('--prefix <prefix>', 'object name prefix (default: {environment}/{database}/)')
    .option('--pre-hook <command>', 'run before each backup; if it fails (or times out) the run fails at stage pre-hook and nothing is dumped')
    .option('--no-pre-hook', 'remove the pre-run hook')
    .option('--post-hook <command>', 'run after each run, whatever its outcome (VAULTDESK_STATUS, VAULTDESK_ERROR in its environment); its failure is recorded, not fatal')
    .option('--no-post-hook', 'remove the post-run hook')
    .option('--hook-shell', 'run the --pre-hook/--post-hook given here with sh -c (cmd on Windows); without it they run without a shell')
    .option('--hook-timeout <duration>', 'stop a hook that runs longer (30s, 5m, 1h; default 5m)', parseSeconds)
    .option('--webhook <url>', 'POST to this URL when a run fails and when the job succeeds again (other users can see it in ps: prefer --webhook-env)')
    .option('--webhook-env <var>', 'the webhook URL, read from this environment variable')
    .option('--webhook-format <format>', `the webhook's body: ${WEBHOOK_FORMATS.join(', ')} (default json: the run record)`)
    .option('--no-webhook', "remove the job's webhook")
    .option('--healthchecks <url>', 'Healthchecks ping URL (https://hc-ping.com/UUID): /start, success, /fail on every run (visible in ps: prefer --healthchecks-env)')
    .option('--healthchecks-env <var>', 'the Healthchecks URL, read from this environment variable')
    .option('--no-healthchecks', 'stop pinging Healthchecks')
    .addHelpText(
      'after',
      `
Hooks run without a shell unless --hook-shell is given: the command is split into a program and
its arguments like a shell would, and pipes, redirections, $VARIABLES, wildcards and ~ (write the
full path) are refused, as is a quote never closed.
They get the tool environment (PATH...) and VAULTDESK_RUN_ID, VAULTDESK_JOB, VAULTDESK_TRIGGER; the
post-run hook also VAULTDESK_STATUS (succeeded, failed, cancelled) and VAULTDESK_ERROR. Their output
is kept with the run (vaultdesk run show RUN_ID).

Webhook and Healthchecks URLs carry their credentials: they are stored encrypted and only their
host is ever shown. Give them with --webhook-env VAR / --healthchecks-env VAR to keep them out of
the process list and the shell history.`,
    );
  return retentionOptions(fields).option('--json', 'print JSON');
}

/** `--pre-hook CMD` / `--no-pre-hook` as a stored command (or null to remove it). */
function hookFrom(which: 'pre-hook' | 'post-hook', value: string | false | undefined, shell: boolean): HookCommand | null | undefined {
  if (value === undefined) return undefined;
  if (value === false) return null;
  const parsed = hookCommandFromLine(value, shell);
  if ('error' in parsed) {
    throw new AppError('VALIDATION_FAILED', `--${which} "${value}" ${parsed.needsShell ? 'cannot run without a shell' : 'cannot be run as written'}: ${parsed.error}.`, { field: which === 'pre-hook' ? 'preHook' : 'postHook' });
  }
  return parsed.command;
}

/** `--webhook URL`, `--webhook-env VAR` or `--no-webhook`: the URL, null to remove it, undefined to leave it. */
async function urlFrom(option: 'webhook' | 'healthchecks', value: string | false | undefined, envVar: string | undefined): Promise<string | null | undefined> {
  if (value !== undefined && envVar !== undefined) {
    throw new AppError('VALIDATION_FAILED', `Give --${option} or --${option}-env${value === false ? '' : ', not both'}.`, { field: `${option}Url` });
  }
  if (value === false) return null;
  return value ?? (await secretFrom(`${option} URL`, { env: envVar }));
}

/** The job fields the options give, and only those; `current` is the job being updated. */
async function fieldsFrom(core: Core, o: FieldOptions, current: JobDto | null): Promise<Omit<JobUpdate, 'id' | 'name'>> {
  const fields: Omit<JobUpdate, 'id' | 'name'> = {};
  if (o.source !== undefined) fields.sourceId = await sourceId(core, o.source);
  if (o.destination !== undefined) fields.destinationIds = await Promise.all(o.destination.map((d) => destinationId(core, d)));
  if (o.database !== undefined) fields.databases = o.database;
  if (o.allDatabases !== undefined) fields.allDatabases = o.allDatabases;
  if (o.format !== undefined) fields.format = o.format;
  if (o.compression !== undefined) fields.compression = o.compression;
  if (o.level !== undefined) fields.compressionLevel = o.level;
  if (o.encryption !== undefined) Object.assign(fields, await resolveEncryption(core, o.encryption));
  // 7-Zip compresses inside its archive: a --compression or --level given for such a job would be
  // kept, shown, and never used.
  if ((fields.encryption ?? current?.encryption) === '7z' && (o.compression !== undefined || o.level !== undefined)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `A job encrypted with 7-Zip is compressed by 7-Zip inside its archive: ${o.compression !== undefined ? '--compression' : '--level'} applies only with age or no encryption. Leave it out, or choose --encryption PROFILE or none.`,
      { field: o.compression !== undefined ? 'compression' : 'compressionLevel' },
    );
  }
  if (o.schedule !== undefined) {
    fields.schedule = o.schedule === false ? null : o.schedule;
    if (o.schedule === false) fields.timezone = null;
  }
  if (o.timezone !== undefined) fields.timezone = o.timezone;
  if (o.catchUp !== undefined) fields.catchUp = o.catchUp;
  if (o.timeout !== undefined) fields.timeoutMinutes = o.timeout === false ? null : o.timeout;
  if (o.prefix !== undefined) fields.prefix = o.prefix;
  const retention = retentionFrom(o, current?.retention ?? null);
  if (retention !== undefined) fields.retention = retention;
  if (o.hookShell && typeof o.preHook !== 'string' && typeof o.postHook !== 'string') {
    throw new AppError('VALIDATION_FAILED', '--hook-shell applies to a --pre-hook or --post-hook given in the same command.', { field: 'preHook' });
  }
  const preHook = hookFrom('pre-hook', o.preHook, o.hookShell === true);
  if (preHook !== undefined) fields.preHook = preHook;
  const postHook = hookFrom('post-hook', o.postHook, o.hookShell === true);
  if (postHook !== undefined) fields.postHook = postHook;
  if (o.hookTimeout !== undefined) fields.hookTimeoutSeconds = o.hookTimeout;
  const webhook = await urlFrom('webhook', o.webhook, o.webhookEnv);
  if (webhook !== undefined) fields.webhookUrl = webhook;
  if (o.webhookFormat !== undefined) {
    if (!(WEBHOOK_FORMATS as readonly string[]).includes(o.webhookFormat)) {
      throw new AppError('VALIDATION_FAILED', `--webhook-format is one of ${WEBHOOK_FORMATS.join(', ')}, not "${o.webhookFormat}".`, { field: 'webhookFormat' });
    }
    fields.webhookFormat = o.webhookFormat as WebhookFormat;
  }
  const healthchecks = await urlFrom('healthchecks', o.healthchecks, o.healthchecksEnv);
  if (healthchecks !== undefined) fields.healthchecksUrl = healthchecks;
  return fields;
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
          ? 'There is no 7-Zip profile yet: create one with vaultdesk profile create --kind 7z --name NAME.'
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

  fieldOptions(
    job
      .command('add')
      .description('add a backup job')
      .requiredOption('--name <name>', 'a unique name (letters, digits, . _ -)')
      .requiredOption('--source <source>', 'source name or id'),
  ).action(
    action(async (core, o: FieldOptions & { name: string }) => {
      const fields = await fieldsFrom(core, o, null);
      if (!fields.destinationIds?.length) {
        const fallback = (await core.call('destinations:list', {})).find((d) => d.isDefault);
        if (!fallback) throw new AppError('VALIDATION_FAILED', 'Name at least one --destination (there is no default destination).', { field: 'destinationIds' });
        fields.destinationIds = [fallback.id];
      }
      // A new job has no URL to remove: --no-webhook and --no-healthchecks change nothing here.
      const { webhookUrl, healthchecksUrl, ...rest } = fields;
      const created = await core.call('jobs:create', {
        ...rest,
        ...(webhookUrl ? { webhookUrl } : {}),
        ...(healthchecksUrl ? { healthchecksUrl } : {}),
        name: o.name,
        sourceId: fields.sourceId!,
        destinationIds: fields.destinationIds,
      });
      await emit(o.json, created, async () => {
        process.stdout.write(`Added job "${created.name}": ${summary(created)}.\n`);
        await printNext(core, created);
      });
    }),
  );

  fieldOptions(
    job
      .command('update')
      .description('change a job: only the options given change')
      .argument('<job>', 'name or id')
      .option('--name <name>', 'rename the job')
      .option('--source <source>', 'source name or id'),
  ).action(
    action(async (core, ref: string, o: FieldOptions & { name?: string }) => {
      const id = await jobId(core, ref);
      const fields = await fieldsFrom(core, o, await core.call('jobs:get', { id }));
      if (Object.keys(fields).length === 0 && o.name === undefined) throw new AppError('VALIDATION_FAILED', 'Nothing to change: give at least one option (see vaultdesk job update --help).');
      const updated = await core.call('jobs:update', { id, ...(o.name !== undefined ? { name: o.name } : {}), ...fields });
      await emit(o.json, updated, async () => {
        process.stdout.write(`Updated job "${updated.name}": ${summary(updated)}.\n`);
        await printNext(core, updated);
      });
    }),
  );

  job
    .command('list')
    .description('list jobs')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const list = await core.call('jobs:list', {});
        emit(o.json, list, () =>
          printTable(
            ['NAME', 'SOURCE', 'DESTINATIONS', 'COMPRESSION', 'ENCRYPTION', 'SCHEDULE'],
            list.map((j) => [j.name, j.sourceName, j.destinationNames.join(', '), j.encryption === '7z' ? '7-Zip' : j.compression, j.profileName ? `${j.encryption} (${j.profileName})` : j.encryption, j.schedule ? `${j.schedule}${j.timezone ? ` ${j.timezone}` : ''}` : 'manual']),
          ),
        );
      }),
    );

  job
    .command('show')
    .description('one job: what it dumps, where, how, when')
    .argument('<job>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const j = await core.call('jobs:get', { id: await jobId(core, ref) });
        // A schedule saved before never-firing ones were refused is shown with the reason, not a failed show.
        const preview = j.schedule
          ? await core.call('schedules:preview', { schedule: j.schedule, timezone: j.timezone, count: 3 }).catch((error: unknown) => {
              if (error instanceof AppError && error.code === 'VALIDATION_FAILED') return { summary: error.message };
              throw error;
            })
          : null;
        await emit(o.json, j, () =>
          printRecord({
            name: j.name,
            id: j.id,
            source: j.sourceName,
            databases: j.allDatabases ? 'all' : j.databases.length ? j.databases : "(the source's database)",
            destinations: j.destinationNames,
            format: j.format,
            compression: j.encryption === '7z' ? `7-Zip's own, in the archive (${j.compression} applies with age or no encryption)` : `${j.compression}${j.compressionLevel ? ` level ${j.compressionLevel}` : ''}`,
            encryption: j.profileName ? `${j.encryption} (${j.profileName})` : j.encryption,
            schedule: preview ? `${j.schedule}: ${preview.summary}` : 'manual (no schedule)',
            'catch-up': j.schedule ? (j.catchUp ? 'a missed run is run once on start or wake-up' : 'off') : null,
            timeout: j.timeoutMinutes ? `${j.timeoutMinutes} min` : null,
            prefix: j.prefix,
            retention: describeRetention(j.retention),
            ...hookLines(j),
          }),
        );
      }),
    );

  job
    .command('next')
    .description("when the job's schedule runs it next, in words and times")
    .argument('<job>', 'name or id')
    .option('--count <n>', 'how many runs', parseInteger('--count'), 5)
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { count: number; json?: boolean }) => {
        const j = await core.call('jobs:get', { id: await jobId(core, ref) });
        if (!j.schedule) throw new AppError('VALIDATION_FAILED', `Job "${j.name}" has no schedule: it runs only when started by hand (set one with vaultdesk job update ${j.name} --schedule CRON).`, { field: 'schedule' });
        const p = await core.call('schedules:preview', { schedule: j.schedule, timezone: j.timezone, count: o.count });
        emit(o.json, p, () => {
          process.stdout.write(`${p.words}${j.catchUp ? '' : ', no catch-up'}\n`);
          for (const at of p.next) process.stdout.write(`  ${slotLine(at, j.timezone)}\n`);
        });
      }),
    );

  job
    .command('remove')
    .description('remove a job (not while it runs); its stored backups stay where they are')
    .argument('<job>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        await core.call('jobs:delete', { id: await jobId(core, ref) });
        process.stdout.write(`Removed job "${ref}".\n`);
      }),
    );
}

/** "Tue 1 Dec 2026 02:00 (Europe/Berlin)" */
function slotLine(iso: string, timezone: string | null): string {
  const zone = timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const text = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date(iso));
  return `${text.replace(',', '')} (${zone})`;
}

/** After a job is saved with a schedule: when it runs, and what must be open for it to run. */
async function printNext(core: Core, j: JobDto): Promise<void> {
  if (!j.schedule) return;
  const p = await core.call('schedules:preview', { schedule: j.schedule, timezone: j.timezone, count: 3 });
  process.stdout.write(`${p.summary}\n`);
  const status = await core.call('schedules:status', {});
  if (!status.holder) process.stderr.write('note: schedules run while the Vaultdesk app or vaultdesk daemon is open on this data dir; neither is now.\n');
  if (status.paused) process.stderr.write('note: schedules are paused (vaultdesk schedule resume).\n');
}

/** Hooks and notifications for `job show`; URLs only by their host. */
function hookLines(j: JobDto): Record<string, string | null> {
  const hook = (h: HookCommand | null): string | null => (h ? `${describeHook(h)}${h.shell ? ' (with a shell)' : ''}` : null);
  return {
    'pre-run hook': hook(j.preHook),
    'post-run hook': hook(j.postHook),
    'hook timeout': j.preHook || j.postHook ? `${j.hookTimeoutSeconds} s` : null,
    webhook: j.hasWebhook ? `${j.webhookHost} (${j.webhookFormat})` : null,
    healthchecks: j.hasHealthchecks ? j.healthchecksHost : null,
  };
}

function summary(j: JobDto): string {
  return `${j.sourceName} -> ${j.destinationNames.join(', ')}, ${j.encryption === '7z' ? "7-Zip's compression" : j.compression}, ${j.encryption === 'none' ? 'not encrypted' : `${j.encryption} (${j.profileName})`}, ${j.schedule ?? 'manual'}`;
}
