import type { SecretBox } from './secret-box';

export type SecretTable = 'sources' | 'destinations' | 'profiles' | 'jobs' | 'app_secrets';
export type SecretMap = Record<string, string>;
/** absent: keep, null: clear, string: replace. */
export type SecretChanges = Record<string, string | null | undefined>;

export interface SealedSecrets {
  sealed: string | null;
  names: string[];
}

/** One sealed JSON object per row; the row's table and id are the associated data. */
export function sealSecrets(box: SecretBox, table: SecretTable, id: string, secrets: SecretMap): SealedSecrets {
  const names = Object.keys(secrets).sort();
  if (names.length === 0) return { sealed: null, names };
  return { sealed: box.seal(JSON.stringify(secrets), `${table}:${id}`), names };
}

export function openSecrets(box: SecretBox, table: SecretTable, id: string, sealed: string | null): SecretMap {
  if (sealed === null) return {};
  return JSON.parse(box.open(sealed, `${table}:${id}`)) as SecretMap;
}

export function hasChanges(changes: SecretChanges): boolean {
  return Object.values(changes).some((v) => v !== undefined);
}

export function applyChanges(current: SecretMap, changes: SecretChanges): SecretMap {
  const next: SecretMap = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/** Keeps only the secret keys of an input object, dropping those left out. */
export function pickSecrets(input: Record<string, unknown>, names: readonly string[]): SecretChanges {
  const out: SecretChanges = {};
  for (const n of names) {
    const v = input[n];
    if (v === null || typeof v === 'string') out[n] = v;
  }
  return out;
}
