import type { RetentionPolicy } from '../../../shared/domain/dto';
import { calendarPeriods, type CalendarPeriods } from './calendar-periods';

/** What the policy needs to know of a stored backup. */
export interface RetentionCandidate {
  key: string;
  database: string;
  createdAt: Date | string;
  pinned: boolean;
}

export interface RetentionDecision<T extends RetentionCandidate = RetentionCandidate> {
  backup: T;
  action: 'keep' | 'delete';
  /**
   * Every rule that keeps it: `last 3` (keep-last 3), `daily 2026-11-29`, `weekly 2026-W48`,
   * `monthly 2026-11`, `yearly 2026`, `oldest daily 2026-11-02`, `minimum`, `pinned`, or
   * `no retention rules`. Empty for a backup to delete.
   */
  reasons: string[];
}

export const NO_RULES_REASON = 'no retention rules';

type PeriodRule = keyof CalendarPeriods;
const PERIOD_RULES: PeriodRule[] = ['daily', 'weekly', 'monthly', 'yearly'];

/** Whether the policy has a keep rule at all; one without any keeps everything (as restic refuses an empty policy). */
export function hasKeepRules(policy: RetentionPolicy | null): policy is RetentionPolicy {
  return policy !== null && [policy.keepLast, ...PERIOD_RULES.map((p) => policy[p])].some((n) => n !== null && n > 0);
}

/**
 * Decides, for every backup, keep or delete, and why. Pure: the same backups, policy and time
 * zone give the same answer.
 *
 * The keep rules are restic's `forget` ones, applied to each database on its own:
 * - `keepLast` n: the n most recent backups.
 * - `daily`/`weekly`/`monthly`/`yearly` n: for the last n days (ISO weeks, months, years) that
 *   have one or more backups, the most recent backup of each; periods without a backup do not
 *   count, so a stopped job never loses its last backups to the calendar. Periods are those of
 *   `timeZone`'s wall clock. When a rule still has periods to fill after the oldest backup, that
 *   oldest backup is kept too ("oldest daily ..."), so the history kept is as long as it can be.
 * - A backup is kept when any rule keeps it.
 * - `minimum`: the `minimum` most recent backups are never deleted, whatever the rules say.
 * - Pinned backups are always kept and count toward no rule.
 * - A policy without a keep rule (or no policy) keeps everything.
 *
 * The result is grouped by database (sorted by name), newest first within each.
 */
export function applyRetentionPolicy<T extends RetentionCandidate>(backups: readonly T[], policy: RetentionPolicy | null, timeZone: string): RetentionDecision<T>[] {
  const byDatabase = new Map<string, T[]>();
  for (const b of backups) byDatabase.set(b.database, [...(byDatabase.get(b.database) ?? []), b]);
  return [...byDatabase.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap((database) => decideOneDatabase(byDatabase.get(database)!, policy, timeZone));
}

function decideOneDatabase<T extends RetentionCandidate>(backups: T[], policy: RetentionPolicy | null, timeZone: string): RetentionDecision<T>[] {
  const newestFirst = backups
    .map((backup) => ({ backup, time: new Date(backup.createdAt).getTime() }))
    .sort((a, b) => b.time - a.time || (a.backup.key < b.backup.key ? 1 : a.backup.key > b.backup.key ? -1 : 0));
  const reasons = new Map<T, string[]>(newestFirst.map(({ backup }) => [backup, backup.pinned ? ['pinned'] : []]));
  const counted = newestFirst.filter(({ backup }) => !backup.pinned);

  if (!hasKeepRules(policy)) {
    for (const { backup } of counted) reasons.get(backup)!.push(NO_RULES_REASON);
  } else {
    if (policy.keepLast !== null) {
      for (const { backup } of counted.slice(0, policy.keepLast)) reasons.get(backup)!.push(`last ${policy.keepLast}`);
    }
    const periods = counted.map(({ backup, time }) => ({ backup, periods: calendarPeriods(new Date(time), timeZone) }));
    for (const rule of PERIOD_RULES) {
      let left = policy[rule] ?? 0;
      let previous: string | null = null;
      periods.forEach(({ backup, periods: p }, index) => {
        if (left <= 0) return;
        const period = p[rule];
        const oldest = index === periods.length - 1;
        if (period === previous && !oldest) return;
        reasons.get(backup)!.push(`${period === previous ? 'oldest ' : ''}${rule} ${period}`);
        previous = period;
        left -= 1;
      });
    }
    for (const { backup } of counted.slice(0, policy.minimum)) reasons.get(backup)!.push('minimum');
  }

  return newestFirst.map(({ backup }) => {
    const why = reasons.get(backup)!;
    return { backup, action: why.length > 0 ? 'keep' : 'delete', reasons: why };
  });
}
