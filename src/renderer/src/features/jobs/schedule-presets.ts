/** Schedules most jobs want, so a DBA who does not speak cron still gets one right. */
export const SCHEDULE_PRESETS = [
  { id: 'daily', cron: '0 2 * * *', label: 'Every day at 02:00' },
  { id: 'six-hours', cron: '0 */6 * * *', label: 'Every 6 hours' },
  { id: 'weekdays', cron: '30 1 * * 1-5', label: 'Weekdays at 01:30' },
  { id: 'sunday', cron: '0 3 * * 0', label: 'Every Sunday at 03:00' },
  { id: 'manual', cron: '', label: 'Manual only' },
] as const;

export const CUSTOM_SCHEDULE = 'custom';

/** The id of the preset a schedule is (spacing aside), or `custom`. */
export function presetFor(schedule: string): string {
  const normalized = schedule.trim().split(/\s+/).join(' ');
  return SCHEDULE_PRESETS.find((p) => p.cron === normalized)?.id ?? CUSTOM_SCHEDULE;
}

/** "Tue 1 Dec 2026, 02:00" in the schedule's time zone (null: this machine's). */
export function formatSlot(iso: string, timeZone: string | null, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(timeZone ? { timeZone } : {}),
    }).format(date);
  } catch {
    // A zone this browser does not know: the instant in the browser's own zone still says when.
    return date.toLocaleString(locale);
  }
}

/** The zone names the browser knows, with the local one first. */
export function timeZones(local: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([local, 'UTC', ...all])];
}
