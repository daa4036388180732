import type { Command } from 'commander';
import type { RetentionPolicy } from '../../shared/domain/dto';
import { describeRetention, type RetentionPreviewDto } from '../../shared/domain/retention';
import { AppError } from '../../shared/ipc/result';
import { action, parseInteger } from './cli-context';
import { emit, printTable } from './output';
import { jobId } from './resolve';

/** The retention flags of `job add` and `job update`; absent means "not given". */
export interface RetentionOptions {
  keepLast?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  keepMin?: number;
  /** False with --no-retention; commander makes it true otherwise. */
  retention?: boolean;
}

const RULE_FLAGS = [
  ['keepLast', 'keepLast'],
  ['keepDaily', 'daily'],
  ['keepWeekly', 'weekly'],
  ['keepMonthly', 'monthly'],
  ['keepYearly', 'yearly'],
] as const satisfies readonly (readonly [keyof RetentionOptions, keyof RetentionPolicy])[];

/** What a new policy starts from: no keep rule (everything kept) and the contract's default floor. */
const EMPTY_POLICY: RetentionPolicy = { keepLast: null, daily: null, weekly: null, monthly: null, yearly: null, minimum: 1 };

export function retentionOptions(command: Command): Command {
  return command
    .option('--keep-last <n>', 'retention: keep the n most recent backups (0 turns the rule off)', parseInteger('--keep-last'))
    .option('--keep-daily <n>', 'retention: keep the newest backup of each of the last n days that have one', parseInteger('--keep-daily'))
    .option('--keep-weekly <n>', 'retention: the same for ISO weeks (Monday to Sunday)', parseInteger('--keep-weekly'))
    .option('--keep-monthly <n>', 'retention: the same for months', parseInteger('--keep-monthly'))
    .option('--keep-yearly <n>', 'retention: the same for years', parseInteger('--keep-yearly'))
    .option('--keep-min <n>', 'retention: never delete the n newest backups, whatever the rules say (default 1)', parseInteger('--keep-min'))
    .option('--no-retention', 'no retention policy: every backup is kept');
}

/**
 * The job's new policy from the flags, merged into `current` (update changes only the rules
 * given; the contract replaces the whole policy), or undefined when no flag was given.
 */
export function retentionFrom(o: RetentionOptions, current: RetentionPolicy | null): RetentionPolicy | null | undefined {
  const given = RULE_FLAGS.some(([flag]) => o[flag] !== undefined) || o.keepMin !== undefined;
  if (o.retention === false) {
    if (given) throw new AppError('VALIDATION_FAILED', '--no-retention removes the policy: give it without --keep-* options.', { field: 'retention' });
    return null;
  }
  if (!given) return undefined;
  const policy: RetentionPolicy = { ...(current ?? EMPTY_POLICY) };
  for (const [flag, rule] of RULE_FLAGS) {
    const n = o[flag];
    if (n !== undefined) policy[rule] = n === 0 ? null : n;
  }
  if (o.keepMin !== undefined) policy.minimum = o.keepMin;
  return policy;
}

/** "2026-11-29 03:00" on the calendar retention counts with. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

function printPreview(p: RetentionPreviewDto): void {
  process.stdout.write(`Retention of job "${p.jobName}": ${describeRetention(p.policy)}. Days are counted in ${p.timeZone}.\n`);
  let total = 0;
  let doomed = 0;
  for (const d of p.destinations) {
    if (d.pinsNotRead) process.stdout.write(`\n${d.pinsNotRead}\n`);
    const databases = d.databases.length > 0 ? d.databases : [{ database: null, backups: [] }];
    for (const db of databases) {
      process.stdout.write(`\n${d.destination}${db.database === null ? '' : `, database ${db.database}`}:\n`);
      printTable(
        ['KEY', 'CREATED', 'ACTION', 'WHY'],
        db.backups.map((b) => [b.key, localTime(b.createdAt, p.timeZone), b.action, b.reasons.length > 0 ? b.reasons.join(', ') : 'no rule keeps it']),
      );
      total += db.backups.length;
      doomed += db.backups.filter((b) => b.action === 'delete').length;
    }
  }
  process.stdout.write(`\nWould delete ${doomed} of ${total} backup(s); nothing was deleted (dry run).\n`);
}

export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description("a job's retention policy (set it with job add/update --keep-*)");
  retention
    .command('preview')
    .description('what the policy would keep and delete now, and which rule keeps each backup; deletes nothing')
    .argument('<job>', 'job name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const preview = await core.call('jobs:retentionPreview', { id: await jobId(core, ref) });
        emit(o.json, preview, () => printPreview(preview));
      }),
    );
}
