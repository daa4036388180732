import type { AppError } from '../../../shared/ipc/result';

export interface PlacedErrors {
  /** Form field -> message shown under it. */
  fields: Record<string, string>;
  /** What no field of the form can show: goes in an Alert above the buttons. */
  general: string | null;
}

interface Issue {
  path: string;
  message: string;
}

/**
 * Puts a core error under the fields it concerns. `fieldFor` maps a contract path (`name`,
 * `ssh.port`, `destinationIds.0`) to the form's field, or null where the form has none.
 */
export function placeErrors(error: AppError, fieldFor: (path: string) => string | null): PlacedErrors {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  const place = (path: string, message: string): void => {
    const field = path ? fieldFor(path) : null;
    if (field && !(field in fields)) fields[field] = message;
    else if (!field) rest.push(path ? `${path}: ${message}` : message);
  };
  const issues = error.details?.issues;
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(issues) && issues.length > 0) {
    for (const issue of issues as Issue[]) place(String(issue.path ?? ''), String(issue.message ?? ''));
    return {
      fields: Object.fromEntries(Object.entries(fields).map(([field, message]) => [field, sentence(message)])),
      general: rest.length > 0 ? rest.map(sentence).join(' ') : null,
    };
  }
  // The core's own words are sentences already, and may begin with a name whose case is part of
  // it (a database, a file): made upper-case, "e2e_shop is longer than..." named another database.
  // They name what they are about, so a field the form does not show adds nothing in front of them.
  const field = typeof error.details?.field === 'string' ? fieldFor(error.details.field) : null;
  return field ? { fields: { [field]: error.message }, general: null } : { fields: {}, general: error.message };
}

/** A `fieldFor` for placeErrors: a contract path's first segment (`path`, `profileIds.0`), when it is one of the form's `fields`. */
export function topLevelField(...fields: string[]): (path: string) => string | null {
  return (path) => {
    const head = path.split('.')[0] ?? '';
    return fields.includes(head) ? head : null;
  };
}

/** Zod's messages start lower-case ("must be 3-30 characters"); under a field they read as a sentence. */
function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return 'Invalid value';
  return trimmed[0]!.toUpperCase() + trimmed.slice(1);
}

/** Write-only secrets: left blank keeps what is stored, "clear" removes it, a value replaces it. */
export function secretChange(value: string, clear: boolean): string | null | undefined {
  if (clear) return null;
  return value === '' ? undefined : value;
}

/** An optional text field: blank means "not set". */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
