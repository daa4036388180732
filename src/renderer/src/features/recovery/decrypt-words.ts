import { topLevelField } from '../../lib/form-errors';

/** `details.failure` of a decryption that failed (see the core's DecryptFailureKind), as a headline. */
const FAILURE_HEADLINES: Record<string, string> = {
  'not-age': 'Not an age file',
  'wrong-key': 'Wrong key',
  'kit-no-match': 'Nothing in the kit opens it',
  'kit-passphrase': 'Wrong passphrase for the kit or identity',
  truncated: 'The file is truncated',
  tampered: 'The file was modified',
};

export function decryptFailureHeadline(failure: unknown): string | null {
  return typeof failure === 'string' ? (FAILURE_HEADLINES[failure] ?? null) : null;
}

/** Which field of the form a core error belongs under: the contract's names are the form's. */
export const decryptField = topLevelField('file', 'identity', 'passphrase', 'out');

/** A suggested output name: the backup's name without `.age` and the compression it undoes. */
export function suggestedOutput(file: string, decompress: boolean): string {
  let out = file.trim().replace(/\.age$/, '');
  if (decompress) out = out.replace(/\.(zst|gz)$/, '');
  return out === file.trim() ? `${out}.decrypted` : out;
}
