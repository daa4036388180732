/**
 * Errors cross every boundary (IPC, WebSocket, CLI) as values with a stable code, never as
 * thrown exceptions. The codes are part of the public interface: scripts match on them.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'NAME_TAKEN',
  'IN_USE',
  'DESTINATION_LOCKED',
  'DESTINATION_IN_USE',
  'DESTINATION_NOT_ALLOWED',
  'MASTER_KEY_MISMATCH',
  'MASTER_KEY_MISSING',
  'MASTER_KEY_UNAVAILABLE',
  'KEY_STORE_READONLY',
  'SECRET_CORRUPT',
  'UNAUTHORIZED',
  'SOURCE_UNREACHABLE',
  'SOURCE_AUTH_FAILED',
  'CLIENT_TOOL_MISSING',
  'CLIENT_TOO_OLD',
  'DUMP_FAILED',
  'RESTORE_FAILED',
  /** A restore would replace a database that holds tables or other objects (views, functions, ...), and was not told to (`force`). */
  'RESTORE_TARGET_NOT_EMPTY',
  'DESTINATION_UNREACHABLE',
  'DESTINATION_AUTH_FAILED',
  'DESTINATION_WRITE_FAILED',
  'OBJECT_NOT_FOUND',
  'BACKUP_PINNED',
  'HOST_KEY_CHANGED',
  'ENCRYPT_FAILED',
  'DECRYPT_FAILED',
  'INTEGRITY_FAILED',
  'RUN_FAILED',
  'RUN_IN_PROGRESS',
  'INTERRUPTED',
  'CANCELLED',
  'TIMEOUT',
  'HOOK_FAILED',
  'STORE_WRITE_FAILED',
  'FILE_WRITE_FAILED',
  /** A system backup is imported into an empty data dir only, unless asked to merge. */
  'DATA_DIR_NOT_EMPTY',
  /** A create or update asked to be tested first, and the test failed: nothing was saved. */
  'TEST_FAILED',
  'UNKNOWN_CHANNEL',
  /** Made by a client, never by the core: the page lost (or could not open) its connection to `vaultdesk serve`. */
  'CONNECTION_LOST',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(payload: ErrorPayload): AppError {
    return new AppError(payload.code, payload.message, payload.details);
  }
}

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail(error: ErrorPayload): Result<never> {
  return { ok: false, error };
}

/** Turns anything thrown into a payload; unknown errors keep their message but get code INTERNAL. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) return error.toPayload();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.data;
  throw AppError.fromPayload(result.error);
}
