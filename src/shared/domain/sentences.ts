/**
 * `message` followed by `next`, with a full stop between them when `message` (often a tool's last
 * line of stderr, such as "Unknown collation: 'x'") ends without one.
 */
export function continued(message: string, next: string): string {
  const text = message.trimEnd();
  return `${text}${/[.!?]$/.test(text) ? '' : '.'} ${next}`;
}
