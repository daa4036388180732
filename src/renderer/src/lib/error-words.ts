import type { ErrorCode } from '../../../shared/ipc/result';

/**
 * A short headline per error code, shown above the core's own message. The message says what
 * to do; the headline lets a DBA scanning a list see at once what kind of problem it is.
 */
const HEADLINES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Invalid settings',
  NOT_FOUND: 'Not found',
  DESTINATION_LOCKED: 'Destination locked',
  DESTINATION_NOT_ALLOWED: 'Destination not allowed for this environment',
  MASTER_KEY_MISMATCH: 'Master key does not match',
  MASTER_KEY_MISSING: 'Master key missing',
  MASTER_KEY_UNAVAILABLE: 'Master key unavailable',
  SECRET_CORRUPT: 'Stored secret is damaged',
  SOURCE_UNREACHABLE: 'Database unreachable',
  SOURCE_AUTH_FAILED: 'Database login refused',
  CLIENT_TOOL_MISSING: 'Dump tool not installed',
  CLIENT_TOO_OLD: 'Dump tool older than the server',
  DUMP_FAILED: 'Dump failed',
  DESTINATION_UNREACHABLE: 'Destination unreachable',
  DESTINATION_AUTH_FAILED: 'Destination refused the credentials',
  DESTINATION_WRITE_FAILED: 'Could not write to the destination',
  HOST_KEY_CHANGED: 'SSH host key changed',
  ENCRYPT_FAILED: 'Encryption failed',
  INTEGRITY_FAILED: 'Integrity check failed',
  RUN_FAILED: 'Run failed',
  RUN_IN_PROGRESS: 'Already running',
  INTERRUPTED: 'Interrupted: Vaultdesk stopped during the run',
  CANCELLED: 'Cancelled',
  TIMEOUT: 'Timed out',
  STORE_WRITE_FAILED: 'Could not save to the data folder',
  FILE_WRITE_FAILED: 'Could not write the file',
  CONNECTION_LOST: 'Lost the connection to Vaultdesk',
  INTERNAL: 'Unexpected error',
};

/** `SOURCE_UNREACHABLE` -> "Database server unreachable"; unknown codes read as words. */
export function errorHeadline(code: string): string {
  const known = HEADLINES[code as ErrorCode];
  if (known) return known;
  const words = code.toLowerCase().replace(/_/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Error';
}
