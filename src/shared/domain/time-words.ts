const two = (n: number): string => String(n).padStart(2, '0');

/**
 * An instant as this machine's clock shows it, to the minute, with its offset: "2027-01-01 00:00
 * (UTC+01:00)", "2026-12-03 16:40 (UTC)". What a person typed as `--until 2027-01-01` comes back
 * in the same terms, not as an ISO instant in UTC.
 */
export function localMinuteWords(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())} (${zone})`;
}
