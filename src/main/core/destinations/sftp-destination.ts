import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Client, SFTPWrapper } from 'ssh2';
import type { SftpDestinationConfig } from '../../../shared/domain/dto';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';
import { formatDuration } from '../deadline';
import { connectSsh } from '../ssh/ssh-connection';
import type { ConnectionTestResult, DestinationDriver, DriverContext, PutOptions, StoredObject, UnfinishedUpload } from './destination';
import { assertListPrefix, assertObjectKey, nameTaken, PARTIAL_IN_USE_MS, PARTIAL_SUFFIX } from './object-key';
import { isNoSuchFile, mkdirp, remoteCall, renameNew, SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED, sftpCall, SftpNoAnswerError, statOrNull, unlinkIfPresent, walk, writeFile, type Remote, type RemoteFile, type SftpError } from './sftp-files';
import { sftpReadStream } from './sftp-read-stream';
import { cancelled, destroyOnAbort, FailureOrigin, putFailure } from './upload-stream';

export interface SftpSecrets {
  password?: string | undefined;
  privateKey?: string | undefined;
  passphrase?: string | undefined;
}

interface Session extends Remote {
  client: Client;
}

/** How long the server may leave one SFTP request (or the start of the SFTP subsystem) unanswered. */
export const SFTP_REQUEST_MS = 60_000;

/** An SFTP folder over one shared SSH connection: `name.partial`, opened exclusively, then the plain SFTP rename, which replaces no file. */
export class SftpDestination implements DestinationDriver {
  readonly #config: SftpDestinationConfig;
  readonly #secrets: SftpSecrets;
  readonly #ctx: DriverContext;
  readonly #root: string;
  readonly #requestMs: number;
  /** Fires on close(), so a connection still being made is given up instead of waited for; a later call connects again. */
  #closing = new AbortController();
  #pinned: string | null;
  #session: Promise<Session> | null = null;

  constructor(config: SftpDestinationConfig, secrets: SftpSecrets, ctx: DriverContext = {}) {
    this.#config = config;
    this.#secrets = secrets;
    this.#ctx = ctx;
    this.#pinned = config.hostKeyFingerprint;
    this.#root = path.posix.normalize(config.path.replace(/\/+$/, '') || '/');
    this.#requestMs = ctx.requestTimeoutMs ?? SFTP_REQUEST_MS;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ size: number }> {
    const target = this.#path(assertObjectKey(key));
    const partial = target + PARTIAL_SUFFIX;
    const what = `Uploading ${key} to ${this.#where()}`;
    const origin = new FailureOrigin().watch(body, 'input');
    const detach = destroyOnAbort(body, options.signal, what);
    let session: Session | null = null;
    let created = false;
    try {
      session = await this.#connect(options.signal);
      if (options.signal?.aborted) throw cancelled(what);
      await mkdirp(session, path.posix.dirname(target));
      const open = session;
      // A partial file written lately is another run's upload of this name; an old one, a crash's.
      const before = await statOrNull(open, partial);
      if (before) {
        if (before.isFile() && Date.now() - before.mtime * 1000 < PARTIAL_IN_USE_MS) throw this.#nameTaken(key);
        await unlinkIfPresent(open, partial);
      }
      const size = await writeFile(open, partial, body, options.onProgress, () => (created = true)).catch(async (error: unknown) => {
        // Not created: another run's partial file is there, or was until it committed it just now.
        if (!created && ((await statOrNull(open, partial).catch(() => null)) ?? (await statOrNull(open, target).catch(() => null)))) throw this.#nameTaken(key);
        origin.record('sink', error);
        throw error;
      });
      if (options.signal?.aborted) throw cancelled(what);
      await renameNew(open, partial, target).catch(async (error: unknown) => {
        if (await statOrNull(open, target).catch(() => null)) throw this.#nameTaken(key);
        throw error;
      });
      created = false;
      return { size };
    } catch (error) {
      if (!body.destroyed) body.destroy();
      this.#dropIfSilent(error, session);
      // A server that stopped answering cannot remove the .partial either: it is left for cleanup.
      if (created && session && !(error instanceof SftpNoAnswerError)) await unlinkIfPresent(session, partial).catch((e: unknown) => this.#ctx.log?.warn('could not remove partial upload', { path: partial, error: String(e) }));
      throw putFailure(error, { signal: options.signal, origin, what, map: (e) => this.#mapError(e, 'DESTINATION_WRITE_FAILED', key) });
    } finally {
      detach();
    }
  }

  #nameTaken(key: string): AppError {
    return nameTaken(key, `${this.#root} on ${this.#where()}`, this.#details());
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const file = this.#path(assertObjectKey(key));
    const session = await this.#connect(options.signal);
    const st = await statOrNull(session, file).catch((e: unknown) => {
      throw this.#fail(e, session, 'DESTINATION_UNREACHABLE', key);
    });
    if (!st?.isFile()) throw this.#mapError(Object.assign(new Error('no such file'), { code: SFTP_NO_SUCH_FILE }), 'DESTINATION_UNREACHABLE', key);
    const stream = sftpReadStream(session, file, st.size, (error) => this.#fail(error, session, 'DESTINATION_UNREACHABLE', key));
    const detach = destroyOnAbort(stream, options.signal, `Downloading ${key} from ${this.#where()}`);
    stream.once('close', detach);
    // A stream whose reader has gone must not crash the host with its error; readers that are
    // still reading get it through their own listeners.
    stream.on('error', () => undefined);
    return stream;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertListPrefix(prefix);
    const session = await this.#connect();
    try {
      const root = await statOrNull(session, this.#root);
      if (!root?.isDirectory()) {
        throw new AppError('DESTINATION_UNREACHABLE', `Folder ${this.#root} does not exist on ${this.#where()}.`, this.#details());
      }
      const found: RemoteFile[] = [];
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      await walk(session, this.#root, folder, prefix, found);
      return found
        .filter((f) => !f.relative.endsWith(PARTIAL_SUFFIX) && !path.posix.basename(f.relative).startsWith('.vaultdesk-probe-'))
        .map((f) => ({ key: f.relative, size: f.size, modifiedAt: new Date(f.mtime * 1000) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    } catch (error) {
      throw this.#fail(error, session, 'DESTINATION_UNREACHABLE', null);
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    const file = this.#path(assertObjectKey(key));
    const session = await this.#connect();
    try {
      const st = await statOrNull(session, file);
      return st?.isFile() ? { key, size: st.size, modifiedAt: new Date(st.mtime * 1000) } : null;
    } catch (error) {
      throw this.#fail(error, session, 'DESTINATION_UNREACHABLE', key);
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#path(assertObjectKey(key));
    const session = await this.#connect();
    await unlinkIfPresent(session, file).catch((e: unknown) => {
      throw this.#fail(e, session, 'DESTINATION_WRITE_FAILED', key);
    });
  }

  async discard(key: string): Promise<void> {
    const partial = this.#path(assertObjectKey(key)) + PARTIAL_SUFFIX;
    const session = await this.#connect();
    await unlinkIfPresent(session, partial).catch((e: unknown) => {
      throw this.#fail(e, session, 'DESTINATION_WRITE_FAILED', key);
    });
  }

  async listUnfinished(): Promise<UnfinishedUpload[]> {
    const session = await this.#connect();
    try {
      const found: RemoteFile[] = [];
      await walk(session, this.#root, '', '', found);
      return found
        .filter((f) => f.relative.endsWith(PARTIAL_SUFFIX))
        .map((f) => ({ key: f.relative.slice(0, -PARTIAL_SUFFIX.length), kind: 'partial-file', uploadId: null, since: new Date(f.mtime * 1000), size: f.size }));
    } catch (error) {
      throw this.#fail(error, session, 'DESTINATION_UNREACHABLE', null);
    }
  }

  async test(): Promise<ConnectionTestResult> {
    const wasPinned = this.#pinned !== null;
    let session: Session | null = null;
    try {
      session = await this.#connect();
      const root = await statOrNull(session, this.#root);
      if (!root) return { success: false, message: `Connected to ${this.#where()}, but folder ${this.#root} does not exist there. Create it or correct the path.` };
      if (!root.isDirectory()) return { success: false, message: `Connected to ${this.#where()}, but ${this.#root} is not a folder.` };
      const probe = path.posix.join(this.#root, `.vaultdesk-probe-${randomUUID()}`);
      try {
        await remoteCall<void>(session, `write ${probe}`, (sftp, cb) => sftp.writeFile(probe, 'vaultdesk write test\n', (e) => cb(e, undefined)));
      } finally {
        await unlinkIfPresent(session, probe).catch(() => undefined);
      }
      const key = wasPinned ? `host key ${this.#pinned} matches the pinned one` : `host key ${this.#pinned} pinned now`;
      return { success: true, message: `Connected to ${this.#where()} (${key}); folder ${this.#root} is writable.` };
    } catch (error) {
      return { success: false, message: this.#fail(error, session, 'DESTINATION_WRITE_FAILED', null).message };
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#closing = new AbortController();
    const pending = this.#session;
    this.#session = null;
    if (!pending) return;
    const session = await pending.catch(() => null);
    session?.client.end();
  }

  #connect(signal?: AbortSignal): Promise<Session> {
    this.#session ??= this.#open(signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal).catch((error: unknown) => {
      this.#session = null;
      throw error;
    });
    return this.#session;
  }

  async #open(signal: AbortSignal): Promise<Session> {
    const client = await connectSsh({
      host: this.#config.host,
      port: this.#config.port,
      user: this.#config.user,
      password: this.#secrets.password,
      privateKey: this.#secrets.privateKey,
      passphrase: this.#secrets.passphrase,
      pinnedFingerprint: this.#pinned,
      onPinned: (fingerprint) => {
        this.#pinned = fingerprint;
        this.#ctx.onHostKeyPinned?.(fingerprint);
      },
      signal,
      role: 'destination',
    });
    let onAbort = (): void => undefined;
    const session = new Promise<Session>((resolve, reject) => {
      // Some servers accept the login and then never start SFTP (a subsystem that hangs, a forced command).
      sftpCall<SFTPWrapper>((cb) => client.sftp(cb), { ms: this.#requestMs, request: 'starting SFTP' }).then((sftp) => resolve({ client, sftp, requestMs: this.#requestMs }), reject);
      onAbort = () => reject(new AppError('CANCELLED', `Starting SFTP on ${this.#where()} was cancelled.`, this.#details()));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    // A dropped connection is reopened by the next call instead of failing every later one.
    const current = this.#session;
    client.on('close', () => {
      if (this.#session === current) this.#session = null;
    });
    client.on('error', (error: Error) => this.#ctx.log?.warn('SFTP connection error', { ...this.#details(), error: error.message }));
    try {
      return await session;
    } catch (error) {
      client.end();
      if (error instanceof AppError) throw error;
      if (error instanceof SftpNoAnswerError) {
        throw new AppError('DESTINATION_UNREACHABLE', `${this.#where()} accepted the login but its SFTP subsystem did not answer within ${formatDuration(error.ms)}. Check the server's Subsystem sftp setting and that nothing (a forced command, a shell profile that waits for input) holds it up.`, this.#details());
      }
      throw new AppError('DESTINATION_UNREACHABLE', `${this.#where()} accepted the login but refused to start SFTP (${(error as Error).message}). Check that the server enables the sftp subsystem for this user.`, this.#details());
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Maps `error`, first dropping a session whose server stopped answering (the next call reconnects). */
  #fail(error: unknown, session: Session | null, fallback: ErrorCode, key: string | null): AppError {
    this.#dropIfSilent(error, session);
    return this.#mapError(error, fallback, key);
  }

  #dropIfSilent(error: unknown, session: Session | null): void {
    if (!(error instanceof SftpNoAnswerError) || !session) return;
    this.#session = null;
    session.client.end();
  }

  #path(key: string): string {
    return path.posix.join(this.#root, key);
  }

  #where(): string {
    return `${this.#config.user}@${this.#config.host}:${this.#config.port}`;
  }

  #details(): Record<string, unknown> {
    return { host: this.#config.host, port: this.#config.port, user: this.#config.user, path: this.#root };
  }

  #mapError(error: unknown, fallback: ErrorCode, key: string | null): AppError {
    if (error instanceof AppError) return error;
    const e = error as SftpError;
    const where = key === null ? `folder ${this.#root} on ${this.#where()}` : `${key} in ${this.#root} on ${this.#where()}`;
    const details = { ...this.#details(), ...(key === null ? {} : { key }) };
    if (error instanceof SftpNoAnswerError) {
      return new AppError('DESTINATION_UNREACHABLE', `The SFTP server ${this.#where()} did not answer (${error.request}) within ${formatDuration(error.ms)} while working on ${where}; the connection was dropped. The server's disk or a share it writes to may have stopped responding.`, details);
    }
    if (isNoSuchFile(e)) {
      return key !== null ? new AppError('OBJECT_NOT_FOUND', `There is no backup ${key} in ${this.#root} on ${this.#where()}.`, details) : new AppError('DESTINATION_UNREACHABLE', `Folder ${this.#root} does not exist on ${this.#where()}.`, details);
    }
    if (e?.code === SFTP_PERMISSION_DENIED) return new AppError('DESTINATION_WRITE_FAILED', `Permission denied on ${where}: user ${this.#config.user} may not write there.`, details);
    if (e?.code === 'ENOTDIR') return new AppError('DESTINATION_WRITE_FAILED', `Cannot create folders for ${where}: ${e.message}.`, details);
    if (/No response from server|Not connected|closed|ECONNRESET/i.test(e?.message ?? '')) {
      return new AppError(fallback === 'DESTINATION_WRITE_FAILED' ? 'DESTINATION_WRITE_FAILED' : 'DESTINATION_UNREACHABLE', `The connection to ${this.#where()} was lost while working on ${where}.`, details);
    }
    const reason = e?.message ?? String(error);
    // OpenSSH reports a full disk or quota as a generic failure.
    const hint = e?.code === 4 ? ' (the SFTP server reports a generic failure: often a full disk or an exhausted quota)' : '';
    return new AppError(fallback, `SFTP ${fallback === 'DESTINATION_WRITE_FAILED' ? 'write' : 'read'} failed on ${where}: ${reason}${hint}`, details);
  }
}
