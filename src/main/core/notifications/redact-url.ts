/**
 * What may be shown of a webhook or Healthchecks URL: its host. The path and query are where
 * such URLs keep their token (hooks.slack.com/services/T../B../secret), so they are never shown.
 */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).host}/…`;
  } catch {
    return '(not a URL)';
  }
}
