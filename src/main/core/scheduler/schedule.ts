import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { AppError } from '../../../shared/ipc/result';

/** A job's schedule: a cron expression and the time zone it is read in (null: this machine's). */
export interface ScheduleSpec {
  schedule: string;
  timezone: string | null;
}

/** The time zone a schedule without one is read in. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Crons by time zone and expression. The scheduler asks for every job's next slot on each tick,
 * and building a cron (with the time zone checked) costs more than finding the slot; a paused cron
 * keeps no state between questions, so one can be shared. Bounded: the oldest goes first.
 */
const crons = new Map<string, Cron>();
const CRONS_KEPT = 500;

/**
 * The cron for a schedule, never started (the scheduler decides when to run). DST follows
 * croner's rules: a time that does not exist (spring forward) runs at the first instant after the
 * gap, a time that occurs twice (fall back) runs once, at its first occurrence; schedules by the
 * minute or hour run at every real instant that matches.
 */
export function cronOf(spec: ScheduleSpec): Cron {
  if (spec.timezone !== null) assertTimeZone(spec.timezone);
  const timezone = spec.timezone ?? localTimeZone();
  const key = `${timezone}\n${spec.schedule}`;
  const known = crons.get(key);
  if (known) return known;
  let cron: Cron;
  try {
    cron = new Cron(spec.schedule, { paused: true, timezone });
  } catch {
    throw new AppError('VALIDATION_FAILED', scheduleProblem(spec.schedule), { field: 'schedule' });
  }
  if (crons.size >= CRONS_KEPT) crons.delete(crons.keys().next().value!);
  crons.set(key, cron);
  return cron;
}

/** Any instant does: a cron has no year, so a schedule that matches no date after this one matches none at all. */
const LONG_AGO = new Date('2000-01-01T00:00:00Z');

/**
 * A schedule a job may be saved with: one croner reads, in a time zone the runtime knows, that
 * fires at least once. croner takes "0 2 30 2 *" (30 February) and simply never runs it.
 */
export function assertSchedule(spec: ScheduleSpec): void {
  if (cronOf(spec).nextRun(LONG_AGO) === null) {
    throw new AppError(
      'VALIDATION_FAILED',
      `This schedule never fires: "${spec.schedule.slice(0, 100)}" (${scheduleInWords(spec.schedule)}) matches no date in any year, as its day-of-month and month fields name a day no such month has (30 or 31 February, 31 April, June, September or November). Check those two fields.`,
      { field: 'schedule' },
    );
  }
}

/** Time zone names already found valid: the runtime's list does not change while it runs. */
const knownZones = new Set<string>();

/** A time zone name the runtime knows (Europe/Paris, UTC), or VALIDATION_FAILED saying what one is. */
export function assertTimeZone(zone: string): void {
  if (knownZones.has(zone)) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new AppError('VALIDATION_FAILED', `"${zone.slice(0, 64)}" is not a time zone (use a name like Europe/Paris, America/New_York or UTC).`, { field: 'timezone' });
  }
  if (knownZones.size < CRONS_KEPT) knownZones.add(zone);
}

/** The fields of a five-field cron expression, in order, with the values each takes. */
const FIELDS = [
  { name: 'minute', values: 'from 0 to 59' },
  { name: 'hour', values: 'from 0 to 23' },
  { name: 'day-of-month', values: 'from 1 to 31' },
  { name: 'month', values: 'from 1 to 12, or JAN to DEC' },
  { name: 'day-of-week', values: 'from 0 to 7 (0 and 7 are Sunday), or SUN to SAT' },
] as const;

const WHAT_A_SCHEDULE_IS =
  'A schedule is a cron expression: five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for every day at 02:00, "30 1 * * 1-5" for 01:30 on weekdays, "0 */6 * * *" every six hours.';

/**
 * What is wrong with a cron expression, for someone who may not know cron: which field, and what
 * it may hold. Found by trying each field alone, so the words do not depend on croner's own.
 */
export function scheduleProblem(schedule: string): string {
  const quoted = `"${schedule.slice(0, 100)}"`;
  const parts = schedule.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 5 || parts.length > 6) {
    return `${quoted} is not a schedule Vaultdesk understands: it has ${parts.length} ${parts.length === 1 ? 'part' : 'parts'}, and a cron expression has five (six with seconds first). ${WHAT_A_SCHEDULE_IS}`;
  }
  const fields = parts.length === 6 ? [{ name: 'seconds', values: 'from 0 to 59' }, ...FIELDS] : FIELDS;
  const bad = parts.findIndex((part, i) => {
    const alone = fields.map((_, j) => (j === i ? part : '*')).join(' ');
    try {
      new Cron(alone, { paused: true });
      return false;
    } catch {
      return true;
    }
  });
  if (bad >= 0) {
    const field = fields[bad]!;
    return `${quoted} is not a schedule Vaultdesk understands: its ${field.name} field, "${parts[bad]!.slice(0, 40)}", must be * or values ${field.values}: one (5), a range (1-5), a list (1,15) or a step (*/10). ${WHAT_A_SCHEDULE_IS}`;
  }
  return `${quoted} is not a schedule Vaultdesk understands: its fields do not make a valid cron expression together. ${WHAT_A_SCHEDULE_IS}`;
}

export function nextSlots(spec: ScheduleSpec, after: Date, count: number): Date[] {
  return cronOf(spec).nextRuns(count, after);
}

/** The latest slot at or before `at`, or null if the schedule never matched before it. */
export function lastSlotAtOrBefore(spec: ScheduleSpec, at: Date): Date | null {
  return cronOf(spec).previousRuns(1, new Date(at.getTime() + 1000))[0] ?? null;
}

/**
 * Each cron's last answer: the scheduler asks every ten seconds for the slot after "now", and the
 * answer stays the same until that slot has passed.
 */
const lastAnswers = new WeakMap<Cron, { after: number; next: number | null }>();

/** The first slot after `after`. Any moment from a question's `after` up to its answer has the same answer. */
function nextSlot(cron: Cron, after: Date): Date | null {
  const at = after.getTime();
  const last = lastAnswers.get(cron);
  if (last && last.after <= at && (last.next === null || at < last.next)) return last.next === null ? null : new Date(last.next);
  const next = cron.nextRun(after);
  lastAnswers.set(cron, { after: at, next: next?.getTime() ?? null });
  return next;
}

/** The slots in (from, to], oldest first; at most `limit` (the caller only needs the latest). */
export function slotsBetween(spec: ScheduleSpec, from: Date, to: Date, limit = 1000): Date[] {
  const cron = cronOf(spec);
  const out: Date[] = [];
  let cursor = from;
  while (out.length < limit) {
    const next = nextSlot(cron, cursor);
    if (!next || next.getTime() > to.getTime()) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/** "At 02:00", "Every 15 minutes, between 01:00 and 05:59, Monday through Friday". */
export function scheduleInWords(schedule: string): string {
  try {
    return cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return schedule;
  }
}

/** "Tue 1 Dec 02:00", in the schedule's time zone. */
export function slotInWords(slot: Date, timezone: string | null): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: timezone ?? localTimeZone() }).formatToParts(slot);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
}

/** "At 02:00 (Europe/Berlin); next: Tue 1 Dec 02:00, Wed 2 Dec 02:00, Thu 3 Dec 02:00". */
export function describeSchedule(spec: ScheduleSpec, now: Date, count = 3): { words: string; next: string[]; summary: string } {
  const zone = spec.timezone ?? localTimeZone();
  const next = nextSlots(spec, now, count);
  const words = `${scheduleInWords(spec.schedule)} (${zone})`;
  // A job saved before such schedules were refused says so rather than "next: " with nothing after it.
  const when = next.length > 0 ? `next: ${next.map((d) => slotInWords(d, zone)).join(', ')}` : 'never fires: no date matches it';
  return { words, next: next.map((d) => d.toISOString()), summary: `${words}; ${when}` };
}
