import type { ChildProcess } from 'node:child_process';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';

/** Raw stderr kept for the message; 7-Zip's errors are a few lines, its stderr is otherwise near silent. */
const STDERR_CAPTURE = 64 * 1024;
const STDERR_SHOWN = 2048;
/** What 7-Zip prints when it reads the password from stdin: noise in an error message. */
const PROMPT = /^\s*Enter password(?: \(will not be echoed\))?\s*:?\s*$/gim;

/**
 * 7-Zip reads the password from `-p<password>` or, when `-p` has no value (or, opening an
 * encrypted archive, is absent), from a line on stdin after its prompt. Vaultdesk always answers on stdin (when creating too, see
 * createSevenZipArchive), so the passphrase is never in 7-Zip's argv, where any local user could
 * read it. A line break cannot be typed at the prompt (nor in 7-Zip's GUI), so such passphrases
 * are refused up front rather than failing later in a way nobody can open.
 */
export function assertUsablePassphrase(passphrase: string, code: Extract<ErrorCode, 'ENCRYPT_FAILED' | 'DECRYPT_FAILED'>): void {
  if (passphrase.length === 0) throw new AppError(code, 'The 7-Zip profile has an empty passphrase. Set a passphrase on the profile.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(passphrase))
    throw new AppError(code, 'The 7-Zip passphrase contains a line break or another control character, which 7-Zip cannot take. Give the profile a passphrase without them.');
}

/**
 * Keeps the start of stderr (where 7-Zip puts the error that matters) and drains the rest.
 * The text handed out never contains the passphrase, even partly: it is scrubbed before being
 * cut, and a capture cut short loses its last passphrase-length characters first.
 */
export function collectStderr(child: ChildProcess, passphrase: string): () => string {
  const parts: Buffer[] = [];
  let kept = 0;
  let overflow = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (kept >= STDERR_CAPTURE) {
      overflow = true;
      return;
    }
    const take = chunk.subarray(0, STDERR_CAPTURE - kept);
    if (take.length < chunk.length) overflow = true;
    parts.push(take);
    kept += take.length;
  });
  return () => {
    let text = Buffer.concat(parts).toString('utf8');
    if (overflow) text = text.slice(0, Math.max(0, text.length - passphrase.length));
    text = scrub(text, passphrase).replace(PROMPT, '').replace(/\n{3,}/g, '\n\n').trim();
    return text.length > STDERR_SHOWN ? `${text.slice(0, STDERR_SHOWN)}...` : text;
  };
}

export function scrub(text: string, passphrase: string): string {
  return passphrase.length > 0 ? text.split(passphrase).join('[passphrase]') : text;
}

/** The failure of a 7-Zip run that exited on its own, in words, with its (scrubbed) stderr. */
export function sevenZipFailed(code: ErrorCode, what: string, exitCode: number | null, signal: NodeJS.Signals | null, stderr: string): AppError {
  const how = exitCode !== null ? `7-Zip exited with code ${exitCode}${EXIT_MEANINGS[exitCode] ? ` (${EXIT_MEANINGS[exitCode]})` : ''}` : `7-Zip was killed by ${signal ?? 'a signal'}`;
  return new AppError(code, stderr ? `${what}: ${how}: ${stderr}` : `${what}: ${how} without an error message.`, { tool: '7z', exitCode, signal, stderr });
}

/** 7-Zip's documented exit codes. */
const EXIT_MEANINGS: Record<number, string> = {
  1: 'warning',
  2: 'fatal error',
  7: 'command line error',
  8: 'not enough memory',
  255: 'stopped',
};

/** A spawn failure in words, without Node's error object and its internals; scrubbed all the same. */
export function spawnFailed(code: ErrorCode, toolPath: string, error: unknown, passphrase: string): AppError {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ENOENT' || err.code === 'EACCES')
    return new AppError('CLIENT_TOOL_MISSING', `7-Zip could not be started from ${toolPath} (${err.code}): it was there when Vaultdesk looked for it; check that it is still there and executable.`, { tool: '7z', path: toolPath });
  return new AppError(code, `7-Zip could not be started from ${toolPath}: ${scrub(err.message ?? String(error), passphrase)}`, { tool: '7z', path: toolPath });
}

/**
 * Stops 7-Zip at once. SIGTERM only sets its break flag, which it checks between blocks, so a
 * 7-Zip blocked reading a stalled stdin would linger; and nothing it holds is worth a clean
 * exit: a partial archive is deleted anyway.
 */
export function killSevenZip(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
