import { AppError } from '../../../shared/ipc/result';

/** The calendar periods a backup falls in, as labels that sort like the periods: `2026-11-29`, `2026-W48`, `2026-11`, `2026`. */
export interface CalendarPeriods {
  daily: string;
  weekly: string;
  monthly: string;
  yearly: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', calendar: 'gregory', numberingSystem: 'latn' });
    } catch {
      throw new AppError('VALIDATION_FAILED', `"${timeZone}" is not a time zone (use a name like Europe/Paris or UTC).`, { field: 'timezone' });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar date of an instant on the wall clocks of `timeZone`. */
export function localDate(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: 'year' | 'month' | 'day'): number => Number(parts.find((p) => p.type === type)!.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/** ISO 8601 week: weeks start on Monday, and week 1 is the one holding the year's first Thursday. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  const thursday = new Date(date + (3 - weekday) * 86_400_000);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year: weekYear, week };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Periods are calendar ones on the job's wall clock, not 24-hour spans: a DST day of 23 or 25
 * hours is one day, and a backup at 00:30 in Paris belongs to that Paris date whatever UTC says.
 */
export function calendarPeriods(instant: Date, timeZone: string): CalendarPeriods {
  const { year, month, day } = localDate(instant, timeZone);
  const week = isoWeek(year, month, day);
  return {
    daily: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    weekly: `${pad(week.year, 4)}-W${pad(week.week)}`,
    monthly: `${pad(year, 4)}-${pad(month)}`,
    yearly: pad(year, 4),
  };
}
