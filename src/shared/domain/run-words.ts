import { counted } from './counted';
import type { RunObjectDto } from './runs';

/** `Stored 3 backups on "local" and "offsite".`: what a run that succeeded left, and where. */
export function storedWords(objects: readonly Pick<RunObjectDto, 'destinations'>[]): string {
  const names = [...new Set(objects.flatMap((o) => o.destinations.map((d) => `"${d.name}"`)))];
  const where = names.length <= 1 ? (names[0] ?? 'no destination') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `Stored ${counted(objects.length, 'backup')} on ${where}.`;
}
