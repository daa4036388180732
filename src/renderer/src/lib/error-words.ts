import type { ErrorCode } from '../../../shared/ipc/result';

/**
 * A short headline per error code, shown above the core's own message (alone, or after "Not
 * started:", "Could not load:" ...). The message says what to do; the headline lets a DBA
 * scanning a list see at once what kind of problem it is. Every code has one: a code added to
 * ERROR_CODES does not compile until it is given its headline here. Each is worded for every place
 * the core raises its code (OBJECT_NOT_FOUND is a backup missing at its destination as much as a
 * file missing on this machine).
 */
export const ERROR_HEADLINES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Invalid settings',
  NOT_FOUND: 'Not there (deleted, or never was)',
  NAME_TAKEN: 'Name already used',
  IN_USE: 'Still in use',
  DESTINATION_LOCKED: 'Destination locked',
  DESTINATION_IN_USE: 'Destination still used by jobs',
  DESTINATION_NOT_ALLOWED: 'Destination not allowed for this environment',
  MASTER_KEY_MISMATCH: 'Master key does not match',
  MASTER_KEY_MISSING: 'Master key missing',
  MASTER_KEY_UNAVAILABLE: 'Master key could not be read',
  KEY_STORE_READONLY: 'Master key set outside Vaultdesk',
  SECRET_CORRUPT: 'Stored secret is damaged',
  UNAUTHORIZED: 'Call refused: not from the Vaultdesk window',
  SOURCE_UNREACHABLE: 'Database unreachable',
  SOURCE_AUTH_FAILED: 'Database login refused',
  CLIENT_TOOL_MISSING: 'Dump tool not installed',
  CLIENT_TOO_OLD: 'Dump tool older than the server',
  DUMP_FAILED: 'Dump failed',
  RESTORE_FAILED: 'Restore failed',
  RESTORE_TARGET_NOT_EMPTY: 'Target already holds data',
  DESTINATION_UNREACHABLE: 'Destination unreachable',
  DESTINATION_AUTH_FAILED: 'Destination refused the credentials',
  DESTINATION_WRITE_FAILED: 'Could not write to the destination',
  OBJECT_NOT_FOUND: 'File not found',
  BACKUP_PINNED: 'Backup pinned: it is kept',
  HOST_KEY_CHANGED: 'SSH host key changed',
  ENCRYPT_FAILED: 'Encryption failed',
  DECRYPT_FAILED: 'Could not decrypt',
  INTEGRITY_FAILED: 'Integrity check failed',
  RUN_FAILED: 'Run failed',
  RUN_IN_PROGRESS: 'Already running',
  INTERRUPTED: 'Interrupted: Vaultdesk stopped during the run',
  CANCELLED: 'Cancelled',
  TIMEOUT: 'Timed out',
  HOOK_FAILED: 'Pre-run hook failed',
  STORE_WRITE_FAILED: 'Could not save to the data folder',
  FILE_WRITE_FAILED: 'Could not write the file',
  DATA_DIR_NOT_EMPTY: 'Data folder already has a configuration',
  TEST_FAILED: 'Test failed: nothing saved',
  UNKNOWN_CHANNEL: 'Not available in this Vaultdesk version',
  CONNECTION_LOST: 'Lost the connection to Vaultdesk',
  INTERNAL: 'Unexpected error',
};

/** `SOURCE_UNREACHABLE` -> "Database unreachable"; a code this build does not know (from a newer core, an old record) reads as words. */
export function errorHeadline(code: string): string {
  return Object.hasOwn(ERROR_HEADLINES, code) ? ERROR_HEADLINES[code as ErrorCode] : codeInWords(code);
}

/** `SOME_NEW_CODE` -> "Some new code". */
export function codeInWords(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Error';
}
