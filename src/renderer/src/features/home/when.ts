/** "in 5 min", "in 3 h", "in 2 days": how far off a coming run is. */
export function formatIn(iso: string, now: Date): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.round((then - now.getTime()) / 1000);
  if (seconds < 45) return 'any moment now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `in ${hours} h`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'in a day' : `in ${days} days`;
}

/** "Tue 1 Dec 02:00 CET": a coming run, in this computer's time, named so it is not read as the schedule's own zone. */
export function formatSlot(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}
